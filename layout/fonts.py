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

The cache holds data only, never code (see "The font cache" in README.md):
coverage and converted outlines are files of our own layout (a header with a
magic, the payload's length and its BLAKE2b digest, then arrays of integers
and bytes), subsets are TrueType files checked against their own sfnt
checksum and parsed before use. An entry that is missing, unreadable,
truncated or garbage is rebuilt, never an error.
"""
from __future__ import annotations

import array
import atexit
import hashlib
import io
import logging
import os
import shutil
import struct
import sys
import tempfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from . import clreq
from .setting import ZERO_WIDTH
from .errors import InputError, Source

log = logging.getLogger(__name__)

# Version of the cached file layout; bump when the subset builder changes.
CACHE_VERSION = "5"
# Converted outlines of a face are kept in this many files, by a hash of the
# glyph name: adding a glyph rewrites one small file, not the whole store.
GLYPH_SHARDS = 64
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
    """Write path so that a reader sees the old file or the whole new one."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _read(path: Path) -> bytes | None:
    """A cache entry's bytes; None if it is missing or cannot be read."""
    try:
        return path.read_bytes()
    except OSError:          # missing, chmod 000, a folder in its place, ...
        return None


_scratch_dir: Path | None = None


def _scratch() -> Path:
    """One temporary folder per process, for subsets an unwritable cache cannot
    take (ReportLab reads fonts from files); removed when the process exits."""
    global _scratch_dir
    if _scratch_dir is None or not _scratch_dir.is_dir():
        _scratch_dir = Path(tempfile.mkdtemp(prefix="layout-"))
        atexit.register(shutil.rmtree, _scratch_dir, ignore_errors=True)
    return _scratch_dir


# -- cache entry files: data only ---------------------------------------------
# magic (7 bytes + a kind letter), payload length, BLAKE2b-128 of the payload
_HEADER = struct.Struct("<8sQ16s")
_MAGIC = b"LYT" + CACHE_VERSION.encode("ascii").rjust(4, b"0")


class BadEntry(ValueError):
    """A cache entry that is not what we wrote: truncated, garbage, another format."""


def _digest(payload) -> bytes:
    return hashlib.blake2b(payload, digest_size=16).digest()


def pack_entry(kind: bytes, payload: bytes) -> bytes:
    return _HEADER.pack(_MAGIC + kind, len(payload), _digest(payload)) + payload


def unpack_entry(kind: bytes, data: bytes) -> memoryview:
    """The payload of an entry of this kind; BadEntry unless every byte checks."""
    if len(data) < _HEADER.size:
        raise BadEntry("shorter than its header")
    magic, size, digest = _HEADER.unpack_from(data)
    if magic != _MAGIC + kind:
        raise BadEntry("not a layout cache entry of this kind and version")
    payload = memoryview(data)[_HEADER.size:]
    if len(payload) != size:
        raise BadEntry(f"{len(payload)} bytes of payload, header says {size}")
    if _digest(payload) != digest:
        raise BadEntry("checksum mismatch")
    return payload


def _u32(values) -> bytes:
    a = array.array("I", values)
    if sys.byteorder == "big":
        a.byteswap()
    return a.tobytes()


def _u32_from(buf) -> array.array:
    if len(buf) % 4:
        raise BadEntry("an array of 32-bit numbers cut short")
    a = array.array("I")
    a.frombytes(buf)
    if sys.byteorder == "big":
        a.byteswap()
    return a


def encode_coverage(cov) -> bytes:
    return pack_entry(b"C", _u32(sorted(cov)))


def decode_coverage(data: bytes) -> frozenset[int]:
    cps = _u32_from(unpack_entry(b"C", data))
    if cps and cps[-1] > 0x10FFFF:          # written sorted
        raise BadEntry("a code point beyond Unicode")
    return frozenset(cps)


def encode_glyphs(records: dict[str, bytes]) -> bytes:
    """Glyph records: count, the end of each name, the end of each glyph's
    data, the names (UTF-8), the data (compiled TrueType 'glyf' records)."""
    names = [n.encode("utf-8") for n in records]
    datas = list(records.values())
    ends, pos = [], 0
    for b in names:
        pos += len(b)
        ends.append(pos)
    for b in datas:
        pos += len(b)
        ends.append(pos)
    return pack_entry(b"G", _u32([len(names)]) + _u32(ends) + b"".join(names) + b"".join(datas))


def decode_glyphs(data: bytes) -> dict[str, bytes]:
    payload = unpack_entry(b"G", data)
    if len(payload) < 4:
        raise BadEntry("no record count")
    (n,) = struct.unpack_from("<I", payload)
    head = 4 + 8 * n
    if head > len(payload):
        raise BadEntry("record count beyond the file")
    ends = _u32_from(payload[4:head])
    blob = bytes(payload[head:])
    if (ends and ends[-1] != len(blob)) or (not ends and blob):
        raise BadEntry("records do not fill the file")
    if any(a > b for a, b in zip(ends, ends[1:])):
        raise BadEntry("record ends out of order")
    try:
        names = [blob[a:b].decode("utf-8") for a, b in zip((0, *ends[:n - 1]), ends[:n])]
    except UnicodeDecodeError as err:
        raise BadEntry("a glyph name that is not UTF-8") from err
    starts = (ends[n - 1] if n else 0, *ends[n:2 * n - 1])
    return {name: blob[a:b] for name, a, b in zip(names, starts, ends[n:])}


