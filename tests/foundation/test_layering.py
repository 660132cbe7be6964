"""The package layering stays visible: an import of crm.* inside a function says why it is not at the top."""

import ast
from pathlib import Path

CRM = Path(__file__).resolve().parents[2] / "crm"


def _imports_crm(node) -> bool:
    if isinstance(node, ast.ImportFrom):
        return node.level == 0 and (node.module or "").split(".")[0] == "crm"
    if isinstance(node, ast.Import):
        return any(alias.name.split(".")[0] == "crm" for alias in node.names)
    return False


def _has_reason(lines: list[str], node, block_start: int) -> bool:
    """A comment on the import's own line, or on the line before the run of imports it belongs to."""
    if "#" in lines[node.lineno - 1]:
        return True
    before = lines[block_start - 2].strip() if block_start >= 2 else ""
    return before.startswith("#")


def unexplained_function_imports(source: str) -> list[int]:
    """Line numbers of crm.* imports inside functions with no reason comment."""
    tree = ast.parse(source)
    lines = source.splitlines()
    missing = []
    for function in ast.walk(tree):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for statements in _statement_lists(function):
            block_start = None
            for statement in statements:
                if isinstance(statement, (ast.Import, ast.ImportFrom)):
                    block_start = block_start or statement.lineno
                    if _imports_crm(statement) and not _has_reason(lines, statement, block_start):
                        missing.append(statement.lineno)
                else:
                    block_start = None
    return sorted(set(missing))


def _statement_lists(function):
    for node in ast.walk(function):
        for field in ("body", "orelse", "finalbody", "handlers"):
            value = getattr(node, field, None)
            if isinstance(value, list) and value and isinstance(value[0], ast.stmt):
                yield value


def test_imports_of_crm_inside_functions_say_why():
    offenders = []
    for path in sorted(CRM.rglob("*.py")):
        for line in unexplained_function_imports(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(CRM.parent)}:{line}")
    assert not offenders, "move these imports to the top, or add a one-line reason comment:\n" + "\n".join(offenders)


def test_the_check_finds_an_unexplained_import_and_accepts_a_reason():
    source = (
        "def f():\n"
        "    from crm.extensions import db\n"
        "\n"
        "def g():\n"
        "    # the scheduler module imports APScheduler\n"
        "    from crm.reminders.scheduler import run_scheduler\n"
        "    from crm.reminders import jobs\n"
        "\n"
        "def h():\n"
        "    import crm.models  # noqa: F401  # metadata for create_all\n"
        "    import json\n"
        "    from crm.core import time\n"
    )
    assert unexplained_function_imports(source) == [2, 12]
