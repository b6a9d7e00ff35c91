"""Nothing is lost: long bylines wrap, labels that cannot wrap fail, and the build
itself proves every character of the issue is on its pages (layout.conserve).

The check is proven by breaking composition on purpose (a monkeypatched
composer that drops a line): the build must fail with an internal error that
names the article and the lost text, and leave the last good PDF alone.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pdfplumber
import pikepdf
import pytest
from click.testing import CliRunner

from layout import compose as compose_mod
from layout.build import compose, prepare
from layout.cli import main
from layout.conserve import canonical

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "issues" / "2025-03-09.yaml"

BODY = "全区上下要坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，推动经济社会高质量发展。" * 4
LONG_BYLINES = [
    "文/记者 郭晓峰 通讯员 李明轩 王雅琪 编辑/赵文博",
    "记者 冯佳雯 通讯员 李郑阳",
    "本报记者 欧阳明月 司马相如 通讯员 诸葛孔明 上官婉儿 皇甫嵩 实习生 慕容复",
    "记者冯佳雯通讯员李郑阳王浩罗浩张怡馨王慧敏",      # no spaces: the setter breaks it
]


def issue(folder: Path, bylines: list[str], *, section: str = "要闻",
          duty_editor: str = "焦芙蓉", proofreaders: str = "[刘世平, 孙畅]") -> Path:
    """A one-page issue with one article per byline."""
    folder.mkdir(parents=True, exist_ok=True)
    out = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
           "credits:", f"  duty_editor: {duty_editor}", f"  proofreaders: {proofreaders}",
           "pages:", f"  - section: {section}", "    articles:"]
    for i, byline in enumerate(bylines):
        out += [f"      - headline: 测试标题第{i + 1}篇", f"        byline: {byline}",
                "        body: |", textwrap.indent(BODY, " " * 10)]
    path = folder / "issue.yaml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def placed(pages, field: str):
    return [pl for page in pages for pl in page.lines
            if pl.origin is not None and pl.origin[1] == field]


def test_long_bylines_wrap_ranged_right_and_keep_every_character(tmp_path):
    prep = prepare(issue(tmp_path, LONG_BYLINES))
    pages, composer = compose(prep)
    g = composer.grid
    for article in prep.issue.pages[0].articles:
        lines = [pl for pl in placed(pages, "byline") if pl.origin[0] is article]
        got = "".join(pl.line.text for pl in lines)
        assert canonical(got) == canonical(article.printed_byline)
        assert len(lines) >= 2, article.byline
        for pl in lines:       # ranged right: each line ends at its column's right edge
            col_right = min((g.column_x(c) + g.column_width for c in range(g.columns)),
                            key=lambda r: abs(r - (pl.x + pl.line.natural)))
            assert abs(pl.x + pl.line.natural - col_right) < 0.6, pl.line.text
            assert pl.line.natural <= g.column_width + 0.01
    # balanced and at the copy's spaces: 记者 冯佳雯 | 通讯员 李郑阳, names whole
    second = prep.issue.pages[0].articles[1]
    texts = [pl.line.text for pl in placed(pages, "byline") if pl.origin[0] is second]
    assert texts == ["（记者冯佳雯", "通讯员李郑阳）"]      # word spaces are glue, not glyphs


def test_long_bylines_are_all_in_the_pdf(tmp_path):
    path = issue(tmp_path, LONG_BYLINES)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out.pdf")])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        text = canonical("".join(c["text"] for c in pdf.pages[0].chars))
    for byline in LONG_BYLINES:
        for name in byline.split():
            assert canonical(name) in text, name


def _break(monkeypatch, field: str, which: int = -1):
    """A composer that loses one placed line of `field` (the bug the check must catch)."""
    real = compose_mod.Composer._place_module

    def lossy(self, m, p, first, last, out, rules, number):
        photos = real(self, m, p, first, last, out, rules, number)
        mine = [i for i, pl in enumerate(out)
                if pl.origin is not None and pl.origin[0] is m.article and pl.origin[1] == field]
        if mine:
            del out[mine[which]]
        return photos

    monkeypatch.setattr(compose_mod.Composer, "_place_module", lossy)


@pytest.mark.parametrize("field, which", [("byline", -1), ("body", 3), ("headline", 0)])
def test_a_lost_line_fails_the_build_and_keeps_the_old_pdf(tmp_path, monkeypatch, field, which):
    path = issue(tmp_path, ["记者 王明玥"])
    out = tmp_path / "out.pdf"
    assert CliRunner().invoke(main, ["build", str(path), "-o", str(out)]).exit_code == 0
    good = out.read_bytes()
    _break(monkeypatch, field, which)
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(out)])
    assert result.exit_code == 3, result.output
    line = result.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "测试标题第1篇" in line and f"the {field} on the pages differs" in line
    assert "expected '" in line and "found '" in line
    assert out.read_bytes() == good
    assert sorted(p.name for p in tmp_path.iterdir()) == ["issue.yaml", "out.pdf"]


def test_a_lost_section_fails_the_build(tmp_path, monkeypatch):
    real = compose_mod.Composer._page_header

    def lossy(self, page, out, rules):
        real(self, page, out, rules)
        out[:] = [pl for pl in out if pl.origin != (f"page {page.number}", "section")]

    monkeypatch.setattr(compose_mod.Composer, "_page_header", lossy)
    path = tmp_path / "two.yaml"
    text = issue(tmp_path, ["记者 王明玥"]).read_text(encoding="utf-8")
    page = text[text.index("  - section"):]
    path.write_text(text + page.replace("要闻", "综合").replace("测试标题", "第二版标题"),
                    encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 3
    assert "page 2: the section '综合' is not on the page" in result.output


def test_page_one_prints_its_section_in_the_issue_line(tmp_path):
    pages, _ = compose(prepare(issue(tmp_path, ["记者 王明玥"], section="时政要闻")))
    assert [pl.line.text for pl in placed(pages, "section")] == ["第1版时政要闻"]


def test_sample_and_stress_issues_pass_the_check():
    for name in ("2025-03-09.yaml", "stress.yaml", "stress-4pages.yaml"):
        compose(prepare(REPO / "issues" / name))     # raises LostTextError if not


def test_a_section_too_long_for_the_page_header_is_an_input_error(tmp_path):
    path = issue(tmp_path, ["记者 王明玥"])
    text = path.read_text(encoding="utf-8")
    page = text[text.index("  - section"):]
    path.write_text(text + page.replace("要闻", "很长的版面名称" * 5), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {path}:")
    assert "page 2: section '很长的版面名称很长的版面名称很长的版面名…' is too long for the " \
           "page header by" in result.output
    assert not (tmp_path / "o.pdf").exists()


def test_credits_too_long_for_their_line_is_an_input_error(tmp_path):
    names = ", ".join(["欧阳明月司马相如"] * 6)       # each name within the model's limit
    path = issue(tmp_path, ["记者 王明玥"], duty_editor="焦芙蓉" * 13, proofreaders=f"[{names}]")
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2, result.output
    assert "page 1: the credits line" in result.output and "too long by" in result.output


def test_a_draft_is_marked_on_every_page_and_carries_no_pdfx_keys(tmp_path):
    out = tmp_path / "draft.pdf"
    result = CliRunner().invoke(main, ["build", str(SAMPLE), "--draft", "-o", str(out)])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(out) as pdf:
        for page in pdf.pages:
            assert "样张" in "".join(c["text"] for c in page.chars)
    with pikepdf.open(out) as pdf:
        assert "/GTS_PDFXVersion" not in pdf.docinfo
        assert "/OutputIntents" not in pdf.Root


@pytest.mark.parametrize("where", ["section", "duty_editor"])
def test_a_character_no_font_has_in_section_or_credits_names_the_page_line(tmp_path, where):
    path = issue(tmp_path, ["记者 王明玥"], **{where: "王\U00020000"})
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 2, result.output
    assert result.output.startswith(f"error: {path}:9:5: character '\U00020000' (U+20000)")


def test_a_missing_character_is_named_as_itself():
    # U+31350 (CJK Ext H) is newer than Python 3.11's Unicode tables: repr() wrote it as
    # '\U00031350', which the editor cannot find in the copy; a control still shows escaped
    from layout.fonts import missing_glyph

    err = missing_glyph("\U00031350", ("serif", "kai"), "byline of article 'X'")
    assert str(err).startswith("character '\U00031350' (U+31350) in byline of article 'X'")
    assert "'\\x07' (U+0007)" in str(missing_glyph("\x07", ("serif",), "x"))
