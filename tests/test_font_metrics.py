"""Metrics from the full faces, subsets made after composition (issue 11).

The setter's advances, ink boxes and coverage come from each face's metrics
table, read from the full face once and cached by the font file's content; the
TrueType subsets embedded in the PDF are made when the pages are drawn, from
the glyphs they set. A character no font has is named after composition, with
its YAML line, before anything is written.
"""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from layout import build as B
from layout import clreq, fonts
from layout.errors import InputError
from layout.fonts import FontBook, MissingGlyph, decode_table
from layout.render import render
from layout.setting import HALF_FACE
from layout.style import FontSpec

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
SERIF = FontSpec("serif", FONTS / "NotoSerifSC-Regular.otf")
KAI = FontSpec("kai", FONTS / "LXGWWenKai-Regular.ttf")


def _book(cache: Path, *specs: FontSpec) -> FontBook:
    return FontBook({s.name: s for s in specs or (SERIF, KAI)}, cache=cache)


# -- the metrics ----------------------------------------------------------------------

@pytest.mark.parametrize("spec", [SERIF, KAI], ids=["cff", "truetype"])
def test_metrics_are_the_full_faces(tmp_path, spec):
    book = _book(tmp_path, spec)
    face = book.faces[spec.name]
    src = TTFont(str(spec.file), lazy=True)
    cmap, hmtx, upm = src.getBestCmap(), src["hmtx"], src["head"].unitsPerEm
    assert face.coverage == frozenset(cmap)
    for ch in "上街时报融媒体中心，。“”（）《》—…AZaz09@":
        assert book.advance(spec.name, ch) == hmtx[cmap[ord(ch)]][0] / upm, ch
    assert face.em_bottom == src["OS/2"].sTypoDescender / upm
    # a face's characters all answer, not only those some issue set
    rare = [chr(cp) for cp in sorted(cmap) if cp > 0x9000][-50:]
    assert all(book.advance(spec.name, ch) > 0 for ch in rare)


def test_ink_boxes_are_the_converted_outlines(tmp_path):
    book = _book(tmp_path, SERIF)
    src = TTFont(str(SERIF.file), lazy=True)
    gs, cmap, upm = src.getGlyphSet(), src.getBestCmap(), src["head"].unitsPerEm
    for ch in "，。、“”（）《》—":
        glyph = fonts._convert_glyph(gs, cmap[ord(ch)], False)
        glyph.recalcBounds(None)
        assert book.ink("serif", ch) == (glyph.xMin / upm, glyph.xMax / upm), ch
    # half-width marks: closing ones with their ink in the left half, opening in the right
    assert book.has_half("serif", "，") and book.has_half("serif", "（")
    assert not book.has_half("serif", "上") and not book.has_half("serif", "—")


def test_a_warm_book_reads_its_tables_and_never_opens_a_face(tmp_path, monkeypatch):
    _book(tmp_path)                              # fills the cache
    def refuse(*args):
        raise AssertionError("a full face was opened")
    monkeypatch.setattr(fonts, "_open_face", refuse)
    book = _book(tmp_path)
    assert book.face_for(("serif", "kai"), "上") == "serif"
    assert book.advance("serif", "上") == 1.0
    for ch in clreq.OPENING | clreq.CLOSING | clreq.PAUSE_STOP:
        book.ink("serif", ch), book.has_half("serif", ch)


def test_the_metrics_table_is_keyed_by_the_font_files_content(tmp_path):
    cache = tmp_path / "cache"
    _book(cache, SERIF)
    tables = sorted((cache / "metrics").iterdir())
    assert len(tables) == 1
    copy = tmp_path / "elsewhere" / "copy.otf"          # another path, another time
    copy.parent.mkdir()
    shutil.copy(SERIF.file, copy)
    os.utime(copy, (1_000_000_000, 1_000_000_000))
    book = _book(cache, FontSpec("serif", copy))
    assert sorted((cache / "metrics").iterdir()) == tables      # the same table
    assert len(list((cache / "stamps").iterdir())) == 2         # a stamp per path
    table = decode_table(tables[0].read_bytes())
    assert book.faces["serif"].coverage == table.coverage()


def test_the_setter_records_a_character_no_face_has(tmp_path):
    book = _book(tmp_path)
    assert book.face_for(("serif", "kai"), "\ue000") is None
    assert book.missing == {"\ue000": ("serif", "kai")}
    assert book.advance("serif", "\ue000") == 1.0          # .notdef's width, no KeyError
    assert book.face_for(("serif",), "\u200b") is None      # spacing: needs no glyph
    assert "\u200b" not in book.missing


# -- the subsets, after composition --------------------------------------------------

