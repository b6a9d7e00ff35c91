"""Composition of small real pages: modules placed by the search, set with the bundled fonts.

Small issues (paper: shangjie, found among the installed styles) are written
into tmp folders; their bodies repeat one realistic sentence so the length of
each article is under control. Issues that several tests read are built once
per module (fixtures `pages`, `continued`, `pinned_low`). LAYOUT_CACHE_DIR points
at the run's tmp folder (fixture `cache` in conftest.py), so no test touches
~/.cache.

The shangjie style: 6 columns of 13 body characters, 9 pt body on a 14 pt grid;
page 1 has 62 grid lines for articles (below the masthead), later pages 74.
"""
from __future__ import annotations

import logging
import math
import json
import re
from collections import Counter
from itertools import combinations
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from layout.build import build
from layout.cli import main
from layout.errors import FitError, InputError
from layout.style import MM, find_style, load_style

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "tests" / "data"
COLUMNS = 6
AREA_LINES = {1: 62}          # page 1; every later page has 74
LATER_LINES = 74
SENTENCE = "全区上下凝心聚力，推动经济社会高质量发展。"       # 21 characters
BYLINE = "记者 王明玥"
REPORT_PAGE_KEYS = {"page", "area", "modules", "white_space_pct", "overset_chars",
                    "headline_collisions", "fit", "score", "seconds"}
REPORT_MODULE_KEYS = {"headline", "role", "columns", "lines", "position", "box", "air_lines",
                      "headline_lines", "source"}
INSET_KEYS = {"body_columns", "wide_lines"}   # only an inset (L-shape) module has them
PHOTO_KEYS = {"photos"}                # only a module with photos has it


# -- writing issues -------------------------------------------------------------------------

def body(sentences: int, *, first: str = "", last: str = "", per_paragraph: int = 12) -> list[str]:
    """Paragraphs of the repeated sentence; `first` and `last` open and close the text."""
    paras = []
    left = sentences
    while left > 0:
        n = min(per_paragraph, left)
        paras.append(SENTENCE * n)
        left -= n
    return ([first] if first else []) + paras + ([last] if last else [])


def article(headline: str, paragraphs: list[str], **pins) -> dict:
    return {"headline": headline, "body": paragraphs, "pins": pins}


def write_issue(folder: Path, pages: list[list[dict]], name: str = "issue.yaml") -> Path:
    """An issue file with one page per list of articles; pins written as given."""
    folder.mkdir(parents=True, exist_ok=True)
    out = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
           "credits:", "  duty_editor: 焦芙蓉", "  proofreaders: [刘世平, 孙畅]", "pages:"]
    for arts in pages:
        out += ["  - section: 要闻", "    articles:"]
        for a in arts:
            out += [f"      - headline: {a['headline']}", f"        byline: {BYLINE}"]
            out += [f"        {k}: {v}" for k, v in a["pins"].items()]
            out += ["        body: |"]
            for i, para in enumerate(a["body"]):
                if i:
                    out.append("")
                out.append("          " + para)
    path = folder / name
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    """1-based line of the file where `needle` is first written."""
    return next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if needle in t)


def area_lines(page: int) -> int:
    return AREA_LINES.get(page, LATER_LINES)


def modules_named(report: dict, headline: str) -> list[tuple[int, dict]]:
    return [(p["page"], m) for p in report["pages"] for m in p["modules"]
            if m["headline"] == headline]


def the_module(report: dict, page: int, headline: str) -> dict:
    found = [m for n, m in modules_named(report, headline) if n == page]
    assert len(found) == 1, (page, headline, report)
    return found[0]


def text_of(chars) -> str:
    return "".join(c["text"] for c in chars if not c["text"].isspace())


def body_size_text(chars, size: float) -> str:
    """Body-size characters (body text, bylines, 转版 notes) in drawing order."""
    return text_of(c for c in chars if abs(c["size"] - size) < 0.01)


class Built:
    """One build: its issue, PDF, report and characters by page."""

    def __init__(self, issue: Path, pdf: Path, report: Path):
        self.issue, self.pdf = issue, pdf
        self.report = json.loads(report.read_text(encoding="utf-8"))
        with pdfplumber.open(pdf) as doc:
            self.chars = [p.chars for p in doc.pages]
            self.hlines = [[e for e in p.lines if abs(e["top"] - e["bottom"]) < 0.01]
                           for p in doc.pages]

    def text(self, page: int) -> str:
        return text_of(self.chars[page - 1])


def build_issue(folder: Path, pages: list[list[dict]], **kwargs) -> Built:
    issue = write_issue(folder, pages)
    pdf, report = folder / "issue.pdf", folder / "issue.json"
    build(issue, pdf, report=report, **kwargs)
    return Built(issue, pdf, report)


# -- fixtures ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def style():
    return load_style(find_style("shangjie", Path(__file__)))


PAGES = [
    # 1: two modules stacked at full width; the first is page 1's lead
    [article("凝心聚力谋发展", body(50), columns=6), article("真抓实干促振兴", body(40), columns=6)],
    # 2: a span pin
    [article("三栏稿件测试", body(40), columns=3), article("全区春耕生产有序推进", body(60))],
    # 3: a place pin
    [article("定位稿件测试", body(30), columns=3, place="{column: 4, line: 1}"),
     article("社区服务提质增效", body(60))],
    # 4: a height pin
    [article("定高稿件测试", body(30), height=30), article("文明实践活动走深走实", body(60))],
    # 5: no pins at all
    [article("甲稿重点项目建设", body(40)), article("乙稿乡村振兴", body(30)),
     article("丙稿民生实事", body(20))],
]
UNPINNED_PAGES = (1, 5)       # pages whose text fits and whose layout the search chose freely


@pytest.fixture(scope="module")
def pages(tmp_path_factory) -> Built:
    return build_issue(tmp_path_factory.mktemp("pages"), PAGES)


CONT_FIRST = "三月九日上午，我区召开重点项目建设推进会，研究部署下一阶段工作。"
CONT_LAST = "会议要求，各单位要压实责任，确保各项任务按期完成，以实干实绩交出高分答卷。"
CONT_PAGES = [
    [article("转版稿件测试", body(300, first=CONT_FIRST, last=CONT_LAST), continue_on=2)],
    [article("二版自有稿件", body(40))],
]


@pytest.fixture(scope="module")
def continued(tmp_path_factory) -> Built:
    return build_issue(tmp_path_factory.mktemp("continued"), CONT_PAGES)


# page 1: a lead, then an article pinned lower (line 25) that must jump to page 2
PINNED_LOW_PAGES = [
    [article("头条稿件", body(40)),
     article("低位转版稿件", body(160), continue_on=2, place="{column: 1, line: 25}")],
    [article("二版自有稿件", body(40))],
]


@pytest.fixture(scope="module")
def pinned_low(tmp_path_factory) -> Built:
    return build_issue(tmp_path_factory.mktemp("pinned-low"), PINNED_LOW_PAGES)


@pytest.fixture(params=["pages", "continued"])
def any_build(request) -> Built:
    return request.getfixturevalue(request.param)


