"""Safe YAML loading that remembers where every value was written.

load_yaml(path) parses with PyYAML's SafeLoader machinery (compose only, so
no tag can construct an object) into a light tree of Map / Seq / Scalar
nodes, each with a Source (file, 1-based line and column). The expect_*
helpers read that tree for the issue and style loaders and raise InputError
at the offending node, so every message points at the line to fix.

Hostile or broken files fail fast and in bounded memory: only a regular file
of at most MAX_FILE_BYTES is read (a FIFO, a directory or a device is refused
before it is opened), nesting deeper than MAX_DEPTH is refused while parsing,
and a file that holds more than MAX_VALUES values, counting each alias as all
it stands for (a "billion laughs" alias bomb), is refused at the alias.
"""
from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

import yaml

from .errors import InputError, Source

_STD = "tag:yaml.org,2002:"
_SCALAR_TAGS = {_STD + t for t in ("str", "int", "float", "bool", "null", "timestamp")}
# PyYAML resolves a bare '<<' or '=' to these; as values they are just text
_TEXT_TAGS = {_STD + "merge", _STD + "value"}

# Limits on what one YAML file (an issue or a house style) may hold. A real
# issue is tens of kilobytes (the 4-page stress issue is 40 kB), nests 7 deep
# and holds a few thousand values; these are far above that, and low enough
# that any file is parsed or refused in a few seconds and well under 100 MB.
# The size bounds the time: PyYAML (pure Python) reads its slowest text, a
# plain scalar of short words, at about 0.6-1 MB/s, so 5 MB could take 9 s.
MAX_FILE_BYTES = 2 * 1024 * 1024    # 2 MB: checked with stat, before the file is opened
MAX_DEPTH = 50                      # mappings and lists inside one another
MAX_VALUES = 20_000                 # values in one file, each alias counted as what it repeats
# a number written with more characters than this is kept as text: PyYAML's
# base-60 integers (1:2:3:...) take quadratic time to read
_MAX_NUMBER_CHARS = 100


@dataclass(eq=False)
class Node:
    source: Source


@dataclass(eq=False)
class Scalar(Node):
    value: object        # str, int, float, bool, None, date or datetime, as YAML reads it
    text: str            # the scalar as written (quotes and block indentation removed)
    style: str | None = None   # '|' or '>' for a block scalar, a quote, None when plain
    indent: int = 0      # a block scalar's: the spaces before its lines in the file
    # the file's lines (shared by all its nodes) and the 0-based line the scalar ends on,
    # for char_source: where one character of its text was written
    lines: list[str] | None = field(default=None, repr=False)
    end_line: int = 0


@dataclass(eq=False)
class Seq(Node):
    items: list[Node]


@dataclass(eq=False)
class Map(Node):
    items: dict[str, Node]        # key -> value, in file order
    keys: dict[str, Scalar]       # key -> the key's own node, for its position


# ---------------------------------------------------------------- loading

# The last trees parsed, by file name and text: a build reads its style twice (the
# issue's loader asks it one setting first), `layout watch` the same style each save.
# The trees are never changed by their readers.
_PARSED: dict[tuple[str, str], "Node"] = {}
PARSED_KEPT = 4


def load_yaml(path: Path) -> Node:
    """Parse one YAML document into a Node tree, or raise InputError."""
    name = str(path)
    text = _read_text(path)
    hit = _PARSED.get((name, text))
    if hit is not None:
        return hit
    root = _parse(text, name)
    if len(_PARSED) >= PARSED_KEPT:
        del _PARSED[next(iter(_PARSED))]
    _PARSED[(name, text)] = root
    return root


# Line breaks to YAML that no editor shows as one: pasted from a web page or a Word
# document, they would end a line of a block where the file has none (and every line
# number after them would be off), so they are refused at their place before parsing
_PASTED_BREAKS = re.compile("[\u2028\u2029\x85]")
_PASTED_NAMES = {"\u2028": "a line separator character (U+2028",
                 "\u2029": "a paragraph separator character (U+2029",
                 "\x85": "a next-line character (U+0085"}
_FILE_LINE_BREAKS = re.compile("\r\n|\r|\n")


