"""Fonts: which face sets each character, metrics, and embeddable subsets.

The bundled faces are large (tens of thousands of glyphs, CFF outlines) and
ReportLab embeds only TrueType outlines. So for each build we:

1. read each face's metrics table: its character map (the characters it has
   and their glyph names), every advance width, the ink boxes of the marks
   the setter asks for and the few header fields a subset copies. Reading a
   full CJK face with fontTools takes ~0.15 s, so the table is made once and
   cached on disk under the font file's content hash (a build reads a few
   hundred kilobytes, not the face);
2. set the text from those tables: each character goes to the first face of
   its role's fallback chain that has it. A character none has is recorded
   (`missing`), and the build names it with its article's line
   (build.check_glyphs) before anything is written;
3. after composition, embed the glyphs actually set: one small TrueType font
   per face holding just those glyphs, their CFF curves converted to
   quadratics, cached on disk under a key of the face and the glyph set. The
   converted outlines are kept per glyph as well, so a glyph set with one new
   character converts one glyph, and a glyph set made only of converted
   glyphs does not open the full face at all. The render embeds each such file
   whole, as one CID-keyed font (layout/cidfont.py).

The metrics come from the full face, not from a subset, so nothing has to
know before composition which characters it will set.

The cache holds data only, never code (see "The font cache" in README.md):
stamps, metrics tables and converted outlines are files of our own layout (a
header with a magic, the payload's length and its BLAKE2b digest, then arrays
of integers and bytes), subsets are TrueType files checked against their own
sfnt checksum and parsed before use. An entry that is missing, unreadable,
truncated or garbage is rebuilt, never an error.
"""
from __future__ import annotations

import array
import atexit
import bisect
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
from .setting import HALF_FACE, ZERO_WIDTH
from .errors import InputError, Source

log = logging.getLogger(__name__)

# Version of the cached file layout; bump when the subset builder or a table changes.
CACHE_VERSION = "6"
# Converted outlines of a face are kept in this many files, by a hash of the
# glyph name: adding a glyph rewrites one small file, not the whole store.
GLYPH_SHARDS = 64
# Ink may cross the em box's middle by this much (em) on a half-width glyph.
HALF_INK_TOLERANCE = 0.02
# The characters whose ink boxes the setter reads (setting._punct_unit, the
# 破折号's halves, half-width punctuation): measured when a face's table is
# made, so a build never converts an outline to measure one.
INK_CHARS = frozenset(clreq.FULL_WIDTH | clreq.OPENING | clreq.CLOSING | clreq.PAUSE_STOP
                      | frozenset("—"))


def skipped(ch: str) -> bool:
    """Set as spacing, never drawn (setting.units): needs no glyph."""
    return (ch.isspace() and ch != " ") or ch in ZERO_WIDTH


class MissingGlyph(InputError):
    """A character that no font of its fallback chain has (it would print as a box)."""

    def __init__(self, message: str, source: Source | None = None, char: str = ""):
        super().__init__(message, source)
        self.char = char


def cache_dir() -> Path:
    """LAYOUT_CACHE_DIR, else the XDG cache folder (~/.cache/layout)."""
    env = os.environ.get("LAYOUT_CACHE_DIR")
    if env:
        return Path(env)
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "layout"


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


def _packed(code: str, values) -> bytes:
    """Numbers as little-endian machine words of array type `code` (I, H or i), padded
    to a multiple of 4 bytes."""
    a = array.array(code, values)
    if sys.byteorder == "big":
        a.byteswap()
    data = a.tobytes()
    return data + b"\0" * (-len(data) % 4)


def _unpacked(code: str, buf, n: int | None = None) -> array.array:
    """The numbers _packed wrote (the first n of them when padding follows)."""
    a = array.array(code)
    size = a.itemsize
    if n is None:
        if len(buf) % size:
            raise BadEntry(f"an array of {8 * size}-bit numbers cut short")
        n = len(buf) // size
    a.frombytes(buf[:size * n])
    if sys.byteorder == "big":
        a.byteswap()
    return a


def _u32(values) -> bytes:
    return _packed("I", values)


def _u32_from(buf) -> array.array:
    return _unpacked("I", buf)


def _u16(values) -> bytes:
    return _packed("H", values)


def _u16_from(buf, n: int) -> array.array:
    return _unpacked("H", buf, n)


def _i32(values) -> bytes:
    return _packed("i", values)


