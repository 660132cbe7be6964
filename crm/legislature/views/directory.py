"""The legislator directory: search and filters, the filter menus, and the CSV export."""

import csv
import io
from dataclasses import replace

from flask import Response, render_template, request
from flask_login import current_user, login_required

from crm.core.text import neutralise_cell
from crm.core.views import user_today
from crm.core.visibility import can_see_relationship_owner, own_organisation_only
from crm.legislature import bp, queries, scope
from crm.legislature.labels import GROUP_KIND


# --- directory ---------------------------------------------------------------------------------------------------
@bp.route("/legislators")
@login_required
def directory():
    asked, filters, today, legislatures = _request_filters()
    page = queries.directory_page(filters, today, legislatures)
    # The menus cost six queries; most visits only search, so they come with the page only when in use.
    show_menus = asked.advanced or request.args.get("more") == "1"
    menus = _directory_menus(queries.filter_choices(filters, today, legislatures), filters) if show_menus else None
    return render_template("legislature/directory.html", page=page, filters=filters, menus=menus,
                           legislatures=legislatures)


def _request_filters():
    """(filters as asked, filters as applied, the user's today, the legislature options), one scope query in all.

    Without ?status=, a list of past terms only (a historic roster, or history picked) shows everyone in them:
    "sitting today" would list nobody.
    """
    asked, today = _filters(), user_today()
    legislatures = scope.legislature_options(today)
    shown = scope.scope_ids(today, asked.legislature, legislatures)
    if "status" in request.args or any(o.in_session for o in legislatures if shown is None or o.id in shown):
        return asked, asked, today, legislatures
    return asked, replace(asked, status="all"), today, legislatures


@bp.route("/legislators/filters")
@login_required
def directory_filters():
    """The filter menus alone, fetched when "more filters" is opened."""
    _asked, filters, today, legislatures = _request_filters()
    menus = _directory_menus(queries.filter_choices(filters, today, legislatures), filters)
    return render_template("legislature/_directory_filters.html", filters=filters, menus=menus)


def _filters():
    """The request's filters; a partner may filter by owner only for its own organisation (or "none")."""
    filters = queries.DirectoryFilters.from_args(request.args)
    only = own_organisation_only(current_user)
    if only is not None and filters.owner not in ("", "none", f"p{only}"):
        filters = replace(filters, owner="")
    return filters


def _directory_menus(options: dict, filters) -> dict:
    """(value, label) pairs for each filter menu; the legislature or chamber is named when no chamber is picked."""
    kinds = GROUP_KIND.translated()
    only = own_organisation_only(current_user)
    wide = not filters.chamber
    return {
        "chamber": [(id_, f"{name} · {legislature}") for id_, name, legislature, _lid in options["chambers"]],
        "group": [
            (id_, f"{name} ({kinds.get(kind, kind)}{f' · {legislature}' if wide else ''})")
            for id_, name, kind, legislature in options["groups"]
        ],
        "committee": [(id_, f"{name} · {chamber}" if wide else name) for id_, name, chamber in options["committees"]],
        "district": [(d, d) for d in options["districts"]],
        "owner": [(f"u{id_}", name) for id_, name in options["users"] if only is None]
        + [(f"p{id_}", name) for id_, name in options["partners"] if only is None or id_ == only],
    }


EXPORT_HEADER = ("id", "nombre", "apellidos_nombres", "cámara", "distrito", "bancada", "partido", "correo", "teléfono",
                 "oficina", "responsable", "enlaces")


@bp.route("/legislators/export.csv")
@login_required
def export():
    _asked, filters, today, legislatures = _request_filters()
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    for leg, chamber, bancada, party, owner_user, owner_partner in queries.directory_rows(filters, today, legislatures):
        owner = (owner_user or owner_partner) if can_see_relationship_owner(current_user, leg.owner_partner_id) else None
        row = (leg.id, leg.full_name, leg.sort_name, chamber, leg.district, bancada, party, leg.email, leg.phone,
               leg.office, owner, " ".join(leg.links or []))
        writer.writerow([neutralise_cell(value) if value is not None else "" for value in row])
    return Response(
        "\ufeff" + buffer.getvalue(), mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=legisladores.csv"},
    )
