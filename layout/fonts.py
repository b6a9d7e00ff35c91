"""Fonts: which face sets each character, metrics, and embeddable subsets.

The bundled faces are large (tens of thousands of glyphs, CFF outlines) and
ReportLab embeds only TrueType outlines. So for each build we:

1. read each face's coverage (cached on disk: a face's cmap costs ~60 ms),
2. give every character of the issue to the first face of its role's
   fallback chain that has it (none has it: an error naming the character),
3. build one small TrueType font per face holding just those glyphs, their
   CFF curves converted to quadratics, cached on disk under a key of the face
   file and the glyph set, so a second build of the same issue converts nothing,
4. read advances and ink boxes for text setting from that small font.
"""
from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from . import clreq
from .setting import ZERO_WIDTH
from .errors import InputError, Source

# Version of the cached file layout; bump when the subset builder changes.
CACHE_VERSION = "4"
# Ink may cross the em box's middle by this much (em) on a half-width glyph.
HALF_INK_TOLERANCE = 0.02


def cache_dir() -> Path:
    """LAYOUT_CACHE_DIR, else the XDG cache folder (~/.cache/layout)."""
    env = os.environ.get("LAYOUT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "layout"


def _face_id(path: Path, index: int) -> str:
    """Identity of a face file cheap enough to compute on every build."""
    st = path.stat()
    raw = f"{CACHE_VERSION}|{path.resolve()}|{st.st_size}|{st.st_mtime_ns}|{index}"
    return hashlib.sha1(raw.encode()).hexdigest()[:16]


def _atomic_write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    with os.fdopen(fd, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def _open_face(path: Path, index: int):
    from fontTools.ttLib import TTFont

    return TTFont(str(path), fontNumber=index, lazy=True)


@dataclass
class Face:
    """One font file of the house style, prepared for this build."""
    name: str                         # the style's key: serif, serif-bold, kai
    path: Path
    index: int
    coverage: frozenset[int]
    em_bottom: float = -0.12          # ideographic em box bottom, in ems below baseline
    subset_path: Path | None = None   # small TrueType font to embed
    half_path: Path | None = None     # its half-width punctuation (see FontBook.prepare)
    half_chars: frozenset[str] = frozenset()
    advances: dict[str, float] = field(default_factory=dict)   # em
    _ink: dict[str, tuple[float, float]] = field(default_factory=dict)
    _subset = None                    # the subset TTFont, for ink boxes on demand
    _cmap: dict = field(default_factory=dict)

    def has(self, ch: str) -> bool:
        return ord(ch) in self.coverage

    def ink(self, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, in em (read only for the few
        characters that ask: decoding every outline would cost ~0.2 s)."""
        box = self._ink.get(ch)
        if box is None:
            font = self._subset
            upm = font["head"].unitsPerEm
            g = font["glyf"][self._cmap[ord(ch)]]
            if getattr(g, "numberOfContours", 0):
                box = (g.xMin / upm, g.xMax / upm)
            else:                                   # a space: no ink
                mid = self.advances[ch] / 2
                box = (mid, mid)
            self._ink[ch] = box
        return box


class FontBook:
    """The faces of a house style and the characters each must render."""

    def __init__(self, specs, cache: Path | None = None):
        self.cache = cache or cache_dir()
        self._stores: dict[str, dict] = {}      # face -> converted outlines (_glyph_store)
        self._sources: dict[str, object] = {}   # face -> opened full font (_source)
        self.faces: dict[str, Face] = {}
        for name, spec in specs.items():
            self.faces[name] = Face(name, Path(spec.file), spec.index,
                                    self._coverage(name, Path(spec.file), spec.index))
        self._used: dict[str, set[str]] = {n: set() for n in self.faces}

    # -- coverage ---------------------------------------------------------
    def _coverage(self, name: str, path: Path, index: int) -> frozenset[int]:
        key = self.cache / "coverage" / f"{_face_id(path, index)}.pickle"
        try:
            return pickle.loads(key.read_bytes())
        except (OSError, pickle.PickleError, EOFError):
            pass
        try:
            font = self._sources[name] = _open_face(path, index)   # kept for subsetting
            cov = frozenset(font.getBestCmap() or ())
        except Exception as err:  # noqa: BLE001 - fontTools raises many kinds on bad files
            raise InputError(f"font file {path} (face {index}) cannot be read as a font: "
                             f"{err or type(err).__name__}; check the house style's 'fonts'") from err
        try:
            _atomic_write(key, pickle.dumps(cov))
        except OSError:
            pass  # a read-only cache only costs time
        return cov

    def face_for(self, chain: tuple[str, ...], ch: str) -> str | None:
        """First face of the fallback chain that has ch."""
        cp = ord(ch)
        for name in chain:
            if cp in self.faces[name].coverage:
                return name
        return None

    def claim(self, chain: tuple[str, ...], text: str, where: str,
              source: Source | None = None) -> None:
        """Record that text will be set in this chain; error on a character no face has."""
        for ch in text:
            if (ch.isspace() and ch != " ") or ch in ZERO_WIDTH:
                continue                  # set as spacing, never drawn (setting.units)
            name = self.face_for(chain, ch)
            if name is None:
                raise InputError(
                    f"character {ch!r} (U+{ord(ch):04X}) in {where} is in none of the fonts "
                    f"{', '.join(chain)}; add a font that has it to the house style", source)
            self._used[name].add(ch)

    # -- metrics for text setting (setting.Metrics) ------------------------
    def advance(self, face: str, ch: str) -> float:
        return self.faces[face].advances[ch]

    def ink(self, face: str, ch: str) -> tuple[float, float]:
        return self.faces[face].ink(ch)

    def has_half(self, face: str, ch: str) -> bool:
        return ch in self.faces[face].half_chars

    # -- subsets and metrics ---------------------------------------------
    def prepare(self) -> None:
        """Build (or find in the cache) each face's subsets; load their metrics.

        Besides the subset of the characters used, a face gets a second small
        font of half-width punctuation: the marks that line ends and adjacent
        pairs set in half an em, on a glyph that is half an em wide (as the
        OpenType 'halt' feature would give), so no glyph box reaches into the
        gutter or over its neighbour.
        """
        for name, face in self.faces.items():
            chars = self._used[name]
            if not chars:
                continue
            face.subset_path = self._subset(face, chars)
            self._load_metrics(face, face.subset_path)
            half = {ch: shift for ch in chars if (shift := self._half_shift(face, ch)) is not None}
            if half:
                face.half_path = self._subset(face, set(half), half)
                face.half_chars = frozenset(half)

    @staticmethod
    def _half_shift(face: Face, ch: str) -> float | None:
        """How far (em) a mark's outline moves on its half-width glyph; None: no such glyph."""
        closing = ch in clreq.CLOSING or ch in clreq.PAUSE_STOP
        if not (closing or ch in clreq.OPENING) or face.advances.get(ch) != 1.0:
            return None
        left, right = face.ink(ch)
        if closing:
            return 0.0 if right <= 0.5 + HALF_INK_TOLERANCE else None
        return -0.5 if left >= 0.5 - HALF_INK_TOLERANCE else None

    def _subset(self, face: Face, chars: set[str], half: dict[str, float] | None = None) -> Path:
        text = "".join(sorted(chars))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        kind = "half" if half else "full"
        out = (self.cache / "subsets"
               / f"{face.name}-{_face_id(face.path, face.index)}-{kind}-{digest}.ttf")
        if not out.exists():
            store = self._glyph_store(face)
            known = len(store)
            data = build_truetype_subset(face.path, face.index, text, half, store,
                                         src=self._source(face))
            if len(store) > known:
                self._save_glyph_store(face, store)
            try:
                _atomic_write(out, data)
            except OSError:
                # an unwritable cache costs time, not the build
                out = Path(tempfile.mkdtemp(prefix="layout-")) / out.name
                out.write_bytes(data)
        return out

    def _source(self, face: Face):
        """The full face, opened once a build (its subset and half-width subset share it)."""
        if face.name not in self._sources:
            self._sources[face.name] = _open_face(face.path, face.index)
        return self._sources[face.name]

    # Converted outlines outlive any one glyph set: when an edit brings in a new
    # character, only that glyph is converted again, not the thousand.
    def _glyph_store_path(self, face: Face) -> Path:
        return self.cache / "glyphs" / f"{face.name}-{_face_id(face.path, face.index)}.pickle"

    def _glyph_store(self, face: Face) -> dict:
        if face.name not in self._stores:
            try:
                self._stores[face.name] = pickle.loads(self._glyph_store_path(face).read_bytes())
            except (OSError, pickle.PickleError, EOFError):
                self._stores[face.name] = {}
        return self._stores[face.name]

    def _save_glyph_store(self, face: Face, store: dict) -> None:
        try:
            _atomic_write(self._glyph_store_path(face), pickle.dumps(store))
        except OSError:
            pass  # a read-only cache only costs time

    def _load_metrics(self, face: Face, subset: Path) -> None:
        from fontTools.ttLib import TTFont

        font = TTFont(str(subset), lazy=True)
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        face.em_bottom = font["OS/2"].sTypoDescender / upm
        face._cmap = font.getBestCmap()
        face.advances = {chr(cp): hmtx[g][0] / upm for cp, g in face._cmap.items()}
        face._subset = font


def build_truetype_subset(path: Path, index: int, text: str,
                          half: dict[str, float] | None = None,
                          store: dict | None = None, src=None) -> bytes:
    """A TrueType font with just the glyphs for text, from any OpenType face.

    With `half` (character -> shift in em), every glyph is half an em wide
    and its outline moved by the shift: half-width punctuation. `store` maps
    source glyph names to outlines already converted to quadratic curves (pen
    recordings); glyphs missing from it are converted and added. `src`: the
    face already opened, if the caller has it.
    """
    import io

    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.recordingPen import DecomposingRecordingPen, RecordingPen
    from fontTools.pens.transformPen import TransformPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    src = src if src is not None else _open_face(path, index)
    cmap = src.getBestCmap()
    gs = src.getGlyphSet()
    quadratic = "glyf" in src
    upm = src["head"].unitsPerEm

    order = [".notdef"]
    back = {".notdef": ".notdef"}      # new glyph name -> source glyph name
    renamed: dict[str, str] = {}       # source glyph name -> new glyph name
    new_cmap: dict[int, str] = {}
    for ch in text:
        gname = cmap.get(ord(ch))
        if gname is None:
            continue
        if gname not in renamed:
            renamed[gname] = f"g{len(order)}"
            order.append(renamed[gname])
            back[renamed[gname]] = gname
        new_cmap[ord(ch)] = renamed[gname]

    shift_of = {}                      # new glyph name -> outline shift in font units
    if half:
        for ch, shift in half.items():
            if ord(ch) in new_cmap:
                shift_of[new_cmap[ord(ch)]] = round(shift * upm)

    store = {} if store is None else store
    glyphs, advances = {}, {}
    for new in order:
        srcname = back[new]
        pen = TTGlyphPen(None)
        if srcname in gs:
            outline = store.get(srcname)
            if outline is None:
                rec = DecomposingRecordingPen(gs)
                gs[srcname].draw(rec)
                quad = RecordingPen()
                # CFF curves are cubic: approximate within 1 unit (1/1000 em)
                rec.replay(quad if quadratic else Cu2QuPen(quad, 1.0, reverse_direction=True))
                outline = store[srcname] = quad.value
            out = pen
            if shift_of.get(new):
                out = TransformPen(pen, (1, 0, 0, 1, shift_of[new], 0))
            replay = RecordingPen()
            replay.value = outline
            replay.replay(out)
            advances[new] = upm // 2 if half and new != ".notdef" else src["hmtx"][srcname][0]
        else:
            advances[new] = upm
        glyphs[new] = pen.glyph()

    fb = FontBuilder(upm, isTTF=True)
    fb.setupGlyphOrder(order)
    fb.setupCharacterMap(new_cmap)
    fb.setupGlyf(glyphs)
    glyf = fb.font["glyf"]
    fb.setupHorizontalMetrics({g: (advances[g], getattr(glyf[g], "xMin", 0)) for g in order})
    os2 = src["OS/2"]
    hhea = src["hhea"]
    fb.setupHorizontalHeader(ascent=hhea.ascent, descent=hhea.descent)
    # keep the source's names: the printer's preflight shows them
    names = src["name"]
    family = names.getDebugName(1) or path.stem
    style_name = names.getDebugName(2) or "Regular"
    # unique per glyph set: ReportLab keeps one font per PostScript name per process
    tag = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6].upper() + ("H" if half else "")
    ps = (names.getDebugName(6) or path.stem).replace(" ", "") + "-" + tag
    fb.setupNameTable({"familyName": family, "styleName": style_name, "psName": ps})
    fb.setupOS2(sTypoAscender=os2.sTypoAscender, sTypoDescender=os2.sTypoDescender,
                sTypoLineGap=os2.sTypoLineGap, usWinAscent=os2.usWinAscent,
                usWinDescent=os2.usWinDescent,
                fsType=os2.fsType)  # keep the licence's embedding bits
    fb.setupPost()
    buf = io.BytesIO()
    fb.save(buf)
    return buf.getvalue()