# -- the report -------------------------------------------------------------------------------

def test_report_has_exactly_the_documented_keys(any_build):
    report = any_build.report
    assert set(report) == {"pages"}
    assert [p["page"] for p in report["pages"]] == list(range(1, len(report["pages"]) + 1))
    for page in report["pages"]:
        assert set(page) == REPORT_PAGE_KEYS, page.keys()
        assert page["modules"]
        for m in page["modules"]:
            assert REPORT_MODULE_KEYS <= set(m) <= REPORT_MODULE_KEYS | INSET_KEYS | PHOTO_KEYS, \
                m.keys()
            assert m["role"] in ("lead", "article", "brief")
            assert len(m["box"]) == 4 and m["box"][0] < m["box"][2] and m["box"][1] < m["box"][3]
            for h in m["headline_lines"]:
                assert set(h) == {"text", "size", "box"} and h["text"]
            assert set(m["position"]) == {"column", "line"}
            assert isinstance(m["headline"], str)
            for v in (m["columns"], m["lines"], m["position"]["column"], m["position"]["line"]):
                assert isinstance(v, int) and not isinstance(v, bool)
        for key in ("white_space_pct", "score", "seconds"):
            assert isinstance(page[key], (int, float)) and not isinstance(page[key], bool)
        assert isinstance(page["overset_chars"], int)
        assert isinstance(page["headline_collisions"], int)
        assert 0 <= page["white_space_pct"] <= 100
        assert page["overset_chars"] >= 0 and page["headline_collisions"] >= 0
        assert page["seconds"] >= 0
        assert len(page["area"]) == 4
        assert set(page["fit"]) == {"lines_short", "chars_to_add", "lines_over", "chars_to_cut",
                                    "column_lines_short", "column_lines_over"}


def test_report_modules_lie_inside_the_area_and_do_not_overlap(any_build):
    for page in any_build.report["pages"]:
        lines = area_lines(page["page"])
        rects = []
        for m in page["modules"]:
            col, line = m["position"]["column"], m["position"]["line"]
            assert 2 <= m["columns"] <= COLUMNS, m
            assert 1 <= col and col + m["columns"] - 1 <= COLUMNS, m
            assert m["lines"] >= 1 and 1 <= line and line + m["lines"] - 1 <= lines, m
            rects.append((col, line, col + m["columns"], line + m["lines"], m["headline"], m))
        for a, b in combinations(rects, 2):
            apart = a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1]
            if not apart:        # only a module in an inset's corner lies in another's box
                # (that module may be an inset itself: the outer one is the one whose
                # box holds the other's)
                holds = "body_columns" in a[5] and a[0] <= b[0] and b[2] <= a[2] and a[1] < b[1]
                outer, inner = (a, b) if holds else (b, a)
                assert "body_columns" in outer[5], (page["page"], a, b)
                assert outer[0] <= inner[0] and inner[2] <= outer[2], (page["page"], a, b)
                # (the corner may run on below the box, beside the stories under the
                # outer module's narrow body)
                assert outer[1] < inner[1] < outer[3], (page["page"], a, b)
                corner = outer[2] - outer[0] - outer[5]["body_columns"]
                assert inner[2] - inner[0] <= corner, (page["page"], a, b)


def test_every_article_of_the_issue_is_in_the_report(pages):
    for number, arts in enumerate(PAGES, 1):
        page = pages.report["pages"][number - 1]
        assert sorted(m["headline"] for m in page["modules"]) == sorted(a["headline"] for a in arts)


@pytest.mark.parametrize("number", UNPINNED_PAGES)
def test_a_page_whose_articles_fit_has_no_overset_and_no_collision(pages, number):
    page = pages.report["pages"][number - 1]
    assert page["overset_chars"] == 0
    assert page["headline_collisions"] == 0
    for a in PAGES[number - 1]:
        assert a["headline"] in pages.text(number)


def test_the_stacked_page_is_full_width_in_written_order(pages):
    page = pages.report["pages"][0]
    first, second = page["modules"]
    assert [m["headline"] for m in page["modules"]] == ["凝心聚力谋发展", "真抓实干促振兴"]
    assert first["columns"] == second["columns"] == COLUMNS
    assert first["position"] == {"column": 1, "line": 1}
    assert second["position"]["line"] == first["position"]["line"] + first["lines"] + 1


# -- pins -----------------------------------------------------------------------------------------

def test_span_pin_is_honoured(pages):
    assert the_module(pages.report, 2, "三栏稿件测试")["columns"] == 3


def test_place_pin_is_honoured(pages):
    m = the_module(pages.report, 3, "定位稿件测试")
    assert m["columns"] == 3
    assert m["position"] == {"column": 4, "line": 1}


def test_height_pin_is_honoured(pages):
    assert the_module(pages.report, 4, "定高稿件测试")["lines"] == 30


def _pin_issue(folder: Path, pins: dict, pages: int = 1) -> Path:
    arts = [[article("钉住的稿件", body(20), **pins)]]
    arts += [[article(f"第{n}版稿件", body(10))] for n in range(2, pages + 1)]
    return write_issue(folder, arts)


IMPOSSIBLE_PINS = [
    pytest.param(dict(columns=9), 1, "columns: 9", ["columns: 9", "6 columns", "at most 6"],
                 id="columns-9"),
    pytest.param(dict(columns=1), 1, "columns: 1", ["columns: 1", "at least 2",
                                                    "a brief, under 160 characters, or a photo with no text may take 1"],
                 id="columns-1-of-an-article"),
    pytest.param(dict(columns=3, place="{column: 6, line: 1}"), 1, "place:",
                 ["place", "column 6", "3 columns", "6 columns"], id="place-col-6-span-3"),
    pytest.param(dict(height=3), 1, "height: 3", ["height: 3", "too small"], id="height-3"),
    pytest.param(dict(continue_on=1), 1, "continue_on: 1", ["continue_on: 1", "later page"],
                 id="continue-on-1-on-page-1"),
    pytest.param(dict(continue_on=9), 2, "continue_on: 9",
                 ["continue_on: 9", "later page", "the issue has 2 pages"], id="continue-on-9-of-2"),
]


@pytest.mark.parametrize("pins, n_pages, written, words", IMPOSSIBLE_PINS)
def test_impossible_pin_is_an_input_error_naming_the_article_and_reason(
        tmp_path, pins, n_pages, written, words):
    issue = _pin_issue(tmp_path, pins, n_pages)
    out = tmp_path / "out.pdf"
    with pytest.raises(InputError) as info:
        build(issue, out)
    msg = str(info.value)
    assert "\n" not in msg
    assert "钉住的稿件" in msg
    for w in words:
        assert w in msg, (w, msg)
    # the position is the pin's own line in the issue file
    m = re.match(r"(.+?):(\d+):(\d+): ", msg)
    assert m and Path(m.group(1)).name == "issue.yaml", msg
    assert int(m.group(2)) == line_of(issue, written), msg
    assert not out.exists()


