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


def own_organisation_only(user) -> int | None:
    """None for staff (no restriction); for a partner account, the one organisation whose people and work it
    may see row by row (0, which matches nothing, when the account has none). Everything else: aggregates only."""
    if user and user.is_authenticated and user.is_staff:
        return None
    return (user.partner_organisation_id or 0) if is_partner(user) else 0


def can_see_relationship_owner(user, owner_partner_id: int | None) -> bool:
    """Who owns the relationship with a legislator: staff see every owner; a partner only its own organisation."""
    only = own_organisation_only(user)
    return only is None or bool(only and owner_partner_id == only)


def can_see_media_mentions(user) -> bool:
    """Media monitoring (/media and mentions in timelines) is the team's work: staff only."""
    return can_see_internal_notes(user)


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
