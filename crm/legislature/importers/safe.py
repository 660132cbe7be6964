"""Readers for files nobody on the team wrote: JSON, YAML and CSV parsed with bounds, failing with one clear line.

- JSON and YAML may nest at most MAX_DEPTH levels (a real roster needs about 6), checked before parsing, so
  a file of a million "[" ends with a message instead of a RecursionError.
- Whole numbers may have at most MAX_DIGITS digits and decimals must be finite, so "seats": 10^30 or a
  100,000-digit number never reaches the database (or Python's own integer limits).
- YAML aliases are refused: a roster never needs them, and nested aliases ("billion laughs") turn a few
  hundred bytes into gigabytes.
- A CSV field longer than the csv module's limit (128 KB) is named by its line instead of crashing.
"""

import csv
import io
import json
import re

import yaml
from flask_babel import gettext as _

from crm.legislature.importers.records import ImportFailed

MAX_DEPTH = 64
MAX_DIGITS = 15
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_STRING = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"', re.S)
_BRACKET = re.compile(r"[\[\]{}]")
_INTEGER = re.compile(r"[-+]?[0-9_]+")


def _snippet(text: str, pos: int) -> str:
    return " ".join(text[max(0, pos - 20):pos + 20].split())[:60]


def _line(text: str, pos: int) -> int:
    return text.count("\n", 0, pos) + 1


def _check_depth(text: str, label: str) -> None:
    # Strings may hold brackets but never raw newlines, so removing them keeps the line numbers.
    bare = _STRING.sub('""', text)
    depth = 0
    for match in _BRACKET.finditer(bare):
        if match.group() in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                raise ImportFailed(_(
                    "%(label)s: en la línea %(line)s el JSON anida más de %(max)s niveles; un padrón no los necesita.",
                    label=label, line=_line(bare, match.start()), max=MAX_DEPTH))
        else:
            depth -= 1


def _too_big(label: str, value: str) -> ImportFailed:
    shown = value if len(value) <= 40 else f"{value[:20]}…({len(value)})"
    return ImportFailed(_("%(label)s: el número «%(value)s» es demasiado grande (como máximo %(max)s cifras).",
                          label=label, value=shown, max=MAX_DIGITS))


def load_json(text: str, label: str):
    """Parse JSON with bounded nesting and numbers; errors name the line, column and nearby text."""

    def parse_int(value: str) -> int:
        if len(value.lstrip("-")) > MAX_DIGITS:
            raise _too_big(label, value)
        return int(value)

    def parse_float(value: str) -> float:
        number = float(value) if len(value) <= 40 else float("inf")
        if number in (float("inf"), float("-inf")):
            raise _too_big(label, value)
        return number

    def parse_constant(value: str):
        raise ImportFailed(_("%(label)s: «%(value)s» no es un número JSON válido.", label=label, value=value))

    _check_depth(text, label)
    try:
        return json.loads(text, parse_int=parse_int, parse_float=parse_float, parse_constant=parse_constant)
    except json.JSONDecodeError as error:
        raise ImportFailed(_(
            "%(label)s: el archivo no es JSON válido (línea %(line)s, columna %(col)s, cerca de «%(near)s»).",
            label=label, line=error.lineno, col=error.colno, near=_snippet(text, error.pos))) from None
    except RecursionError:  # pragma: no cover - _check_depth stops this first
        raise ImportFailed(_("%(label)s: el JSON anida demasiados niveles.", label=label)) from None


_STR = "tag:yaml.org,2002:str"
_MAP_TAGS = (None, "!", "tag:yaml.org,2002:map")
_SEQ_TAGS = (None, "!", "tag:yaml.org,2002:seq")
# Scalar types the safe loader makes, built here straight from the parser's events (see _build).
_SCALAR_TYPES = ("int", "float", "bool", "null", "timestamp")


class _OpenMapping:
    """A mapping being built, with the key read but not yet given a value."""

    __slots__ = ("items", "key")

    def __init__(self):
        self.items, self.key = {}, _NO_KEY


_NO_KEY = object()


class _NeedsFullLoader(Exception):
    """A document using YAML features a roster never needs (explicit tags, merge keys, several documents):
    the safe loader builds it instead, with the same checks already passed."""


