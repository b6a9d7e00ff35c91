"""Make the bundled fonts in fonts/ from Debian's font packages.

Run once by a maintainer (not at build time):

    apt-get install fonts-noto-cjk fonts-lxgw-wenkai
    python tools/bundle_fonts.py

Noto CJK ships as collections of five regional faces; we keep the Simplified
Chinese face only, with every character its cmap reaches, and drop the
OpenType layout tables we do not use (we set text from cmap + advances).
LXGW WenKai (a Kai face for bylines and kickers) is copied unmodified. Marks that Chinese sets full-width but the font maps to a proportional glyph
(—, ·) are pointed at the font's own full-width ('fwid') glyph, so that
—— is two ems and 间隔号 sits centred in an em, as GB/T 15834 wants.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTCollection, TTFont

NOTO = Path("/usr/share/fonts/opentype/noto")
WENKAI = Path("/usr/share/fonts/truetype/lxgw-wenkai")
OUT = Path(__file__).resolve().parent.parent / "fonts"

# code points that Chinese text sets on a full em (GB/T 15834, clreq §3.1)
FULL_WIDTH_IN_CHINESE = [0x2014, 0x2015, 0x00B7, 0x2026, 0x2018, 0x2019, 0x201C, 0x201D]


def sc_face(path: Path) -> TTFont:
    coll = TTCollection(str(path))
    for face in coll.fonts:
        if face["name"].getDebugName(1).endswith(" SC"):  # family name, e.g. "Noto Serif CJK SC"
            return face
    raise SystemExit(f"{path}: no SC face")


def fwid_map(font: TTFont) -> dict[str, str]:
    """glyph -> its full-width alternate, from the GSUB 'fwid' feature."""
    gsub = font["GSUB"].table
    lookups = set()
    for rec in gsub.FeatureList.FeatureRecord:
        if rec.FeatureTag == "fwid":
            lookups.update(rec.Feature.LookupListIndex)
    mapping: dict[str, str] = {}
    for i in sorted(lookups):
        lk = gsub.LookupList.Lookup[i]
        for st in lk.SubTable:
            st = getattr(st, "ExtSubTable", st)
            mapping.update(getattr(st, "mapping", {}) or {})
    return mapping


def bundle(font: TTFont, dest: str) -> None:
    cmap = font.getBestCmap()
    fw = fwid_map(font)
    upm = font["head"].unitsPerEm
    remap = {}
    for cp in FULL_WIDTH_IN_CHINESE:
        g = cmap.get(cp)
        # proportional in the font, full-width alternate available
        if g and font["hmtx"][g][0] != upm and fw.get(g) and font["hmtx"][fw[g]][0] == upm:
            remap[cp] = fw[g]
    opts = subset.Options()
    opts.layout_features = []          # no shaping: cmap + advances only
    opts.drop_tables += ["GSUB", "GPOS", "GDEF", "BASE", "vhea", "vmtx", "VORG", "gasp"]
    opts.name_IDs = ["*"]
    opts.name_languages = ["*"]
    opts.notdef_outline = True
    opts.hinting = False
    opts.desubroutinize = False
    sub = subset.Subsetter(opts)
    sub.populate(unicodes=cmap.keys(), glyphs=list(remap.values()))
    sub.subset(font)
    for table in font["cmap"].tables:
        if table.isUnicode():
            for cp, g in remap.items():
                if cp in table.cmap:
                    table.cmap[cp] = g
    font.save(OUT / dest)
    print(dest, (OUT / dest).stat().st_size // 1024, "KiB", "remapped", [hex(c) for c in remap])


def main() -> None:
    OUT.mkdir(exist_ok=True)
    wanted = sys.argv[1:] or ["serif", "serif-bold", "kai"]
    if "serif" in wanted:
        bundle(sc_face(NOTO / "NotoSerifCJK-Regular.ttc"), "NotoSerifSC-Regular.otf")
    if "serif-bold" in wanted:
        bundle(sc_face(NOTO / "NotoSerifCJK-Bold.ttc"), "NotoSerifSC-Bold.otf")
    if "kai" in wanted:
        # shipped unmodified: "LXGW" is a Reserved Font Name under its OFL, so a
        # changed copy could not keep the name (its — is full-width already)
        shutil.copyfile(WENKAI / "LXGWWenKai-Regular.ttf", OUT / "LXGWWenKai-Regular.ttf")


if __name__ == "__main__":
    sys.exit(main())
