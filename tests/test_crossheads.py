"""Crossheads (小标题): found in plain copy, set bold at body size with a line of
space over them, and never left at a column's foot with their text in the next."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import pytest

from layout.build import build, compose, prepare
from layout.columns import line_marks
from layout.paragraphs import crossheads

DATA = Path(__file__).parent / "data"
PROSE = "今年以来，全区组建农技服务小分队十二支，开展技术培训四十余场，发放技术资料五千余份。"


@pytest.mark.parametrize("paras, heads", [
    # numbered section heads between stretches of prose
    ([PROSE, "一、田间地头的“智慧大脑”", PROSE, "二、农技专家走进百姓家", PROSE], {1, 3}),
    # a single numbered head inside the text
    ([PROSE, "（一）宅基地面积标准", PROSE], {1}),
    ([PROSE, "（二）审批流程（试行）", PROSE], {1}),
    # unnumbered questions heading their answers: two or more make a series
    ([PROSE, "哪些人可以申请宅基地？", PROSE, "审批需要多长时间？", PROSE], {1, 3}),
    # a head may open the body
    (["一、总体要求", PROSE, "二、主要任务", PROSE], {0, 2}),
    # a numbered head pausing once between its two phrases, the commonest 小标题
    ([PROSE, "一、抢抓机遇：从“招商”到“选商”", PROSE, "二、链式发展", PROSE], {1, 3}),
    ([PROSE, "一、坚持党建引领，激活发展动能", PROSE, "二、链式发展", PROSE], {1, 3}),
])
def test_crossheads_are_found_in_plain_copy(paras, heads):
    assert crossheads(paras) == heads


@pytest.mark.parametrize("paras", [
    # dialogue: an exclamation is a sentence
    [PROSE, "“太好了！”", PROSE, "“谢谢你们！”", PROSE],
    # a list of short lines side by side is no series of heads
    [PROSE, "一户一宅", "先批后建", "按图施工", PROSE],
    # run-in heads: the number's text goes on as a sentence
    [PROSE, "一、不私拉乱接电线；", PROSE, "二、管制路段：中心路。", PROSE],
    # a lead-in to a list, and a numbered line of three clauses, are no heads
    [PROSE, "一、主要做法：", PROSE, "二、存在问题，有待解决，马上整改", PROSE],
    # one unnumbered short line is prose (a closing word), as is the body's first line alone
    [PROSE, "谢谢大家", PROSE],
    ["一、总体要求", PROSE],
    # too long for a head
    [PROSE, "一、" + "农" * 30, PROSE],
    # a head needs text to head
    [PROSE, PROSE, "一、结语"],
    # items' sources in brackets, quotations' sources: notes, not heads
    [PROSE, "（通讯员 李红）", PROSE, "（记者 王明）", PROSE],
    [PROSE, "——摘自《人民日报》", PROSE, "——习近平", PROSE],
])
def test_short_lines_that_head_nothing_are_prose(paras):
    assert crossheads(paras) == frozenset()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("crossheads")
    pdf = out / "c.pdf"
    build(DATA / "crossheads.yaml", pdf)
    with pdfplumber.open(pdf) as doc:
        return [printed_lines(p.chars) for p in doc.pages]


def face(c: dict) -> str:
    """Bold or Regular: quotes and other punctuation come from a font of their own."""
    return "Bold" if "Bold" in c["fontname"] else "Regular"


def printed_lines(chars) -> list[dict]:
    """The page's lines as printed: runs of characters on one baseline in one face and
    size, broken where a gap wider than a gutter's half parts two columns."""
    out = []
    for c in sorted(chars, key=lambda c: (round(c["top"], 1), c["x0"])):
        last = out[-1] if out else None
        if (last and abs(last["top"] - c["top"]) < 0.5 and c["x0"] - last["x1"] < 6
                and face(last) == face(c) and last["size"] == c["size"]):
            last["text"] += c["text"]
            last["x1"] = c["x1"]
        else:
            out.append({k: c[k] for k in ("text", "top", "x0", "x1", "fontname", "size")})
    return out


@pytest.mark.parametrize("head", ["一、田间地头的“智慧大脑”", "四、政策红利惠及千家万户",
                                  "哪些人可以申请宅基地？", "审批需要多长时间？"])
def test_a_crosshead_is_bold_at_body_size_on_a_line_of_its_own(built, head):
    words = [w for page in built for w in page if w["text"] == head]
    assert len(words) == 1, head
    w = words[0]
    assert face(w) == "Bold" and w["size"] == pytest.approx(9.0)
    # prose words beside it are the regular face
    page = next(p for p in built if w in p)
    below = [v for v in page if abs(v["x0"] - w["x0"]) < 30 and 0 < v["top"] - w["top"] < 20]
    assert below and all(face(v) == "Regular" for v in below)