def sfnt_checksum_ok(data: bytes) -> bool:
    """The whole-file check of a TrueType font (head.checkSumAdjustment):
    its big-endian 32-bit words sum to 0xB1B0AFBA."""
    if len(data) < 12:
        return False
    a = array.array("I")
    a.frombytes(data + b"\0" * (-len(data) % 4))
    if sys.byteorder == "little":
        a.byteswap()
    return sum(a) & 0xFFFFFFFF == 0xB1B0AFBA


class GlyphStore:
    """A face's outlines already converted to TrueType, by source glyph name.

    The values are compiled 'glyf' records (quadratic, unshifted). They live
    in GLYPH_SHARDS files by a hash of the name; a file is read only when a
    glyph it would hold is asked for, and only files that gained a glyph are
    written back. A file that does not check is dropped (its glyphs are
    converted again and the file rewritten). The store of a face never
    holds more than the face's own glyphs, a few hundred bytes each.
    """

    def __init__(self, folder: Path):
        self.folder = folder
        self._shards: dict[int, dict[str, bytes]] = {}
        self._dirty: set[int] = set()

    @staticmethod
    def shard_of(name: str) -> int:
        return zlib.crc32(name.encode("utf-8")) % GLYPH_SHARDS

    def path(self, shard: int) -> Path:
        return self.folder / f"{shard:02x}.bin"

    def _shard(self, name: str) -> tuple[int, dict[str, bytes]]:
        k = self.shard_of(name)
        shard = self._shards.get(k)
        if shard is None:
            shard = {}
            data = _read(self.path(k))
            if data is not None:
                try:
                    shard = decode_glyphs(data)
                except BadEntry as err:
                    log.debug("glyph store %s: %s; rebuilding it", self.path(k), err)
                    self._dirty.add(k)
            self._shards[k] = shard
        return k, shard

    def get(self, name: str) -> bytes | None:
        return self._shard(name)[1].get(name)

    def __setitem__(self, name: str, record: bytes) -> None:
        k, shard = self._shard(name)
        shard[name] = bytes(record)
        self._dirty.add(k)

    def discard(self, name: str) -> None:
        """Forget a record that did not decode."""
        k, shard = self._shard(name)
        if shard.pop(name, None) is not None:
            self._dirty.add(k)

    def save(self) -> None:
        for k in sorted(self._dirty):
            try:
                _atomic_write(self.path(k), encode_glyphs(self._shards[k]))
            except OSError:
                pass  # a read-only cache only costs time
        self._dirty.clear()


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
        key = self.cache / "coverage" / f"{_face_id(path, index)}.bin"
        data = _read(key)
        if data is not None:
            try:
                return decode_coverage(data)
            except BadEntry as err:
                log.debug("coverage %s: %s; rebuilding it", key, err)
        try:
            font = self._sources[name] = _open_face(path, index)   # kept for subsetting
            cov = frozenset(font.getBestCmap() or ())
        except Exception as err:  # noqa: BLE001 - fontTools raises many kinds on bad files
            raise InputError(f"font file {path} (face {index}) cannot be read as a font: "
                             f"{err or type(err).__name__}; check the house style's 'fonts'") from err
        try:
            _atomic_write(key, encode_coverage(cov))
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
        used = {name: frozenset(chars) for name, chars in self._used.items()}
        if used == getattr(self, "_prepared_for", None):
            return      # no new character since the last call (a `layout watch` rebuild)
        self._prepared_for = used
        for name, face in self.faces.items():
            chars = self._used[name]
            if not chars:
                continue
            face.subset_path, font = self._subset(face, chars)
            self._load_metrics(face, font)
            half = {ch: shift for ch in chars if (shift := self._half_shift(face, ch)) is not None}
            if half:
                face.half_path, _ = self._subset(face, set(half), half)
                face.half_chars = frozenset(half)
        for store in self._stores.values():
            store.save()

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

    def _subset(self, face: Face, chars: set[str], half: dict[str, float] | None = None):
        """The subset's file and the font read from it: the cached one if it
        checks, else one built now (and cached)."""
        text = "".join(sorted(chars))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        kind = "half" if half else "full"
        out = (self.cache / "subsets"
               / f"{face.name}-{_face_id(face.path, face.index)}-{kind}-{digest}.ttf")
        data = _read(out)
        if data is not None:
            font = _checked_subset(data, text)
            if font is not None:
                return out, font
            log.debug("subset %s does not check; rebuilding it", out)
        data = build_truetype_subset(face.path, face.index, text, half,
                                     self._glyph_store(face), src=self._source(face))
        font = _checked_subset(data, text)
        if font is None:  # pragma: no cover - our own builder's output
            raise RuntimeError(f"the subset built for {face.name} does not read back")
        try:
            _atomic_write(out, data)
        except OSError:
            # an unwritable cache costs time, not the build (nor a stray folder)
            out = _scratch() / out.name
            out.write_bytes(data)
        return out, font

    def _source(self, face: Face):
        """The full face, opened once a build (its subset and half-width subset share it)."""
        if face.name not in self._sources:
            self._sources[face.name] = _open_face(face.path, face.index)
        return self._sources[face.name]

    # Converted outlines outlive any one glyph set: when an edit brings in a new
    # character, only that glyph is converted again, not the thousand.
    def _glyph_store(self, face: Face) -> GlyphStore:
        if face.name not in self._stores:
            self._stores[face.name] = GlyphStore(
                self.cache / "glyphs" / f"{face.name}-{_face_id(face.path, face.index)}")
        return self._stores[face.name]

    @staticmethod
    def _load_metrics(face: Face, font) -> None:
        upm = font["head"].unitsPerEm
        hmtx = font["hmtx"]
        face.em_bottom = font["OS/2"].sTypoDescender / upm
        face._cmap = font.getBestCmap()
        face.advances = {chr(cp): hmtx[g][0] / upm for cp, g in face._cmap.items()}
        face._subset = font


