"""The page elements every issue has: 报眼 (ear), 导读 (teasers), boxed items, 栏目 labels.

Built from the photo example (issues/photo-example.yaml) and small variants of
the sample; checked on the PDF's characters and rules and on the layout report.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner

from layout.build import build
from layout.cli import main

ISSUES = Path(__file__).parent.parent / "issues"
EXAMPLE = ISSUES / "photo-example.yaml"


def text_of(chars) -> str:
    return "".join(c["text"] for c in chars if not c["text"].isspace())


@pytest.fixture(scope="module")
def example(tmp_path_factory):
    folder = tmp_path_factory.mktemp("example")
    pdf, rep = folder / "ex.pdf", folder / "ex.json"
    build(EXAMPLE, pdf, report=rep)
    report = json.loads(rep.read_text(encoding="utf-8"))
    with pdfplumber.open(pdf) as doc:
        pages = [(p.chars, p.lines, p.images) for p in doc.pages]
    return pdf, report, pages


def test_every_page_of_the_example_has_a_photo(example):
    _, report, pages = example
    for page, (_, _, images) in zip(report["pages"], pages):
        photos = [ph for m in page["modules"] for ph in m.get("photos", [])]
        assert photos and len(images) == len(photos)


def test_the_ear_sits_in_its_box_beside_the_masthead_name(example):
    _, report, pages = example
    chars, lines, _ = pages[0]
    area_top = report["pages"][0]["area"][1]
    title = [c for c in chars if c["top"] < area_top and abs(c["size"] - 12) < 0.1]
    assert text_of(sorted(title, key=lambda c: c["x0"])) == "今日天气"
    x0 = min(c["x0"] for c in title)
    # the ear's text, under its title, in the column the title is centred over
    x1 = max(c["x1"] for c in title)
    ear = [c for c in chars if c["top"] < area_top and abs(c["size"] - 9) < 0.1
           and x0 - 40 < c["x0"] and c["x1"] < x1 + 40]
    assert "晴转多云，4℃～17℃，偏北风2—3级，空气质量良。" in text_of(ear)
    # a ruled box around it: four rules enclosing the title
    box = [ln for ln in lines if ln["top"] < area_top and ln["x0"] <= x0 <= ln["x1"]]
    assert len(box) >= 2


def test_teasers_name_the_page_each_article_is_on(example):
    _, report, pages = example
    chars, _, _ = pages[0]
    teasers = [m for m in report["pages"][0]["modules"] if m.get("kind") == "teasers"]
    assert len(teasers) == 1
    x0, top, x1, bottom = teasers[0]["box"]
    inside = text_of(c for c in chars if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1
                     and top <= c["top"] and c["bottom"] <= bottom + 1)
    where = {m["headline"]: p["page"] for p in report["pages"] for m in p["modules"]}
    # each entry as the editor wrote it (the first, the start of its headline), then
    # the page its article is on
    for written, headline in (("区委常委班子召开2024年度民主生活会",
                               "区委常委班子召开2024年度民主生活会暨巡视整改专题民主生活会"),
                              ("我区召开经济运行分析会",) * 2,
                              ("我区举行纪念“三八”国际妇女节活动",) * 2):
        assert f"{written}第{where[headline]}版" in inside, inside


def test_a_teaser_naming_no_later_article_is_an_error(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("      - 我区召开经济运行分析会\n",
                                                       "      - 没有这篇文章\n")
    issue = tmp_path / "x.yaml"
    issue.write_text(text, encoding="utf-8")
    shutil.copytree(ISSUES / "photos", tmp_path / "photos")
    res = CliRunner().invoke(main, ["check", str(issue)])
    assert res.exit_code == 2
    line = next(n for n, t in enumerate(text.splitlines(), 1) if "没有这篇文章" in t)
    assert f"x.yaml:{line}:" in res.output and "teaser '没有这篇文章'" in res.output


def test_an_ear_too_long_for_its_box_says_by_how_much(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    old = "  text: 晴转多云，4℃～17℃，偏北风2—3级，空气质量良。"
    assert old in text
    issue = tmp_path / "x.yaml"
    issue.write_text(text.replace(old, old + "全区上下凝心聚力，推动经济社会高质量发展。" * 4),
                     encoding="utf-8")
    shutil.copytree(ISSUES / "photos", tmp_path / "photos")
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "'ear' (报眼) is" in res.output and "too long for its box" in res.output
    assert not (tmp_path / "x.pdf").exists()


@pytest.fixture(scope="module")
def boxed(tmp_path_factory):
    folder = tmp_path_factory.mktemp("boxed")
    text = (ISSUES / "2025-03-09.yaml").read_text(encoding="utf-8")
    text = text.replace("      - headline: 开训！役前教育助力预定新兵走好军旅第一步\n",
                        "      - headline: 开训！役前教育助力预定新兵走好军旅第一步\n"
                        "        column_label: 基层风采\n        boxed: true\n", 1)
    issue = folder / "boxed.yaml"
    issue.write_text(text, encoding="utf-8")
    pdf, rep = folder / "b.pdf", folder / "b.json"
    build(issue, pdf, report=rep)
    report = json.loads(rep.read_text(encoding="utf-8"))
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        return report, page.chars, page.lines


def test_a_boxed_item_is_framed_on_four_sides(boxed):
    report, chars, lines = boxed
    m = next(m for m in report["pages"][0]["modules"] if m["headline"].startswith("开训"))
    x0, top, x1, bottom = m["box"]
    thick = [ln for ln in lines if abs(ln["linewidth"] - 1.0) < 0.01]
    horizontal = [ln for ln in thick if abs(ln["top"] - ln["bottom"]) < 0.01
                  and ln["x0"] < x0 and ln["x1"] > x1]
    vertical = [ln for ln in thick if abs(ln["x0"] - ln["x1"]) < 0.01
                and ln["top"] < top and ln["bottom"] > bottom]
    assert len(horizontal) == 2 and len(vertical) == 2
    # every character of the module lies inside the frame
    left, right = min(v["x0"] for v in vertical), max(v["x0"] for v in vertical)
    upper, lower = min(h["top"] for h in horizontal), max(h["top"] for h in horizontal)
    mine = [c for c in chars if x0 <= c["x0"] and c["x1"] <= x1 and top <= c["top"] <= bottom]
    assert mine and all(left < c["x0"] and c["x1"] < right and upper < c["top"]
                        and c["bottom"] < lower for c in mine)


def test_a_column_label_is_printed_in_brackets_above_the_headline(boxed):
    report, chars, _ = boxed
    m = next(m for m in report["pages"][0]["modules"] if m["headline"].startswith("开训"))
    label = [c for c in chars if abs(c["size"] - 10) < 0.1
             and m["box"][1] <= c["top"] <= m["box"][3]]
    assert text_of(sorted(label, key=lambda c: c["x0"])) == "【基层风采】"
    head = [h for h in m["headline_lines"] if "开训" in h["text"]]
    assert max(c["bottom"] for c in label) <= head[0]["box"][1] + 0.5     # above it
    assert min(c["x0"] for c in label) == pytest.approx(m["box"][0], abs=1.0)   # ranged left


def test_an_ear_may_hold_a_photo(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    old = "  title: 今日天气\n  text: 晴转多云，4℃～17℃，偏北风2—3级，空气质量良。"
    assert old in text
    text = text.replace(old, "  title: 今日天象\n  text: 火箭升空。\n"
                        "  photo: {file: photos/rocket.jpg}")
    issue = tmp_path / "x.yaml"
    issue.write_text(text, encoding="utf-8")
    shutil.copytree(ISSUES / "photos", tmp_path / "photos")
    pdf, rep = tmp_path / "x.pdf", tmp_path / "x.json"
    build(issue, pdf, report=rep)
    top = json.loads(rep.read_text(encoding="utf-8"))["pages"][0]["area"][1]
    with pdfplumber.open(pdf) as doc:
        page = doc.pages[0]
        ear = [i for i in page.images if i["bottom"] < top]
        chars = page.chars
    assert len(ear) == 1
    (img,) = ear
    title = [c for c in chars if c["bottom"] < top and abs(c["size"] - 12) < 0.1]
    caption = [c for c in chars if c["bottom"] < top and abs(c["size"] - 9) < 0.1
               and img["x0"] - 1 <= c["x0"] <= img["x1"]]
    assert text_of(sorted(title, key=lambda c: c["x0"])) == "今日天象"
    assert max(c["bottom"] for c in title) <= img["top"]          # title, photo, text
    assert "火箭升空。" in text_of(c for c in caption if c["top"] >= img["bottom"])
    # the photo keeps its proportions: the crop has the box's
    assert img["srcsize"][0] / img["srcsize"][1] == pytest.approx(
        (img["x1"] - img["x0"]) / (img["bottom"] - img["top"]), rel=0.03)


def test_an_ear_box_over_the_paper_name_names_the_free_column(tmp_path):
    # the style's box on column 1 lies under the name: the error says which column is free
    styles = tmp_path / "styles"
    styles.mkdir()
    style = (ISSUES.parent / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    old = "  ear: {column: 4, columns: 1}"
    assert old in style
    (styles / "shangjie.yaml").write_text(style.replace(old, "  ear: {column: 1, columns: 1}"),
                                          encoding="utf-8")
    shutil.copytree(ISSUES / "photos", tmp_path / "photos")
    issue = tmp_path / "x.yaml"
    issue.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "overlaps the paper's name" in res.output
    assert "column 4 is free there (masthead: ear: {column: 4, columns: 1})" in res.output


def teaser_issue(folder: Path, heads: list[str], lead_sentences: int, item_sentences: int
                 ) -> Path:
    """A two-page issue: a lead on page 1 with a 导读 naming each of heads, which are
    page 2's articles."""
    from test_layout_pages import article, body, write_issue
    issue = write_issue(folder, [[article("头版头条稿件标题", body(lead_sentences))],
                                 [article(h, body(item_sentences)) for h in heads]])
    text = issue.read_text(encoding="utf-8").replace(
        "    articles:\n", "    teasers:\n" + "".join(f"      - {h}\n" for h in heads)
        + "    articles:\n", 1)
    issue.write_text(text, encoding="utf-8")
    return issue