def test_lines_that_are_no_heads_stay_regular_text(built):
    for text in ["“太好了！”", "谢谢大家", "一户一宅", "一、不私拉乱接电线；"]:
        words = [w for page in built for w in page if text in w["text"]]
        assert words and all(face(w) == "Regular" for w in words), text


def test_a_crosshead_at_a_columns_foot_is_the_worst_fault():
    from layout.columns import _faults, balanced_cells
    from layout.setting import Line

    def line(first, last, blank=False):       # (a text line's runs only need to be there)
        return Line(() if blank else (None,), 100.0, 0.0, 0.0, last, 0.0, first=first)
    # three lines of text | blank, head | four | four
    para = [(line(True, False), "body", "body"), *[(line(False, False), "body", "body")] * 2,
            (line(False, True), "body", "body")]
    head = [(line(True, True, blank=True), "body", "crosshead_space"),
            (line(True, True), "crosshead", "crosshead")]
    body = para[1:] + head + para + para
    marks = line_marks(body)
    # the blank over a head is a line of white at a foot (1), the head and the one line
    # of its text under it stranded there (2)
    assert [o for _, o in marks][2:7] == [0, 1, 2, 2, 0]
    # balanced 5 | 4 | 4 ends column 1 on the head (line 4): the worst; 4 | 4 | 5 opens
    # column 3 on a widow; 4 | 5 | 4 leaves a line of white at column 1's foot
    assert _faults([5, 4, 4], marks) == (1, 0, 1)
    assert _faults([4, 4, 5], marks) == (0, 1, 1)
    assert _faults([4, 5, 4], marks) == (0, 0, 1)
    cells = balanced_cells(13, 3, 0, marks)
    assert [sum(c == col for c, _ in cells) for col in range(3)] == [4, 5, 4]
    # a blank line under a head is still the head ending its column's text
    under = body[:5] + [(line(True, True, blank=True), "body", "body")] + body[5:]
    assert [o for _, o in line_marks(under)][4:7] == [2, 2, 2]
    # with room for a longer column the blank is dropped at column 2's top: 3 | 6 | 4
    cells = balanced_cells(13, 3, 0, marks, rows=6, spread=2, blanks=frozenset({3}))
    heights = [sum(c == col for c, _ in cells) for col in range(3)]
    assert heights == [3, 6, 4]
    assert _faults(heights, marks) == (0, 0, 0)


def feature(folder: Path, intro: int) -> Path:
    """A page holding one feature of four sections under crossheads, `intro` sentences
    opening it, and a second article."""
    from test_layout_pages import article, body, write_issue
    paras = body(intro, per_paragraph=3)
    for n in "一二三四":
        paras += [f"{n}、第{n}部分的小标题", PROSE * 2, PROSE]
    return write_issue(folder, [[article("春耕时节田间忙 科技助力丰收路", paras),
                                 article("社区食堂开张 老人吃上暖心饭", body(10))]],
                       name=f"f{intro}.yaml")


def stranded(pages, one_line: bool = False) -> list[str]:
    """Crosshead lines whose text goes on in another column (one_line: or after one
    line of it)."""
    out = []
    for page in pages:
        lines = [pl for pl in page.lines if pl.origin and pl.origin[1] in ("crosshead", "body")]
        for a, b, c in zip(lines, lines[1:], lines[2:] + [None]):
            if a.origin[1] != "crosshead" or b.origin != (a.origin[0], "body"):
                continue
            one = (one_line and c is not None and b.line.first and not b.line.last
                   and c.origin == b.origin and abs(c.x - a.x) > 1)
            if abs(a.x - b.x) > 1 or one:
                out.append(a.line.text)
    return out


def test_no_crosshead_ends_a_column_with_its_text_in_the_next(tmp_path):
    # the feature grows a sentence at a time, so its heads fall at every height of the
    # columns; at the foot of one a head must go over to its text (or its text come up)
    seen = 0
    for intro in range(0, 24, 2):
        pages, _ = compose(prepare(feature(tmp_path, intro)))
        heads = [pl for page in pages for pl in page.lines
                 if pl.origin and pl.origin[1] == "crosshead"]
        assert len(heads) == 4
        seen += 1
        assert stranded(pages) == [], intro
    assert seen


