"""The words for the coalition actions in the audit trail (see crm.core.audit.action_label)."""

from flask_babel import lazy_gettext as _l

from crm.core import audit

audit.register_action_labels({
    "partner.create": _l("Alta de organización aliada"),
    "partner.update": _l("Edición de organización aliada"),
    "drive.create": _l("Creación de recolección de firmas"),
    "drive.update": _l("Edición de recolección de firmas"),
    "batch.create": _l("Registro de lote de firmas"),
    "batch.import": _l("Importación de lotes de firmas"),
    "batch.update": _l("Edición de lote de firmas"),
    "batch.verify": _l("Verificación de lote de firmas"),
    "media_mention.create": _l("Registro de mención en medios"),
    "media_mention.update": _l("Edición de mención en medios"),
})

audit.register_object_kinds({
    "PartnerOrganisation": (_l("organización aliada"), "coalition.partner", "partner_id"),
    "PetitionDrive": (_l("recolección de firmas"), "coalition.drive", "drive_id"),
    "SignatureBatch": (_l("lote de firmas"), None, None),
    "MediaMention": (_l("mención en prensa"), None, None),
})
