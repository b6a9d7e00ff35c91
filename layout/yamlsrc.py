"""Safe YAML loading that remembers where every value was written.

load_yaml(path) parses with PyYAML's SafeLoader machinery (compose only, so
no tag can construct an object) into a light tree of Map / Seq / Scalar
nodes, each with a Source (file, 1-based line and column). The expect_*
helpers read that tree for the issue and style loaders and raise InputError
at the offending node, so every message points at the line to fix.
"""
from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

import yaml

from .errors import InputError, Source

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
# PyYAML resolves a bare '<<' or '=' to these; as values they are just text
_TEXT_TAGS = {_STD + "merge", _STD + "value"}


@dataclass(eq=False)
class Node:
    source: Source


@dataclass(eq=False)
class Scalar(Node):
    value: object        # str, int, float, bool, None, date or datetime, as YAML reads it
    text: str            # the scalar as written (quotes and block indentation removed)


@dataclass(eq=False)
class Seq(Node):
    items: list[Node]


@dataclass(eq=False)
class Map(Node):
    items: dict[str, Node]        # key -> value, in file order
    keys: dict[str, Scalar]       # key -> the key's own node, for its position


# ---------------------------------------------------------------- loading

def load_yaml(path: Path) -> Node:
    """Parse one YAML document into a Node tree, or raise InputError."""
    name = str(path)
    text = _read_text(path)
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "cannot parse"
        if problem.startswith("but ") and e.context:   # "but found another document" needs it
            problem = f"{e.context}, {problem}"
        raise InputError(f"invalid YAML: {problem}", _mark_source(name, mark)) from None
    except yaml.reader.ReaderError as e:
        # raised for control characters; it gives a character offset, not a mark
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        code = e.character if isinstance(e.character, int) else ord(e.character)
        raise InputError(f"invalid YAML: {e.reason} (character {code:#x})",
                         Source(name, line, col)) from None
    if root is None:
        raise InputError("the file is empty", Source(name, 1, 1))
    return _Builder(name).build(root)


def _read_text(path: Path) -> str:
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    try:
        return data.decode("utf-8-sig")       # tolerate a BOM from Windows editors
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError("not UTF-8 text; save the file as UTF-8",
                         Source(str(path), line, col)) from None


def _mark_source(name: str, mark) -> Source:
    if mark is None:
        return Source(name, 1, 1)
    return Source(name, mark.line + 1, mark.column + 1)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


class _Builder:
    """Turns composed yaml nodes into our tree, checking tags and keys."""

    def __init__(self, name: str):
        self.name = name
        self.constructor = yaml.SafeLoader("")   # only its scalar constructors are used
        self.open: set[int] = set()              # nodes being built, to catch recursive aliases

    def build(self, node: yaml.Node) -> Node:
        src = _mark_source(self.name, node.start_mark)
        if id(node) in self.open:
            raise InputError("a YAML alias refers to the collection that contains it", src)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, src)
        self.open.add(id(node))
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _STD + "seq":
                return Seq(src, [self.build(item) for item in node.value])
            if isinstance(node, yaml.MappingNode) and node.tag == _STD + "map":
                return self._map(node, src)
            raise InputError(f"unsupported YAML tag '{_tag_name(node.tag)}'", src)
        finally:
            self.open.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, src: Source) -> Scalar:
        if node.tag in _TEXT_TAGS:
            return Scalar(src, node.value, node.value)
        if node.tag not in _SCALAR_TAGS:
            raise InputError(f"unsupported YAML tag '{_tag_name(node.tag)}'", src)
        construct = self.constructor.yaml_constructors[node.tag]
        try:
            value = construct(self.constructor, node)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2025-02-30: keep the text, so the loader can say what is wrong with it
            value = node.value
        return Scalar(src, value, node.value)

    def _map(self, node: yaml.MappingNode, src: Source) -> Map:
        items: dict[str, Node] = {}
        keys: dict[str, Scalar] = {}
        for knode, vnode in node.value:
            ksrc = _mark_source(self.name, knode.start_mark)
            if knode.tag == _STD + "merge":
                raise InputError("merge keys ('<<') are not supported; write the keys out", ksrc)
            key = self.build(knode)
            if not isinstance(key, Scalar):
                raise InputError("a mapping key must be plain text", ksrc)
            if key.text in items:
                first = keys[key.text].source.line
                raise InputError(f"duplicate key '{key.text}' (first given on line {first})", ksrc)
            keys[key.text] = key
            items[key.text] = self.build(vnode)
        return Map(src, items, keys)


# ---------------------------------------------------------------- reading

def describe(node: Node) -> str:
    """What the user wrote, for 'expected X, got Y' messages."""
    if isinstance(node, Map):
        return "a mapping"
    if isinstance(node, Seq):
        return "a list"
    if node.value is None:
        return "nothing"
    text = node.text if len(node.text) <= 40 else node.text[:40] + "…"
    return f"'{text}'"


def fail(node: Node, expected: str, what: str) -> InputError:
    return InputError(f"expected {expected} for {what}, got {describe(node)}", node.source)


def fields(node: Node, what: str, allowed: Iterable[str],
           required: Iterable[str] = ()) -> dict[str, Node]:
    """The values of a mapping that may only use `allowed` keys.

    Unknown keys are reported before missing ones: a misspelt key is both,
    and its own position is the more useful one.
    """
    mapping = expect_map(node, what)
    allowed = tuple(allowed)
    for key, knode in mapping.keys.items():
        if key not in allowed:
            raise InputError(f"unknown key '{key}' in {what}; "
                             f"expected one of: {', '.join(allowed)}", knode.source)
    for key in required:
        if key not in mapping.items:
            raise InputError(f"missing required key '{key}' in {what}", mapping.source)
    return mapping.items


def expect_map(node: Node, what: str) -> Map:
    if not isinstance(node, Map):
        raise fail(node, "a mapping", what)
    return node


def expect_list(node: Node, what: str, nonempty: bool = False) -> list[Node]:
    if not isinstance(node, Seq):
        raise fail(node, "a list", what)
    if nonempty and not node.items:
        raise InputError(f"{what} is empty; give at least one entry", node.source)
    return node.items


def is_null(node: Node | None) -> bool:
    return node is None or (isinstance(node, Scalar) and node.value is None)


def expect_str(node: Node, what: str) -> str:
    """Any non-null scalar, as written: `phone: 67183172` is text, not a number."""
    if not isinstance(node, Scalar) or node.value is None:
        raise fail(node, "a string", what)
    return node.text


def optional_str(node: Node | None, what: str) -> str | None:
    """A stripped string, or None when the key is absent, null or blank."""
    if is_null(node):
        return None
    return expect_str(node, what).strip() or None


def expect_int(node: Node, what: str, minimum: int | None = None) -> int:
    expected = {None: "a whole number", 0: "a whole number, 0 or more",
                1: "a positive whole number"}.get(minimum, f"a whole number, {minimum} or more")
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(node, expected, what)
    if minimum is not None and value < minimum:
        raise fail(node, expected, what)
    return value


def expect_number(node: Node, what: str, low: float | None = None,
                  high: float | None = None, positive: bool = False) -> float:
    if positive:
        expected = "a positive number"
    elif high is not None:
        expected = f"a number from {low:g} to {high:g}"
    elif low is not None:
        expected = f"a number, {low:g} or more"
    else:
        expected = "a number"
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value):
        raise fail(node, expected, what)
    if (positive and value <= 0) or (low is not None and value < low) \
            or (high is not None and value > high):
        raise fail(node, expected, what)
    return float(value)