@pytest.mark.parametrize("pins, n_pages, written, words", IMPOSSIBLE_PINS)
def test_impossible_pin_exits_two_with_one_line(tmp_path, pins, n_pages, written, words):
    issue = _pin_issue(tmp_path, pins, n_pages)
    out = tmp_path / "out.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert len(err) == 1, result.stderr
    assert err[0].startswith("error: ") and "钉住的稿件" in err[0] and words[0] in err[0]
    assert "Traceback" not in result.stderr
    assert not out.exists()


@pytest.mark.parametrize("pins, word", [
    (dict(height=70), "height"),
    (dict(place="{column: 1, line: 60}", height=10), "line 60"),
], ids=["height-70", "place-line-60-height-10"])
def test_a_pinned_module_taller_than_the_room_below_it_is_an_input_error(tmp_path, pins, word):
    issue = _pin_issue(tmp_path, pins)
    with pytest.raises(InputError) as info:
        build(issue, tmp_path / "out.pdf")
    msg = str(info.value)
    assert "钉住的稿件" in msg and word in msg, msg


# -- continuations (转版) --------------------------------------------------------------------------

def test_continued_article_jumps_with_notes_on_both_pages(continued):
    p1, p2 = continued.text(1), continued.text(2)
    assert "（下转第2版）" in p1 and "（上接第1版）" not in p1
    assert "（上接第1版）" in p2 and "（下转第2版）" not in p2
    assert CONT_FIRST in p1 and CONT_FIRST not in p2
    assert CONT_LAST in p2 and CONT_LAST not in p1
    assert "转版稿件测试" in p2                               # the short headline over the rest


def test_continued_article_splits_its_text_once_at_the_jump(continued, style):
    size = style.body.size
    text = "".join(CONT_PAGES[0][0]["body"])
    byline = "（" + BYLINE.replace(" ", "") + "）"
    # page 1 holds only the continued article: its first part, then the jump note
    p1 = body_size_text(continued.chars[0], size)
    assert p1.endswith("（下转第2版）"), p1[-30:]
    first = p1[:-len("（下转第2版）")]
    assert len(first) > 100 and text.startswith(first)
    rest = text[len(first):]
    assert rest
    # page 2 carries the rest, after the note and before the byline
    p2 = body_size_text(continued.chars[1], size)
    assert "（上接第1版）" + rest + byline in p2


def test_every_character_of_the_continued_article_is_printed_once(continued, style):
    size = style.body.size
    have = Counter(c for chars in continued.chars for c in body_size_text(chars, size))
    want: Counter = Counter()
    for page in CONT_PAGES:
        for a in page:
            want.update("".join(a["body"]))
            want.update("（" + BYLINE.replace(" ", "") + "）")
    notes = Counter("（下转第2版）（上接第1版）")
    assert have - notes == want
    assert have - want == notes


def test_continued_article_is_in_the_report_of_both_pages(continued):
    report = continued.report
    assert [n for n, _ in modules_named(report, "转版稿件测试")] == [1, 2]
    for page in report["pages"]:
        assert page["overset_chars"] == 0
    first = the_module(report, 1, "转版稿件测试")
    assert first["lines"] >= 40                                 # it fills page 1, it is not cut short


def test_height_pin_with_continue_on_sets_the_first_part_to_that_height(tmp_path):
    built = build_issue(tmp_path, [
        [article("定高转版稿件", body(300), continue_on=2, height=40)],
        [article("二版自有稿件", body(40))],
    ])
    assert the_module(built.report, 1, "定高转版稿件")["lines"] == 40
    assert "（上接第1版）" in built.text(2)


def test_continuation_on_the_next_page_is_not_held_by_page_one_pins(pinned_low):
    report = pinned_low.report
    own = the_module(report, 2, "二版自有稿件")
    rest = the_module(report, 2, "低位转版稿件")
    line = rest["position"]["line"]
    below = line == 1 or line == own["position"]["line"] + own["lines"] + 1
    # or in the corner of the page's lead, an inset, under its wide part
    ox0, otop, ox1, obottom = own["box"]
    x0, top, x1, bottom = rest["box"]
    in_corner = ("body_columns" in own and ox0 <= x0 and x1 <= ox1 and bottom <= obottom
                 and top > max(h["box"][3] for h in own["headline_lines"]))
    assert below or in_corner, (own, rest)


def test_pinned_low_article_keeps_its_place_on_its_own_page(pinned_low):
    m = the_module(pinned_low.report, 1, "低位转版稿件")
    assert m["position"] == {"column": 1, "line": 25}
    assert "（下转第2版）" in pinned_low.text(1)


def test_white_space_counts_the_empty_lines_above_a_module_pinned_lower(pinned_low):
    page = pinned_low.report["pages"][0]
    lead = the_module(pinned_low.report, 1, "头条稿件")
    low = the_module(pinned_low.report, 1, "低位转版稿件")
    assert lead["columns"] == low["columns"] == COLUMNS
    empty_lines = low["position"]["line"] - (lead["position"]["line"] + lead["lines"] + 1)
    assert empty_lines > 0
    assert page["white_space_pct"] >= 100 * empty_lines * COLUMNS / (COLUMNS * area_lines(1)) - 0.01


# -- overset --------------------------------------------------------------------------------------

OVERSET_PAGES = [[article("正常篇幅稿件", body(30)), article("超长稿件测试", body(600))]]


def test_overset_page_exits_one_naming_the_article_and_writes_no_pdf(tmp_path):
    issue = write_issue(tmp_path / "in", OVERSET_PAGES)
    out = tmp_path / "out" / "issue.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    err = result.stderr.splitlines()
    assert len(err) == 1, result.stderr
    assert err[0].startswith("error: ")
    assert "超长稿件测试" in err[0] and "lines over" in err[0]
    assert "正常篇幅稿件" not in err[0]                          # it fitted
    assert not out.exists()


def test_overset_page_leaves_an_existing_pdf_unchanged(tmp_path):
    issue = write_issue(tmp_path / "in", OVERSET_PAGES)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "issue.pdf"
    out.write_bytes(b"%PDF-1.4\n% the last good build\n")
    before = out.read_bytes()
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(out)])
    assert result.exit_code == 1
    assert out.read_bytes() == before
    assert sorted(p.name for p in out_dir.iterdir()) == ["issue.pdf"]


def test_overset_build_raises_fit_error_in_process(tmp_path):
    issue = write_issue(tmp_path, OVERSET_PAGES)
    with pytest.raises(FitError) as info:
        build(issue, tmp_path / "o.pdf")
    assert "超长稿件测试" in str(info.value) and "lines over" in str(info.value)


def test_overset_article_marked_continue_on_is_not_told_to_mark_it(tmp_path):
    # the long story leaves room for the other's headline and a line or two, not for the
    # six lines a jump keeps on its page: continue_on cannot help, and the error says so
    pages = [[article("整版长稿", body(187)), article("转版稿件", body(80), continue_on=2)],
             [article("第二版稿件", body(30))]]
    with pytest.raises(FitError) as info:
        build(write_issue(tmp_path, pages), tmp_path / "o.pdf")
    msg = str(info.value)
    assert "'转版稿件' does not fit" in msg
    assert "its continue_on cannot help: not even 6 lines of it fit" in msg
    assert "mark it continue_on" not in msg and "move it to another page" in msg


