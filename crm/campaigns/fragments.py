"""HTML fragments the whip page repeats once per member or per group, built with one string join.

Jinja costs several microseconds per expression; these rows are plain escaped text, so building them here
keeps the page's cost low however large the chamber.
"""

from functools import lru_cache

from markupsafe import Markup, escape

from crm.campaigns.models import PERSUADABLE, STANCE_LEVELS

AGAINST = ("opposed", "hard_opposed")


def breakdown_rows(rows, empty_label: str) -> Markup:
    """Rows of a breakdown table: label, total, secured, likely, persuadable, against."""
    parts = []
    for b in rows:
        c = b.counts
        parts.append(
            f'<tr><td>{escape(b.label or empty_label)}</td><td class="text-end">{b.total}</td>'
            f'<td class="text-end">{b.secured}</td><td class="text-end">{b.likely}</td>'
            f'<td class="text-end">{sum(c[lv] for lv in PERSUADABLE)}</td>'
            f'<td class="text-end">{sum(c[lv] for lv in AGAINST)}</td></tr>'
        )
    return Markup("".join(parts))  # noqa: S704 - labels are escaped, the rest are integers


@lru_cache(maxsize=8)
def level_options(labels: tuple[str, ...]) -> dict[str, Markup]:
    """The stance <option> list pre-rendered for each selected level, per language."""
    options = {}
    for selected in STANCE_LEVELS:
        options[selected] = Markup(  # noqa: S704 - labels are escaped, values are constants
            "".join(
                f'<option value="{lv}"{" selected" if lv == selected else ""}>{escape(label)}</option>'
                for lv, label in zip(STANCE_LEVELS, labels, strict=True)
            )
        )
    return options


def target_rows(targets, *, as_of, cold_days: int, tz, day_text, labels: dict, colours: dict, stance_url: str,
                can_edit: bool, profile_url: str, back: str = "") -> Markup:
    """Rows of the persuadables table: who (a link to the profile), stance (with an in-place "change" button and
    a link to the full stance form that returns to this row), contact, task, owner. `day_text` writes a local
    day as every other page does; `back` is this page's URL, already quoted for a query string."""
    parts = []
    for m in targets:
        meta = escape(m.group_abbr or m.group_name or labels["no_group"])
        if m.district:
            meta += " · " + escape(m.district)
        if m.lead_role:
            # Markup + str escapes the str, so the badge itself must be Markup (its values are escaped).
            meta += Markup(  # noqa: S704 - the label and role are escaped
                f' · <span class="badge text-bg-warning">{escape(labels["committee"])}: '
                f'{escape(labels["roles"].get(m.lead_role, m.lead_role))}</span>'
            )
        change = (
            f' <button type="button" class="btn btn-sm btn-link p-0 ms-1" hx-get="{stance_url}{m.id}/stance" '
            f'hx-target="closest td" hx-swap="innerHTML">{escape(labels["change"])}</button>'
            f' <a class="btn btn-sm btn-link p-0 ms-1" href="{stance_url}{m.id}/stance/edit?next={back}%23l-{m.id}" '
            f'aria-label="{escape(labels["full_stance_of"] % {"name": m.name})}">{escape(labels["full_stance"])}</a>'
            if can_edit
            else ""
        )
        if m.last_contact:
            day = m.last_contact.astimezone(tz).date()
            contact = str(escape(day_text(day)))
            if (as_of - day).days > cold_days:
                contact += f' <span class="badge text-bg-info">{escape(labels["cold"])}</span>'
        else:
            contact = f'<span class="badge text-bg-info">{escape(labels["never"])}</span>'
        task = str(escape(day_text(m.next_task_due.astimezone(tz).date()))) if m.next_task_due else "—"
        owner = escape(m.owner or "—")
        # Phones get contact, task and owner under the name; wider screens get them as columns.
        phone = (
            f'<div class="small d-md-none">{escape(labels["last_contact"])}: {contact} · {escape(labels["task"])}: {task}'
            f' · {escape(labels["owner"])}: {owner}</div>'
        )
        parts.append(
            f'<tr id="l-{m.id}"><td><a class="fw-semibold" href="{profile_url}{m.id}">{escape(m.name)}</a><div class="small text-body-secondary">{meta}</div>{phone}</td>'
            f'<td><span class="text-nowrap"><svg width="12" height="12" aria-hidden="true"><circle cx="6" cy="6" r="6" '
            f'fill="{colours[m.level]}"/></svg> {escape(labels["levels"][m.level])}</span>{change}</td>'
            f'<td class="text-nowrap d-none d-md-table-cell">{contact}</td><td class="text-nowrap d-none d-md-table-cell">{task}</td>'
            f'<td class="d-none d-md-table-cell">{owner}</td></tr>'
        )
    return Markup("".join(parts))  # noqa: S704 - every user value is escaped above
