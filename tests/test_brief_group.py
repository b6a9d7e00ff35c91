"""简讯: a page's short items set as one module under the house style's title.

Checked on built pages: the report's module, and the item titles and text read back
from the PDF's glyphs (pdfplumber), in reading order, inside the module's box.
"""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml

from layout.build import build

REPO = Path(__file__).resolve().parent.parent
BRIEFS_PAGE = REPO / "tests" / "data" / "briefs-page.yaml"
LONG = ("李金勇强调，要进一步坚定政治立场，强化理论武装，坚持以习近平总书记关于河南及郑州工作的"
        "重要论述作为一切工作的根本遵循，坚决贯彻落实党中央决策部署，牢牢把握省、市委目标要求，"
        "确保完成各项目标任务，推动现代化美丽上街建设迈出更大步伐。") * 6
GUTTER = 9.0            # the house style's gutter: one 9 pt body character
BODY_MAX = 10.5         # sizes of body text, bylines and item titles (headlines: 14 pt up)


def _issue(tmp_path: Path, briefs: list[dict], page_keys: dict | None = None) -> Path:
    data = yaml.safe_load(BRIEFS_PAGE.read_text(encoding="utf-8"))
    page = data["pages"][0]
    page.pop("briefs", None)
    page.update(page_keys or {})
    page["articles"] = page["articles"][:2] + briefs
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _brief(n: int, **more) -> dict:
    return {"headline": f"区里召开第{n}次专题会议", "byline": "记者 张三",
            "body": f"第{n}条：3月{n}日，上街区召开专题会议，研究部署近期重点工作，要求各部门"
                    f"压实责任、狠抓落实。", **more}


def _build(tmp_path: Path, issue: Path) -> tuple[dict, Path]:
    out, report = tmp_path / "out.pdf", tmp_path / "r.json"
    build(issue, out, report=report, pdfx=False)
    return json.loads(report.read_text(encoding="utf-8"))["pages"][0], out