@pytest.fixture(scope="module")
def draft(tmp_path_factory):
    """The overset page built with --draft by the command (in process): (result, pdf, report)."""
    folder = tmp_path_factory.mktemp("draft")
    issue = write_issue(folder, OVERSET_PAGES)
    pdf, report = folder / "issue.pdf", folder / "issue.json"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(pdf), "--draft",
                                       "--report", str(report)])
    return result, pdf, report


def test_draft_build_of_an_overset_page_exits_zero_and_writes_pdf_and_report(draft):
    result, pdf, report = draft
    assert result.exit_code == 0, result.output
    assert pdf.is_file()
    data = json.loads(report.read_text(encoding="utf-8"))
    page = data["pages"][0]
    # the over-long article runs to the page's foot, as overset text does in InDesign;
    # what is left over is counted, and the report's cut is the one the build's error names
    assert [m["headline"] for m in page["modules"]] == ["正常篇幅稿件", "超长稿件测试"]
    over = next(a for a in OVERSET_PAGES[0] if a["headline"] == "超长稿件测试")
    assert 0 < page["overset_chars"] < len("".join(over["body"]))
    with pytest.raises(FitError) as info:            # what the build says to cut
        build(write_issue(report.parent / "again", OVERSET_PAGES), report.parent / "o.pdf")
    said = re.search(r"(\d+) column lines over \(cut about (\d+) characters", str(info.value))
    fit = page["fit"]
    assert (fit["column_lines_over"], fit["chars_to_cut"]) == (int(said[1]), int(said[2]))
    assert fit["lines_short"] == 0 and fit["chars_to_add"] == 0
    normal = "".join(OVERSET_PAGES[0][0]["body"])
    placed = len("".join(over["body"])) - page["overset_chars"]
    with pdfplumber.open(pdf) as doc:
        shown = body_size_text(doc.pages[0].chars, 9.0)
    # (the body's sentences repeat: count the characters, not a phrase of them)
    assert len(shown) >= len(normal) + placed - 20 > len(normal) + 1000


def test_draft_warns_with_the_builds_error(tmp_path, caplog):
    issue = write_issue(tmp_path, OVERSET_PAGES)
    with pytest.raises(FitError) as info:
        build(issue, tmp_path / "o.pdf")
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(issue, tmp_path / "d.pdf", draft=True)
    assert str(info.value) in [r.getMessage() for r in caplog.records]


def test_a_draft_that_leaves_out_page_1s_teasers_names_them_and_loses_nothing(tmp_path):
    # the 导读 module goes last on page 1: an over-full page leaves it out with the rest,
    # which the draft names in red (the nothing-lost check once took it for lost text)
    pages = [[article(f"第{n}篇稿件", body(200)) for n in range(1, 4)],
             [article("第二版稿件", body(30))]]
    issue = write_issue(tmp_path, pages)
    text = issue.read_text(encoding="utf-8").replace(
        "  - section: 要闻\n", "  - section: 要闻\n    teasers: [第二版稿件]\n", 1)
    issue.write_text(text, encoding="utf-8")
    pdf = tmp_path / "draft.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(pdf), "--draft"])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as doc:
        shown = text_of(doc.pages[0].chars)
    assert "【超版】《导读》" in shown


def test_draft_overset_note_names_the_article_in_red(draft):
    result, pdf, _ = draft
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    assert "【超版】" in text_of(chars)
    start = next(c for c in chars if c["text"] == "【")
    note = [c for c in chars if abs(c["matrix"][5] - start["matrix"][5]) < 0.01
            and abs(c["size"] - start["size"]) < 0.01 and c["x0"] >= start["x0"] - 0.01]
    note.sort(key=lambda c: c["x0"])
    assert "【超版】" in text_of(note) and "超长稿件测试" in text_of(note)
    assert re.search(r"（本版需删约\d+字）", text_of(note)), text_of(note)   # the error's cut
    for c in note:
        color = c["non_stroking_color"]
        assert len(color) == 4, (c["text"], color)
        assert color[1] >= 0.9 and color[3] < 0.5, (c["text"], color)


# -- rules ----------------------------------------------------------------------------------------

def test_a_rule_runs_across_the_page_between_stacked_modules(pages, style):
    chars = pages.chars[0]
    g, size = style.page, style.body.size
    col_w, gutter = g.column_chars * size, g.gutter_chars * size
    # the two headlines: the lead's (larger) and the second's
    heads = sorted({round(c["size"], 2) for c in chars if c["size"] >= 20 and c["size"] < 40})
    assert len(heads) == 2, heads
    lead = [c for c in chars if abs(c["size"] - heads[1]) < 0.01]
    second = [c for c in chars if abs(c["size"] - heads[0]) < 0.01]
    assert text_of(lead) == "凝心聚力谋发展" and text_of(second) == "真抓实干促振兴"
    second_top = min(c["top"] for c in second)
    above = [c for c in chars if abs(c["size"] - size) < 0.01 and c["bottom"] < second_top]
    assert above
    body_bottom = max(c["bottom"] for c in above)              # the first module's last line
    wide = 5 * col_w + 4 * gutter
    rules = [e for e in pages.hlines[0]
             if e["x1"] - e["x0"] >= wide - 0.5 and body_bottom < e["top"] < second_top]
    assert len(rules) == 1, [(e["x0"], e["x1"], e["top"]) for e in pages.hlines[0]]
    assert max(c["bottom"] for c in lead) < rules[0]["top"]


# -- glyph positions -----------------------------------------------------------------------------

def _geometry(style):
    g, size = style.page, style.body.size
    col_w, gutter = g.column_chars * size, g.gutter_chars * size
    area = g.columns * col_w + (g.columns - 1) * gutter
    left = (g.width_mm * MM - area) / 2
    return left, col_w, gutter


