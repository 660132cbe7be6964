"""Importing votes: the three formats, the dry run naming unmatched legislators and bad rows, idempotent
re-import, nothing written on error, hostile input bounded, the command line and the upload page."""

import io
import json

import pytest
from sqlalchemy import func, select

from crm.core.audit import AuditEntry
from crm.extensions import db
from crm.legislature.importers.records import ImportFailed
from crm.votes.importers import check, sync
from crm.votes.models import Bill, Vote, VoteEvent
from tests.votes.conftest import fixture_text


def _count(model):
    return db.session.execute(select(func.count()).select_from(model)).scalar_one()


def test_popolo_matches_by_identifier_then_name_and_reimport_changes_nothing(vworld):
    plan = check("popolo", fixture_text("popolo_vote_events.json"), chamber_id=vworld.chamber.id)
    assert plan.ok, plan.report["errors"]
    assert plan.report["new_events"] == 1 and plan.report["new_votes"] == 8 and plan.report["new_bills"] == 1
    sync.apply(plan, actor=None)
    db.session.commit()
    event = db.session.execute(select(VoteEvent)).scalar_one()
    options = dict(db.session.execute(select(Vote.legislator_id, Vote.option)).all())
    ids = [p.id for p in vworld.legislators]
    assert [options[i] for i in ids[:8]] == ["yes", "yes", "no", "no", "abstain", "absent", "on_leave", "paired"]
    assert event.result == "fail" and event.declared_counts == {"yes": 2, "no": 2, "abstain": 1}
    assert db.session.execute(select(Bill.number)).scalar_one() == "03839/2014-IC"
    audits = _count(AuditEntry)

    again = check("popolo", fixture_text("popolo_vote_events.json"), chamber_id=vworld.chamber.id)
    assert (again.report["new_events"], again.report["changed_events"], again.report["new_votes"],
            again.report["changed_votes"], again.report["removed_votes"], again.report["new_bills"]) == (0, 0, 0, 0, 0, 0)
    sync.apply(again, actor=None)
    db.session.commit()
    assert _count(Vote) == 8 and _count(VoteEvent) == 1 and _count(AuditEntry) == audits


def test_a_changed_vote_is_updated_not_duplicated(vworld):
    text = fixture_text("popolo_vote_events.json")
    sync.apply(check("popolo", text, chamber_id=vworld.chamber.id), actor=None)
    data = json.loads(text)
    data["vote_events"][0]["votes"][0]["option"] = "no"
    data["vote_events"][0]["votes"].pop()
    plan = check("popolo", json.dumps(data), chamber_id=vworld.chamber.id)
    assert (plan.report["changed_events"], plan.report["changed_votes"], plan.report["removed_votes"]) == (1, 1, 1)
    sync.apply(plan, actor=None)
    assert _count(Vote) == 7


def test_congress_dry_run_names_the_unknown_member_then_the_fixed_file_imports(vworld):
    text = fixture_text("congress_data.json")
    plan = check("congress", text, chamber_id=vworld.chamber.id)
    assert not plan.ok
    assert [u["name"] for u in plan.report["unmatched"]] == ["Aderholt"]
    assert "votación 1" in plan.report["unmatched"][0]["where"]
    with pytest.raises(ImportFailed):
        sync.apply(plan, actor=None)
    assert _count(VoteEvent) == 0 and _count(Vote) == 0

    data = json.loads(text)
    data["votes"]["Aye"] = data["votes"]["Aye"][1:]
    plan = check("congress", json.dumps(data), chamber_id=vworld.chamber.id)
    assert plan.ok, plan.report["errors"]
    sync.apply(plan, actor=None)
    options = dict(db.session.execute(select(Vote.legislator_id, Vote.option)).all())
    ids = [p.id for p in vworld.legislators]
    assert [options[i] for i in ids[1:5]] == ["yes", "no", "abstain", "not_voting"]
    assert db.session.execute(select(VoteEvent.result)).scalar_one() == "pass"


def test_csv_reports_every_bad_row_by_line_and_field(vworld):
    plan = check("csv", fixture_text("votes.csv"), chamber_id=vworld.chamber.id)
    problems = {(p["where"], p["field"]) for p in plan.report["errors"]}
    assert ("línea 4", "legislator") in problems  # nobody of that name sits there
    assert ("línea 5", "option") in problems  # "quizás" is no option
    assert plan.report["unmatched"] == [{"where": "línea 4", "name": "Persona Desconocida"}]
    assert plan.report["new_votes"] == 3  # the good rows are counted, but nothing is written
    assert _count(Vote) == 0


def test_name_matching_only_counts_those_sitting_that_day(vworld):
    from datetime import date

    from crm.legislature.models import SeatMembership

    seat = db.session.execute(select(SeatMembership).where(SeatMembership.legislator_id == vworld.legislators[1].id)).scalar_one()
    seat.end_date = date(2015, 1, 1)
    db.session.flush()
    plan = check("popolo", fixture_text("popolo_vote_events.json"), chamber_id=vworld.chamber.id)
    assert [u["name"] for u in plan.report["unmatched"]] == ["Legisladora 001 Pérez"]


@pytest.mark.parametrize("text", [
    "[" * 100000 + "]" * 100000,
    '{"vote_events": [{"id": "x", "start_date": "2015-01-01", "votes": [], "counts": [{"option": "yes", "value": 1' + "0" * 5000 + "}]}]}",
    '{"vote_events": NaN}',
])
def test_hostile_json_is_refused_cleanly(vworld, text):
    with pytest.raises(ImportFailed):
        check("popolo", text, chamber_id=vworld.chamber.id)


def test_huge_csv_field_is_reported(vworld):
    text = "event_id,start,legislator,option\n" + f"e1,2015-01-01,{'x' * 200000},yes\n"
    plan = check("csv", text, chamber_id=vworld.chamber.id)
    assert plan.report["errors"] and plan.report["errors"][0]["where"].startswith("línea")


def test_command_line_dry_run_then_import_with_progress(vworld, app, tmp_path):
    path = tmp_path / "votes.json"
    path.write_text(fixture_text("popolo_vote_events.json"), encoding="utf-8")
    runner = app.test_cli_runner()
    args = ["crm", "import-votes", str(path), "--format", "popolo", "--chamber", str(vworld.chamber.id)]
    result = runner.invoke(args=[*args, "--dry-run"])
    assert result.exit_code == 0, result.output
    assert "Dry run" in result.output and _count(Vote) == 0
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    assert "Importing vote events" in result.output and _count(Vote) == 8


def test_upload_page_dry_run_then_import(vworld, make_user, login_as):
    client = login_as(make_user("director"))
    raw = fixture_text("congress_data.json").encode()

    def post(dry_run: bool):
        data = {"csrf_token": client.csrf_token(), "format": "congress", "body": f"c:{vworld.chamber.id}",
                "file": (io.BytesIO(raw), "data.json")}
        if dry_run:
            data["dry_run"] = "y"
        return client.post("/votes/import", data=data, content_type="multipart/form-data")

    response = post(True)
    assert response.status_code == 422
    assert "Aderholt" in response.get_data(as_text=True)
    assert _count(Vote) == 0
    data = json.loads(raw)
    data["votes"]["Aye"] = data["votes"]["Aye"][1:]
    raw = json.dumps(data).encode()
    assert post(True).status_code == 200 and _count(Vote) == 0
    response = post(False)
    assert response.status_code == 200 and "Importación hecha" in response.get_data(as_text=True)
    assert _count(Vote) == 4