def _checked_subset(data: bytes, text: str):
    """The subset font in data if it is whole (sfnt checksum), parses, and
    maps every character of text; else None."""
    from fontTools.ttLib import TTFont

    if not sfnt_checksum_ok(data):
        return None
    try:
        font = TTFont(io.BytesIO(data), lazy=True)
        cmap = font.getBestCmap() or {}
        hmtx = font["hmtx"]
        if any(ord(ch) not in cmap for ch in text) or font["head"].unitsPerEm <= 0:
            return None
        font["OS/2"], font["glyf"], [hmtx[g] for g in cmap.values()]
    except Exception:  # noqa: BLE001 - whatever a damaged font raises
        return None
    return font


def build_truetype_subset(path: Path, index: int, text: str,
                          half: dict[str, float] | None = None,
                          store=None, src=None) -> bytes:
    """A TrueType font with just the glyphs for text, from any OpenType face.

    With `half` (character -> shift in em), every glyph is half an em wide
    and its outline moved by the shift: half-width punctuation. `store` maps
    source glyph names to outlines already converted to quadratic curves
    (compiled 'glyf' records, unshifted: a GlyphStore or a dict); glyphs
    missing from it (or whose record does not decode) are converted and
    added. `src`: the face already opened, if the caller has it.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

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
    fresh: dict[str, str] = {}         # new name -> source name: converted now, unshifted
    for new in order:
        srcname = back[new]
        if srcname in gs:
            glyph = None
            record = store.get(srcname)
            if record is not None:
                glyph = _decoded_glyph(record)
                if glyph is None and hasattr(store, "discard"):
                    store.discard(srcname)
            if glyph is None:
                rec = DecomposingRecordingPen(gs)
                gs[srcname].draw(rec)
                pen = TTGlyphPen(None)
                # CFF curves are cubic: approximate within 1 unit (1/1000 em)
                rec.replay(pen if quadratic else Cu2QuPen(pen, 1.0, reverse_direction=True))
                glyph = pen.glyph()
                if shift_of.get(new):
                    store[srcname] = glyph.compile(None)  # the store keeps it unshifted
                else:
                    fresh[new] = srcname      # its record is read back from the font
            if shift_of.get(new) and glyph.numberOfContours > 0:
                glyph.coordinates.translate((shift_of[new], 0))
            advances[new] = upm // 2 if half and new != ".notdef" else src["hmtx"][srcname][0]
        else:
            glyph = TTGlyphPen(None).glyph()
            advances[new] = upm
        glyphs[new] = glyph

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
    data = buf.getvalue()
    if fresh:   # the compiled records of the glyphs converted now, for the store
        glyf = TTFont(io.BytesIO(data))["glyf"]
        for new, srcname in fresh.items():
            store[srcname] = getattr(glyf.glyphs[new], "data", b"")
    return data


def _decoded_glyph(record: bytes):
    """A simple TrueType glyph from a stored record; None if it does not decode."""
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    try:
        glyph = Glyph(bytes(record))
        glyph.expand(None)
        if glyph.numberOfContours < 0 or (glyph.numberOfContours and (
                len(glyph.coordinates) != glyph.endPtsOfContours[-1] + 1
                or len(glyph.flags) != len(glyph.coordinates))):
            return None          # a composite or inconsistent: we never store those
    except Exception:  # noqa: BLE001 - garbage raises struct.error, IndexError, ...
        return None
    return glyph

