"""The words and colours for stance levels and commitments, and the campaign actions in the audit trail.

Spanish labels follow the rule in crm.core.labels: a stance describes the position, never the person, so
it is a verb ("Apoya", "Se opone") or a "Sin …" phrase, and reads the same for every legislator.
"""

from flask_babel import lazy_gettext as _l

from crm.campaigns import bp
from crm.campaigns.models import COMMITMENTS, STANCE_LEVELS
from crm.core import audit
from crm.core.labels import EnumLabels

STANCE = EnumLabels(
    STANCE_LEVELS,
    {
        "champion": _l("Impulsa"),
        "supporter": _l("Apoya"),
        "leaning_yes": _l("Se inclina a favor"),
        "undecided": _l("Sin decidir"),
        "leaning_no": _l("Se inclina en contra"),
        "opposed": _l("Se opone"),
        "hard_opposed": _l("Se opone firmemente"),
        "unknown": _l("Sin evaluar"),
    },
    missing=_l("Sin postura registrada"),
)
COMMITMENT = EnumLabels(
    COMMITMENTS,
    {
        "public": _l("En público"),
        "written": _l("Por escrito"),
        "private": _l("En privado"),
        "inferred": _l("Por deducción"),
        "recorded_vote": _l("Por voto registrado"),
    },
)
# Colour-blind-friendly diverging palette, from yes (blue) to no (red); grey for unknown or no stance.
LEVEL_COLOURS = {
    "champion": "#08519c",
    "supporter": "#3182bd",
    "leaning_yes": "#9ecae1",
    "undecided": "#fdd49e",
    "leaning_no": "#fc9272",
    "opposed": "#de2d26",
    "hard_opposed": "#7f0000",
    "unknown": "#bdbdbd",
}

audit.register_action_labels({
    "campaign.create": _l("Creación de campaña"),
    "campaign.update": _l("Edición de campaña"),
    "campaign.delete": _l("Eliminación de campaña"),
    "campaign.partner_access": _l("Cambio del acceso de una organización aliada"),
    "stage.create": _l("Creación de etapa de votación"),
    "stage.update": _l("Edición de etapa de votación"),
    "stage.delete": _l("Eliminación de etapa de votación"),
    "stage.reorder": _l("Cambio del orden de las etapas"),
    "stance.assess": _l("Evaluación de postura"),
})

STANCE.filter_for(bp, "stance_label")
COMMITMENT.filter_for(bp, "commitment_label")


@bp.app_template_filter("stance_colour")
def stance_colour(level: str | None) -> str:
    return LEVEL_COLOURS.get(level or "unknown", LEVEL_COLOURS["unknown"])

audit.register_object_kinds({
    "Campaign": (_l("campaña"), "campaigns.detail", "campaign_id"),
    "VoteStage": (_l("etapa de votación"), None, None),
    "StanceAssessment": (_l("evaluación de postura"), None, None),
})
