"""The words for committee roles, group kinds and genders, and the legislature actions in the audit trail.

Spanish labels follow the rule in crm.core.labels: a committee role is the name of the office
("Presidencia", "Secretaría"), so it reads the same whoever holds it.
"""

from flask_babel import lazy_gettext as _l

from crm.core import audit
from crm.core.labels import EnumLabels
from crm.legislature import bp
from crm.legislature.models import COMMITTEE_ROLES, GENDERS, GROUP_KINDS

COMMITTEE_ROLE = EnumLabels(
    COMMITTEE_ROLES,
    {
        "chair": _l("Presidencia"),
        "vice_chair": _l("Vicepresidencia"),
        "secretary": _l("Secretaría"),
        "ranking_member": _l("Miembro principal de la minoría"),
        "member": _l("Miembro"),
    },
)
# Lower case: the kind follows a group's name in menus ("Fuerza Popular · partido").
GROUP_KIND = EnumLabels(GROUP_KINDS, {"party": _l("partido"), "bancada": _l("bancada")})
GENDER = EnumLabels(
    GENDERS,
    {"F": _l("Femenino"), "M": _l("Masculino"), "X": _l("Otro")},
    missing=_l("Sin indicar"),
)

audit.register_action_labels({
    "legislature.create": _l("Creación de legislatura"),
    "legislature.pin": _l("Cambio de las legislaturas fijadas"),
    "legislature.import": _l("Importación de legislatura"),
    "term.create": _l("Creación de periodo"),
    "chamber.create": _l("Creación de cámara"),
    "chamber.seats": _l("Cambio de escaños de una cámara"),
    "committee.create": _l("Creación de comisión"),
    "committee_membership.create": _l("Alta en una comisión"),
    "committee_membership.end": _l("Fin de membresía en una comisión"),
    "group_membership.create": _l("Alta en un grupo"),
    "group_membership.close": _l("Fin de membresía en un grupo"),
    "legislator.update": _l("Edición de legislador"),
    "legislator.owner": _l("Cambio de responsable de la relación"),
    "legislator.import_create": _l("Alta de legislador por importación"),
    "legislator.import_update": _l("Actualización de legislador por importación"),
    "legislator_import.check": _l("Revisión de un archivo de legisladores"),
    "legislator_import.apply": _l("Aplicación de un archivo de legisladores"),
    "legislator_import.fail": _l("Importación de legisladores fallida"),
    "aide.create": _l("Alta de asesor"),
    "aide.update": _l("Edición de asesor"),
    "aide.delete": _l("Eliminación de asesor"),
})

# Seat statuses as the sources write them (OpenPeru's `condicion`), in the reader's language; others stay as written.
SEAT_STATUS = {
    "en ejercicio": _l("En ejercicio"),
    "con licencia": _l("Con licencia"),
    "fallecido": _l("Fallecido/a"),
    "inactivo": _l("Inactivo/a"),
    "inhabilitada": _l("Inhabilitado/a"),
    "destituído": _l("Destituido/a"),
    "destituido": _l("Destituido/a"),
    "suspendido": _l("Suspendido/a"),
    "suspendido por sanción": _l("Suspendido/a por sanción"),
    "suspendido por acusación constitucional": _l("Suspendido/a por acusación constitucional"),
}


@bp.app_template_filter("seat_status_label")
def seat_status_label(status: str | None) -> str:
    return str(SEAT_STATUS.get((status or "").strip().lower(), status or ""))


COMMITTEE_ROLE.filter_for(bp, "committee_role_label")
GENDER.filter_for(bp, "gender_label")

audit.register_object_kinds({
    "Legislature": (_l("legislatura"), None, None),
    "Chamber": (_l("cámara"), None, None),
    "Committee": (_l("comisión"), None, None),
    "Group": (_l("grupo"), None, None),
    "Legislator": (_l("legislador/a"), "legislature.profile", "legislator_id"),
    "Aide": (_l("asesor/a"), None, None),
    "ImportJob": (_l("importación de legisladores"), "legislature.import_job", "job_id"),
})
