"""The README's migration rule: a release's migration only adds, so it can run while the old code serves.

Dropping or renaming (a table or a column), or making a column NOT NULL or changing its type, may only
happen in a later migration that says which earlier revision's additive half it completes:
`DESTRUCTIVE_HALF_OF = "<revision>"`.
"""

import ast
from pathlib import Path

MIGRATIONS = Path(__file__).resolve().parents[2] / "migrations" / "versions"
DROPS = {"drop_table", "drop_column", "rename_table"}


def _destructive_calls(function: ast.FunctionDef) -> list[str]:
    found = []
    for node in ast.walk(function):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        name = node.func.attr
        keywords = {k.arg: k.value for k in node.keywords}
        if name in DROPS:
            found.append(name)
        elif name == "alter_column" and (
            "new_column_name" in keywords
            or "type_" in keywords
            or (isinstance(keywords.get("nullable"), ast.Constant) and keywords["nullable"].value is False)
        ):
            found.append(f"alter_column({', '.join(sorted(k for k in keywords if k))})")
    return found


def _module_constant(tree: ast.Module, name: str):
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name for t in node.targets):
            return ast.literal_eval(node.value)
    return None


def rule_breaks(sources: dict[str, str]) -> list[str]:
    """Every destructive step in an upgrade() that does not name the earlier additive revision it completes."""
    trees = {name: ast.parse(text) for name, text in sources.items()}
    revisions = {_module_constant(tree, "revision") for tree in trees.values()}
    problems = []
    for name, tree in trees.items():
        upgrade = next((n for n in tree.body if isinstance(n, ast.FunctionDef) and n.name == "upgrade"), None)
        calls = _destructive_calls(upgrade) if upgrade else []
        completes = _module_constant(tree, "DESTRUCTIVE_HALF_OF")
        if calls and (completes is None or completes not in revisions or completes == _module_constant(tree, "revision")):
            problems.append(f"{name}: {', '.join(calls)}")
    return problems


def test_every_migration_only_adds_unless_it_completes_an_earlier_release():
    sources = {path.name: path.read_text() for path in sorted(MIGRATIONS.glob("*.py"))}
    assert sources, "no migrations found"
    assert rule_breaks(sources) == []


def test_the_check_catches_a_drop_in_the_same_release_and_allows_a_marked_later_one():
    first = 'revision = "0001"\ndown_revision = None\ndef upgrade():\n    op.add_column("t", sa.Column("new", sa.Text()))\n'
    same_release = (
        'revision = "0002"\ndown_revision = "0001"\ndef upgrade():\n'
        '    op.drop_column("t", "old")\n    op.alter_column("t", "new", nullable=False)\n'
    )
    assert rule_breaks({"0001.py": first, "0002.py": same_release}) == [
        "0002.py: drop_column, alter_column(nullable)"
    ]
    later = 'DESTRUCTIVE_HALF_OF = "0001"\n' + same_release
    assert rule_breaks({"0001.py": first, "0002.py": later}) == []
    renamed = 'revision = "0003"\ndown_revision = "0002"\ndef upgrade():\n    op.alter_column("t", "a", new_column_name="b")\n'
    assert rule_breaks({"0001.py": first, "0003.py": renamed}) == ["0003.py: alter_column(new_column_name)"]
