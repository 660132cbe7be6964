"""The server's clock never decides a user's day: no naive today()/now() inside crm/.

"Today" is the user's local day (crm.core.time.local_today) and "now" an aware UTC instant (utcnow).
"""

import ast
from pathlib import Path

CRM = Path(__file__).resolve().parents[2] / "crm"


def naive_clock_calls(source: str) -> list[tuple[int, str]]:
    """(line, call) for date.today(), datetime.today(), datetime.utcnow() and datetime.now() without a zone."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        owner = node.func.value
        owner_name = owner.id if isinstance(owner, ast.Name) else getattr(owner, "attr", None)
        name = f"{owner_name}.{node.func.attr}"
        if name in ("date.today", "datetime.today", "datetime.utcnow"):
            found.append((node.lineno, name))
        elif name == "datetime.now" and not node.args and not node.keywords:
            found.append((node.lineno, name))
    return found


def test_no_naive_today_or_now_in_the_application():
    offenders = [
        f"{path.relative_to(CRM.parent)}:{line} {call}()"
        for path in sorted(CRM.rglob("*.py"))
        for line, call in naive_clock_calls(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "use crm.core.time.local_today(tz) or utcnow():\n" + "\n".join(offenders)


def test_the_check_sees_each_naive_form_and_allows_aware_ones():
    source = (
        "from datetime import UTC, date, datetime\n"
        "import datetime as dt\n"
        "a = date.today()\n"
        "b = datetime.now()\n"
        "c = datetime.utcnow()\n"
        "d = dt.date.today()\n"
        "e = datetime.now(UTC)\n"
        "f = datetime.now(tz=UTC)\n"
    )
    assert naive_clock_calls(source) == [(3, "date.today"), (4, "datetime.now"), (5, "datetime.utcnow"),
                                         (6, "date.today")]