def _i32_from(buf) -> array.array:
    return _unpacked("i", buf)


# -- stamps: a font file's content hash, by its path, size and time -----------

def encode_stamp(digest: bytes) -> bytes:
    return pack_entry(b"S", digest)


def decode_stamp(data: bytes) -> bytes:
    payload = unpack_entry(b"S", data)
    if len(payload) != 16:
        raise BadEntry("a stamp is a 16-byte digest")
    return bytes(payload)


def _file_digest(path: Path) -> bytes:
    h = hashlib.blake2b(digest_size=16)
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            h.update(chunk)
    return h.digest()


# -- metrics tables -------------------------------------------------------------
# header fields, in this order, as 32-bit integers
_FIELDS = ("upm", "hhea_ascent", "hhea_descent", "typo_ascender", "typo_descender",
           "typo_line_gap", "win_ascent", "win_descent", "fs_type", "quadratic",
           "notdef_advance", "chars", "glyphs", "inks")
_NAMES = ("family", "style", "ps")          # name table entries a subset copies


class FaceTable:
    """What the setter and the subset builder need of one face, without the face.

    cps: the face's code points, sorted; advances and glyphs (an index into the
    glyph names) run parallel to it. ink: code point -> (xMin, xMax) of the
    outline as converted to TrueType, None for a glyph without ink, for the
    marks of INK_CHARS. Units are the face's (upm per em).
    """

    def __init__(self, header: dict, cps, advances, glyphs, ink: dict, ends, blob: bytes,
                 digest: bytes):
        self.__dict__.update(header)
        self.n_glyphs = header["glyphs"]
        self.cps, self.advances, self.glyphs = cps, advances, glyphs
        self.ink = ink
        self._ends, self._blob = ends, blob
        self.digest = digest
        self.family, self.style, self.ps = (self._string(i) for i in range(len(_NAMES)))

    def _string(self, i: int) -> str:
        return self._blob[self._ends[i - 1] if i else 0:self._ends[i]].decode("utf-8")

    def coverage(self) -> frozenset[int]:
        return frozenset(self.cps)

    def find(self, cp: int) -> int:
        """cp's place in cps, -1 if the face does not have it."""
        i = bisect.bisect_left(self.cps, cp)
        return i if i < len(self.cps) and self.cps[i] == cp else -1

    def advance_units(self, cp: int) -> int:
        i = self.find(cp)
        if i < 0:
            raise KeyError(chr(cp))
        return self.advances[i]

    def glyph_name(self, cp: int) -> str | None:
        i = self.find(cp)
        if i < 0 or self.glyphs[i] >= self.n_glyphs:
            return None
        return self._string(len(_NAMES) + self.glyphs[i]) or None


def encode_table(header: dict, cps, advances, glyphs, names, ink: dict, strings) -> bytes:
    """A metrics entry: header, code points, advances, glyph indexes, ink boxes,
    then the strings (family, style, PostScript name, glyph names) as ends and UTF-8."""
    head = dict(header, chars=len(cps), glyphs=len(names), inks=len(ink))
    blobs = [s.encode("utf-8") for s in (*strings, *names)]
    ends, pos = [], 0
    for b in blobs:
        pos += len(b)
        ends.append(pos)
    inks = []
    for cp in sorted(ink):
        box = ink[cp]
        inks += (cp, 0, 0, 0) if box is None else (cp, 1, box[0], box[1])
    return pack_entry(b"M", _i32([head[f] for f in _FIELDS]) + _u32(cps) + _u16(advances)
                      + _u16(glyphs) + _i32(inks) + _u32(ends) + b"".join(blobs))