def test_a_teaser_never_splits_its_page_number(tmp_path):
    # 导读 entries of every length: 第2版 stays whole (第 | 2版 was seen), ranged right on a
    # line of its own where it does not fit after the headline
    from layout.build import prepare
    from layout.compose import Composer
    heads = ["社区食堂老人吃上暖心饭" + "新" * n for n in range(14)]
    prep = prepare(teaser_issue(tmp_path, heads, 20, 2))
    composer = Composer(prep.issue, prep.style, prep.fonts)
    lines = [(ln.text, field) for ln, _, field in composer._teasers(prep.issue.pages[0]).body]
    texts = [t for t, _ in lines]
    for t in texts:
        assert not t.startswith(("版", "2版")) and not t.endswith("第"), texts
    assert sum("第2版" in t for t in texts) == len(heads)
    assert any(f == "teaser_page" for _, f in lines)       # some entry needed its own line


def test_a_boxed_lead_is_a_rectangle_not_an_inset(tmp_path):
    # the sample's lead is an inset (its body narrows beside a corner story); boxed, it
    # was still one, and its frame, a rectangle, struck through the corner's text
    text = (ISSUES / "2025-03-09.yaml").read_text(encoding="utf-8")
    head = "      - headline: 副市长胡军到上街区调研重点企业\n"
    assert head in text
    rep = tmp_path / "r.json"
    plain = tmp_path / "plain.yaml"
    plain.write_text(text, encoding="utf-8")
    build(plain, tmp_path / "plain.pdf", report=rep)
    lead = next(m for m in json.loads(rep.read_text(encoding="utf-8"))["pages"][0]["modules"]
                if m["role"] == "lead")
    assert "body_columns" in lead                   # an inset when not boxed
    boxed = tmp_path / "boxed.yaml"
    # (marked lead: a boxed article is no lead by default)
    boxed.write_text(text.replace(head, head + "        boxed: true\n        lead: true\n", 1),
                     encoding="utf-8")
    build(boxed, tmp_path / "boxed.pdf", report=rep)
    page = json.loads(rep.read_text(encoding="utf-8"))["pages"][0]
    lead = next(m for m in page["modules"] if m["role"] == "lead")
    assert "body_columns" not in lead
    x0, top, x1, bottom = lead["box"]
    for m in page["modules"]:                       # no other module inside its frame
        if m is not lead:
            mx0, mtop, mx1, mbottom = m["box"]
            assert mx1 <= x0 + 1 or mx0 >= x1 - 1 or mbottom <= top + 1 or mtop >= bottom - 1