def test_every_body_line_lies_inside_one_column(any_build, style):
    size = style.body.size
    left, col_w, gutter = _geometry(style)
    checked = 0
    for number, chars in enumerate(any_build.chars, 1):
        lines: dict[float, list[dict]] = {}
        for c in chars:
            if abs(c["size"] - size) < 0.01 and not c["text"].isspace():
                lines.setdefault(round(c["matrix"][5], 1), []).append(c)
        for base, cs in lines.items():
            # a baseline may hold a line in each column: split it where the gutter is
            cs.sort(key=lambda c: c["x0"])
            groups = [[cs[0]]]
            for a, b in zip(cs, cs[1:]):
                if b["x0"] - a["x1"] > gutter / 2:
                    groups.append([])
                groups[-1].append(b)
            for grp in groups:
                col = int((grp[0]["x0"] - left + gutter / 2) // (col_w + gutter))
                x0 = left + col * (col_w + gutter)
                assert 0 <= col < COLUMNS, (number, text_of(grp))
                for c in grp:
                    assert x0 - 0.05 <= c["x0"] and c["x1"] <= x0 + col_w + 0.05, (
                        number, base, text_of(grp), c["text"])
                checked += 1
    assert checked > 200


def test_body_baselines_lie_on_the_14pt_grid(any_build, style):
    size, pitch = style.body.size, style.body.leading
    assert pitch == 14
    by_face: dict[str, set[float]] = {}
    for chars in any_build.chars:
        for c in chars:
            if abs(c["size"] - size) < 0.01:
                face = "serif" if "Serif" in c["fontname"] else c["fontname"].split("+")[-1]
                by_face.setdefault(face, set()).add(round(c["matrix"][5], 3))
    assert len(by_face["serif"]) > 20
    for face, bases in by_face.items():
        first = max(bases)
        for b in bases:
            off = (first - b) % pitch
            assert min(off, pitch - off) < 0.05, (face, b, first)


def test_a_page_short_of_copy_says_by_how_much(tmp_path):
    """check (and the report's fit) name the lines missing and the characters to add."""
    path = write_issue(tmp_path, [[article("短稿测试", body(30))]])
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0, result.output
    found = re.search(r"page 1: 1 article, [\d.]+% of the article area white \(empty cells "
                      r"and headline air\), 0 headline collisions; (\d+) lines? short, add about (\d+) characters", result.stdout)
    assert found, result.stdout
    lines, chars = map(int, found.groups())
    assert lines > 20 and chars >= lines * 13 * 5     # most of the page is empty


def _cut_of(message: str) -> int:
    import re
    found = re.search(r"cut about (\d+) characters", message)
    assert found, message
    return int(found.group(1))


def test_overset_says_a_cut_that_makes_the_page_fit(tmp_path):
    # the third article is a little over: the error's cut, found by trying, is enough,
    # and half of it is not (so the number is neither a guess nor a blanket bound)
    pages = [[article("头条稿件", body(70)), article("第二篇稿件", body(60)),
              article("超长稿件测试", body(70))]]
    with pytest.raises(FitError) as info:
        build(write_issue(tmp_path / "over", pages), tmp_path / "o.pdf")
    msg = str(info.value)
    assert "超长稿件测试" in msg and "column lines over" in msg
    cut = _cut_of(msg)
    assert 0 < cut < 70 * len(SENTENCE) // 2, msg
    enough = 70 - math.ceil(cut / len(SENTENCE))
    build(write_issue(tmp_path / "cut", [pages[0][:2] + [article("超长稿件测试", body(enough))]]),
          tmp_path / "cut.pdf")
    assert (tmp_path / "cut.pdf").exists()
    half = 70 - (cut // 2) // len(SENTENCE)
    with pytest.raises(FitError):
        build(write_issue(tmp_path / "half", [pages[0][:2] + [article("超长稿件测试", body(half))]]),
              tmp_path / "half.pdf")


def test_an_overset_short_article_names_a_cut_from_the_page(tmp_path):
    # cutting all of the left-out article's text is not enough: the error says so and
    # names a cut from it, then from the page's last articles, that makes the page fit
    import yaml
    src = Path(__file__).resolve().parent / "data" / "over-by-others.yaml"
    with pytest.raises(FitError) as info:
        build(src, tmp_path / "o.pdf")
    msg = str(info.value)
    assert "even with its text cut" in msg and "from it, then from the page's last" in msg
    cut = _cut_of(msg)
    issue = yaml.safe_load(src.read_text(encoding="utf-8"))
    arts = issue["pages"][0]["articles"]
    for a in (a for p in issue["pages"] for a in p["articles"]):
        for ph in a.get("photos", []):          # the copy is written elsewhere
            ph["file"] = str((src.parent / ph["file"]).resolve())
    left_out = next(a for a in arts if a["headline"] in msg.split("'")[1:2])
    # the left-out one is the last of its name on the page
    left_out = [a for a in arts if a["headline"] == left_out["headline"]][-1]
    for a in [left_out] + [a for a in reversed(arts) if a is not left_out]:
        text = a["body"]
        take = min(cut, len(text.replace("\n", "")) - 13)
        a["body"] = text[:len(text) - take]
        cut -= take
        if cut <= 0:
            break
    fixed = tmp_path / "cut.yaml"
    fixed.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    # the cut is found on the articles' line counts, then made in the text and tried
    # (a cut article may turn brief and change shape): made as the error says, it fits
    build(fixed, tmp_path / "cut.pdf")
    assert (tmp_path / "cut.pdf").exists()


def test_a_separator_mark_never_stands_on_a_headline_line_of_its_own(tmp_path):
    # staff write 栏目 丨 标题; broken at its spaces, the 丨 went on a line by itself
    from layout.build import build
    src = (Path(__file__).parent / "data" / "four-articles.yaml").read_text(encoding="utf-8")
    head = "年终特稿 丨 一座老工业城的“转身”"
    src = src.replace("  - headline: 区政协举办“委员讲堂”第十二期\n",
                      f"  - headline: {head}\n    columns: 2\n", 1)
    assert head in src
    issue = tmp_path / "issue.yaml"
    issue.write_text(src, encoding="utf-8")
    build(issue, tmp_path / "o.pdf", report=tmp_path / "r.json")
    report = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))
    (module,) = [m for p in report["pages"] for m in p["modules"] if m["headline"] == head]
    lines = [h["text"] for h in module["headline_lines"]]
    assert len(lines) >= 2 and "".join(lines).replace(" ", "") == head.replace(" ", "")
    assert all(t.strip() not in ("丨", "") for t in lines), lines


def test_a_brief_may_be_pinned_to_one_column(tmp_path):
    # the search sets a brief in one column: a pin may ask for it too
    path = write_issue(tmp_path, [[article("头条新闻标题", body(40)),
                                   article("一条简讯", ["短讯内容很短。"], columns=1),
                                   article("一篇文章", body(20))]])
    report = tmp_path / "r.json"
    build(path, tmp_path / "o.pdf", report=report)
    modules = json.loads(report.read_text(encoding="utf-8"))["pages"][0]["modules"]
    assert {m["headline"]: m["columns"] for m in modules}["一条简讯"] == 1


def test_a_headline_with_many_spaces_takes_as_few_lines_as_fit():
    # its spaces are where it may break, not a line each; a space beside a digit is spacing
    # (县城 | “口袋公园” | 增至 | 36 | 个 came out on five lines in two columns, 个 alone)
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    head = "县城 “口袋公园” 增至 36 个"
    lines = [ln.text.replace(" ", "")
             for ln in composer.text.headline(head, "headline", composer.span_width(2)).lines]
    assert "".join(lines) == head.replace(" ", "")
    assert len(lines) == 2 and lines[-1] == "增至36个", lines


@pytest.mark.parametrize("target, why", [(1, "page 1 is not after page 1, where the article is"),
                                         (3, "the issue has 2 pages")])
