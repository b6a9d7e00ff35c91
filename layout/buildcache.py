"""What a one-shot build remembers on disk: set text and page layouts.

Staff build the same issue many times a day, each time changing a little. Set
text (`Composer.set`) is a pure function of the text, its type style, the
setting rules and the fonts; a page's layout (`pagelayout.layout_options`) is
a pure function of its question. So `layout build` keeps both in the cache
folder and a rebuild sets and searches only what changed (`layout watch` keeps
the same in memory, in a Session).

Each memory is one JSON file named by a digest of what its answers depend on
and of the package's own source, so a change of style, fonts or code starts a
new one. JSON, never pickle: the cache folder may be shared, and reading it must
not run anything (tests/test_font_cache_faults.py). Every value is rebuilt with
its type checked; a memory that cannot be read is an empty one, and one that
cannot be written costs only the next build's time. Only a build that succeeded,
or failed only because a page is overset, saves, so nothing a failed build set (a
character no font has) is remembered.
"""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from .pagelayout import PageLayout, Placement
from .setting import Line, Run, SetText

MAX_OTHERS = 2_000          # set texts kept beside this build's: earlier versions of the
                            # issue's text (an edit undone sets nothing again)
KEEP_FILES = 24             # memory files of one kind kept (issues, styles, code versions)
_CODE: str | None = None


def code_stamp() -> str:
    """A digest of the package's source files: any change of code, a new memory."""
    global _CODE
    if _CODE is None:
        h = hashlib.sha256()
        for path in sorted(Path(__file__).parent.glob("*.py")):
            h.update(path.name.encode())
            h.update(path.read_bytes())
        _CODE = h.hexdigest()[:16]
    return _CODE


class TrackedCache(dict):
    """A set-text cache that remembers which entries the current build used."""

    def __init__(self, *args) -> None:
        super().__init__(*args)
        self.touched: set = set()
        self.added = 0

    def get(self, key, default=None):
        self.touched.add(key)
        return dict.get(self, key, default)

    def __setitem__(self, key, value) -> None:
        self.touched.add(key)
        self.added += 1
        dict.__setitem__(self, key, value)

    def begin(self) -> None:
        self.touched = set()
        self.added = 0

    def prune(self) -> None:
        """Forget what the last build did not use, once that is most of the cache."""
        if len(self) > 2 * len(self.touched) + 64:
            for key in [k for k in self if k not in self.touched]:
                dict.__delitem__(self, key)


class Memo:
    """One memory file: <cache>/memo/<name>-<digest of ident and code>.json."""

    def __init__(self, name: str, ident: str, folder: Path | None = None) -> None:
        from .fonts import cache_dir
        digest = hashlib.sha256(f"{code_stamp()}\x1f{ident}".encode()).hexdigest()[:20]
        self.path = (folder or cache_dir()) / "memo" / f"{name}-{digest}.json"

    def load(self) -> list:
        """The memory's entries as JSON values; [] if it cannot be read."""
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):        # missing, truncated, not ours
            return []
        return data if isinstance(data, list) else []

    def save(self, entries: list) -> None:
        from .fonts import _atomic_write
        try:
            data = json.dumps(entries, ensure_ascii=False, separators=(",", ":"))
            _atomic_write(self.path, data.encode("utf-8"))
            # memories of other styles or older code: the newest few stay
            name = self.path.name.split("-")[0]
            older = sorted(self.path.parent.glob(f"{name}-*.json"),
                           key=lambda f: f.stat().st_mtime, reverse=True)[KEEP_FILES:]
            for old in older:
                old.unlink(missing_ok=True)
        except OSError:
            pass                     # a cache, not a result


# -- JSON <-> values, each field's type checked (a wrong one: the memory is dropped) -----

def _num(v) -> float:
    if type(v) not in (float, int):      # bool is not a number here
        raise TypeError(v)
    return float(v)


def _is(v, kind: type):
    if type(v) is not kind:
        raise TypeError(v)
    return v


def set_to_json(st: SetText) -> list:
    return [st.size, st.widest_gap,
            [[ln.width, ln.natural, ln.gap, ln.last, ln.indent, ln.broken, ln.first,
              [[r.text, r.face, r.x] for r in ln.runs]] for ln in st.lines]]


def _make(cls, **fields):
    """A frozen dataclass without its __init__ (its fields checked by the caller):
    a memory holds some ten thousand runs, and __init__ would be most of its load."""
    obj = object.__new__(cls)
    obj.__dict__.update(fields)
    return obj


_NEW = object.__new__
_NUMBER = (float, int)


def _run(v) -> Run:
    t, f, x = v
    if type(t) is not str or type(f) is not str or type(x) not in _NUMBER:
        raise TypeError(v)
    obj = _NEW(Run)                  # _make, inlined: runs are most of a memory
    obj.__dict__.update(text=t, face=f, x=float(x))
    return obj