def decode_table(data: bytes) -> FaceTable:
    payload = unpack_entry(b"M", data)
    pos = 4 * len(_FIELDS)
    if len(payload) < pos:
        raise BadEntry("no table header")
    header = dict(zip(_FIELDS, _i32_from(payload[:pos])))
    n, g, k = header["chars"], header["glyphs"], header["inks"]
    if header["upm"] <= 0 or min(n, g, k) < 0 or n > 0x110000 or g > 0x10000:
        raise BadEntry("a table header out of range")
    half = (2 * n + 3) // 4 * 4
    sizes = (4 * n, half, half, 16 * k, 4 * (len(_NAMES) + g))
    if pos + sum(sizes) > len(payload):
        raise BadEntry("the table is shorter than its header says")
    parts = []
    for size in sizes:
        parts.append(payload[pos:pos + size])
        pos += size
    cps = _u32_from(parts[0])
    advances, glyphs = _u16_from(parts[1], n), _u16_from(parts[2], n)
    inks, ends = _i32_from(parts[3]), _u32_from(parts[4])
    blob = bytes(payload[pos:])
    # The digest proved these bytes are the ones written; an entry crafted with a
    # valid digest can give wrong metrics but never run code, nor read outside its
    # arrays (find and glyph_name check their bounds). Checking every number here
    # would cost more than reading the table.
    if ends[-1] != len(blob):
        raise BadEntry("strings do not fill the table")
    if not blob[ends[len(_NAMES) - 1]:].isascii():
        raise BadEntry("a glyph name that is not ASCII")
    ink = {inks[i]: (inks[i + 2], inks[i + 3]) if inks[i + 1] else None
           for i in range(0, len(inks), 4)}
    try:
        table = FaceTable(header, cps, advances, glyphs, ink, ends, blob,
                          _HEADER.unpack_from(data)[2])
    except UnicodeDecodeError as err:
        raise BadEntry("a name that is not UTF-8") from err
    return table


def decode_coverage(data: bytes) -> frozenset[int]:
    """The code points of a metrics entry."""
    return decode_table(data).coverage()


def table_from_font(font, path: Path) -> bytes:
    """The metrics entry of an opened face (see FaceTable)."""
    cmap = font.getBestCmap() or {}
    metrics = font["hmtx"].metrics
    upm = font["head"].unitsPerEm
    os2, hhea, names = font["OS/2"], font["hhea"], font["name"]
    quadratic = "glyf" in font
    cps = sorted(cmap)
    glyph_names: list[str] = []
    index: dict[str, int] = {}
    glyphs, advances = [], []
    for cp in cps:
        g = cmap[cp]
        i = index.get(g)
        if i is None:
            i = index[g] = len(glyph_names)
            glyph_names.append(g)
        glyphs.append(i)
        advances.append(metrics[g][0])
    gs = font.getGlyphSet()
    ink = {}
    for ch in sorted(INK_CHARS):
        g = cmap.get(ord(ch))
        if g is not None:
            ink[ord(ch)] = _record_ink(_convert_glyph(gs, g, quadratic).compile(None))
    header = {"upm": upm, "hhea_ascent": hhea.ascent, "hhea_descent": hhea.descent,
              "typo_ascender": os2.sTypoAscender, "typo_descender": os2.sTypoDescender,
              "typo_line_gap": os2.sTypoLineGap, "win_ascent": os2.usWinAscent,
              "win_descent": os2.usWinDescent, "fs_type": os2.fsType,
              "quadratic": int(quadratic),
              "notdef_advance": metrics[".notdef"][0] if ".notdef" in metrics else -1}
    strings = [names.getDebugName(i) or "" for i in (1, 2, 6)]
    return encode_table(header, cps, advances, glyphs, glyph_names, ink, strings)


def _record_ink(record: bytes) -> tuple[int, int] | None:
    """xMin, xMax of a compiled TrueType glyph record; None for one without contours."""
    if len(record) < 10:
        return None
    contours, x_min, _, x_max, _ = struct.unpack(">hhhhh", record[:10])
    return (x_min, x_max) if contours else None

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


def _convert_glyph(gs, name: str, quadratic: bool):
    """A source glyph as a TrueType glyph: CFF curves (cubic) approximated by
    quadratics within 1 unit (1/1000 em), components decomposed."""
    from fontTools.pens import cu2quPen
    from fontTools.pens.recordingPen import DecomposingRecordingPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen

    rec = DecomposingRecordingPen(gs)
    gs[name].draw(rec)
    pen = TTGlyphPen(None)
    rec.replay(pen if quadratic else cu2quPen.Cu2QuPen(pen, 1.0, reverse_direction=True))
    return pen.glyph()


class Advances(dict):
    """Character -> advance (em) of every character of a face, each read from the
    face's table the first time it is asked for (the setter asks for a few
    thousand of a face's tens of thousands). Two are equal when their tables are."""

    def __init__(self, table: FaceTable):
        super().__init__()
        self._table = table

    def __missing__(self, ch: str) -> float:
        value = self._table.advance_units(ord(ch)) / self._table.upm   # KeyError if none
        self[ch] = value
        return value

    def get(self, ch, default=None):
        try:
            return self[ch]
        except KeyError:
            return default

    def __contains__(self, ch) -> bool:
        return isinstance(ch, str) and len(ch) == 1 and self._table.find(ord(ch)) >= 0

    def __eq__(self, other) -> bool:
        if isinstance(other, Advances):
            return self._table.digest == other._table.digest
        return NotImplemented

    __hash__ = None