def _pasted_break(text: str, name: str) -> None:
    """Refuse a U+2028, U+2029 or U+0085 in the file, at its line and column."""
    m = _PASTED_BREAKS.search(text)
    if m is None:
        return
    at = m.start()
    breaks = list(_FILE_LINE_BREAKS.finditer(text, 0, at))
    line_start = breaks[-1].end() if breaks else 0
    fix = "replace it with a line break" + (" (or with '…', if it stood for one)"
                                            if m.group() == "\x85" else "")
    raise InputError(f"{_PASTED_NAMES[m.group()]}, from a pasted document): {fix}",
                     Source(name, len(breaks) + 1, at - line_start + 1))


def _parse(text: str, name: str) -> Node:
    _pasted_break(text, name)
    if _FastLoader is not None:
        try:
            root = _compose(_FastLoader(text, name))
        except yaml.YAMLError:
            pass        # parsed again below, for PyYAML's messages (the ones we document)
        else:
            if root is not None:
                return _built(name, text, root)
    loader = None
    try:
        loader = _Loader(text, name)     # its reader checks the characters here
        root = loader.get_single_node()
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        problem = e.problem or e.context or "cannot parse"
        if problem.startswith("but ") and e.context:   # "but found another document" needs it
            problem = f"{e.context}, {problem}"
        if "'\\t'" in problem:       # PyYAML's words for a tab where indentation goes
            problem += " (YAML indents with spaces: replace the tab with spaces)"
        slip = (_slip(text, mark.line) if mark is not None and problem.startswith(_KEY_PROBLEMS)
                else None)
        if slip is not None:        # the line staff must fix, in their words
            line, column, what = slip
            raise InputError(f"invalid YAML: {what}", Source(name, line + 1, column + 1)) from None
        problem = problem.replace("<block end>", "the end of a block").replace(
            "found '?'", "found another key")
        raise InputError(f"invalid YAML: {problem}", _mark_source(name, mark)) from None
    except yaml.reader.ReaderError as e:
        # raised for control characters; it gives a character offset, not a mark
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        code = e.character if isinstance(e.character, int) else ord(e.character)
        raise InputError(f"invalid YAML: {e.reason} (character {code:#x})",
                         Source(name, line, col)) from None
    finally:
        if loader is not None:
            loader.dispose()
    if root is None:
        raise InputError("the file is empty", Source(name, 1, 1))
    return _built(name, text, root)


class DuplicateKeys(InputError):
    """Keys given twice: the first is the error; `errors` holds every one, in file order,
    and `root` the tree read with each first value, for a caller listing problems."""

    def __init__(self, errors: list[InputError], root: Node):
        super().__init__(errors[0].message, errors[0].source)
        self.errors, self.root = errors, root


def _built(name: str, text: str, root: yaml.Node) -> Node:
    builder = _Builder(name, text)
    tree = builder.build(root)
    if builder.duplicates:
        raise DuplicateKeys(builder.duplicates, tree)
    return tree