def set_from_json(v) -> SetText:
    size, widest, lines = v
    out = []
    for w, nat, gap, last, ind, broken, first, runs in lines:
        out.append(_make(Line, runs=tuple(map(_run, runs)), width=_num(w), natural=_num(nat),
                         gap=_num(gap), last=_is(last, bool), indent=_num(ind),
                         broken=_is(broken, str), first=_is(first, bool)))
    return SetText(tuple(out), _num(size), _num(widest))


def key_from_json(v) -> tuple:
    text, role, measure, indent, justify, trim_last = v
    return (_is(text, str), _is(role, str), _num(measure), _num(indent), _is(justify, bool),
            _is(trim_last, bool))


_PLACEMENT = tuple(Placement.__dataclass_fields__)


def layout_to_json(lay: PageLayout) -> list:
    return [[[getattr(p, f) for f in _PLACEMENT] for p in lay.placements], list(lay.unplaced),
            lay.score, lay.white_cells, lay.air_cells, lay.collisions, lay.order_inversions]


def layout_from_json(v) -> PageLayout:
    places, unplaced, score, white, air, coll, inv = v
    # a wrong number of fields is a TypeError from Placement itself
    return PageLayout(tuple(Placement(*(_is(x, int) for x in p)) for p in places),
                      tuple(_is(k, int) for k in unplaced), _num(score), _is(white, int),
                      _is(air, int), _is(coll, int), _is(inv, int))


def set_ident(style, fonts_spec: dict) -> str:
    """What set text depends on besides its key: type styles, rules, font files."""
    files = []
    for name, spec in sorted(fonts_spec.items()):       # a Latin companion is a spec too
        try:
            st = os.stat(spec.file)
            files.append((name, str(spec.file), st.st_size, st.st_mtime_ns, spec.index,
                          spec.latin))
        except OSError:
            files.append((name, str(spec.file), None))
    return repr((sorted(style.text.items()), style.setting, files))


class MemorySetCache(TrackedCache):
    """The set-text memory of a build: entries read from disk stay JSON until used.

    A build uses only some of them (a headline is set at many measures, and the
    earlier versions of edited text stay); making Line and Run objects for all of
    them was most of a warm build's load."""

    def __init__(self, raw: dict) -> None:
        super().__init__()
        self.raw = raw                   # key -> set text as JSON, not yet made

    def get(self, key, default=None):
        self.touched.add(key)
        hit = dict.get(self, key)
        if hit is not None:
            return hit
        v = self.raw.pop(key, None)
        if v is None:
            return default
        try:
            hit = set_from_json(v)
        except (TypeError, ValueError):      # not an entry we wrote: a miss
            return default
        dict.__setitem__(self, key, hit)
        return hit

    def to_save(self) -> list:
        """This build's entries first, then the newest others, as JSON."""
        out = {k: set_to_json(v) for k, v in self.items() if k in self.touched}
        out.update((k, v) for k, v in self.raw.items() if k in self.touched)
        most = len(out) + MAX_OTHERS
        for k, v in [*reversed(list(self.items())), *reversed(list(self.raw.items()))]:
            if len(out) >= most:
                break
            if k not in out:
                out[k] = v if type(v) is list else set_to_json(v)
        return [[list(k), v] for k, v in out.items()]


class BuildMemory:
    """The set-text and layout memories of one build of an issue in a style."""

    def __init__(self, style, folder: Path | None = None, issue: Path | None = None) -> None:
        from . import pagelayout
        # one memory per issue file: a warm build reads its own issue's text, not every
        # issue's built in the style (the JSON alone grew by 1 MB an issue)
        where = str(issue.resolve()) if issue else ""
        self._sets = Memo("set", f"{set_ident(style, style.fonts)}\x1f{where}", folder)
        self._layouts = Memo("layouts", where, folder)
        try:
            raw = {key_from_json(k): v for k, v in self._sets.load()}
        except (TypeError, ValueError):
            raw = {}                            # not a memory we wrote: none at all
        self.set_cache = MemorySetCache(raw)
        self._answers = pagelayout._ANSWERS
        try:
            known = [(_is(q, str), tuple(layout_from_json(x) for x in a))
                     for q, a in self._layouts.load()]
        except (TypeError, ValueError):
            known = []
        for question, answer in known:
            self._answers.setdefault(question, answer)
        self._had = set(self._answers)

    def save(self) -> None:
        """After a build that succeeded: keep what it set and laid out."""
        if self.set_cache.added:
            self._sets.save(self.set_cache.to_save())
        if set(self._answers) - self._had:
            self._layouts.save([[q, [layout_to_json(x) for x in a]]
                                for q, a in self._answers.items()])
