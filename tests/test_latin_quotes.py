"""Quotes and apostrophes inside Latin text take a proportional glyph (issue 12, item 4).

The bundled Noto Serif SC maps ‘ ’ “ ” to full-width glyphs only. Inside Latin
text (You’ll, He said “OK”) they are drawn from the face's Latin companion
named in the house style (`fonts: serif: {latin: serif-latin}`, Noto Serif),
on its proportional glyphs; beside Chinese they stay full width. Cases are set
with the real bundled fonts of the real house style at 10 pt (1 em = 10 pt),
and a built PDF is read back with pdfplumber.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pdfplumber
import pytest

from layout.build import build
from layout.errors import InputError
from layout.fonts import FontBook
from layout.setting import latin_quotes, set_text
from test_setting import with_rules
from layout.style import find_style, load_style

ROOT = Path(__file__).resolve().parent.parent
SIZE = 10.0
EM = SIZE
TOL = 0.01
BODY = ("serif", "kai")
HEAD = ("serif-bold", "serif", "kai")
BYLINE = ("kai", "serif")
# Noto Serif's proportional quotes, in em (LICENSES.md): Regular, Bold
SINGLE, DOUBLE = 0.25, 0.45
SINGLE_BOLD, DOUBLE_BOLD = 0.28, 0.489


@pytest.fixture(scope="module")
def style():
    return load_style(find_style("shangjie", ROOT / "issues" / "x.yaml"))


@pytest.fixture(scope="module")
def book(style, cache) -> FontBook:
    return FontBook(style.fonts, cache=cache)


def setp(book, text: str, measure_em: float = 40, chain=BODY, **kw):
    return set_text(text, chain, SIZE, measure_em * EM, book, **with_rules(kw))


def line_glyphs(book, ln):
    """(character, face, origin pt, advance pt) of every glyph of a line."""
    row = []
    for r in ln.runs:
        x = r.x
        face = r.face.split("/")[0]
        for c in r.text:
            a = book.advance(face, c) * EM * (0.5 if r.face.endswith("/half") else 1.0)
            row.append((c, r.face, x, a))
            x += a
    return row


def glyphs(book, st):
    return [line_glyphs(book, ln) for ln in st.lines]


def quote_glyphs(book, st):
    return [g for row in glyphs(book, st) for g in row if g[0] in "‘’“”"]


# -- which quotes are inside Latin text -----------------------------------------

@pytest.mark.parametrize("text, inside", [
    ("You’ll see", "3"),
    ("rock’n’roll", "4 6"),
    ("He said “OK” then", "8 11"),
    ("‘OK’ and “Yes”", "0 3 9 13"),
    ("the students’ work", "12"),
    ("’90s music", "0"),
    ("“Hello, world.”", "0 14"),
    ("He said “Hello 2025” then", "8 19"),
    ("他说“OK”。", ""),                    # beside Chinese: Chinese quotes
    ("“OK”是个词", ""),                    # one side of the pair is Chinese
    ("他说：“You’ll win.”", "7"),          # only the apostrophe: the pair is beside ：
    ("“Windows 11系统”", ""),              # Han inside the pair
    ("“你好”", ""),
    ("“上街”OK", ""),
    ("OK“上街”", ""),
    ("没有引号 no quotes", ""),
])
def test_latin_quotes(text, inside):
    assert sorted(latin_quotes(text)) == [int(i) for i in inside.split()]


# -- widths and faces in the setter ---------------------------------------------

def test_apostrophe_is_proportional_from_the_latin_companion(book):
    st = setp(book, "You’ll see")
    (line,) = st.lines
    (q,) = quote_glyphs(book, st)
    assert q[1] == "serif-latin"
    assert q[3] == pytest.approx(SINGLE * EM, abs=TOL)
    # the word is one unit, drawn as You | ’ | ll with no gap: the ’ is 0.25 em, not 1 em
    you = glyphs(book, st)[0][:6]
    assert "".join(g[0] for g in you) == "You’ll"
    for g, nxt in zip(you, you[1:]):
        assert nxt[2] == pytest.approx(g[2] + g[3], abs=TOL)
    plain = sum(book.advance("serif", c) for c in "Youll") + SINGLE
    assert you[-1][2] + you[-1][3] == pytest.approx(plain * EM, abs=TOL)
    assert line.text == "You’llsee"                 # (spaces are gaps, not glyphs)


def test_quotes_around_latin_text_are_proportional(book):
    st = setp(book, "He said “OK” then")
    qs = quote_glyphs(book, st)
    assert [(c, f) for c, f, _, _ in qs] == [("“", "serif-latin"), ("”", "serif-latin")]
    assert all(a == pytest.approx(DOUBLE * EM, abs=TOL) for _, _, _, a in qs)
    row = glyphs(book, st)[0]
    k = [g[0] for g in row].index("“")
    assert [g[0] for g in row[k:k + 4]] == list("“OK”")
    for g, nxt in zip(row[k:k + 4], row[k + 1:k + 4]):      # “OK” set solid, no blank
        assert nxt[2] == pytest.approx(g[2] + g[3], abs=TOL)


def test_quotes_beside_chinese_stay_full_width(book):
    st = setp(book, "他说“OK”就走了。")
    qs = quote_glyphs(book, st)
    assert [f for _, f, _, _ in qs] == ["serif", "serif"]
    row = glyphs(book, st)[0]
    xs = {g[0]: g[2] for g in row}
    assert xs["O"] - xs["说"] == pytest.approx(2 * EM, abs=TOL)   # 说 and a 1-em “
    assert xs["就"] - (xs["K"] + book.advance("serif", "K") * EM) == pytest.approx(EM, abs=TOL)


def test_chinese_quotation_of_english_keeps_full_width_quotes(book):
    st = setp(book, "他说：“You’ll win.”")
    qs = quote_glyphs(book, st)
    assert [(c, f) for c, f, _, _ in qs] == [("“", "serif"), ("’", "serif-latin"),
                                           ("”", "serif")]


def test_bold_headline_takes_the_bold_companion(book):
    st = setp(book, "Don’t say “No”", chain=HEAD, justify=False)
    qs = quote_glyphs(book, st)
    assert [f for _, f, _, _ in qs] == ["serif-latin-bold"] * 3
    assert [round(a / EM, 3) for _, _, _, a in qs] == [SINGLE_BOLD, DOUBLE_BOLD, DOUBLE_BOLD]


def test_a_face_without_companion_keeps_its_own_quotes(book):
    # the Kai face (bylines) has no companion: its quotes are proportional already
    st = setp(book, "You’ll see", chain=BYLINE)
    (q,) = quote_glyphs(book, st)
    assert q[1] == "kai"
    assert q[3] == pytest.approx(book.advance("kai", "’") * EM, abs=TOL)


def test_letterspaced_text_keeps_its_quotes(book):
    st = setp(book, "“OK”", chain=HEAD, justify=False, tracking_em=0.3)
    assert [f for _, f, _, _ in quote_glyphs(book, st)] == ["serif-bold", "serif-bold"]


@pytest.mark.parametrize("measure", [4, 5, 6, 7, 8])
def test_quotes_stay_with_their_word_at_narrow_measures(book, measure):
    text = "The manager said “OK” and you’ll see it soon."
    st = setp(book, text, measure)
    lines = [ln.text for ln in st.lines]
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    for t in lines:
        assert not t.startswith("”") and not t.endswith("“")
        assert "“OK”" in t or "OK" not in t                 # one unbreakable unit
        assert "you’ll" in t or "ll" not in t
    for q in quote_glyphs(book, st):
        assert q[1] == "serif-latin"
        assert q[3] == pytest.approx((DOUBLE if q[0] in "“”" else SINGLE) * EM, abs=TOL)
    for ln in st.lines:                                    # nothing over the measure
        row = line_glyphs(book, ln)
        assert row[-1][2] + row[-1][3] <= measure * EM + TOL


def test_a_quoted_url_wider_than_the_measure_breaks_and_keeps_its_quote_glyphs(book):
    st = setp(book, "Visit “https://www.example.com/a-b” now", 6)
    assert "".join(ln.text for ln in st.lines).replace(" ", "") == \
        "Visit“https://www.example.com/a-b”now"
    qs = quote_glyphs(book, st)
    assert [f for _, f, _, _ in qs] == ["serif-latin", "serif-latin"]
    assert all(a == pytest.approx(DOUBLE * EM, abs=TOL) for _, _, _, a in qs)


def test_companion_sits_on_its_owners_baseline(book):
    # the renderer aligns each face's em box bottom; the Latin face's descender is
    # deeper (-0.293 em), so it takes its owner's, and its glyphs share the baseline
    assert book.faces["serif-latin"].em_bottom == book.faces["serif"].em_bottom
    assert book.faces["serif-latin-bold"].em_bottom == book.faces["serif-bold"].em_bottom


# -- the house style --------------------------------------------------------------

def _style_with(tmp_path: Path, fonts_yaml: str) -> Path:
    text = (ROOT / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    start = text.index("fonts:")
    end = text.index("\ntext:")
    path = tmp_path / "shangjie.yaml"
    path.write_text(text[:start] + "fonts:\n" + textwrap.indent(fonts_yaml, "  ") + text[end:],
                    encoding="utf-8")
    return path


@pytest.mark.parametrize("fonts_yaml, message", [
    ("serif: {file: NotoSerifSC-Regular.otf, latin: roman}\n"
     "serif-bold: {file: NotoSerifSC-Bold.otf}\nkai: {file: LXGWWenKai-Regular.ttf}\n",
     "names 'roman' as its Latin companion ('latin'), which 'fonts' does not define"),
    ("serif: {file: NotoSerifSC-Regular.otf, latin: serif}\n"
     "serif-bold: {file: NotoSerifSC-Bold.otf}\nkai: {file: LXGWWenKai-Regular.ttf}\n",
     "names itself as its Latin companion"),
    ("serif: {file: NotoSerifSC-Regular.otf, latin: serif-bold}\n"
     "serif-bold: {file: NotoSerifSC-Bold.otf, latin: kai}\nkai: {file: LXGWWenKai-Regular.ttf}\n",
     "names 'serif-bold', which has a Latin companion of its own"),
])
def test_a_bad_latin_companion_is_an_error_at_its_line(tmp_path, fonts_yaml, message):
    path = _style_with(tmp_path, fonts_yaml)
    with pytest.raises(InputError) as err:
        load_style(path)
    assert message in err.value.message
    fonts_line = path.read_text(encoding="utf-8").splitlines().index("fonts:") + 1
    assert err.value.source.line == fonts_line + 1          # at serif's `latin:`


def test_without_a_companion_every_quote_is_the_faces_own(tmp_path, cache):
    path = _style_with(tmp_path, "serif: {file: NotoSerifSC-Regular.otf}\n"
                                 "serif-bold: {file: NotoSerifSC-Bold.otf}\n"
                                 "kai: {file: LXGWWenKai-Regular.ttf}\n")
    style = load_style(path)
    assert style.fonts["serif"].latin is None
    fb = FontBook(style.fonts, cache=cache)
    st = set_text("You’ll", BODY, SIZE, 40 * EM, fb)
    (q,) = quote_glyphs(fb, st)
    assert q[1] == "serif" and q[3] == pytest.approx(EM, abs=TOL)


# -- the PDF ----------------------------------------------------------------------

BODY_TEXT = ("微软发布新款Surface Book。The manager said “OK” and you’ll see it soon. "
             "他说：“这很好。”群众说‘OK’就走了。")


@pytest.fixture(scope="module")
def pdf_chars(tmp_path_factory):
    folder = tmp_path_factory.mktemp("latin-quotes")
    issue = folder / "q.yaml"
    issue.write_text(textwrap.dedent(f"""\
        paper: shangjie
        date: 2025-03-09
        number: 1
        total: 1
        pages:
          - articles:
              - headline: Don’t say “No” 也要说“是”
                body: |
                  {BODY_TEXT}
        """), encoding="utf-8")
    pdf = folder / "q.pdf"
    build(issue, pdf, pdfx=False)
    with pdfplumber.open(pdf) as doc:
        return [c for c in doc.pages[0].chars]


def test_pdf_draws_latin_quotes_from_noto_serif_and_chinese_ones_full_width(pdf_chars, style):
    size = style.body.size
    body = [c for c in pdf_chars if abs(c["size"] - size) < 0.01]
    quotes = [c for c in body if c["text"] in "‘’“”"]
    assert [c["text"] for c in quotes] == list("“”’“”‘’")
    latin, chinese = quotes[:3], quotes[3:]
    for c in latin:        # “OK” and you’ll: Noto Serif, proportional
        assert "NotoSerif-Regular" in c["fontname"], c["fontname"]
        em = DOUBLE if c["text"] in "“”" else SINGLE
        assert c["x1"] - c["x0"] == pytest.approx(em * size, abs=0.02)
    for c in chinese:      # 他说：“这很好。” and 群众说‘OK’: the CJK face, a full (or half) em
        assert "NotoSerifCJK" in c["fontname"], c["fontname"]
        assert c["x1"] - c["x0"] in (pytest.approx(size, abs=0.02),
                                     pytest.approx(size / 2, abs=0.02))


def test_pdf_text_extracts_as_the_same_quote_characters(pdf_chars, style):
    size = style.body.size
    text = "".join(c["text"] for c in pdf_chars if abs(c["size"] - size) < 0.01)
    assert text.replace(" ", "") == BODY_TEXT.replace(" ", "")


def test_pdf_headline_quotes_inside_latin_are_bold_noto_serif(pdf_chars, style):
    head = [c for c in pdf_chars if c["size"] > style.body.size + 1 and c["text"] in "’“”"]
    assert [c["text"] for c in head] == list("’“”“”")
    assert all("NotoSerif-Bold" in c["fontname"] for c in head[:3])
    assert all("NotoSerifCJK" in c["fontname"] for c in head[3:])


def test_pdf_latin_quotes_share_the_lines_baseline_and_em_box(pdf_chars, style):
    # drawn on the owner's baseline, and with its em box in the font descriptor, so a
    # text extractor (pdfplumber groups lines by the box's top) keeps them in their line
    for size in (style.body.size, style.text["lead_headline"].size):
        line = [c for c in pdf_chars if abs(c["size"] - size) < 0.01]
        latin = [c for c in line if c["text"] in "‘’“”" and "NotoSerif-" in c["fontname"]]
        assert latin
        for q in latin:
            same = [c for c in line if abs(c["matrix"][5] - q["matrix"][5]) < 0.01]
            cjk = [c for c in same if "NotoSerifCJK" in c["fontname"]]
            assert cjk, "a CJK glyph on the quote's baseline"
            assert q["top"] == pytest.approx(cjk[0]["top"], abs=0.01)
            assert q["bottom"] == pytest.approx(cjk[0]["bottom"], abs=0.01)
