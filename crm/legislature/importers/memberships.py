"""Seats, group and committee memberships of one person: matched by (organisation, start date), then diffed.

A mixin of Sync: it uses self.write, self.report, self.chambers, self.groups, self.committees,
self.groups_by_id and self.term_of(record).
"""

from crm.core.text import fold
from crm.extensions import db
from crm.legislature.models import CommitteeMembership, GroupMembership, SeatMembership


class MembershipSync:
    def _upsert(self, existing, key_of, key, values: dict, factory, label, claimed: set):
        """Update the membership with this key or create one; returns labels of what changed.

        Keys are (organisation id, start date). A row without a start date (from a source that has none, like the
        congress-legislators CSV) matches a dated record for the same organisation and the other way round, so
        importing the CSV and then the YAML of the same people does not double their seats. A row matched by
        one record of the file is not matched again by another (`claimed`), so two records never take turns
        rewriting one row on every re-import.
        """
        target_id, start = key
        free = [r for r in existing if id(r) not in claimed]
        row = next((r for r in free if key_of(r) == key), None)
        if row is None:
            row = next((r for r in free if key_of(r)[0] == target_id and (key_of(r)[1] is None or start is None)), None)
            if row is not None and start is not None:
                values = {**values, "start_date": start}
        if row is None:
            self.report.structure[label] += 1
            if self.write:
                row = factory()
                for name, value in values.items():
                    setattr(row, name, value)
                db.session.add(row)
                existing.append(row)
                claimed.add(id(row))
            return [label]
        claimed.add(id(row))
        diff = {name: value for name, value in values.items() if getattr(row, name) != value}
        if diff and self.write:
            for name, value in diff.items():
                setattr(row, name, value)
        return [label] if diff else []

    def _sync_seats(self, person, lid) -> list[str]:
        changed, claimed = [], set()
        existing = self.seats[lid] if lid is not None else []
        for record in person.seats:
            chamber = self.chambers.get(record.chamber)
            if chamber is None or chamber.id is None:
                changed += ["seats"]
                self.report.structure["seats"] += 1
                continue
            term = self.term_of(record)
            changed += self._upsert(
                existing, lambda r: (r.chamber_id, r.start_date), (chamber.id, record.start_date),
                {"district": record.district, "end_date": record.end_date, "status": record.status, "votes": record.votes,
                 "term_id": term.id if term is not None else None},
                lambda chamber=chamber, record=record: SeatMembership(
                    legislator_id=lid, chamber_id=chamber.id, start_date=record.start_date
                ), "seats", claimed,
            )
        return changed

    def _sync_groups(self, person, lid) -> list[str]:
        changed, claimed = [], set()
        existing = self.group_members[lid] if lid is not None else []
        for record in person.groups:
            group = self.groups.get((record.kind, fold(record.name)))
            if group is None or group.id is None:
                if self.write:
                    db.session.flush()
                if group is None or group.id is None:
                    changed += ["groups"]
                    self.report.structure["group_memberships"] += 1
                    continue
            if self._open(record.end_date, record):
                changed += self._close_switched(existing, group, record)
            changed += [
                "groups" for _label in self._upsert(
                    existing, lambda r: (r.group_id, r.start_date), (group.id, record.start_date),
                    {"end_date": record.end_date},
                    lambda group=group, record=record: GroupMembership(
                        legislator_id=lid, group_id=group.id, start_date=record.start_date
                    ), "group_memberships", claimed,
                )
            ]
        return changed

    def _close_switched(self, existing, group, record) -> list[str]:
        """A dated open membership closes the open one of its kind it follows (kept from an earlier import).

        Without a start date the change has no day to close on, so the earlier membership stays open rather
        than being closed "today" (which would re-date it on every re-import).
        """
        if record.start_date is None:
            return []
        changed = []
        for row in existing:
            other = self.groups_by_id.get(row.group_id)
            if (other is not None and other.kind == group.kind and row.group_id != group.id
                    and self._open(row.end_date, record) and (row.start_date is None or row.start_date < record.start_date)):
                changed.append("groups")
                if self.write:
                    row.end_date = record.start_date
        return changed

    def _sync_committees(self, person, lid) -> list[str]:
        changed, claimed = [], set()
        existing = self.committee_members[lid] if lid is not None else []
        for record in person.committees:
            committee = self.committees.get(record.committee)
            if committee is not None and committee.id is None and self.write:
                db.session.flush()
            if committee is None or committee.id is None:
                changed += ["committees"]
                self.report.structure["committee_memberships"] += 1
                continue
            changed += [
                "committees" for _label in self._upsert(
                    existing, lambda r: (r.committee_id, r.start_date), (committee.id, record.start_date),
                    {"role": record.role, "end_date": record.end_date},
                    lambda committee=committee, record=record: CommitteeMembership(
                        legislator_id=lid, committee_id=committee.id, start_date=record.start_date
                    ), "committee_memberships", claimed,
                )
            ]
        return changed
