"""Roles and the checks that guard pages and objects."""

from enum import StrEnum
from functools import wraps

from flask import abort, has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from crm.core.audit import record_after_rollback


class Role(StrEnum):
    ADMIN = "admin"
    DIRECTOR = "director"
    OFFICER = "officer"
    VIEWER = "viewer"


STAFF_ROLES = {Role.ADMIN, Role.DIRECTOR, Role.OFFICER}
MANAGER_ROLES = {Role.ADMIN, Role.DIRECTOR}

# In the order the invite form offers them.
ROLE_LABELS = {
    Role.OFFICER.value: _l("Oficial de incidencia"),
    Role.DIRECTOR.value: _l("Dirección"),
    Role.VIEWER.value: _l("Aliada (solo lectura)"),
    Role.ADMIN.value: _l("Administración"),
}


def deny(reason: str = "forbidden", obj=None):
    """Refuse with 403 and keep an audit row of the attempt."""
    record_after_rollback(
        "permission.denied",
        object_type=type(obj).__name__ if obj is not None else None,
        object_id=getattr(obj, "id", None),
        new={"path": request.path[:200], "reason": reason} if has_request_context() else {"reason": reason},
    )
    abort(403)


def has_role(user, *roles) -> bool:
    return bool(user and user.is_authenticated and user.role in roles)


def require(condition: bool, reason: str = "forbidden", obj=None):
    if not condition:
        deny(reason, obj)


def roles_required(*roles):
    """Page-level guard; object-level checks still belong in each view."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            require(current_user.role in roles, f"role {current_user.role} not in {sorted(roles)}")
            return view(*args, **kwargs)

        return wrapped

    return decorator


def staff_required(view):
    return roles_required(*STAFF_ROLES)(view)


def manager_required(view):
    return roles_required(*MANAGER_ROLES)(view)


def admin_required(view):
    return roles_required(Role.ADMIN)(view)