@pytest.fixture(scope="module")
def sample_drawn(tmp_path_factory):
    prep = B.prepare(SAMPLE)
    for face in prep.fonts.faces.values():
        assert face.subset_path is None                  # nothing embedded before composing
    pages, _ = B.compose(prep)
    for face in prep.fonts.faces.values():
        assert face.subset_path is None                  # ... nor before drawing
    out = tmp_path_factory.mktemp("drawn") / "sample.pdf"
    render(pages, prep.style, prep.fonts, out)
    return prep, pages


def _drawn(pages) -> dict[str, set[str]]:
    drawn: dict[str, set[str]] = {}
    for page in pages:
        for pl in page.lines:
            for run in pl.line.runs:
                drawn.setdefault(run.face, set()).update(run.text)
    return drawn


def test_subsets_hold_exactly_the_glyphs_the_pages_set(sample_drawn):
    prep, pages = sample_drawn
    drawn = _drawn(pages)
    for name, face in prep.fonts.faces.items():
        full = drawn.get(name, set()) | drawn.get(name + HALF_FACE, set())
        if not full:
            assert face.subset_path is None
            continue
        cmap = TTFont(str(face.subset_path)).getBestCmap()
        assert {chr(cp) for cp in cmap} == full, name
        if name + HALF_FACE in drawn:
            half = TTFont(str(face.half_path)).getBestCmap()
            assert drawn[name + HALF_FACE] <= {chr(cp) for cp in half}


def test_no_drawn_glyph_is_a_box(sample_drawn):
    """Every character a run draws maps to a real glyph of the font embedded for it."""
    prep, pages = sample_drawn
    faces = prep.fonts.faces
    glyphs = {}
    for name, face in faces.items():
        for key, path in ((name, face.subset_path), (name + HALF_FACE, face.half_path)):
            if path is not None:
                font = TTFont(str(path))
                glyphs[key] = (font.getBestCmap(), font["glyf"])
    for face, chars in _drawn(pages).items():
        cmap, glyf = glyphs[face]
        for ch in chars:
            name = cmap.get(ord(ch))
            assert name not in (None, ".notdef"), (face, ch)
            g = glyf[name]
            assert g.numberOfContours or ch.isspace(), (face, ch)       # not an empty box


def test_the_pre_pass_is_gone():
    assert not hasattr(B, "_claim_text")
    assert "_claim_text" not in (ROOT / "layout" / "session.py").read_text(encoding="utf-8")


# -- a character no font has -----------------------------------------------------------

def _issue(folder: Path, body: str, headline: str = "缺字测试") -> Path:
    """A one-page issue; its article starts on line 11 (its headline), its body on 12,
    the body's text on 13."""
    path = folder / "issue.yaml"
    path.write_text("\n".join([
        "paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
        "credits:", "  duty_editor: 焦芙蓉", "  proofreaders: [刘世平]",
        "pages:", "  - section: 要闻", "    articles:",
        f"      - headline: {headline}", "        body: |", f"          {body}", ""]),
        encoding="utf-8")
    return path


def test_a_missing_character_is_named_with_its_paragraph_line_before_anything_is_written(
        tmp_path):
    path = _issue(tmp_path, "这里有一个\ue000私用区字符。")
    out = tmp_path / "out.pdf"
    with pytest.raises(MissingGlyph) as info:
        B.build(path, out)
    err = info.value
    assert err.char == "\ue000" and isinstance(err, InputError)
    # the paragraph's line, at its first character (after the block's indent)
    line = path.read_text(encoding="utf-8").splitlines()[12]
    assert str(err).startswith(f"{path}:13:{len(line) - len(line.lstrip()) + 1}: ")
    assert len(line) - len(line.lstrip()) > 0
    assert "U+E000" in str(err) and "'缺字测试'" in str(err) and "serif, kai" in str(err)
    assert not out.exists()


def test_check_lists_a_missing_character_once(tmp_path):
    path = _issue(tmp_path, "私用区\ue000字符，再来一个\ue000。")
    pages, composer, problems = B.check_all(path)
    assert [p.char for p in problems] == ["\ue000"]


def test_a_watch_session_keeps_reporting_a_missing_character_until_it_is_fixed(tmp_path):
    from layout.session import Session

    path = _issue(tmp_path, "网格员走访居民。")
    session = Session(path, tmp_path / "watch")
    try:
        session.build()
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("走访", "走\ue000访"), encoding="utf-8")
        for _ in range(2):                  # the set text it was in is not kept
            with pytest.raises(MissingGlyph):
                session.build()
        path.write_text(text, encoding="utf-8")
        assert session.build().pages
    finally:
        session.close()
