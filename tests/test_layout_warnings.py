"""A layout that gives up a rule of page design to get the copy in says so.

The search pays for a narrow lead and for 碰题 instead of forbidding them (a page
full of copy may have no layout without them); the build then warns, page by
page, exactly where the report shows the broken rule.
"""
from __future__ import annotations

import json
import logging
import math
from pathlib import Path

import pytest

from layout.build import build

REPO = Path(__file__).resolve().parent.parent
# the photo example is built with its page 2 in fixed order (_fixed_order_copy)
CASES = [REPO / "issues" / "photo-example.yaml", REPO / "tests" / "data" / "briefs-page.yaml"]


def _fixed_order_copy(folder: Path) -> Path:
    """The photo example with its page 2 in `order: fixed`: the order that leaves a 碰题
    (free, the search swaps two stories there and clears it)."""
    import shutil
    src = (REPO / "issues" / "photo-example.yaml").read_text(encoding="utf-8")
    page2 = "  - section: 综合\n    articles:\n"
    assert page2 in src
    path = folder / "photo-example-fixed.yaml"
    path.write_text(src.replace(page2, "  - section: 综合\n    order: fixed\n    articles:\n"),
                    encoding="utf-8")
    shutil.copytree(REPO / "issues" / "photos", folder / "photos")
    return path


@pytest.fixture(scope="module", params=CASES, ids=lambda p: p.stem)
def built(request, tmp_path_factory):
    folder = tmp_path_factory.mktemp(request.param.stem)
    pdf, report = folder / "out.pdf", folder / "out.json"
    case = request.param
    if case.name == "photo-example.yaml":
        case = _fixed_order_copy(folder)
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = logging.getLogger("layout")
    logger.addHandler(handler)
    try:
        build(case, pdf, report=report)
    finally:
        logger.removeHandler(handler)
    warnings = [r.getMessage() for r in records if r.levelno >= logging.WARNING]
    return json.loads(report.read_text(encoding="utf-8")), warnings


def _rule_warning(warnings, page: int) -> str:
    found = [w for w in warnings if w.startswith(f"page {page}: ") and "breaks a rule" in w]
    return found[0] if found else ""


def test_a_broken_rule_is_warned_on_its_page_and_only_there(built):
    report, warnings = built
    broke_any = False
    for page in report["pages"]:
        said = _rule_warning(warnings, page["page"])
        lead = next(m for m in page["modules"] if m["role"] == "lead")
        cols = round(page["columns"]) if "columns" in page else 6
        narrow = lead["columns"] < math.ceil(2 * cols / 3)
        bumped = page["headline_collisions"] > 0
        assert ("碰题" in said) == bumped, (page["page"], said)
        assert (f"the lead '{lead['headline']}' is {lead['columns']} columns" in said) == narrow, \
            (page["page"], said)
        broke_any |= narrow or bumped
    assert broke_any        # each case breaks a rule somewhere (else it tests nothing)


def test_briefs_keep_their_small_headlines_on_a_page_short_of_copy(built):
    # a 简讯 (under 160 characters) takes the style's brief_headline (14 pt); its
    # headline a size larger is for keeping headlines shrinking down a page, never
    # a filler for white: it costs about what the white it would fill costs
    report, _ = built
    briefs = [m for p in report["pages"] for m in p["modules"] if m["role"] == "brief"]
    if not briefs:
        pytest.skip("no briefs in this issue")
    sizes = [max(h["size"] for h in m["headline_lines"]) for m in briefs]
    assert sizes.count(14.0) >= len(sizes) - 1, sizes
    for m in briefs:
        assert len(m["headline_lines"]) <= 3, m["headline"]


def _short_lead_issue(tmp_path: Path, mark_longest: bool) -> Path:
    """tests/data/short-lead.yaml, or the same with its longest story marked lead: true."""
    import yaml
    path = REPO / "tests" / "data" / "short-lead.yaml"
    if not mark_longest:
        return path
    issue = yaml.safe_load(path.read_text(encoding="utf-8"))
    arts = issue["pages"][0]["articles"]
    max(arts, key=lambda a: len(a["body"]))["lead"] = True
    for a in arts:
        for photo in a.get("photos", []):
            photo["file"] = str((path.parent / photo["file"]).resolve())
    out = tmp_path / "marked.yaml"
    out.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return out


@pytest.mark.parametrize("mark_longest", [False, True])
def test_a_lead_smaller_than_two_stories_is_warned(tmp_path, caplog, mark_longest):
    path = _short_lead_issue(tmp_path, mark_longest)
    report = tmp_path / "r.json"
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(path, tmp_path / "out.pdf", report=report, pdfx=False)
    said = [r.getMessage() for r in caplog.records if "头条" in r.getMessage()]
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][0]
    area = {m["headline"]: (m["box"][2] - m["box"][0]) * (m["box"][3] - m["box"][1])
            for m in page["modules"]}
    lead = next(m["headline"] for m in page["modules"] if m["role"] == "lead")
    larger = [h for h, a in area.items() if a > area[lead] + 1]
    assert bool(said) == (len(larger) >= 2), (said, larger)
    assert bool(said) == (not mark_longest)      # a short lead is; the longest marked is not
    if said:
        assert said[0].startswith(f"page 1: the lead '{lead}' is smaller than ")