def test_the_house_style_can_turn_crossheads_off(tmp_path):
    # setting.crossheads: false sets every paragraph as text, as before crossheads were found
    style = (Path(__file__).parent.parent / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    assert "  crossheads: true" in style
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "shangjie.yaml").write_text(
        style.replace("  crossheads: true", "  crossheads: false"), encoding="utf-8")
    issue = tmp_path / "c.yaml"
    issue.write_text((DATA / "crossheads.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    on, _ = compose(prepare(DATA / "crossheads.yaml"))
    off, _ = compose(prepare(issue))
    fields = [{pl.origin[1] for p in pages for pl in p.lines if pl.origin} for pages in (on, off)]
    assert "crosshead" in fields[0] and "crosshead" not in fields[1]
    assert "crosshead_space" not in fields[1]


@pytest.mark.parametrize("command", ["build", "check"])
def test_layout_v_says_which_lines_it_set_as_crossheads(tmp_path, command):
    # a line that came out bold says why, and how to stop it, at its own line of the file
    import subprocess
    import sys
    out = ["-o", str(tmp_path / "c.pdf")] if command == "build" else []
    res = subprocess.run([sys.executable, "-c", "from layout.cli import main; main()", "-v",
                          command, str(DATA / "crossheads.yaml"), *out],
                         capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr
    said = [ln for ln in res.stderr.splitlines() if "crosshead (小标题)" in ln]
    assert len(said) == 8
    at = next(n for n, ln in enumerate((DATA / "crossheads.yaml").read_text(
        encoding="utf-8").splitlines(), 1) if "一、田间地头的“智慧大脑”" in ln)
    assert any(f"crossheads.yaml:{at}:" in ln and "一、田间地头的“智慧大脑”" in ln
               and "setting.crossheads: false" in ln for ln in said), said


def jumping_feature(folder: Path, intro: int) -> Path:
    """A page-1 feature of eight sections under crossheads that continues on page 2
    (continue_on), beside three other stories; `intro` sentences open it."""
    from test_layout_pages import article, body, write_issue
    paras = body(intro, per_paragraph=4) if intro else []
    for n in "一二三四五六七八":
        paras += [f"{n}、第{n}部分讲的是这件事", PROSE * 3, PROSE * 2]
    return write_issue(folder, [
        [article("春耕时节田间忙 科技助力丰收路", paras, continue_on=2),
         article("社区食堂开张 老人吃上暖心饭", body(30)),
         article("我县开展春季森林防火专项检查", body(25)),
         article("县图书馆推出全民阅读月系列活动", body(30))],
        [article("二版自有稿件一", body(40)), article("二版自有稿件二", body(30))]],
        name=f"j{intro}.yaml")


def test_a_jump_never_ends_a_part_on_a_crosshead(tmp_path):
    # （下转第2版） under a section's head (or one line of its text) would send the reader
    # over for the rest; the head goes over with it, and page 2's part never opens on
    # the blank over a head. Without the rule, intro 16 ended page 1 on the head, 59 on
    # its first line
    jumped = 0
    for intro in (9, 15, 16, 38, 58, 59):
        pages, _ = compose(prepare(jumping_feature(tmp_path, intro)))
        for page in pages:
            mine = [pl for pl in page.lines if pl.origin
                    and getattr(pl.origin[0], "headline", "") == "春耕时节田间忙 科技助力丰收路"
                    and pl.origin[1] in ("body", "crosshead", "crosshead_space", "note")]
            notes = [k for k, pl in enumerate(mine) if pl.origin[1] == "note"]
            for k in notes:
                if mine[k].line.text.startswith("（下转"):
                    jumped += 1
                    assert mine[k - 1].origin[1] == "body", (intro, mine[k - 1].line.text)
                    assert mine[k - 2].origin[1] != "crosshead", intro
                else:
                    assert mine[k + 1].origin[1] not in ("crosshead_space",), intro
    assert jumped == 6


def test_a_crosshead_at_a_full_columns_foot_keeps_two_lines_of_its_text(tmp_path):
    # a notice of thirty numbered items in a module with no line to spare: where no
    # arrangement takes a head to the next column, the blank over it goes, so that two
    # lines of its text stand under it (（二十三）事项 had one, the rest in the next column)
    import yaml
    text = "今年以来，全区组建农技服务小分队十二支，开展技术培训四十余场。"
    nums = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"]
    body = [text * 3]
    for i in range(1, 31):
        tens, ones = divmod(i, 10)
        n = (nums[tens - 1] if tens > 1 else "") + ("十" if tens else "") + \
            (nums[ones - 1] if ones else "")
        body += [f"（{n}）事项", text * 2]
    issue = {"paper": "shangjie", "date": "2025-03-09", "number": 5, "total": 803,
             "pages": [{"articles": [
                 {"headline": "关于做好春季农业生产工作的通知", "byline": "县农业农村局",
                  "body": "\n\n".join(body)},
                 {"headline": "社区食堂开张", "body": "\n\n".join([text * 4] * 6)}]}]}
    path = tmp_path / "items.yaml"
    path.write_text(yaml.safe_dump(issue, allow_unicode=True, sort_keys=False), encoding="utf-8")
    pages, _ = compose(prepare(path))
    assert sum(pl.origin[1] == "crosshead" for pl in pages[0].lines if pl.origin) == 30
    assert stranded(pages, one_line=True) == []