def test_a_jump_to_a_page_that_is_not_later_says_why(tmp_path, target, why):
    pages = [[article("头条稿件", body(200), continue_on=target)],
             [article("第二版稿件", body(20))]]
    with pytest.raises(InputError) as info:
        build(write_issue(tmp_path, pages), tmp_path / "o.pdf")
    assert f"'continue_on: {target}' in article '头条稿件' must name later pages" in str(info.value)
    assert why in str(info.value)


def test_a_phrase_too_long_for_the_measure_keeps_the_copys_space_as_a_break():
    # 规上工业增加值增长10.3% 数字经济…: broken at words across the space, a line read
    # 10.3%数字经济核心 (the space lost); each phrase now takes lines of its own
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    head = "规上工业增加值增长10.3% 数字经济核心产业营收增长21.6%"
    for span in (1, 2):
        lines = [ln.text for ln in
                 composer.text.headline(head, "headline", composer.span_width(span)).lines]
        assert "".join(lines) == head.replace(" ", "")
        k = next(i for i, t in enumerate(lines) if t.endswith("10.3%"))
        assert lines[k + 1].startswith("数字"), lines


@pytest.mark.parametrize("head, unit", [
    # words of today's news: jieba's dictionary cut 非 | 遗传 | 承人 and 网格 | 员
    ("祥云县非遗传承人走进校园", "传承人"), ("县融媒体中心开展业务培训", "融媒体"),
    ("新质生产力赋能产业升级", "新质生产力"), ("社区网格员走访独居老人", "网格员"),
    # dates: 10月 | 20日 on two lines reads as two numbers
    ("郑登快速通道10月20日起实施夜间养护", "10月20日"), ("6条公交线路4月1日起优化调整", "4月1日"),
    ("2025年3月9日全区召开大会", "2025年3月9日"),
    # a short run punctuation sets off is a name or a term: 王秀 | 梅 was set
    ("“马路天使”王秀梅：清扫街道二十年", "王秀梅"), ("用“绣花功夫”绣出城市“新颜值”", "绣出城市"),
    ("治水，治的是“人心”", "治的是"),
    # a localizer with 的 after it belongs to the noun before it (小庭院 | 里的“大文章”)
    ("辛店镇：小庭院里的“大文章”", "院里的"),
    # a quoted term of up to 10 characters is one unit (“15分钟便民 | 生活圈” was set)
    ("兰考县“15分钟便民生活圈”覆盖率达92.6%", "“15分钟便民生活圈”"),
    ("新郑大枣入选国家地理标志农产品保护工程", "地理标志")])
def test_a_headline_never_breaks_inside_a_word_of_todays_news_or_a_date(head, unit):
    from layout import words
    at = head.index(unit)
    assert not any(at < p < at + len(unit) for p in words.break_points(head))


def test_headline_lines_sharing_their_widest_are_made_even():
    # 区委常委班子 | 召开2024年度民主生活会 | 暨巡视整改专题民主生活会 and 区委常委班子召开 |
    # 2024年度民主生活会 | … have the same widest line (the last): the even one is taken
    from layout import words
    head = "区委常委班子召开2024年度民主生活会暨巡视整改专题民主生活会"
    width = lambda t: sum(0.5 if c.isascii() else 1.0 for c in t)     # noqa: E731
    lines = words.balance(words.pieces(head), 12.5, width)
    assert lines == ["区委常委班子召开", "2024年度民主生活会", "暨巡视整改专题民主生活会"], lines


@pytest.mark.parametrize("head, measure, want", [
    # a pause beats evenness: 医保新政来了！门诊 | 报销比例提高到60% broke a phrase for a
    # narrower widest line; 读书札记：在 | 县志里… left 在 hanging
    ("医保新政来了！门诊报销比例提高到60%", 12, ["医保新政来了！", "门诊报销比例提高到60%"]),
    ("读书札记：在县志里读懂家乡", 9, ["读书札记：", "在县志里读懂家乡"]),
    # the sample's page-2 lead in two lines: 民主 | 生活会 split a word, 暨 opens a half
    ("区委常委班子召开2024年度民主生活会暨巡视整改专题民主生活会", 18,
     ["区委常委班子召开2024年度民主生活会", "暨巡视整改专题民主生活会"]),
    # ... but a quote's ends are no pause: 推出“茶农贷” stays together
    ("岚山农商银行推出“茶农贷”最高可贷50万元", 9, ["岚山农商银行", "推出“茶农贷”", "最高可贷50万元"]),
    # a quoted character is a verb's pun, glued to the character after it: 带火, 剪出
    ("直播带货“带”火河洛农产品", 9, ["直播带货“带”火", "河洛农产品"]),
    ("一把剪刀“剪”出非遗新天地", 10, ["一把剪刀“剪”出", "非遗新天地"]),
    # compounds the segmenter cut in two: 跨境 | 电商, 春风 | 行动, 优良 | 天数
    ("航空港区跨境电商进出口额同比增长34.7%", 9, ["航空港区跨境电商", "进出口额同比", "增长34.7%"]),
    ("市人社局举办春风行动专场招聘会", 10, ["市人社局举办", "春风行动专场招聘会"]),
    ("我市空气质量优良天数同比增加23天", 12, ["我市空气质量", "优良天数同比增加23天"]),
    # 地 is a particle alone (认真地), not as the start of 地理: 首 | 批…地 | 理 was set
    ("平遥牛肉入选首批“晋字号”地理标志产品名录", 8, ["平遥牛肉入选", "首批“晋字号”",
                                                 "地理标志产品名录"]),
])
def test_a_headline_breaks_where_the_eye_pauses(head, measure, want):
    from layout import words
    width = lambda t: sum(0.5 if c.isascii() else 1.0 for c in t)     # noqa: E731
    assert words.balance(words.pieces(head), measure, width, after_mark_bonus=1.0) == want


def test_a_headline_line_never_ends_with_ji():
    # 暨 opens the second half of a meeting's name: 全区安全生产暨 | 消防工作会议召开
    # read as a dangling conjunction
    from layout import words
    head = "全区安全生产暨消防工作会议召开"
    assert head.index("暨") + 1 not in words.break_points(head)
    assert head.index("暨") in words.break_points(head)


def test_a_jump_carries_six_lines_at_least(tmp_path, continued, style):
    # a story a sentence over its page: the jump took one line to page 2 ("好学。" and
    # the byline seen in a new user's issue); now six lines at least go on
    p1 = body_size_text(continued.chars[0], style.body.size)
    fits = (len(p1) - len("（下转第2版）") - len(CONT_FIRST)) // len(SENTENCE)
    pages = [[article("转版稿件测试", body(fits + 1, first=CONT_FIRST), continue_on=2)],
             [article("二版自有稿件", body(40))]]
    built = build_issue(tmp_path / "over", pages)
    parts = modules_named(built.report, "转版稿件测试")
    if len(parts) == 2:                         # it jumped: the part on page 2 is a real one
        rest = body_size_text(built.chars[1], style.body.size)
        rest = rest[rest.index("（上接第1版）") + len("（上接第1版）"):]
        assert len(rest) > 5 * 13, rest              # six lines of 13 characters, the last part-filled


