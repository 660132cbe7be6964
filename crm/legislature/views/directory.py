"""The legislator directory: search and filters, the filter menus, and the CSV export."""

import csv
import io
from dataclasses import replace

from flask import Response, render_template, request
from flask_babel import gettext as _
from flask_login import login_required

from crm.core.text import neutralise_cell
from crm.core.views import user_today
from crm.legislature import bp, queries, scope


# --- directory ---------------------------------------------------------------------------------------------------
@bp.route("/legislators")
@login_required
def directory():
    asked = queries.DirectoryFilters.from_args(request.args)
    today = user_today()
    legislatures = scope.legislature_options(today)
    filters = _with_default_status(asked, today, legislatures)
    page = queries.directory_page(filters, today, legislatures)
    # The menus cost six queries; most visits only search, so they come with the page only when in use.
    show_menus = asked.advanced or request.args.get("more") == "1"
    menus = _directory_menus(queries.filter_choices(filters, today), filters) if show_menus else None
    return render_template("legislature/directory.html", page=page, filters=filters, menus=menus,
                           legislatures=legislatures)


def _with_default_status(filters, today, legislatures=None):
    """Without ?status=, a list of past terms only (a historic roster, or history picked) shows everyone in them:
    "sitting today" would list nobody."""
    if "status" in request.args:
        return filters
    legislatures = scope.legislature_options(today) if legislatures is None else legislatures
    shown = scope.scope_ids(today, filters.legislature, legislatures)
    if any(o.in_session for o in legislatures if shown is None or o.id in shown):
        return filters
    return replace(filters, status="all")


@bp.route("/legislators/filters")
@login_required
def directory_filters():
    """The filter menus alone, fetched when "more filters" is opened."""
    today = user_today()
    filters = _with_default_status(queries.DirectoryFilters.from_args(request.args), today)
    menus = _directory_menus(queries.filter_choices(filters, today), filters)
    return render_template("legislature/_directory_filters.html", filters=filters, menus=menus)


def _directory_menus(options: dict, filters) -> dict:
    """(value, label) pairs for each filter menu; the legislature or chamber is named when no chamber is picked."""
    party, bancada = _("partido"), _("bancada")
    wide = not filters.chamber
    return {
        "chamber": [(id_, f"{name} · {legislature}") for id_, name, legislature, _lid in options["chambers"]],
        "group": [
            (id_, f"{name} ({party if kind == 'party' else bancada}{f' · {legislature}' if wide else ''})")
            for id_, name, kind, legislature in options["groups"]
        ],
        "committee": [(id_, f"{name} · {chamber}" if wide else name) for id_, name, chamber in options["committees"]],
        "district": [(d, d) for d in options["districts"]],
        "owner": [(f"u{id_}", name) for id_, name in options["users"]]
        + [(f"p{id_}", name) for id_, name in options["partners"]],
    }


EXPORT_HEADER = ("id", "nombre", "apellidos_nombres", "cámara", "distrito", "bancada", "partido", "correo", "teléfono",
                 "oficina", "responsable", "enlaces")


@bp.route("/legislators/export.csv")
@login_required
def export():
    filters = queries.DirectoryFilters.from_args(request.args)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(EXPORT_HEADER)
    today = user_today()
    filters = _with_default_status(filters, today)
    for leg, chamber, bancada, party, owner_user, owner_partner in queries.directory_rows(filters, today):
        row = (leg.id, leg.full_name, leg.sort_name, chamber, leg.district, bancada, party, leg.email, leg.phone,
               leg.office, owner_user or owner_partner, " ".join(leg.links or []))
        writer.writerow([neutralise_cell(value) if value is not None else "" for value in row])
    return Response(
        "\ufeff" + buffer.getvalue(), mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=legisladores.csv"},
    )