@dataclass
class Face:
    """One font file of the house style, prepared for this build."""
    name: str                         # the style's key: serif, serif-bold, kai
    path: Path
    index: int
    key: str                          # the face in the cache: its file's content, its index
    table: FaceTable
    em_bottom: float = -0.12          # ideographic em box bottom, in ems below baseline
    latin: str | None = None          # its Latin companion (a face): quotes inside Latin text
    subset_path: Path | None = None   # small TrueType font to embed
    half_path: Path | None = None     # its half-width punctuation (see FontBook.prepare)
    half_chars: frozenset[str] = frozenset()
    advances: Advances = None         # em, from the full face
    _ink: dict[str, tuple[float, float]] = field(default_factory=dict)
    _half: dict[str, float | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.advances = Advances(self.table)
        self.em_bottom = self.table.typo_descender / self.table.upm

    @property
    def coverage(self) -> frozenset[int]:
        """The code points the face has; made when first asked (a CJK face has some
        30,000, and a rebuild that sets nothing again asks only `lacks`)."""
        cov = self.__dict__.get("_coverage")
        if cov is None:
            cov = self.__dict__["_coverage"] = self.table.coverage()
        return cov

    def has(self, ch: str) -> bool:
        return ord(ch) in self.coverage

    def lacks(self, chars) -> set[str]:
        """Those of chars (distinct characters) the face has no glyph for."""
        find = self.table.find
        return {ch for ch in chars if find(ord(ch)) < 0}


def drawn_chars(pages) -> dict[str, set[str]]:
    """The distinct characters the composed pages draw, per face (its half-width
    punctuation counted as the face's own)."""
    texts: dict[str, list[str]] = {}
    for page in pages:
        for pl in page.lines:
            for run in pl.line.runs:
                texts.setdefault(run.face, []).append(run.text)
    drawn: dict[str, set[str]] = {}
    for face, parts in texts.items():
        drawn.setdefault(face.removesuffix(HALF_FACE), set()).update("".join(parts))
    return drawn


class FontBook:
    """The faces of a house style, their metrics, and the characters each must embed."""

    def __init__(self, specs, cache: Path | None = None):
        self.cache = cache or cache_dir()
        self._stores: dict[str, GlyphStore] = {}   # face -> converted outlines (_glyph_store)
        self._sources: dict[str, object] = {}      # face -> opened full font (_source)
        self.faces: dict[str, Face] = {}
        # characters setting asked for that no face of their chain has -> the chain
        # (build.check_glyphs names them and clears this)
        self.missing: dict[str, tuple[str, ...]] = {}
        for name, spec in specs.items():
            path = Path(spec.file)
            key, table = self._table(name, path, spec.index)
            self.faces[name] = Face(name, path, spec.index, key, table,
                                    latin=getattr(spec, "latin", None))
        placed: set[str] = set()
        for face in self.faces.values():
            if face.latin in self.faces and face.latin not in placed:
                self._on_em_box(self.faces[face.latin], face)
                placed.add(face.latin)
        self._used: dict[str, set[str]] = {n: set() for n in self.faces}

    @staticmethod
    def _on_em_box(companion: Face, owner: Face) -> None:
        """A Latin companion takes its owner's em box: the renderer aligns each face's
        em box bottom, so its quotes sit on the owner's baseline, and its subset's
        ascender and descender (the PDF's font descriptor, which text extractors
        group lines by) are the owner's. A Latin face's descender is deeper."""
        import copy

        table = copy.copy(companion.table)
        scale = table.upm / owner.table.upm
        table.typo_ascender = round(owner.table.typo_ascender * scale)
        table.typo_descender = round(owner.table.typo_descender * scale)
        companion.table = table
        companion.em_bottom = table.typo_descender / table.upm
        companion.key += f"-em{table.typo_ascender}{table.typo_descender:+d}"

    # -- the cache's keys and the metrics tables ----------------------------
    def _face_key(self, path: Path, index: int) -> str:
        """The face in the cache: a hash of its file's content (kept in a stamp
        under the file's path, size and time, so a build hashes no font) and its index."""
        st = path.stat()
        raw = f"{path.resolve()}|{st.st_size}|{st.st_mtime_ns}"
        stamp = self.cache / "stamps" / f"{hashlib.sha1(raw.encode()).hexdigest()[:16]}.bin"
        digest = None
        data = _read(stamp)
        if data is not None:
            try:
                digest = decode_stamp(data)
            except BadEntry as err:
                log.debug("stamp %s: %s; rebuilding it", stamp, err)
        if digest is None:
            digest = _file_digest(path)
            try:
                _atomic_write(stamp, encode_stamp(digest))
            except OSError:
                pass  # a read-only cache only costs time
        return hashlib.sha1(f"{CACHE_VERSION}|{digest.hex()}|{index}".encode()).hexdigest()[:16]

    def _table(self, name: str, path: Path, index: int) -> tuple[str, FaceTable]:
        try:
            key = self._face_key(path, index)
        except OSError as err:
            raise InputError(f"font file {path} (face {index}) cannot be read: "
                             f"{err.strerror or err}; check the house style's 'fonts'") from err
        entry = self.cache / "metrics" / f"{key}.bin"
        data = _read(entry)
        if data is not None:
            try:
                return key, decode_table(data)
            except BadEntry as err:
                log.debug("metrics %s: %s; rebuilding it", entry, err)
        try:
            font = self._sources[name] = _open_face(path, index)   # kept for subsetting
            data = table_from_font(font, path)
        except Exception as err:  # noqa: BLE001 - fontTools raises many kinds on bad files
            raise InputError(f"font file {path} (face {index}) cannot be read as a font: "
                             f"{err or type(err).__name__}; check the house style's 'fonts'") from err
        try:
            _atomic_write(entry, data)
        except OSError:
            pass  # a read-only cache only costs time
        return key, decode_table(data)

    # -- which face sets a character ------------------------------------------
    def face_for(self, chain: tuple[str, ...], ch: str) -> str | None:
        """First face of the fallback chain that has ch (None: recorded in `missing`)."""
        cp = ord(ch)
        for name in chain:
            if cp in self.faces[name].coverage:
                return name
        if not skipped(ch):
            self.missing.setdefault(ch, tuple(chain))
        return None

    def claim(self, chain: tuple[str, ...], text: str, where: str,
              source: Source | None = None) -> None:
        """Embed text as set in this chain; an error on a character no face has."""
        for ch in text:
            if skipped(ch):
                continue
            name = self.face_for(chain, ch)
            if name is None:
                self.missing.pop(ch, None)
                raise missing_glyph(ch, chain, where, source)
            self._used[name].add(ch)

    def use(self, face: str, text: str) -> None:
        """Embed the characters of text that face has (the others are left out)."""
        chars = set(text)
        self._used[face].update(chars - self.faces[face].lacks(chars))

    def use_pages(self, pages) -> None:
        """Embed every glyph the composed pages draw, in the face that draws it."""
        for face, chars in drawn_chars(pages).items():
            self.use(face, "".join(chars))

    # -- metrics for text setting (setting.Metrics) ------------------------
    def advance(self, face: str, ch: str) -> float:
        try:
            return self.faces[face].advances[ch]
        except KeyError:      # a character no face has: .notdef's width (check_glyphs names it)
            table = self.faces[face].table
            return max(table.notdef_advance, 0) / table.upm or 1.0

    def ink(self, face: str, ch: str) -> tuple[float, float]:
        """Left and right edge of the glyph's ink, in em."""
        f = self.faces[face]
        box = f._ink.get(ch)
        if box is None:
            table, cp = f.table, ord(ch)
            if cp in table.ink:
                units = table.ink[cp]
            elif table.find(cp) < 0:
                units = None                        # no glyph: no ink
            else:                                   # not a mark: its outline, converted
                units = self._outline_ink(f, table.glyph_name(cp))
            if units is None:                       # a space: no ink
                mid = self.advance(face, ch) / 2
                box = (mid, mid)
            else:
                box = (units[0] / table.upm, units[1] / table.upm)
            f._ink[ch] = box
        return box

    def _outline_ink(self, face: Face, name: str) -> tuple[int, int] | None:
        record = self._glyph_store(face).get(name)
        if record is None or _decoded_glyph(record) is None:
            src = self._source(face)
            record = _convert_glyph(src.getGlyphSet(), name, bool(face.table.quadratic)
                                    ).compile(None)
        return _record_ink(record)

    def latin_face(self, face: str, ch: str) -> str | None:
        """The face's Latin companion if it has ch: a quote inside Latin text is drawn
        from it, on its proportional glyph (setting.latin_quotes)."""
        latin = self.faces[face].latin
        if latin in self.faces and ord(ch) in self.faces[latin].coverage:
            return latin
        return None

    def has_half(self, face: str, ch: str) -> bool:
        return self._half_shift(self.faces[face], ch) is not None

    def _half_shift(self, face: Face, ch: str) -> float | None:
        """How far (em) a mark's outline moves on its half-width glyph; None: no such glyph."""
        if ch in face._half:
            return face._half[ch]
        shift = None
        closing = ch in clreq.CLOSING or ch in clreq.PAUSE_STOP
        if (closing or ch in clreq.OPENING) and face.advances.get(ch) == 1.0:
            left, right = self.ink(face.name, ch)
            if closing:
                shift = 0.0 if right <= 0.5 + HALF_INK_TOLERANCE else None
            else:
                shift = -0.5 if left >= 0.5 - HALF_INK_TOLERANCE else None
        face._half[ch] = shift
        return shift

    # -- subsets -----------------------------------------------------------
    def prepare(self) -> None:
        """Build (or find in the cache) each face's subsets of the characters used.

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
            chars = used[name]
            if not chars:
                continue
            face.subset_path = self._subset(face, chars)
            half = {ch: shift for ch in sorted(chars)
                    if (shift := self._half_shift(face, ch)) is not None}
            if half:
                face.half_path = self._subset(face, set(half), half)
                face.half_chars = frozenset(half)
        for store in self._stores.values():
            store.save()

    def _subset(self, face: Face, chars: set[str], half: dict[str, float] | None = None) -> Path:
        """The subset's file: the cached one if it checks, else one built now (and cached)."""
        text = "".join(sorted(chars))
        digest = hashlib.sha1(text.encode("utf-8")).hexdigest()[:16]
        kind = "half" if half else "full"
        out = self.cache / "subsets" / f"{face.name}-{face.key}-{kind}-{digest}.ttf"
        data = _read(out)
        if data is not None:
            # a cached file we wrote for exactly this text (its name carries the text's
            # hash): whole (checksum) and well formed (table directory) is enough, the
            # full parse (_checked_subset, 3 ms a face) is for what was just built
            if sfnt_checksum_ok(data) and _tables_ok(data):
                return out
            log.debug("subset %s does not check; rebuilding it", out)
        data = build_truetype_subset(face.table, text, half, self._glyph_store(face),
                                     source=lambda: self._source(face), stem=face.path.stem)
        if _checked_subset(data, text) is None:  # pragma: no cover - our own builder's output
            raise RuntimeError(f"the subset built for {face.name} does not read back")
        try:
            _atomic_write(out, data)
        except OSError:
            # an unwritable cache costs time, not the build (nor a stray folder)
            out = _scratch() / out.name
            out.write_bytes(data)
        return out

    def _source(self, face: Face):
        """The full face, opened at most once a book, only to convert an outline."""
        if face.name not in self._sources:
            self._sources[face.name] = _open_face(face.path, face.index)
        return self._sources[face.name]

    # Converted outlines outlive any one glyph set: when an edit brings in a new
    # character, only that glyph is converted again, not the thousand.
    def _glyph_store(self, face: Face) -> GlyphStore:
        if face.name not in self._stores:
            self._stores[face.name] = GlyphStore(
                self.cache / "glyphs" / f"{face.name}-{face.key}")
        return self._stores[face.name]


def shown(ch: str) -> str:
    """A character as an error names it: itself in quotes (a CJK character newer than
    Python's Unicode tables, 𱍐, is not '\\U00031350'), escaped only where it would not
    show (controls, format characters, spaces)."""
    import unicodedata

    if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Co", "Zl", "Zp", "Zs"):
        return repr(ch)
    return f"'{ch}'"


def missing_glyph(ch: str, chain, where: str, source: Source | None = None) -> MissingGlyph:
    advice = ("an emoji, which newsprint does not carry: write it out in words or leave it "
              "out" if clreq.is_emoji(ch) else "add a font that has it to the house style")
    return MissingGlyph(
        f"character {shown(ch)} (U+{ord(ch):04X}) in {where} is in none of the fonts "
        f"{', '.join(chain)}; {advice}", source, ch)


_SUBSET_TABLES = frozenset((b"cmap", b"glyf", b"head", b"hhea", b"hmtx", b"loca", b"maxp"))


def _tables_ok(data: bytes) -> bool:
    """A TrueType file's table directory: its version, the tables a subset has, each
    lying inside the file."""
    if len(data) < 12 or data[:4] != b"\x00\x01\x00\x00":
        return False
    count = int.from_bytes(data[4:6], "big")
    if len(data) < 12 + 16 * count:
        return False
    found = set()
    for i in range(count):
        rec = data[12 + 16 * i: 28 + 16 * i]
        offset, length = int.from_bytes(rec[8:12], "big"), int.from_bytes(rec[12:16], "big")
        if offset + length > len(data):
            return False
        found.add(rec[:4])
    return _SUBSET_TABLES <= found


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


def build_truetype_subset(table: FaceTable, text: str, half: dict[str, float] | None = None,
                          store=None, source=None, stem: str = "font") -> bytes:
    """A TrueType font with just the glyphs for text, from a face's metrics table.

    With `half` (character -> shift in em), every glyph is half an em wide
    and its outline moved by the shift: half-width punctuation. `store` maps
    source glyph names to outlines already converted to quadratic curves
    (compiled 'glyf' records, unshifted: a GlyphStore or a dict); glyphs
    missing from it (or whose record does not decode) are converted from the
    full face, which `source()` opens (only then), and added. `stem`: the font
    file's name without suffix, for a face whose name table has no names.
    """
    from fontTools.fontBuilder import FontBuilder
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    upm = table.upm
    order = [".notdef"]
    back = {".notdef": ".notdef"}      # new glyph name -> source glyph name
    renamed: dict[str, str] = {}       # source glyph name -> new glyph name
    new_cmap: dict[int, str] = {}
    widths = {".notdef": table.notdef_advance}
    for ch in text:
        gname = table.glyph_name(ord(ch))
        if gname is None:
            continue
        if gname not in renamed:
            renamed[gname] = f"g{len(order)}"
            order.append(renamed[gname])
            back[renamed[gname]] = gname
            widths[renamed[gname]] = table.advance_units(ord(ch))
        new_cmap[ord(ch)] = renamed[gname]

    shift_of = {}                      # new glyph name -> outline shift in font units
    if half:
        for ch, shift in half.items():
            if ord(ch) in new_cmap:
                shift_of[new_cmap[ord(ch)]] = round(shift * upm)

    store = {} if store is None else store
    glyphs, advances = {}, {}
    fresh: dict[str, str] = {}         # new name -> source name: converted now, unshifted
    gs = None
    for new in order:
        srcname = back[new]
        if widths[new] >= 0:           # (a face without .notdef: -1, an empty box)
            glyph = None
            record = store.get(srcname)
            if record is not None:
                glyph = _decoded_glyph(record)
                if glyph is None and hasattr(store, "discard"):
                    store.discard(srcname)
            if glyph is None:
                if gs is None:
                    gs = source().getGlyphSet()
                glyph = _convert_glyph(gs, srcname, bool(table.quadratic))
                if shift_of.get(new):
                    store[srcname] = glyph.compile(None)  # the store keeps it unshifted
                else:
                    fresh[new] = srcname      # its record is read back from the font
            if shift_of.get(new) and glyph.numberOfContours > 0:
                glyph.coordinates.translate((shift_of[new], 0))
            advances[new] = upm // 2 if half and new != ".notdef" else widths[new]
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
    fb.setupHorizontalHeader(ascent=table.hhea_ascent, descent=table.hhea_descent)
    # keep the source's names: the printer's preflight shows them
    family = table.family or stem
    style_name = table.style or "Regular"
    # unique per glyph set: ReportLab keeps one font per PostScript name per process
    tag = hashlib.sha1(text.encode("utf-8")).hexdigest()[:6].upper() + ("H" if half else "")
    ps = (table.ps or stem).replace(" ", "") + "-" + tag
    fb.setupNameTable({"familyName": family, "styleName": style_name, "psName": ps})
    fb.setupOS2(sTypoAscender=table.typo_ascender, sTypoDescender=table.typo_descender,
                sTypoLineGap=table.typo_line_gap, usWinAscent=table.win_ascent,
                usWinDescent=table.win_descent,
                fsType=table.fs_type)  # keep the licence's embedding bits
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