def test_a_teaser_breaks_at_words_and_stays_in_one_column(tmp_path):
    # 导读 entries are broken as headlines are (新密“晒”丰 | 收 was seen: the word split,
    # one character left), and an entry's lines are never split across the module's columns
    from layout.build import compose, prepare
    heads = ["金秋丰收节 新密“晒”丰收庆祝活动在曲梁镇举行", "超化镇：千年古镇“焕新颜”迎来八方游客",
             "社区食堂让老人吃上暖心饭", "全市秋粮收获进度过九成 单产创历史新高",
             "非遗传承人走进校园课堂", "我市新增三条城乡公交线路"]
    prep = prepare(teaser_issue(tmp_path, heads, 30, 3))
    pages, _ = compose(prep)
    entries = [(pl.line.text, pl.x, pl.origin[1]) for pl in pages[0].lines
               if pl.origin and pl.origin[1] in ("teaser", "teaser_end", "teaser_page")]
    texts = [t for t, _, _ in entries]
    assert not any(t.endswith("丰") or t.startswith("收") for t in texts), texts
    # each entry: its lines in reading order, all at one column's x (teaser_page ranged
    # right in that column)
    entry, xs = [], set()
    for t, x, field in entries:
        if field != "teaser_page":
            xs.add(round(x))
        entry.append(t)
        if field != "teaser":
            assert len(xs) == 1, (entry, xs)
            entry, xs = [], set()
    assert not entry