def _lines_in(pdf: Path, module: dict) -> list[tuple[float, float, str, float, str]]:
    """Body-size text lines inside a module's box (not its headline) as (x0, top, text,
    size, font), in reading order: column by column (left to right), each top to bottom."""
    x0, top, x1, bottom = module["box"]
    pitch = (x1 - x0 + GUTTER) / module["columns"]        # a column and its gutter
    with pdfplumber.open(pdf) as doc:
        chars = [c for c in doc.pages[0].chars
                 if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1 and top - 1 <= c["top"]
                 and c["bottom"] <= bottom + 1 and c["size"] < BODY_MAX]
    rows: dict[tuple, list] = {}
    for c in chars:     # one line: one column and one baseline
        rows.setdefault((int((c["x0"] - x0 + 1) // pitch), round(c["bottom"], 1)), []).append(c)
    out = []
    for (column, _), cs in sorted(rows.items()):
        cs.sort(key=lambda c: c["x0"])
        out.append((cs[0]["x0"], cs[0]["top"], "".join(c["text"] for c in cs),
                    round(cs[0]["size"], 1), cs[0]["fontname"]))
    return out


def test_three_or_more_briefs_are_one_module_with_their_titles_in_reading_order(tmp_path):
    briefs = [_brief(n) for n in range(1, 6)]
    page, pdf = _build(tmp_path, _issue(tmp_path, briefs))
    groups = [m for m in page["modules"] if m.get("kind") == "briefs"]
    assert len(groups) == 1
    group = groups[0]
    titles = [b["headline"] for b in briefs]
    assert group["headline"] == "简讯" and group["items"] == titles
    # each item's YAML line, for `layout watch`: where its headline is written
    src = (tmp_path / "issue.yaml").read_text(encoding="utf-8").splitlines()
    for title, where in zip(titles, group["item_sources"]):
        assert title in src[where["line"] - 1] or title in src[where["line"]], (title, where)
    assert 1 <= group["columns"] <= 3
    # no item is a module of its own
    assert not {m["headline"] for m in page["modules"]} & set(titles)
    # the group's own headline is its one headline line
    assert [h["text"] for h in group["headline_lines"]] == ["简讯"]
    lines = _lines_in(pdf, group)
    text = [t for _, _, t, _, _ in lines]
    at = [text.index(t) for t in titles]
    assert at == sorted(at), "item titles out of reading order"
    for k, n in enumerate(at):
        _, _, title, size, font = lines[n]
        assert size == 9.0 and "Bold" in font, (title, size, font)   # brief_title: bold, 9 pt
        # each title is followed by its own text, and the text by its byline
        following = "".join(text[n + 1:at[k + 1] if k + 1 < len(at) else len(text)])
        assert following.startswith(f"第{k + 1}条：3月{k + 1}日"), following[:20]
        assert following.endswith("（记者张三）"), following[-12:]


def test_the_group_keeps_every_character_and_text_unit(tmp_path):
    briefs = [_brief(n) for n in range(1, 5)]
    issue = _issue(tmp_path, briefs)
    page, pdf = _build(tmp_path, issue)
    group = next(m for m in page["modules"] if m.get("kind") == "briefs")
    got = "".join(t for _, _, t, _, _ in _lines_in(pdf, group))
    for b in briefs:
        assert b["headline"] in got and b["body"] in got


def test_two_briefs_stay_separate_as_do_pinned_and_illustrated_ones(tmp_path):
    page, _ = _build(tmp_path, _issue(tmp_path, [_brief(1), _brief(2)]))
    assert not any(m.get("kind") == "briefs" for m in page["modules"])
    assert {"区里召开第1次专题会议", "区里召开第2次专题会议"} <= {m["headline"] for m in page["modules"]}
    # four briefs, one pinned to a column and one with a kicker: two left, no group
    briefs = [_brief(1, columns=1), _brief(2, kicker="简讯引题"), _brief(3), _brief(4)]
    page, _ = _build(tmp_path, _issue(tmp_path, briefs))
    assert not any(m.get("kind") == "briefs" for m in page["modules"])


def test_briefs_separate_keeps_them_apart_and_a_long_item_is_no_brief(tmp_path):
    briefs = [_brief(n) for n in range(1, 5)]
    page, _ = _build(tmp_path, _issue(tmp_path, briefs, {"briefs": "separate"}))
    assert not any(m.get("kind") == "briefs" for m in page["modules"])
    long = dict(_brief(9), body=LONG[:400])
    page, _ = _build(tmp_path, _issue(tmp_path, briefs[:3] + [long]))
    group = next(m for m in page["modules"] if m.get("kind") == "briefs")
    assert group["items"] == [b["headline"] for b in briefs[:3]]
    assert any(m["headline"] == long["headline"] and m.get("kind") != "briefs"
               for m in page["modules"])


def test_a_group_placed_from_its_first_item_keeps_the_other_articles_order(tmp_path):
    # the group stands where its first item was written: before the article after it
    briefs = [_brief(1), _brief(2), _brief(3)]
    path = _issue(tmp_path, briefs)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    arts = data["pages"][0]["articles"]
    data["pages"][0]["articles"] = arts[:1] + arts[2:] + arts[1:2]   # lead, briefs, article
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page, _ = _build(tmp_path, path)
    assert sorted(m.get("kind", m["role"]) for m in page["modules"]) == ["article", "briefs",
                                                                         "lead"]


def _cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout.cli", *args], capture_output=True,
                          text=True, cwd=REPO)


def test_a_wrong_briefs_value_is_a_one_line_error_with_its_line(tmp_path):
    path = _issue(tmp_path, [_brief(1)], {"briefs": "together"})
    r = _cli("check", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if t.strip().startswith("briefs:"))
    assert re.search(rf"issue\.yaml:{line}:\d+: .*grouped \(one 简讯 module\) or separate",
                     r.stderr), r.stderr


@pytest.mark.parametrize("value, expected", [("min_items: 1", "2 or more for 'min_items'"),
                                             ("title: ''", "a short title such as 简讯")])
def test_a_wrong_brief_group_in_the_style_is_an_error(tmp_path, value, expected):
    style = (REPO / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    key = value.split(":")[0]
    style = re.sub(rf"^  {key}: .*$", f"  {value}", style, count=1, flags=re.M)
    folder = tmp_path / "styles"
    folder.mkdir()
    # the style's fonts are named relative to its folder: point them at the repo's
    style = style.replace("../fonts/", f"{REPO}/fonts/")
    (folder / "shangjie.yaml").write_text(style, encoding="utf-8")
    path = _issue(tmp_path, [_brief(1)])
    r = _cli("check", str(path))
    assert r.returncode == 2 and "Traceback" not in r.stderr
    assert "shangjie.yaml:" in r.stderr and expected in r.stderr, r.stderr


def test_a_brief_written_first_is_not_the_lead_the_first_story_is(tmp_path):
    data = yaml.safe_load(BRIEFS_PAGE.read_text(encoding="utf-8"))
    page = data["pages"][0]
    page["articles"] = [_brief(1)] + page["articles"][:2]
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page, _ = _build(tmp_path, path)
    (lead,) = [m for m in page["modules"] if m["role"] == "lead"]
    assert lead["headline"] == data["pages"][0]["articles"][1]["headline"]
    assert {m["headline"]: m["role"] for m in page["modules"]}["区里召开第1次专题会议"] == "brief"


def test_a_page_of_briefs_only_keeps_them_apart_and_has_no_lead(tmp_path):
    # nothing there to lead, nor a story to group them beside: a page short of copy
    # fills better with each item its own module than with one group in a corner
    data = yaml.safe_load(BRIEFS_PAGE.read_text(encoding="utf-8"))
    data["pages"][0]["articles"] = [_brief(n) for n in range(1, 7)]
    data["pages"][0].pop("briefs")
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    page, _ = _build(tmp_path, path)
    assert [m["role"] for m in page["modules"]] == ["brief"] * 6
    assert max(h["size"] for m in page["modules"] for h in m["headline_lines"]) < 30


def test_a_group_title_takes_at_most_one_line_of_headline_air(tmp_path):
    # a page short of copy gave 简讯's and 导读's small titles two lines of air above and
    # below them: holes over a column of short items (the white goes to their feet)
    issue = _issue(tmp_path, [_brief(n) for n in range(4)])
    page, _ = _build(tmp_path, issue)
    group = next(m for m in page["modules"] if m["headline"] == "简讯")
    assert group["air_lines"] <= 1, group
    rep = tmp_path / "ex.json"
    build(REPO / "issues" / "photo-example.yaml", tmp_path / "ex.pdf", report=rep, pdfx=False)
    teasers = next(m for p in json.loads(rep.read_text(encoding="utf-8"))["pages"]
                   for m in p["modules"] if m["headline"] == "导读")
    assert teasers["air_lines"] <= 1, teasers


def test_an_items_title_at_a_columns_foot_is_the_worst_fault():
    # 县妇联开展“护苗” | 安全教育进校园活动 ended a column of a 简讯 group, its text all in
    # the next: as bad as a crosshead there, worse than a widow
    from layout.columns import _faults, balanced_cells, line_marks
    from layout.setting import Line

    def line(first, last):          # (a text line's runs only need to be there: none, a blank)
        return Line((None,), 100.0, 0.0, 0.0, last, 0.0, first=first)
    text = [(line(True, False), "body", "body"), *[(line(False, False), "body", "body")] * 2,
            (line(False, True), "body", "body")]
    title = [(line(True, False), "brief_title", "headline"),
             (line(False, True), "brief_title", "headline")]
    body = title + text + title + text            # 12 lines in two columns
    marks = line_marks(body)
    assert [o for _, o in marks][6:8] == [2, 2]
    # 8 | 4 ends column 1 on the second title; 6 | 6 ends it on the first item's text
    assert _faults([8, 4], marks)[0] == 1 and _faults([6, 6], marks)[0] == 0
    cells = balanced_cells(12, 2, 0, marks, rows=9, spread=3)
    heights = [sum(c == col for c, _ in cells) for col in range(2)]
    assert _faults(heights, marks)[0] == 0, heights


def _briefs_only(tmp_path: Path, n: int, page_keys: dict | None = None) -> Path:
    data = yaml.safe_load(BRIEFS_PAGE.read_text(encoding="utf-8"))
    page = data["pages"][0]
    page.pop("briefs", None)
    page.update(page_keys or {})
    page["articles"] = [_brief(k) for k in range(1, n + 1)]
    path = tmp_path / "issue.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def test_a_page_of_many_briefs_only_sets_them_as_one_group(tmp_path):
    # a new user's page of forty one-line items: each its own module, the page search
    # took two minutes; a page of briefs only keeps separate modules up to
    # SEPARATE_BRIEFS_MOST of them, more go into one 简讯 group, every item on the page
    from layout.compose import SEPARATE_BRIEFS_MOST
    page, pdf = _build(tmp_path, _briefs_only(tmp_path, 40))
    (group,) = [m for m in page["modules"] if m.get("kind") == "briefs"]
    assert len(group["items"]) == 40 and len(page["modules"]) == 1
    with pdfplumber.open(pdf) as doc:
        text = "".join(c["text"] for c in doc.pages[0].chars)
    assert all(f"区里召开第{k}次专题会议" in text for k in range(1, 41))
    few, _ = _build(tmp_path, _briefs_only(tmp_path, SEPARATE_BRIEFS_MOST))
    assert len(few["modules"]) == SEPARATE_BRIEFS_MOST


def test_a_page_of_more_modules_than_the_layout_takes_is_one_line_naming_the_page(tmp_path):
    from click.testing import CliRunner

    from layout.cli import main
    from layout.compose import MAX_MODULES
    issue = _briefs_only(tmp_path, MAX_MODULES + 1, {"briefs": "separate"})
    result = CliRunner().invoke(main, ["check", str(issue)])
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert f"page 1 holds {MAX_MODULES + 1} modules" in line and "briefs: separate" in line
    assert "issue.yaml:" in line


def test_an_error_names_the_first_few_items_of_a_long_group():
    from layout.compose import NAMED_ITEMS, _Module, _named
    from layout.model import Article
    items = tuple(Article(headline=f"第{k}条", body=("正文。",), kicker=None, subheadline=None,
                          byline=None, source=None) for k in range(150))
    owner = Article(headline="简讯", body=(), kicker=None, subheadline=None, byline=None,
                    source=None)
    m = _Module(owner, False, [], {}, {}, items=items)
    named = _named(m)
    assert named.startswith("'简讯' of 150 items ('第0条'")
    assert f"and {150 - NAMED_ITEMS} more" in named and "'第149条'" not in named


def test_a_group_in_a_taller_box_spreads_its_items_not_its_foot():
    # a new user's 简讯 box ran 12 lines past its items, all at its foot: each column's
    # items now stand up to ITEM_GAP_MOST lines apart, the rest of the white below
    from layout.compose import ITEM_GAP_MOST, _items_spread
    roles = ["brief_title", "body", "body", "brief_title", "body", "brief_title", "body"]
    body = [(None, r, "") for r in roles]
    cells = [(0, k) for k in range(len(roles))]
    spread = _items_spread(body, cells, rows=20)
    assert [r for _, r in spread] == [0, 1, 2, 3 + ITEM_GAP_MOST, 4 + ITEM_GAP_MOST,
                                      5 + 2 * ITEM_GAP_MOST, 6 + 2 * ITEM_GAP_MOST]
    # no room: nothing moves; one spare line goes to the first gap
    assert _items_spread(body, cells, rows=7) == cells
    assert [r for _, r in _items_spread(body, cells, rows=8)] == [0, 1, 2, 4, 5, 6, 7]