def _four_articles_with(folder: Path, old: str, new: str) -> Path:
    """tests/data/four-articles.yaml with one edit, written into folder."""
    src = (REPO / "tests" / "data" / "four-articles.yaml").read_text(encoding="utf-8")
    assert old in src
    path = folder / "issue.yaml"
    path.write_text(src.replace(old, new, 1), encoding="utf-8")
    return path


def test_a_broken_rule_names_the_pages_pins(tmp_path):
    # a rule given up because of a pin is the pin's doing: the advice names it
    from layout.compose import _pins_named
    from layout.model import load_issue
    path = _four_articles_with(tmp_path, "  - headline: 区政协举办“委员讲堂”第十二期\n",
                               "  - headline: 区政协举办“委员讲堂”第十二期\n    columns: 3\n"
                               "    place: {column: 4, line: 1}\n")
    page = load_issue(path).pages[0]
    assert _pins_named(page) == ("columns of '区政协举办“委员讲堂”第十二期', "
                                 "place of '区政协举办“委员讲堂”第十二期'")
    assert _pins_named(load_issue(REPO / "tests" / "data" / "four-articles.yaml").pages[0]) == ""


def test_a_loose_line_on_the_page_is_warned_with_its_article(tmp_path, caplog):
    # a URL glued to a name leaves a line that can only be spaced out: the build says
    # which article and which line, read from the lines on the page
    path = _four_articles_with(tmp_path, "    body: 李金勇强调，要突出政治引领，",
                               "    body: 区领导陈定、李鹏、张川、张https://www.example.gov.cn/a。"
                               "李金勇强调，要突出政治引领，")
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(path, tmp_path / "o.pdf")
    loose = [r.getMessage() for r in caplog.records if "loose line" in r.getMessage()]
    assert loose, [r.getMessage() for r in caplog.records]
    # at the body's line of the file, not the article's first line
    at = next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
              if "张https://" in line)
    assert any("loose line in '区政协举办“委员讲堂”第十二期'" in m and "张https://" in m
               and m.startswith(f"{path}:{at}:") for m in loose), loose


def test_a_page_in_free_order_swaps_two_stories_to_clear_a_pengti(tmp_path):
    # the photo example's page 2 in its written order leaves 李金勇's headline beside the
    # lead's second line (the fixed-order case above); free, 三八 (under its kicker)
    # goes there instead and the page has no 碰题
    pdf, report = tmp_path / "o.pdf", tmp_path / "o.json"
    build(REPO / "issues" / "photo-example.yaml", pdf, report=report)
    page = json.loads(report.read_text(encoding="utf-8"))["pages"][1]
    assert page["headline_collisions"] == 0
    fixed = _fixed_order_copy(tmp_path)
    build(fixed, tmp_path / "f.pdf", report=tmp_path / "f.json")
    page = json.loads((tmp_path / "f.json").read_text(encoding="utf-8"))["pages"][1]
    assert page["headline_collisions"] == 1


def test_the_collision_warning_names_the_headlines_side_by_side():
    # a new user could not tell which two of a page's headlines collided
    from types import SimpleNamespace as NS

    from layout.compose import _side_by_side

    def module(name, column, span, *baselines, narrow=0, narrow_column=0):
        p = NS(column=column, span=span, narrow=narrow, narrow_column=narrow_column)
        lines = tuple(NS(y=y, size=18.0) for y in baselines)
        return NS(headline=name, placement=p, head_lines=lines)

    left = module("甲", 0, 2, 900.0, 876.0)
    right = module("乙", 2, 2, 880.0)          # its line shares a height with 甲's second
    far = module("丙", 4, 2, 700.0)            # beside 乙, lower
    apart = module("丁", 0, 2, 300.0)          # 甲's column, not beside anything at its height
    assert _side_by_side([left, right, far, apart]) == [("甲", "乙")]
    # a corner module beside an inset's narrow body
    inset = module("戊", 0, 6, 1000.0, 600.0, narrow=4, narrow_column=0)
    corner = module("己", 4, 2, 605.0)
    assert _side_by_side([inset, corner]) == [("戊", "己")]


def test_the_same_loose_line_is_said_once_with_how_many_it_stands_for(monkeypatch, caplog):
    # a new user's copy repeated a sentence with its address: six identical warnings
    import logging
    from types import SimpleNamespace

    from layout import build as build_mod
    from layout.errors import Source
    article = SimpleNamespace(headline="全区人民武装工作会议召开",
                              source_of=lambda field, text: Source("a.yaml", 46, 11))
    gaps = [(article, "详见https://www.exa", 0.70)] + [(article, "html。详见https://www.", 0.39)] * 5
    monkeypatch.setattr(build_mod, "body_gaps", lambda pages: gaps)
    monkeypatch.setattr(build_mod, "print_warnings", lambda style, pages: [])
    prep = SimpleNamespace(style=SimpleNamespace(setting=SimpleNamespace(max_letterspace_em=0.25)))
    with caplog.at_level(logging.WARNING, logger="layout"):
        build_mod.warn_composed(prep, [])
    said = [r.getMessage() for r in caplog.records]
    assert len(said) == 2, said
    assert said[1].endswith("html。详见https://www. (5 lines alike)") and "0.39 em" in said[1]
    assert not said[0].endswith("alike)")