def _checked_events(text: str, label: str):
    """The parser's events, refusing aliases, deep nesting and huge numbers as they stream past."""
    depth = 0
    for event in yaml.parse(text, Loader=_LOADER):
        if isinstance(event, yaml.AliasEvent):
            raise ImportFailed(_(
                "%(label)s: línea %(line)s: los alias de YAML («*%(alias)s») no se admiten en un padrón.",
                label=label, line=event.start_mark.line + 1 if event.start_mark else "?", alias=event.anchor))
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                raise ImportFailed(_("%(label)s: en la línea %(line)s el YAML anida más de %(max)s niveles.",
                                     label=label, line=event.start_mark.line + 1 if event.start_mark else "?",
                                     max=MAX_DEPTH))
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
        elif (isinstance(event, yaml.ScalarEvent) and event.implicit[0] and event.style is None
              and len(event.value) > MAX_DIGITS and _INTEGER.fullmatch(event.value)):
            raise _too_big(label, event.value)
        yield event


def _scalar_builder():
    """event -> value, as the safe loader would construct it; tags are resolved once per distinct text."""
    loader = _LOADER("")
    makers = {f"tag:yaml.org,2002:{name}": getattr(loader, f"construct_yaml_{name}") for name in _SCALAR_TYPES}
    resolved: dict = {}

    def build(event):
        tag = event.tag
        if tag is None or tag == "!":
            key = (event.value, event.implicit)
            tag = resolved.get(key)
            if tag is None:
                tag = resolved[key] = loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == _STR:
            return event.value
        if tag not in makers:
            raise _NeedsFullLoader
        return makers[tag](yaml.ScalarNode(tag, event.value))

    return build


def _build(events):
    """Python objects from the event stream in one pass, without composing a node graph first.

    PyYAML's loader builds every node, resolves and constructs it in Python: about 2.5 s for the US
    legislators file, most of an import's dry run. This makes the same dicts, lists and scalars in a tenth.
    """
    scalar = _scalar_builder()
    stack: list = []  # open containers: lists and _OpenMapping
    root, documents = None, 0

    def add(value):
        nonlocal root
        if not stack:
            root = value
            return
        top = stack[-1]
        if type(top) is list:
            top.append(value)
        elif top.key is _NO_KEY:
            if isinstance(value, (dict, list)):
                raise _NeedsFullLoader  # a mapping or list as a key
            top.key = value
        else:
            top.items[top.key] = value
            top.key = _NO_KEY

    for event in events:
        kind = type(event)
        if kind is yaml.ScalarEvent:
            add(scalar(event))
        elif kind is yaml.MappingStartEvent:
            if event.tag not in _MAP_TAGS:
                raise _NeedsFullLoader
            stack.append(_OpenMapping())
        elif kind is yaml.SequenceStartEvent:
            if event.tag not in _SEQ_TAGS:
                raise _NeedsFullLoader
            stack.append([])
        elif kind in (yaml.MappingEndEvent, yaml.SequenceEndEvent):
            done = stack.pop()
            add(done if type(done) is list else done.items)
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _NeedsFullLoader  # the loader's own message: one document expected
    return root


def load_yaml(text: str, label: str):
    """Parse YAML as the safe loader does, refusing aliases, deep nesting and huge numbers first."""
    try:
        events = list(_checked_events(text, label))
        try:
            return _build(events)
        except _NeedsFullLoader:
            return yaml.load(text, Loader=_LOADER)  # noqa: S506 - the safe loader
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else ("?", "?")
        near = _snippet(text, mark.index) if mark is not None and mark.index is not None else ""
        raise ImportFailed(_(
            "%(label)s: el archivo no es YAML válido (línea %(line)s, columna %(col)s, cerca de «%(near)s»).",
            label=label, line=line, col=col, near=near)) from None
    except yaml.YAMLError:
        raise ImportFailed(_("%(label)s: el archivo no es YAML válido.", label=label)) from None


def csv_rows(text: str, label: str):
    """(line, row) pairs from a CSV text with a header; a broken or oversized field ends with its line named."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    try:
        fieldnames = reader.fieldnames
    except csv.Error as error:
        raise _csv_failed(label, 1, error) from None
    return reader, fieldnames, _iterate(reader, label)


def _iterate(reader, label):
    last = 1  # the header's line; a broken record starts on the line after the last good one
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            raise _csv_failed(label, last + 1, error) from None
        last = reader.line_num
        yield reader.line_num, row


def _csv_failed(label: str, line: int, error: csv.Error) -> ImportFailed:
    if "field larger than field limit" in str(error):
        return ImportFailed(_("%(label)s: línea %(line)s: un campo supera %(kb)s KB; un padrón no los necesita.",
                              label=label, line=line, kb=csv.field_size_limit() // 1024))
    if "NUL" in str(error):
        return ImportFailed(_("%(label)s: línea %(line)s: el archivo contiene bytes nulos; no es un CSV de texto.",
                              label=label, line=line))
    return ImportFailed(_("%(label)s: línea %(line)s: el CSV está mal formado (comillas sin cerrar o similar).",
                          label=label, line=line))
