"""Drawing set lines (layout/render.py): one text object a line, one array per font
subset and baseline, every glyph where setting put it (issue 11)."""
from __future__ import annotations

import random
import re
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from reportlab.lib.rl_accel import fp_str as reportlab_fp_str

from layout import build as B
from layout.render import fp_str, render
from layout.setting import HALF_FACE

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"


def test_fp_str_writes_what_reportlab_writes():
    rng = random.Random(11)
    values = [0, 1e-8, -1e-8, 1e-7, 2e-7, -2e-7, 0.5, -0.5, 1, -1, 10, 100, 999.9999995,
              0.9999999, 1.0000001, 9.9999999, 841.8897637795277, 1e6, 1e7, -1e7]
    for _ in range(20_000):
        values.append(rng.choice((1, -1)) * 10 ** rng.uniform(-8, 7))
        values.append(round(rng.uniform(0, 1200), rng.randint(0, 8)))
    assert [fp_str(v) for v in values] == [reportlab_fp_str(v) for v in values]


@pytest.fixture(scope="module")
def drawn(tmp_path_factory):
    prep = B.prepare(SAMPLE)
    pages, _ = B.compose(prep)
    out = tmp_path_factory.mktemp("render") / "sample.pdf"
    render(pages, prep.style, prep.fonts, out)
    return prep, pages, out


def _expected(prep, pages) -> list[list[tuple[str, float, float]]]:
    """(character, x, baseline) of every glyph, as composition placed it."""
    faces = list(prep.fonts.faces.values())
    ref = faces[0].em_bottom
    out = []
    for page in pages:
        glyphs = []
        for pl in page.lines:
            for run in pl.line.runs:
                face = prep.fonts.faces[run.face.removesuffix(HALF_FACE)]
                x = pl.x + run.x
                y = pl.y + (ref - face.em_bottom) * pl.size
                for ch in run.text:
                    glyphs.append((ch, x, y))
                    step = 0.5 if run.face.endswith(HALF_FACE) else prep.fonts.advance(
                        face.name, ch)
                    x += step * pl.size
        out.append(glyphs)
    return out


def test_every_glyph_is_where_setting_put_it(drawn):
    prep, pages, out = drawn
    want = _expected(prep, pages)
    with pdfplumber.open(out) as pdf:
        for page, glyphs in zip(pdf.pages, want):
            got = sorted((c["text"], round(c["x0"], 2), round(c["matrix"][5], 2))
                         for c in page.chars)
            exp = sorted((ch, round(x, 2), round(y, 2)) for ch, x, y in glyphs)
            assert len(got) == len(exp)
            worst = max(max(abs(a[1] - b[1]), abs(a[2] - b[2])) for a, b in zip(got, exp))
            assert [g[0] for g in got] == [e[0] for e in exp]
            assert worst <= 0.011


def test_a_line_is_one_text_object_with_few_operators(drawn):
    prep, pages, out = drawn
    lines = sum(len(page.lines) for page in pages)
    glyphs = sum(len(run.text) for page in pages for pl in page.lines for run in pl.line.runs)
    with pikepdf.open(out) as pdf:
        ops = [op for page in pdf.pages for _, op in pikepdf.parse_content_stream(page)]
    names = [str(op) for op in ops]
    assert names.count("BT") == lines
    # a text matrix per baseline (a glyph each before); a font selection and an array
    # per run of glyphs in one of ReportLab's 256-glyph subsets (a glyph each before)
    assert names.count("Tm") < glyphs / 4
    shows = names.count("TJ") + names.count("Tj")
    assert shows <= names.count("Tf")
    assert names.count("Tm") + names.count("Tf") + shows < 1.5 * glyphs      # was 3 a glyph


def test_fonts_are_selected_only_when_they_change(drawn):
    _, _, out = drawn
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            last = None
            for operands, op in pikepdf.parse_content_stream(page):
                if str(op) == "BT":
                    last = None
                elif str(op) == "Tf":
                    assert operands[0] != last, "the same font selected twice in a row"
                    last = operands[0]


def test_streams_are_flate_only(drawn):
    _, _, out = drawn
    with pikepdf.open(out) as pdf:
        for page in pdf.pages:
            contents = page.obj.Contents
            for stream in (contents if isinstance(contents, pikepdf.Array) else [contents]):
                filters = stream.get("/Filter")
                names = [str(f) for f in (filters if isinstance(filters, pikepdf.Array)
                                          else [filters])]
                assert names == ["/FlateDecode"]
    assert re.search(rb"/ASCII85Decode", out.read_bytes()) is None
