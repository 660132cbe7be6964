from flask import Blueprint
from flask_babel import format_decimal, format_percent

bp = Blueprint("coalition", __name__)


@bp.app_template_filter("grouped")
def grouped(value) -> str:
    """A whole number with the locale's thousands separator: 70000 -> 70,000 (es_PE)."""
    return format_decimal(int(value or 0))


@bp.app_template_filter("share")
def share(value) -> str:
    return format_percent(value or 0, format="#,##0.#%")


@bp.app_template_global("pct_of")
def pct_of(part, whole) -> int:
    """Whole percent of `whole`, clamped to 0-100, for the .pct-N width classes."""
    if not whole or whole <= 0:
        return 0
    return max(0, min(100, int(100 * (part or 0) / whole)))

# The labels of this domain's audit actions, registered with crm.core.audit.
from crm.coalition import labels  # noqa: E402, F401