_KINDS = ((stat.S_ISDIR, "a folder"), (stat.S_ISFIFO, "a named pipe (FIFO)"),
          (stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"), (stat.S_ISSOCK, "a socket"))


def _read_text(path: Path) -> str:
    # stat first: opening a FIFO waits for a writer, and a device such as
    # /dev/zero never ends; only a regular file of bounded size is read
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise InputError(f"cannot read {path}: no such file") from None
    except (OSError, ValueError) as e:     # ValueError: a NUL in the path
        raise InputError(f"cannot read {path}: {getattr(e, 'strerror', None) or e}") from None
    if not stat.S_ISREG(info.st_mode):
        kind = next((k for test, k in _KINDS if test(info.st_mode)), "no regular file")
        raise InputError(f"cannot read {path}: it is {kind}, not a YAML file")
    if info.st_size > MAX_FILE_BYTES:
        raise InputError(f"the file has {info.st_size:,} bytes; an issue or style file may "
                         f"have at most {MAX_FILE_BYTES:,} ({MAX_FILE_BYTES // 2**20} MB)",
                         Source(str(path), 1, 1))
    try:
        with open(path, "rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)     # it may have grown since the stat
    except OSError as e:
        raise InputError(f"cannot read {path}: {e.strerror or e}") from None
    if len(data) > MAX_FILE_BYTES:
        raise InputError(f"the file has more than {MAX_FILE_BYTES:,} bytes "
                         f"({MAX_FILE_BYTES // 2**20} MB), the most an issue or style file may "
                         "have", Source(str(path), 1, 1))
    try:
        return data.decode("utf-8-sig")       # tolerate a BOM from Windows editors
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        col = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise InputError("not UTF-8 text; save the file as UTF-8",
                         Source(str(path), line, col)) from None


class _Alias:
    """Where an alias (*name) is written, and the node it repeats.

    PyYAML's composer hands back the anchored node itself for an alias, so the
    alias's own position would be lost; the builder needs it for its messages.
    """

    def __init__(self, node: yaml.Node, mark):
        self.node = node
        self.start_mark = mark


class _Limits:
    """A composer's depth and size limits, keeping where aliases are (before the
    composer in a loader's bases)."""

    def _limits(self, name: str) -> None:
        self.layout_name = name
        self.layout_depth = 0
        self.layout_values = 0

    def compose_node(self, parent, index):
        event = self.peek_event()
        if isinstance(event, yaml.AliasEvent):
            return _Alias(super().compose_node(parent, index), event.start_mark)
        self.layout_values += 1
        if self.layout_values > MAX_VALUES:
            raise InputError(f"the file holds more than {MAX_VALUES} values; "
                             "an issue or style file has far fewer",
                             _mark_source(self.layout_name, event.start_mark))
        if self.layout_depth >= MAX_DEPTH and not isinstance(event, yaml.ScalarEvent):
            raise InputError(f"lists and mappings nested more than {MAX_DEPTH} deep; "
                             "an issue or style file needs fewer than 10 levels",
                             _mark_source(self.layout_name, event.start_mark))
        self.layout_depth += 1
        try:
            return super().compose_node(parent, index)
        finally:
            self.layout_depth -= 1


class _Loader(_Limits, yaml.SafeLoader):
    """SafeLoader's composer, limited."""

    def __init__(self, text: str, name: str):
        super().__init__(text)
        self._limits(name)


def _compose(loader):
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


try:        # libyaml's events under the same composer: ten times the pure parser's speed
    from yaml._yaml import CParser

    class _FastLoader(_Limits, yaml.composer.Composer, CParser, yaml.resolver.Resolver):
        """The same composer, limited, on libyaml's events."""

        def __init__(self, text: str, name: str):
            CParser.__init__(self, text)
            yaml.composer.Composer.__init__(self)
            yaml.resolver.Resolver.__init__(self)
            self._limits(name)
except ImportError:                      # pragma: no cover - PyYAML built without libyaml
    _FastLoader = None


# PyYAML's words where a key or its colon is not where it looks for one
_KEY_PROBLEMS = ("could not find expected ':'", "mapping values are not allowed here",
                 "expected <block end>", "did not find expected key")
_KEY_AT = re.compile(r"^(\s*(?:-\s+)?)([^\s:#'\"][^:#]*?):(?:\s|$)")
# the spaces a pasted indent may be made of: ordinary, full-width, no-break, en, em, thin ...
_ODD_SPACES = "\u3000\u00a0\u1680\u2000-\u200a\u202f\u205f"
_INDENT = re.compile(rf"^[ {_ODD_SPACES}]*(?:-[ {_ODD_SPACES}]+)?")
_ODD_SPACE = re.compile(f"[{_ODD_SPACES}]")
_WORD = r"[A-Za-z_][A-Za-z0-9_]*"
_WIDE_COLON = re.compile(rf"^\s*(?:-\s+)?({_WORD})\s*：")
_NO_SPACE = re.compile(rf"^\s*(?:-\s+)?({_WORD}):(?=[^\s/])")
_NO_COLON = re.compile(rf"^\s*(?:-\s+)?({_WORD})\s+[^\x00-\x7f]")
_LINE_BREAKS = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_BLOCK_START = re.compile(r":\s*[|>][+-]?\s*(?:#.*)?$")


def _slip(text: str, at: int) -> tuple[int, int, str] | None:
    """The slip behind a YAML syntax error near line `at` (0-based), as (line,
    column, words): PyYAML names where it gave up, often the line after the slip.

    The slips of hand-typed issue files: an indent of full-width spaces, a key
    with a full-width colon (byline：记者), no space after its colon (byline:记者),
    no colon at all (byline 记者), a line of a block (body: |) indented less than
    the block, a value with ': ' in it, a key one space off from the key above it.
    """
    lines = _LINE_BREAKS.split(text)          # PyYAML's line breaks, so `at` is its line
    at = min(at, len(lines))
    here = lines[at] if at < len(lines) else ""
    before = [k for k in range(at - 1, -1, -1)
              if lines[k].strip() and not lines[k].lstrip().startswith("#")]
    near = ([before[0]] if before else []) + ([at] if at < len(lines) else [])
    for k in near:
        line = lines[k]
        lead = _INDENT.match(line).group()
        if (odd := _odd_indent(lead)) is not None:
            return k, *odd
        for pattern, words in ((_WIDE_COLON, "write the colon after '{}' half-width ':' "
                                            "and a space (not '：')"),
                               (_NO_SPACE, "put a space after the colon of '{}:'"),
                               (_NO_COLON, "'{}' needs a colon and a space after it")):
            if (m := pattern.match(line)) and not _KEY_AT.match(line):
                return k, m.start(1), words.format(m.group(1))
    if before and not _KEY_AT.match(lines[before[0]]) \
            and not lines[before[0]].lstrip().startswith("- "):
        # text where a key was expected: a line of a block that lost its indent
        k = before[0]
        opener = next((j for j in range(k - 1, -1, -1) if _BLOCK_START.search(lines[j])), None)
        if opener is not None:
            indent = len(_INDENT.match(lines[k]).group())
            block = next((len(ln) - len(ln.lstrip(" ")) for ln in lines[opener + 1:k]
                          if ln.strip()), None)
            if block is not None and indent < block:
                key = _KEY_AT.match(lines[opener])
                name = key.group(2).strip() if key else "the block"
                return k, indent, (f"this line of '{name}' is indented {indent} spaces, "
                                   f"the lines above it {block}: a block's lines line up")
    key = _KEY_AT.match(here)
    if key is None:
        return None
    rest = here[key.end():]
    if re.search(r":(\s|$)", rest):
        return at, key.end() + rest.index(":"), (
            f"the value of '{key.group(2).strip()}' has ': ' in it: write the colon "
            "full-width '：' as Chinese copy does, or put the value in quotes")
    indent = len(key.group(1))
    if before and (prev := _KEY_AT.match(lines[before[0]])) is not None:
        was = len(prev.group(1))
        if was != indent:
            return at, indent, (f"'{key.group(2).strip()}' is indented {indent} spaces, the key "
                                f"above it '{prev.group(2).strip()}' {was}: keys that belong "
                                "together line up")
    return None


def _odd_indent(lead: str) -> tuple[int, str] | None:
    """(column, words) for an indent holding a space other than the ordinary one
    (full-width U+3000, no-break U+00A0, en U+2002, ...), which YAML does not read as
    indentation; None for an indent of ordinary spaces."""
    import unicodedata

    m = _ODD_SPACE.search(lead)
    if m is None:
        return None
    ch = m.group()
    if ch == "\u3000":
        return m.start(), ("the line is indented with full-width spaces (U+3000): indent "
                           "with ordinary spaces")
    kind = unicodedata.name(ch, "space").lower() + "s"
    return m.start(), (f"the line is indented with {kind} (U+{ord(ch):04X}), as pasted from a "
                       "web page or document: indent with ordinary spaces")


def char_source(node: Node, index: int) -> Source:
    """Where the character node.text[index] of a scalar was written: its own line and
    column where the file shows it (a literal block's lines, or the text around it on
    one line of the file), else the scalar's start."""
    src = node.source
    lines = getattr(node, "lines", None)
    text = getattr(node, "text", "")
    if lines is None or not 0 <= index < len(text):
        return src
    ch = text[index]
    if node.style == "|":         # line k of the text is the file's line after the '|', + k
        k = text.count("\n", 0, index)
        row = src.line + k        # 0-based
        col = node.indent + index - (text.rfind("\n", 0, index) + 1)
        if row < len(lines) and lines[row][col:col + 1] == ch:
            return Source(src.file, row + 1, col + 1)
    # the text before it on its line (folded lines are joined by a space), found in the
    # scalar's lines of the file: with the character itself, or before its escape (\x07)
    start = max(text.rfind("\n", 0, index) + 1, index - 12)
    before = re.split(r"\s", text[start:index])[-1]
    # (the longest such text first: a quote's '' or an escape may stand in the rest of it)
    first, last = src.line - 1, min(len(lines), max(node.end_line, src.line - 1) + 1)
    probes = [(before[j:] + ch, len(before) - j) for j in range(len(before) + 1)] + \
        [(before[j:], len(before) - j) for j in range(len(before))]
    for probe, offset in probes:
        for row in range(first, last):
            pos = lines[row].find(probe, src.column - 1 if row == first else 0)
            if pos >= 0:
                return Source(src.file, row + 1, pos + offset + 1)
    return src


def _mark_source(name: str, mark) -> Source:
    if mark is None:
        return Source(name, 1, 1)
    return Source(name, mark.line + 1, mark.column + 1)


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_STD):] if tag.startswith(_STD) else tag


class _Builder:
    """Turns composed yaml nodes into our tree, checking tags and keys."""

    def __init__(self, name: str, text: str = ""):
        self.name = name
        self.lines = text.splitlines()           # for a block scalar's indent
        self.constructor = yaml.SafeLoader("")   # only its scalar constructors are used
        self.open: set[int] = set()              # nodes being built, to catch recursive aliases
        self.values = 0                          # nodes built, each alias counted as its expansion
        self.depth = 0
        self.alias: Source | None = None         # the outermost alias being expanded
        self.duplicates: list[InputError] = []   # keys given twice in one mapping

    def build(self, node: yaml.Node | _Alias) -> Node:
        if isinstance(node, _Alias):
            src = _mark_source(self.name, node.start_mark)
            if id(node.node) in self.open:
                raise InputError("a YAML alias refers to the collection that contains it", src)
            outer = self.alias
            self.alias = outer or src
            try:
                return self.build(node.node)
            finally:
                self.alias = outer
        src = _mark_source(self.name, node.start_mark)
        self.values += 1
        if self.values > MAX_VALUES:
            # the composer let at most MAX_VALUES distinct values through: aliases did this
            raise InputError(f"with this YAML alias the file holds more than {MAX_VALUES} values "
                             "(an alias counts as all it repeats); write the values out "
                             "instead of aliasing them", self.alias or src)
        if isinstance(node, yaml.ScalarNode):
            return self._scalar(node, src)
        if self.depth >= MAX_DEPTH:       # deeper than the composer allows: through aliases
            raise InputError(f"lists and mappings nested more than {MAX_DEPTH} deep "
                             "through YAML aliases", self.alias or src)
        self.open.add(id(node))
        self.depth += 1
        try:
            if isinstance(node, yaml.SequenceNode) and node.tag == _STD + "seq":
                return Seq(src, [self.build(item) for item in node.value])
            if isinstance(node, yaml.MappingNode) and node.tag == _STD + "map":
                return self._map(node, src)
            raise InputError(f"unsupported YAML tag '{_tag_name(node.tag)}'", src)
        finally:
            self.depth -= 1
            self.open.discard(id(node))

    def _scalar(self, node: yaml.ScalarNode, src: Source) -> Scalar:
        if node.tag in _TEXT_TAGS:
            return Scalar(src, node.value, node.value, node.style or None)
        if node.tag not in _SCALAR_TAGS:
            raise InputError(f"unsupported YAML tag '{_tag_name(node.tag)}'", src)
        if node.tag in (_STD + "int", _STD + "float") and len(node.value) > _MAX_NUMBER_CHARS:
            return Scalar(src, node.value, node.value, node.style or None)   # no number is that long
        construct = self.constructor.yaml_constructors[node.tag]
        try:
            value = construct(self.constructor, node)
        except (ValueError, yaml.constructor.ConstructorError):
            # e.g. 2025-02-30: keep the text, so the loader can say what is wrong with it
            value = node.value
        indent = self._block_indent(node) if node.style in ("|", ">") else 0
        return Scalar(src, value, node.value, node.style or None, indent, self.lines,
                      node.end_mark.line)

    def _block_indent(self, node: yaml.ScalarNode) -> int:
        """The spaces before a block scalar's first line of text (its lines share them)."""
        for line in self.lines[node.start_mark.line + 1:node.end_mark.line + 1]:
            if line.strip():
                return len(line) - len(line.lstrip(" "))
        return 0

    def _map(self, node: yaml.MappingNode, src: Source) -> Map:
        items: dict[str, Node] = {}
        keys: dict[str, Scalar] = {}
        for knode, vnode in node.value:
            ksrc = _mark_source(self.name, knode.start_mark)
            if getattr(knode, "tag", None) == _STD + "merge":
                raise InputError("merge keys ('<<') are not supported; write the keys out", ksrc)
            key = self.build(knode)
            if not isinstance(key, Scalar):
                raise InputError("a mapping key must be plain text", ksrc)
            if key.style is None and (odd := _odd_indent(_INDENT.match(key.text).group())):
                # `\xa0\xa0duty_editor:`: no-break spaces YAML takes for part of the key
                raise InputError(f"invalid YAML: {odd[1]}",
                                 Source(ksrc.file, ksrc.line, ksrc.column + odd[0]))
            if key.text in items:
                first = keys[key.text].source.line
                # noted, the first value kept: `layout check` lists it with the file's
                # other problems (DuplicateKeys); a build stops at it
                self.duplicates.append(InputError(
                    f"duplicate key '{key.text}' (first given on line {first})", ksrc))
                continue
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
    if node.style in ("'", '"') and isinstance(node.value, str):
        try:                    # number: '5' is text to YAML: say so, or it reads as 5
            float(node.value)
        except ValueError:
            pass
        else:
            return f"'{text}' in quotes, which is text: write it without the quotes"
    return f"'{text}'"


def fail(node: Node, expected: str, what: str) -> InputError:
    return InputError(f"expected {expected} for {what}, got {describe(node)}", node.source)


def fields(node: Node, what: str, allowed: Iterable[str],
           required: Iterable[str] = (), problems: list | None = None) -> dict[str, Node]:
    """The values of a mapping that may only use `allowed` keys.

    Unknown keys are reported before missing ones: a misspelt key is both,
    and its own position is the more useful one. problems: a list the unknown
    keys' errors are added to (and the known keys returned) instead of raising,
    so that `layout check` reads on (a missing required key still raises).
    """
    mapping = expect_map(node, what)
    allowed = tuple(allowed)
    unknown = []
    for key, knode in mapping.keys.items():
        if key not in allowed:
            hint = _meant(key, allowed)
            unknown.append(InputError(f"unknown key '{key}' in {what}"
                                      + (f" (did you mean '{hint}'?)" if hint else "")
                                      + f"; expected one of: {', '.join(allowed)}",
                                      knode.source))
    if unknown and problems is None:
        raise unknown[0]
    for key in required:
        if key not in mapping.items:
            if unknown:       # a misspelt key is both; its own place is the more useful
                raise unknown[0]
            raise InputError(f"missing required key '{key}' in {what}", mapping.source)
    if unknown:
        problems += unknown
        return {k: v for k, v in mapping.items.items() if k in allowed}
    return mapping.items


# words staff write for our keys (other tools' names, English habits)
_SYNONYMS = {"subtitle": "subheadline", "subhead": "subheadline", "deck": "subheadline",
             "title": "headline", "head": "headline", "heading": "headline",
             "author": "byline", "authors": "byline", "reporter": "byline", "by": "byline",
             "text": "body", "content": "body", "paragraphs": "body",
             "image": "photos", "images": "photos", "picture": "photos", "pictures": "photos",
             "photo": "photos", "img": "photos", "overline": "kicker", "pretitle": "kicker",
             "path": "file", "src": "file", "cols": "columns", "width": "columns",
             "jump": "continue_on", "continued_on": "continue_on", "continues_on": "continue_on"}


def _meant(key: str, allowed: tuple[str, ...]) -> str | None:
    """The allowed key a wrong one most likely stands for: a known synonym, or the
    closest spelling (bylin -> byline)."""
    import difflib
    word = key.strip().lower().replace("-", "_")
    if word in allowed:
        return word
    if _SYNONYMS.get(word) in allowed:
        return _SYNONYMS[word]
    close = difflib.get_close_matches(word, allowed, n=1, cutoff=0.75)
    return close[0] if close else None


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


def expect_int(node: Node, what: str, minimum: int | None = None,
               maximum: int | None = None) -> int:
    if maximum is not None:
        expected = f"a whole number from {minimum} to {maximum}"
    else:
        expected = {None: "a whole number", 0: "a whole number, 0 or more",
                    1: "a positive whole number"}.get(minimum,
                                                      f"a whole number, {minimum} or more")
    value = node.value if isinstance(node, Scalar) else None
    if not isinstance(value, int) or isinstance(value, bool):
        raise fail(node, expected, what)
    if (minimum is not None and value < minimum) or (maximum is not None and value > maximum):
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
