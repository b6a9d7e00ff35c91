"""`layout fonts`: the fonts a house style uses, their files, licences and coverage.

Coverage is counted over the blocks a Chinese paper needs: the 6,763 Han
characters of GB 2312 (what every newspaper font must have), the CJK Unified
Ideographs block, Extension A and Extension B (rare characters in names).
The counts come from the font book's cached character maps; the licence
from the font's own name table (IDs 13 and 14), as every OFL font carries it.
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

BLOCKS = (("CJK", 0x4E00, 0x9FFF), ("Ext A", 0x3400, 0x4DBF), ("Ext B", 0x20000, 0x2A6DF))


@lru_cache(maxsize=1)
def gb2312_han() -> frozenset[int]:
    """The 6,763 Han characters of GB 2312 (rows 16-87)."""
    out = set()
    for hi in range(0xB0, 0xF8):
        for lo in range(0xA1, 0xFF):
            try:
                ch = bytes((hi, lo)).decode("gb2312")
            except UnicodeDecodeError:
                continue
            out.add(ord(ch))
    return frozenset(out)


@dataclass(frozen=True)
class FontInfo:
    name: str                      # the style's short name (serif, kai …)
    file: Path
    index: int
    family: str
    licence: str
    roles: tuple[str, ...]         # the text roles whose chain starts with it
    fallback_for: tuple[str, ...]  # the roles that fall back to it
    covered: dict[str, tuple[int, int]]   # block -> (characters covered, in the block)


def font_infos(style, book) -> list[FontInfo]:
    out = []
    gb = gb2312_han()
    for name, spec in style.fonts.items():
        cov = book.faces[name].coverage
        covered = {"GB 2312": (len(gb & cov), len(gb))}
        for label, lo, hi in BLOCKS:
            covered[label] = (sum(1 for c in cov if lo <= c <= hi), hi - lo + 1)
        family, licence = _names(Path(spec.file), spec.index)
        roles = tuple(sorted(r for r, ts in style.text.items() if ts.fonts[0] == name))
        fallback = tuple(sorted(r for r, ts in style.text.items() if name in ts.fonts[1:]))
        out.append(FontInfo(name, Path(spec.file), spec.index, family, licence, roles,
                            fallback, covered))
    return out


def _names(path: Path, index: int) -> tuple[str, str]:
    from fontTools.ttLib import TTFont

    kw = {"fontNumber": index} if path.suffix.lower() in (".ttc", ".otc") else {}
    with TTFont(str(path), lazy=True, **kw) as font:
        name = font["name"]
        family = name.getDebugName(4) or name.getDebugName(1) or path.stem
        licence = name.getDebugName(13) or ""
        url = name.getDebugName(14) or ""
    short = " ".join(licence.split())
    if "Open Font License" in short or "scripts.sil.org/OFL" in url or "openfontlicense" in url:
        short = "SIL Open Font License 1.1"
    elif len(short) > 80:
        short = short[:77] + "…"
    return family, (f"{short} ({url})" if url and url not in short else short) or "unknown"


def table(infos: list[FontInfo]) -> str:
    lines = []
    for f in infos:
        lines.append(f"{f.name}: {f.family}")
        lines.append(f"  file     {f.file}" + (f" (face {f.index})" if f.index else ""))
        lines.append(f"  licence  {f.licence}")
        lines.append("  first in " + (", ".join(f.roles) or "no role")
                     + ("; fallback in " + ", ".join(f.fallback_for) if f.fallback_for else ""))
        lines.append("  covers   " + ", ".join(f"{k} {n:,}/{total:,}"
                                              for k, (n, total) in f.covered.items()))
    return "\n".join(lines)
