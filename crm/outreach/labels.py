"""The words for interaction kinds, task statuses and priorities, and the outreach actions in the audit trail.

Spanish labels follow the rule in crm.core.labels: kinds are nouns, and a task's status and priority agree
with their own noun ("tarea", "prioridad"), never with a person.
"""

from flask_babel import lazy_gettext as _l

from crm.core import audit
from crm.core.labels import EnumLabels
from crm.outreach import bp
from crm.outreach.models import INTERACTION_KINDS, TASK_PRIORITIES, TASK_STATUSES

INTERACTION_KIND = EnumLabels(
    INTERACTION_KINDS,
    {
        "meeting": _l("Reunión"),
        "call": _l("Llamada"),
        "email": _l("Correo"),
        "event": _l("Evento"),
        "hearing": _l("Audiencia"),
        "other": _l("Otro"),
    },
)
TASK_STATUS = EnumLabels(
    TASK_STATUSES, {"open": _l("Pendiente"), "done": _l("Hecha"), "cancelled": _l("Cancelada")}
)
TASK_PRIORITY = EnumLabels(TASK_PRIORITIES, {"low": _l("Baja"), "normal": _l("Normal"), "high": _l("Alta")})

audit.register_action_labels({
    "interaction.create": _l("Registro de interacción"),
    "interaction.update": _l("Edición de interacción"),
    "interaction.delete": _l("Eliminación de interacción"),
    "interaction.restore": _l("Recuperación de interacción"),
    "task.create": _l("Creación de tarea"),
    "task.update": _l("Edición de tarea"),
    "task.complete": _l("Tarea completada"),
    "task.reopen": _l("Tarea reabierta"),
    "task.cancel": _l("Tarea cancelada"),
})

INTERACTION_KIND.filter_for(bp, "interaction_kind_label")
TASK_STATUS.filter_for(bp, "task_status_label")
TASK_PRIORITY.filter_for(bp, "task_priority_label")

audit.register_object_kinds({
    "Interaction": (_l("interacción"), "outreach.interaction_detail", "interaction_id"),
    "Task": (_l("tarea"), "outreach.edit_task", "task_id"),
})