def test_a_byline_line_never_ends_with_a_role():
    # 通讯员 | 李红旗 赵金锁: the role belongs to the names after it
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    byline = "（记者 胡晓峰 邓雅琴 通讯员 李红旗 赵金锁 实习生 刘雨桐 王小明）"
    size = composer.style.text["byline"].size
    for chars in range(8, 24):                  # columns of papers' many widths
        lines = [ln.text for ln in composer.text.ranged_lines(byline, "byline", chars * size)]
        assert "".join(lines) == byline.replace(" ", "")
        for t in lines[:-1]:
            assert not t.endswith(("记者", "通讯员", "实习生")), (chars, lines)


def test_a_byline_breaks_before_its_roles_where_the_groups_fit():
    # （记者 慕容䶮 𠮷立新 | 单于昇 通讯员 澹台㛃 | 公孙堃 拓跋喆 摄影 第五赟） in a 13-character
    # column: three lines either way, but each began inside another's group
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    size = composer.style.text["byline"].size
    byline = "（记者 慕容䶮 𠮷立新 单于昇 通讯员 澹台㛃 公孙堃 拓跋喆 摄影 第五赟）"
    lines = [ln.text for ln in composer.text.ranged_lines(byline, "byline", 13 * size)]
    assert lines == ["（记者慕容䶮𠮷立新单于昇", "通讯员澹台㛃公孙堃拓跋喆", "摄影第五赟）"]


def test_a_byline_word_wider_than_the_column_is_broken_alone():
    # （城关镇第一初级中学 八（3）班 李赟） in a 10-character column: broken as one headline
    # it took four lines, 李赟） alone on the last; now the school's name is broken at
    # its words and the class and the name stay whole, two or three lines
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    byline = "（城关镇第一初级中学 八（3）班 李赟）"
    size = composer.style.text["byline"].size
    for chars in (9, 10, 11):
        lines = [ln.text for ln in composer.text.ranged_lines(byline, "byline", chars * size)]
        assert "".join(lines) == byline.replace(" ", "")
        assert lines[-1] == "八（3）班李赟）" and len(lines) <= 3, (chars, lines)


def test_a_headline_takes_one_line_more_to_fill_a_page_only_from_one_line_to_two():
    # the filler shape broke 区委理论学习中心组集体学习会议召开 over three lines where two
    # fit (区委理论学习 | 中心组集体 | 学习会议召开) and 讲述一座 | 城的 over three
    from layout.build import new_composer, prepare
    from layout.model import Article
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    src = composer.issue.pages[0].articles[0].source

    def lines(head: str, span: int, more: bool):
        block = composer._head_block(Article(head, ("正文。",), None, None, None, src), False,
                                     composer.span_width(span), more_lines=more,
                                     role="headline")
        return None if block is None else [ln.text for s, _, role in block
                                           if role != "kicker" for ln in s.lines]
    two = "区委理论学习中心组集体学习会议召开"
    span = next(w for w in range(1, 7) if len(lines(two, w, False)) == 2)
    assert lines(two, span, True) is None
    one = "区总工会为一线职工送清凉"
    wide = next(w for w in range(1, 7) if len(lines(one, w, False)) == 1)
    assert len(lines(one, wide, True)) == 2


def _cut_from_end(text: str, headline: str, chars: int) -> str:
    """The issue file with `chars` characters cut from the end of the article's body
    (the last paragraphs first), as an editor makes the cut an error names."""
    lines = text.split("\n")
    at = next(k for k, ln in enumerate(lines) if ln.strip(" -") == f"headline: {headline}")
    body = next(k for k in range(at, len(lines)) if lines[k].strip() == "body: |")
    end = next((k for k in range(body + 1, len(lines))
                if lines[k].strip() and not lines[k].startswith(" " * 10)), len(lines))
    for k in range(end - 1, body, -1):
        para = lines[k].strip()
        if not para or chars <= 0:
            continue
        if len(para) <= chars:
            chars -= len(para)
            lines[k] = ""
        else:
            lines[k] = lines[k][:len(lines[k]) - chars]
            chars = 0
    return "\n".join(lines)


def test_the_cut_an_overset_error_names_leaves_a_page_without_pengti(tmp_path):
    # 155 characters fitted page 2 but left 我市获评… and 一季度全市新能源汽车… on one
    # line side by side (the first cut was the fewest lines with which everything fits)
    from PIL import Image
    (tmp_path / "photos").mkdir()
    for name, size, big in (("rocket.jpg", (2400, 1601), "rocket-big.jpg"),
                            ("astronaut.png", (2000, 2000), "astronaut-big.jpg")):
        with Image.open(REPO / "issues" / "photos" / name) as im:
            im.convert("RGB").resize(size).save(tmp_path / "photos" / big, quality=90)
    src = (DATA / "over-cut-pengti.yaml").read_text(encoding="utf-8")
    over = tmp_path / "over.yaml"
    over.write_text(src, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(over), "-o", str(tmp_path / "o.pdf")])
    assert res.exit_code == 1, res.output
    said = re.search(r"article '([^']+)' does not fit: .*\(cut about (\d+) characters", res.stderr)
    assert said, res.stderr
    issue = tmp_path / "cut.yaml"
    issue.write_text(_cut_from_end(src, said[1], int(said[2])), encoding="utf-8")
    report = tmp_path / "r.json"
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "cut.pdf"),
                                    "--report", str(report)])
    assert res.exit_code == 0, res.output
    pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
    assert [p["headline_collisions"] for p in pages] == [0, 0, 0]


def test_verbose_check_lists_crossheads_when_a_page_is_overset(tmp_path, caplog):
    # an editor cutting an over-full page still sees which lines were set as heads
    headed = article("分段稿件", body(6) + ["一、抢抓机遇"] + body(6) + ["二、提升服务"] + body(6))
    issue = write_issue(tmp_path, [OVERSET_PAGES[0] + [headed]])
    from layout.build import check_all
    with caplog.at_level(logging.INFO, logger="layout"):
        _, _, problems = check_all(issue)
    assert problems and isinstance(problems[0], FitError)
    heads = [r.getMessage() for r in caplog.records if "crosshead (小标题)" in r.getMessage()]
    assert len(heads) == 2 and "一、抢抓机遇" in heads[0], heads


def test_a_notices_salutation_is_set_flush_left(tmp_path):
    # 各位居民： opens a notice flush left; the paragraphs under it keep their 2-em indent
    pages = [[article("关于开展春季爱国卫生运动的通知", ["全区广大居民朋友们："] + body(8) + body(8))]]
    pdf = tmp_path / "o.pdf"
    build(write_issue(tmp_path, pages), pdf)
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars if abs(c["size"] - 9.0) < 0.01]
    first = next(c for c in chars if c["text"] == "全")
    opening = SENTENCE[0]
    indented = min((c for c in chars if c["text"] == opening and c["top"] > first["top"] + 1),
                   key=lambda c: c["top"])
    assert abs(indented["x0"] - first["x0"] - 18.0) < 0.5, (first["x0"], indented["x0"])