def test_check_passes_the_photo_example_with_its_teasers_ear_and_photos(tmp_path):
    # precheck looks at every teaser, photo and the ear before composing; it once
    # mistook its list of teaser matches for its list of problems (exit 3)
    res = CliRunner().invoke(main, ["check", str(EXAMPLE)])
    assert res.exit_code == 0, res.output
    assert "ok, 2 pages" in res.output


def test_a_notices_signoff_is_ranged_right_and_kept_in_the_text():
    # 上街区交通运输局 / 2025年3月8日 closing a 公告 were set as indented body paragraphs
    from layout.build import compose, prepare
    from layout.paragraphs import signoff as _signoff
    prep = prepare(Path(__file__).parent / "data" / "notice.yaml")
    pages, composer = compose(prep)
    g = composer.grid
    signed = [pl for pl in pages[0].lines if pl.origin and pl.origin[1] == "signoff"]
    assert [pl.line.text for pl in signed] == ["上街区交通运输局", "2025年3月8日"]
    for pl in signed:
        right = min((g.column_x(c) + g.column_width for c in range(g.columns)
                     if g.column_x(c) <= pl.x + 1), key=lambda r: abs(r - pl.x - pl.line.natural))
        assert abs(pl.x + pl.line.natural - right) < 0.5, (pl.line.text, pl.x)
    assert _signoff(["正文。", "上街区交通运输局", "2025年3月8日"]) == 2
    assert _signoff(["正文。", "2025年3月8日"]) == 1
    assert _signoff(["正文。", "会议于2025年3月8日召开。"]) == 0
    assert _signoff(["正文一。", "这一段有逗号，不是落款", "2025年3月8日"]) == 1


