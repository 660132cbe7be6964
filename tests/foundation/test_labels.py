"""Every enum value and every audit action has words in Spanish and in English, from one label source."""

import ast
import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from crm.campaigns.labels import COMMITMENT, STANCE
from crm.campaigns.models import COMMITMENTS, STANCE_LEVELS
from crm.core.audit import action_labels
from crm.legislature.labels import COMMITTEE_ROLE, GENDER
from crm.legislature.models import COMMITTEE_ROLES, GENDERS
from crm.outreach.labels import INTERACTION_KIND, TASK_PRIORITY, TASK_STATUS
from crm.outreach.models import INTERACTION_KINDS, TASK_PRIORITIES, TASK_STATUSES

ROOT = Path(__file__).resolve().parents[2]
ENUMS = {
    "stance level": (STANCE_LEVELS, STANCE),
    "commitment": (COMMITMENTS, COMMITMENT),
    "interaction kind": (INTERACTION_KINDS, INTERACTION_KIND),
    "task status": (TASK_STATUSES, TASK_STATUS),
    "task priority": (TASK_PRIORITIES, TASK_PRIORITY),
    "committee role": (COMMITTEE_ROLES, COMMITTEE_ROLE),
    "gender": (GENDERS, GENDER),
}
# Actions built with an f-string, and every action they can produce.
FORMATTED_ACTIONS = {
    "user.{purpose}_sent": {"user.invite_sent", "user.reset_sent"},
    "auth.{purpose}_link_invalid": {"auth.invite_link_invalid", "auth.reset_link_invalid"},
}
ACTION = re.compile(r"^[a-z_]+\.[a-z_]+$")
# English words that are spelled the same in Spanish, on purpose.
SAME_IN_BOTH = {"Normal"}


def _catalogue(language: str) -> dict[str, str]:
    with open(ROOT / f"translations/{language}/LC_MESSAGES/messages.po", "rb") as po:
        return {m.id: m.string for m in read_po(po) if m.id and isinstance(m.id, str)}


def _audited_actions() -> set[str]:
    """Every action string crm/ hands to the audit trail.

    The first argument of record() and record_after_rollback(); the string arguments of helpers whose name
    says "audit" (they pass their action on); and, in a function that records a computed action, the action
    strings it computes from.
    """
    found = set()
    for path in (ROOT / "crm").rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for function in [tree, *(n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef))]:
            for call in (n for n in ast.walk(function) if isinstance(n, ast.Call)):
                name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
                args = [*call.args, *(k.value for k in call.keywords)]
                if name in ("record", "record_after_rollback") and call.args:
                    first = call.args[0]
                    if isinstance(first, ast.Constant):
                        found.add(first.value)
                    elif isinstance(first, ast.JoinedStr):
                        found |= FORMATTED_ACTIONS[ast.unparse(first)[2:-1]]
                    elif function is not tree:
                        found |= {c.value for c in ast.walk(function) if isinstance(c, ast.Constant)
                                  and isinstance(c.value, str) and ACTION.match(c.value)}
                elif "audit" in name:
                    found |= {a.value for a in args if isinstance(a, ast.Constant) and isinstance(a.value, str)
                              and ACTION.match(a.value)}
    return found


def test_the_action_finder_sees_computed_and_helper_actions():
    actions = _audited_actions()
    assert {"task.complete", "task.cancel", "partner.update", "stage.update", "user.invite_sent",
            "permission.denied", "security.csrf_failed", "stance.assess"} <= actions
    assert len(actions) > 60


@pytest.mark.parametrize("name", sorted(ENUMS))
def test_every_enum_value_has_one_label_in_both_languages(app, name):
    values, labels = ENUMS[name]
    assert labels.values == tuple(values), f"{name}: labels in another order or for other values"
    _assert_translated({value: labels.label(value) for value in values}, name)


def test_every_audited_action_has_a_label_in_both_languages(app):
    labels = action_labels()
    missing = sorted(_audited_actions() - set(labels))
    assert not missing, f"audit actions without a label: {missing}"
    _assert_translated(labels, "audit action")


def _assert_translated(labels: dict, what: str) -> None:
    spanish, english = _catalogue("es_PE"), _catalogue("en")
    for value, label in labels.items():
        msgid = label._args[0]  # a LazyString keeps its msgid
        assert msgid in spanish, f"{what} {value!r}: {msgid!r} missing from the Spanish catalogue"
        assert english.get(msgid), f"{what} {value!r}: {msgid!r} has no English translation"
        assert english[msgid] != msgid or msgid in SAME_IN_BOTH, f"{what} {value!r}: English left in Spanish"


def test_spanish_stance_labels_describe_the_position_not_the_person(app):
    """No label of a position may agree with the legislator's gender (Impulsor/Impulsora, Indeciso/Indecisa)."""
    words = {word for value in STANCE_LEVELS for word in str(STANCE.label(value)).lower().split()}
    # Feminine agent nouns and the participles or adjectives that change with gender: -ora, -ado/-ada, -ido/-ida, -iso/-isa.
    gendered = {w for w in words if re.search(r"(ora|[aeií]d[oa]|is[oa])s?$", w)} | (words & {"impulsor", "opositor"})
    assert not gendered, gendered