def test_a_long_bylines_first_line_is_not_a_lone_name():
    # a new user's （记者 林彧 | 陈淼 黄鑫 郑珺 林玥 | 通讯员 …: as few lines and as narrow
    # either way, but the first held one name; now the names are spread evenly
    from layout.build import new_composer, prepare
    composer = new_composer(prepare(Path(__file__).parent / "data" / "four-articles.yaml"))
    size = composer.style.text["byline"].size
    byline = "（记者 林彧 陈淼 黄鑫 郑珺 林玥 通讯员 吴昇 叶琤 黄琤 吴珺）"
    lines = [ln.text for ln in composer.text.ranged_lines(byline, "byline", 13 * size)]
    assert len(lines) == 3 and lines[-1].startswith("通讯员"), lines
    assert len(lines[0]) > len("（记者林彧"), lines
    assert abs(len(lines[0]) - len(lines[1])) <= 2, lines


def test_a_broken_article_named_by_a_teaser_gives_one_problem_not_two(tmp_path):
    # photos: written as a mapping made the article unreadable, and check also said the
    # 导读 entry naming it named no article: a false second error, listed first
    from layout.build import check_all
    pages = [[article("第一版稿件", body(20))], [article("第二版稿件", body(30))]]
    issue = write_issue(tmp_path, pages)
    text = issue.read_text(encoding="utf-8").replace(
        "  - section: 要闻\n", "  - section: 要闻\n    teasers: [第二版稿件]\n", 1)
    text = text.replace("      - headline: 第二版稿件\n",
                        "      - headline: 第二版稿件\n        photos: {file: a.jpg}\n", 1)
    issue.write_text(text, encoding="utf-8")
    _, _, problems = check_all(issue)
    assert [str(p).split(": ", 1)[1][:24] for p in problems] == ["expected a list for 'pho"]


def test_a_draft_names_an_article_left_out_once_even_when_its_part_is_left_out_too(
        tmp_path, monkeypatch):
    # b6.yaml's 副刊 page: the draft fitted part of the poem, the search's best layout
    # then left that part out as well, and the page named the poem twice in red (the
    # report's overset count doubled)
    from dataclasses import replace as copy
    from layout.compose import Composer

    real_fit, real_search = Composer._draft_fit, Composer._search
    fitting = {"on": False}

    def draft_fit(self, *a, **k):
        fitting["on"] = True
        try:
            return real_fit(self, *a, **k)
        finally:
            fitting["on"] = False

    def search(self, page, mods, room, count=1, specs=None, whole=False, feasible=False):
        found = real_search(self, page, mods, room, count, specs, whole, feasible)
        if fitting["on"] and not feasible:      # the best after the fit: the part left out
            lay = found[0]
            part = max(lay.placements, key=lambda p: p.key)
            found = [copy(lay, placements=tuple(p for p in lay.placements if p is not part),
                          unplaced=(part.key,))] + found[1:]
        return found

    monkeypatch.setattr(Composer, "_draft_fit", draft_fit)
    monkeypatch.setattr(Composer, "_search", search)
    issue = write_issue(tmp_path, OVERSET_PAGES)
    pdf, report = tmp_path / "d.pdf", tmp_path / "d.json"
    build(issue, pdf, draft=True, report=report)
    with pdfplumber.open(pdf) as doc:
        shown = text_of(doc.pages[0].chars)
    notes = re.findall(r"【超版】《([^》]+)》未排入：(\d+)行(\d+)字", shown)
    over = next(a for a in OVERSET_PAGES[0] if a["headline"] == "超长稿件测试")
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][0]
    assert [n[0] for n in notes] == ["超长稿件测试"], notes
    # the feasible layout, which placed the part, is taken: the rest is left out, once
    assert page["overset_chars"] == int(notes[0][2]) < len("".join(over["body"]))
    assert "超长稿件测试" in [m["headline"] for m in page["modules"]]


def test_a_draft_naming_many_left_out_articles_keeps_every_note_on_the_page(tmp_path):
    # a new user's over-full page left out four stories: their notes went one a grid line
    # below the credits, and the fourth was drawn 14 pt below the page's bottom edge
    heads = ["农家书屋里的读书会", "县文化馆公益培训班开始报名", "村晚唱出好日子",
             "张庄村百年戏楼修缮完工", "第三届剪纸艺术展开幕"]
    pages = [[article(h, body(150)) for h in ["超长稿件测试"] + heads + ["春季招聘会举行"]]]
    issue = write_issue(tmp_path, pages)
    pdf = tmp_path / "d.pdf"
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(pdf), "--draft"])
    assert result.exit_code == 0, result.output
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        chars = page.chars
        trim = page.trimbox if hasattr(page, "trimbox") else page.bbox
    shown = text_of(chars)
    named = re.findall(r"【超版】《([^》]+)》", shown)
    assert len(named) >= 3, shown[-300:]
    notes = [c for c in chars if c["non_stroking_color"] and len(c["non_stroking_color"]) == 4
             and c["non_stroking_color"][1] >= 0.9]
    x0, top, x1, bottom = trim
    assert all(x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] and c["bottom"] <= bottom
               for c in notes), [(c["text"], c["top"]) for c in notes if c["bottom"] > bottom]


def test_a_lead_that_jumps_keeps_a_leads_share_of_its_page(tmp_path):
    # a new user's 3,000-character 头条 marked continue_on, with ten stories beside it:
    # the jump kept the seven lines that let them all fit, a two-column stub under its
    # headline, and its rest overfilled the next page. A lead keeps LEAD_LINES_BEFORE_JUMP
    # lines in each of a lead's columns; the page over-full beside it is page 1's error
    from layout.compose import LEAD_LINES_BEFORE_JUMP
    from layout.errors import FitError
    others = [article(f"第{n}条新闻稿件", body(70)) for n in range(1, 10)]
    pages = [[article("千年古渡的文脉守望", body(330), continue_on=2, lead=True)] + others,
             [article("第二版稿件", body(30))]]
    issue = write_issue(tmp_path, pages)
    with pytest.raises(FitError) as info:
        build(issue, tmp_path / "o.pdf")
    message = str(info.value)
    assert "page 1:" in message and "千年古渡的文脉守望" not in message, message
    pdf, rep = tmp_path / "d.pdf", tmp_path / "r.json"
    build(issue, pdf, draft=True, report=rep)
    report = json.loads(rep.read_text(encoding="utf-8"))
    lead = the_module(report, 1, "千年古渡的文脉守望")
    assert lead["columns"] >= 4
    with pdfplumber.open(pdf) as doc:
        chars = doc.pages[0].chars
    x0, top, x1, bottom = lead["box"]
    inside = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"]
              and c["bottom"] <= bottom]
    size = min(c["size"] for c in inside)
    rows = {round(c["top"]) for c in inside if abs(c["size"] - size) < 0.01}
    assert len(rows) >= LEAD_LINES_BEFORE_JUMP, sorted(rows)