def test_a_boxed_notice_written_first_is_not_the_lead(tmp_path):
    # a 通告 written first became the 头条 under the page's 30 pt headline; the first
    # story that is not boxed leads (and the notice still does where it stands alone)
    from layout.build import new_composer, prepare
    src = (Path(__file__).parent / "data" / "four-articles.yaml").read_text(encoding="utf-8")
    first = "  - headline: 我区5G基站覆盖率达98.6%\n"
    assert first in src
    path = tmp_path / "issue.yaml"
    path.write_text(src.replace(first, first + "    boxed: true\n", 1), encoding="utf-8")
    prep = prepare(path)
    page = prep.issue.pages[0]
    assert page.articles[0].boxed
    composer = new_composer(prep)
    lead = composer._lead_of(page)
    # (the second article is a brief: the third is the first story after the notice)
    assert page.articles[lead].headline == "区政协举办“委员讲堂”第十二期", lead
    alone = prep.issue.pages[0].__class__(**{**page.__dict__, "articles": page.articles[:1]})
    assert composer._lead_of(alone) == 0


def test_a_boxed_items_frame_hugs_its_text_on_a_page_short_of_copy(tmp_path):
    # tests/data/notice.yaml leaves its 通告's module taller than its text: the frame
    # closed 13 empty lines in (a new user's page); it ends under the text instead
    issue = Path(__file__).parent / "data" / "notice.yaml"
    rep = tmp_path / "r.json"
    build(issue, tmp_path / "n.pdf", report=rep)
    page = json.loads(rep.read_text(encoding="utf-8"))["pages"][0]
    box = next(m for m in page["modules"] if m["headline"].startswith("关于"))
    x0, top, x1, bottom = box["box"]
    with pdfplumber.open(tmp_path / "n.pdf") as pdf:
        pg = pdf.pages[0]
        last = max(c["bottom"] for c in pg.chars if x0 - 1 <= c["x0"] <= x1 and top <= c["top"] <= bottom)
        frame = [ln for ln in pg.lines if abs(ln["linewidth"] - 1.0) < 0.05
                 and abs(ln["top"] - ln["bottom"]) < 0.1 and ln["x0"] < x0 + 10]
    foot = max(ln["top"] for ln in frame)
    assert last < foot < last + 20, (last, foot, bottom)     # a line of text's depth at most
    assert bottom - last > 40            # (the module is taller than its text: else no test)


def test_a_teaser_prints_as_the_editor_wrote_it(tmp_path):
    # a new user's 导读 named a 41-character lead headline by its first phrase and got
    # the whole headline in seven lines; the entry is the editor's copy
    from layout.build import prepare
    from layout.compose import Composer
    long = "周赟在县委经济工作会议上强调 坚定信心 真抓实干 奋力夺取全年目标任务“双过半”"
    issue = teaser_issue(tmp_path, [long], 20, 12)
    text = issue.read_text(encoding="utf-8").replace(f"      - {long}\n",
                                                     "      - 周赟在县委经济工作会议上强调\n", 1)
    issue.write_text(text, encoding="utf-8")
    prep = prepare(issue)
    composer = Composer(prep.issue, prep.style, prep.fonts)
    shown = "".join(ln.text for ln, _, _ in composer._teasers(prep.issue.pages[0]).body)
    assert shown.replace("\u3000", "") == "周赟在县委经济工作会议上强调第2版", shown
    build(issue, tmp_path / "o.pdf")               # and nothing is lost (conserve.check)
