"""What each user may see. Partner (viewer) accounts see only what their organisation is granted."""


def is_partner(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "viewer")


def can_see_internal_notes(user) -> bool:
    return bool(user and user.is_authenticated and user.is_staff)


def can_write(user) -> bool:
    """Partners are read-only everywhere."""
    return bool(user and user.is_authenticated and user.is_staff)


def can_see_partner(user, partner_id: int) -> bool:
    """Staff see every partner organisation; a partner account sees only its own."""
    if user and user.is_authenticated and user.is_staff:
        return True
    return bool(is_partner(user) and user.partner_organisation_id and user.partner_organisation_id == partner_id)


def can_see_partner_notes(user) -> bool:
    """The team's notes about partner organisations are internal, even for the organisation itself."""
    return can_see_internal_notes(user)


def can_see_batch_notes(user) -> bool:
    return can_see_internal_notes(user)


def visible_notes(user, notes: str | None, internal: bool) -> str | None:
    """The notes text this user may read: internal notes are withheld from partner accounts."""
    if internal and not can_see_internal_notes(user):
        return None
    return notes
