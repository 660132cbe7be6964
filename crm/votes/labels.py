"""The words for vote options, forecast outcomes, bill statuses and results, and the votes audit actions."""

from flask_babel import lazy_gettext as _l

from crm.core import audit
from crm.core.labels import EnumLabels
from crm.votes import bp
from crm.votes.models import BILL_STATUSES, OUTCOMES, POSITIONS, RESULTS, VOTE_OPTIONS

OPTION = EnumLabels(VOTE_OPTIONS, {
    "yes": _l("A favor"), "no": _l("En contra"), "abstain": _l("Abstención"), "absent": _l("Ausente"),
    "on_leave": _l("Licencia"), "not_voting": _l("Sin votar"), "paired": _l("Pareo"),
})
OUTCOME = EnumLabels(OUTCOMES, {
    "yes": _l("A favor"), "no": _l("En contra"), "abstain": _l("Abstención"), "absent": _l("No votó"),
})
POSITION = EnumLabels(POSITIONS, {"yes": _l("A favor"), "no": _l("En contra")})
RESULT = EnumLabels(RESULTS, {"pass": _l("Aprobado"), "fail": _l("Rechazado")})
BILL_STATUS = EnumLabels(BILL_STATUSES, {
    "presented": _l("Presentado"), "referred": _l("Decretado a comisión"), "report": _l("Dictamen"),
    "agenda": _l("En agenda del Pleno"), "approved": _l("Aprobado"), "rejected": _l("Rechazado"),
    "archived": _l("Archivado"), "sent_to_executive": _l("Enviado al Ejecutivo"), "enacted": _l("Publicado como ley"),
})

audit.register_action_labels({
    "bill.create": _l("Registro de proyecto de ley"),
    "bill.step": _l("Nuevo estado de proyecto de ley"),
    "bill.follow": _l("Campaña sigue un proyecto de ley"),
    "stage.bill_step": _l("Etapa vinculada a un paso del proyecto"),
    "vote_event.record": _l("Registro de votación"),
    "vote_event.import": _l("Importación de votaciones"),
    "vote_event.evidence": _l("Votos convertidos en posturas"),
    "scorecard.create": _l("Creación de ficha de votaciones"),
})

OPTION.filter_for(bp, "vote_option_label")
OUTCOME.filter_for(bp, "vote_outcome_label")
POSITION.filter_for(bp, "vote_position_label")
RESULT.filter_for(bp, "vote_result_label")
BILL_STATUS.filter_for(bp, "bill_status_label")

audit.register_object_kinds({
    "Bill": (_l("proyecto de ley"), "votes.bill", "bill_id"),
    "VoteEvent": (_l("votación"), "votes.event", "event_id"),
    "Scorecard": (_l("calificación"), "votes.scorecard", "scorecard_id"),
    "BillStep": (_l("paso de un proyecto de ley"), None, None),
    "CampaignBill": (_l("proyecto seguido por una campaña"), None, None),
})
