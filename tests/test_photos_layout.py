"""Photos in the layout: a photo is part of its article's module, under the headline.

Issues are written into tmp folders with synthetic JPEGs made by Pillow; each
test reads the built PDF (pdfplumber: image boxes, characters) and the layout
report. The colour conversion itself is tested in tests/test_photos_press.py.
"""
from __future__ import annotations

import json
from pathlib import Path

import pdfplumber
import pytest
from click.testing import CliRunner
from PIL import Image

from layout import compose as compose_mod
from layout.build import build
from layout.cli import main
from layout.errors import LostTextError
from test_layout_pages import body, line_of

SENTENCE_CHARS = 21
PITCH = 14.0                    # the shangjie grid (body leading)
CAPTION = "图为活动现场，居民在志愿者指导下学习垃圾分类知识。"
CREDIT = "记者 王明玥 摄"


def jpeg(path: Path, size=(1800, 1200), colour=(40, 120, 200)) -> Path:
    Image.new("RGB", size, colour).save(path, quality=85)
    return path


def write(folder: Path, articles: list[str]) -> Path:
    """An issue of one page; each article is given as ready YAML lines (8-space indent)."""
    out = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
           "credits:", "  duty_editor: 焦芙蓉", "  proofreaders: [刘世平, 孙畅]", "pages:",
           "  - section: 要闻", "    articles:"]
    for a in articles:
        out += a.splitlines()
    path = folder / "issue.yaml"
    path.write_text("\n".join(out) + "\n", encoding="utf-8")
    return path


def article(headline: str, sentences: int, photo: str | None = None, *, caption=CAPTION,
            credit=CREDIT, extra: str = "") -> str:
    lines = [f"      - headline: {headline}", "        byline: 记者 王明玥"]
    if photo:
        lines += ["        photos:", f"          - file: {photo}"]
        if caption:
            lines.append(f"            caption: {caption}")
        if credit:
            lines.append(f"            credit: {credit}")
        lines += [f"            {x}" for x in extra.splitlines() if x]
    if sentences:
        lines.append("        body: |")
        paras = body(sentences)
        for i, p in enumerate(paras):
            if i:
                lines.append("")
            lines.append("          " + p)
    return "\n".join(lines)


def built(folder: Path, issue: Path):
    pdf, rep = folder / "out.pdf", folder / "r.json"
    build(issue, pdf, report=rep)
    report = json.loads(rep.read_text(encoding="utf-8"))
    with pdfplumber.open(pdf) as doc:
        pages = [(p.images, p.chars, p.height) for p in doc.pages]
    return report, pages


def placed_ppi(photo: dict) -> float:
    """A reported photo's pixels per inch as placed: its crop over its box."""
    x0, top, x1, bottom = photo["box"]
    cx0, cy0, cx1, cy1 = photo["crop"]
    return min((cx1 - cx0) * 72 / (x1 - x0), (cy1 - cy0) * 72 / (bottom - top))


def module(report: dict, headline: str) -> dict:
    return next(m for p in report["pages"] for m in p["modules"] if m["headline"] == headline)


@pytest.fixture(scope="module")
def page_with_photos(tmp_path_factory):
    folder = tmp_path_factory.mktemp("photos")
    jpeg(folder / "wide.jpg")
    jpeg(folder / "tall.jpg", (1000, 1500), (200, 80, 40))
    issue = write(folder, [
        article("我区开展垃圾分类宣传进社区活动", 28, "wide.jpg"),
        article("全区人民武装工作会议召开", 30),
        article("我区召开经济运行分析会", 22, "tall.jpg", caption="图为会议现场。"),
        article("我区举行纪念三八国际妇女节活动", 18),
    ])
    return built(folder, issue)


def test_each_photo_is_drawn_in_its_module_box_under_the_headline(page_with_photos):
    report, pages = page_with_photos
    images, chars, height = pages[0]
    assert len(images) == 2
    for headline in ("我区开展垃圾分类宣传进社区活动", "我区召开经济运行分析会"):
        m = module(report, headline)
        (ph,) = m["photos"]
        x0, top, x1, bottom = ph["box"]
        mx0, mtop, mx1, mbottom = m["box"]
        assert mx0 - 0.5 <= x0 and x1 <= mx1 + 0.5 and mtop <= top and bottom <= mbottom
        # under the module's headline lines
        assert top > max(h["box"][3] for h in m["headline_lines"])
        # the PDF draws an image exactly there
        assert any(abs(i["x0"] - x0) < 0.6 and abs(i["x1"] - x1) < 0.6
                   and abs(i["top"] - top) < 0.6 and abs(i["bottom"] - bottom) < 0.6
                   for i in images), (ph, [(i["x0"], i["top"], i["x1"], i["bottom"]) for i in images])
        # whole grid lines high (less the gap above the caption)
        lines = (bottom - top + 3.0) / PITCH
        assert abs(lines - round(lines)) < 0.01
        # the crop keeps the box's proportions: the photo is never distorted
        cx0, cy0, cx1, cy1 = ph["crop"]
        assert abs((cx1 - cx0) / (cy1 - cy0) - (x1 - x0) / (bottom - top)) < 0.02


def test_caption_and_credit_sit_under_their_photo(page_with_photos):
    report, pages = page_with_photos
    _, chars, _ = pages[0]
    m = module(report, "我区开展垃圾分类宣传进社区活动")
    x0, top, x1, bottom = m["photos"][0]["box"]
    under = [c for c in chars if x0 - 1 <= c["x0"] and c["x1"] <= x1 + 1
             and bottom < c["top"] < bottom + 4 * PITCH]
    text = "".join(c["text"] for c in sorted(under, key=lambda c: (round(c["top"]), c["x0"])))
    assert CAPTION in text
    assert "".join(CREDIT.split()) in text.replace(" ", "")
    credit_chars = [c for c in under if c["text"] == "摄"]
    assert credit_chars and abs(credit_chars[-1]["x1"] - x1) < 1.0      # ranged right


def test_a_photo_spans_whole_columns(page_with_photos):
    report, _ = page_with_photos
    area = report["pages"][0]["area"]
    col = (area[2] - area[0] + 0) / 6
    for p in report["pages"]:
        for m in p["modules"]:
            for ph in m.get("photos", []):
                width = ph["box"][2] - ph["box"][0]
                columns = round((width + 0.001) / col + 0.2)
                assert columns >= 1 and ph["box"][0] == pytest.approx(m["box"][0], abs=0.5)


@pytest.fixture(scope="module")
def photo_news(tmp_path_factory):
    """A page with a 图片新闻 item (photo, title, caption; no body) between two articles."""
    folder = tmp_path_factory.mktemp("photo-news")
    jpeg(folder / "a.jpg")
    issue = write(folder, [
        article("全区人民武装工作会议召开", 45),
        article("春日花开", 0, "a.jpg", caption="3月8日，市民在公园赏花。"),
        article("我区召开经济运行分析会", 40),
    ])
    return built(folder, issue)


def test_photo_news_item_has_no_body(photo_news):
    report, pages = photo_news
    m = module(report, "春日花开")
    assert m["role"] == "photo" and len(m["photos"]) == 1
    assert "3月8日，市民在公园赏花。" in "".join(c["text"] for c in pages[0][1])


def test_photo_news_leads_with_its_photo_then_title_then_caption(photo_news):
    # 图片新闻 (style photos.news_title: below): the photo at the module's top, its title
    # under it and over the caption; the search knows where the title lies (碰题)
    report, pages = photo_news
    m = module(report, "春日花开")
    x0, top, x1, bottom = m["photos"][0]["box"]
    assert top == pytest.approx(m["box"][1], abs=0.5)            # the photo leads
    (title,) = [h for h in m["headline_lines"] if h["text"] == "春日花开"]
    assert title["box"][1] > bottom                                # the title under it
    chars = pages[0][1]
    first = min((c for c in chars if c["text"] == "市" and x0 - 1 <= c["x0"] <= x1 + 1
                 and c["top"] > bottom), key=lambda c: c["top"])
    assert first["top"] > title["box"][3]                          # then the caption
    assert report["pages"][0]["headline_collisions"] == 0


def test_article_without_body_or_photos_is_an_error(tmp_path):
    issue = write(tmp_path, ["      - headline: 没有正文"])
    res = CliRunner().invoke(main, ["check", str(issue)])
    assert res.exit_code == 2
    assert "missing required key 'body' in article" in res.output
    assert f"{issue.name}:{line_of(issue, '没有正文')}:" in res.output


def huge_png(path: Path) -> None:
    """A PNG whose header says 20000 x 20000 pixels (the data is a 1 x 1 picture)."""
    import struct
    import zlib

    Image.new("RGB", (1, 1)).save(path)
    data = bytearray(path.read_bytes())
    ihdr = data[12:29]                        # chunk type + 13 bytes of IHDR
    ihdr[4:12] = struct.pack(">II", 20000, 20000)
    data[12:29] = ihdr
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(ihdr)))
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("make, words", [
    (None, "cannot"),                                                 # no such file
    (lambda p: p.write_bytes(b"not an image at all"), ""),            # not an image
    (lambda p: p.write_bytes(jpeg(p).read_bytes()[:400]), ""),        # truncated
])
def test_a_bad_photo_is_one_line_naming_file_and_article(tmp_path, make, words):
    photo = tmp_path / "bad.jpg"
    if make:
        make(photo)
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 60, "bad.jpg")])
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    line = res.output.strip()
    assert "\n" not in line and "Traceback" not in line
    assert "bad.jpg" in line and "我区开展垃圾分类宣传进社区活动" in line
    assert not (tmp_path / "x.pdf").exists()


def test_photo_columns_set_the_module_width(tmp_path):
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [
        article("我区开展垃圾分类宣传进社区活动", 25, "a.jpg", extra="columns: 3"),
        article("全区人民武装工作会议召开", 35),
        article("我区召开经济运行分析会", 25),
    ])
    report, _ = built(tmp_path, issue)
    assert module(report, "我区开展垃圾分类宣传进社区活动")["columns"] == 3


def test_a_photo_pinned_narrower_than_its_pinned_article_stands_beside_its_text(tmp_path):
    # a new user's profile: `columns: 4` on the article, `columns: 2` on its photo; the
    # photo stood across all four columns, its pin dropped without a word
    jpeg(tmp_path / "a.jpg", (1600, 1200))
    issue = write(tmp_path, [
        article("邬珏：把冷门修成热门", 40, "a.jpg", extra="columns: 2")
        + "\n        columns: 4",
        article("全区人民武装工作会议召开", 35),
        article("我区召开经济运行分析会", 25),
    ])
    report, _ = built(tmp_path, issue)
    m = module(report, "邬珏：把冷门修成热门")
    assert m["columns"] == 4
    x0, _, x1, _ = m["photos"][0]["box"]
    mx0, _, mx1, _ = m["box"]
    assert abs(x0 - mx0) < 1 and (x1 - x0) < 0.6 * (mx1 - mx0)     # two of four columns


def test_crop_box_outside_the_photo_names_the_key(tmp_path):
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 60, "a.jpg",
                                     extra="crop: {box: [0, 0, 2400, 900]}")])
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "'crop' box" in res.output and "1800 x 1200" in res.output


def test_focus_point_is_kept_inside_the_crop(tmp_path):
    jpeg(tmp_path / "a.jpg", (3000, 1000))          # very wide: the crop must cut a lot
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 25, "a.jpg",
                                     extra="crop: {focus: [2900, 500]}"),
                             article("全区人民武装工作会议召开", 50)])
    report, _ = built(tmp_path, issue)
    x0, y0, x1, y1 = module(report, "我区开展垃圾分类宣传进社区活动")["photos"][0]["crop"]
    assert x0 <= 2900 <= x1 and x1 == 3000          # pushed against the right edge


def test_a_lost_caption_line_fails_the_build(tmp_path, monkeypatch):
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 25, "a.jpg"),
                             article("全区人民武装工作会议召开", 50)])
    real = compose_mod.Composer._place_picture

    def lossy(self, *args, **kw):
        out = args[7]                    # (m, pic, p, pc, x0, width, row, out, colour)
        n = len(out)
        r, placed = real(self, *args, **kw)
        del out[n]                       # the caption's first line
        return r, placed

    monkeypatch.setattr(compose_mod.Composer, "_place_picture", lossy)
    with pytest.raises(LostTextError, match="caption"):
        build(issue, tmp_path / "x.pdf")


def test_a_photo_takes_at_most_its_share_of_the_module(tmp_path):
    # a tall photo over two sentences of text: the photo is held to 3/4 of the module ...
    jpeg(tmp_path / "tall.jpg", (800, 2400))
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 60),
                             article("我区开展垃圾分类宣传进社区活动", 2, "tall.jpg")])
    report, _ = built(tmp_path, issue)
    m = module(report, "我区开展垃圾分类宣传进社区活动")
    x0, top, x1, bottom = m["photos"][0]["box"]
    if x1 - x0 < m["box"][2] - m["box"][0] - 1:
        # or, where it cannot be cropped that far (crop_factor), it stands beside the
        # text, narrower than its module (the page's other white then need not sit at
        # this module's foot to make the photo look a quarter smaller)
        assert m["box"][0] - 1 <= x0 and x1 <= m["box"][2] + 1 and bottom <= m["box"][3] + 1
        assert m["columns"] >= 2 and (x1 - x0) <= (m["box"][2] - m["box"][0]) * 0.7, m
        return
    body_lines = m["lines"] - (bottom - top + 3.0) / PITCH
    assert (bottom - top + 3.0) / PITCH <= 0.75 / 0.25 * body_lines + 1


def test_a_huge_photo_is_refused_from_its_header(tmp_path):
    huge_png(tmp_path / "huge.png")
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 25, "huge.png")])
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    line = res.output.strip()
    assert "\n" not in line and "huge.png" in line and "我区开展垃圾分类宣传进社区活动" in line
    assert "20000" in line


REPO = Path(__file__).parent.parent


def test_photos_on_black_only_pages_are_grey(tmp_path):
    # the house style prints page 1 in colour (colour_pages: [1]); page 2 is black only
    pdf = tmp_path / "ex.pdf"
    build(REPO / "issues" / "photo-example.yaml", pdf)
    import pikepdf
    with pikepdf.open(pdf) as doc:
        spaces = [[str(x.ColorSpace) for x in page.Resources.XObject.values()
                   if x.get("/Subtype") == "/Image"] for page in doc.pages]
    assert spaces == [["/DeviceCMYK"], ["/DeviceGray"]]


def test_the_credit_may_sit_at_the_photo_edge_above_the_caption(tmp_path):
    style = (REPO / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    style = style.replace("file: ../fonts/", f"file: {REPO}/fonts/")
    assert "  credit: below" in style
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "shangjie.yaml").write_text(style.replace("  credit: below",
                                                                     "  credit: edge"),
                                                       encoding="utf-8")
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 25, "a.jpg"),
                             article("全区人民武装工作会议召开", 50)])
    report, pages = built(tmp_path, issue)
    _, chars, _ = pages[0]
    x0, top, x1, bottom = module(report, "我区开展垃圾分类宣传进社区活动")["photos"][0]["box"]
    she = [c for c in chars if c["text"] == "摄" and x0 <= c["x0"] <= x1 and c["top"] > bottom]
    cap = [c for c in chars if c["text"] == "图" and x0 <= c["x0"] <= x1 and c["top"] > bottom]
    assert she and cap and she[0]["top"] < cap[0]["top"]           # credit first, at the edge
    assert abs(she[0]["x1"] - x1) < 1.0


def test_a_small_original_is_never_placed_wider_than_its_pixels_bear(tmp_path):
    # 560 x 420 pixels under the lead: across the lead's 4-6 columns it would print at
    # 60-90 ppi, which the press refuses; it stands narrower, beside the lead's text
    jpeg(tmp_path / "small.jpg", (560, 420))
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 40, "small.jpg"),
                             article("全区人民武装工作会议召开", 30),
                             article("我区召开经济运行分析会", 22),
                             article("我区举行纪念三八国际妇女节活动", 18)])
    report, pages = built(tmp_path, issue)       # the build's own preflight passes
    m = module(report, "我区开展垃圾分类宣传进社区活动")
    x0, _, x1, _ = m["photos"][0]["box"]
    assert 560 / ((x1 - x0) / 72) >= 100
    assert m["columns"] >= 4                     # the lead keeps its width


def test_a_page_short_of_copy_never_blows_a_photo_up_past_what_its_pixels_bear(tmp_path):
    # an 800-pixel original on a page with little text: it was set across four columns
    # at 100 ppi to fill the page; the layout stops at 150 ppi (PHOTO_SOFT of the house's
    # 200) and the page says it is short
    jpeg(tmp_path / "small.jpg", (800, 600))
    issue = write(tmp_path, [article("小小象棋盘下出大名堂", 30, "small.jpg"),
                             article("全区人民武装工作会议召开", 20)])
    report, _ = built(tmp_path, issue)
    x0, top, x1, bottom = module(report, "小小象棋盘下出大名堂")["photos"][0]["box"]
    assert 800 / ((x1 - x0) / 72) >= 149
    assert 600 / ((bottom - top) / 72) >= 149
    assert report["pages"][0]["fit"]["lines_short"] > 0


def test_a_photo_too_small_for_any_width_is_an_error_naming_it(tmp_path):
    jpeg(tmp_path / "tiny.jpg", (160, 120))
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 30, "tiny.jpg"),
                             article("全区人民武装工作会议召开", 30)])
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert "issue.yaml:" in line and "photo 1 of article '我区开展垃圾分类宣传进社区活动'" in line
    assert "tiny.jpg, 160 x " in line and "use a larger original" in line
    assert not (tmp_path / "o.pdf").exists()


def test_a_photo_pinned_wider_than_its_pixels_bear_names_the_pin(tmp_path):
    # 450 pixels across 3 pinned columns (about 129 mm) print at about 89 ppi
    jpeg(tmp_path / "small.jpg", (450, 420))
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 40, "small.jpg",
                                     extra="columns: 3"),
                             article("全区人民武装工作会议召开", 30)])
    result = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "o.pdf")])
    assert result.exit_code == 2, result.output
    (line,) = [x for x in result.output.splitlines() if x.startswith("error:")]
    assert "(small.jpg, " in line and "fewer columns than its columns: 3" in line


@pytest.mark.parametrize("size", [(1600, 1200), (900, 1200)])
def test_a_photo_over_a_short_text_keeps_its_proportions_within_the_crop_limit(tmp_path, size):
    # two sentences under a 4:3 photo (or a 3:4 portrait): the photo is not cut to a strip
    # to keep it under max_share of its module (a portrait lost its head so)
    jpeg(tmp_path / "p.jpg", size)
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 40),
                             article("我区开展垃圾分类宣传进社区活动", 2, "p.jpg")])
    report, _ = built(tmp_path, issue)
    x0, top, x1, bottom = module(report, "我区开展垃圾分类宣传进社区活动")["photos"][0]["box"]
    change = ((x1 - x0) / (bottom - top)) / (size[0] / size[1])
    # crop_factor 1.25 either way, and half a grid line of rounding
    assert 1 / 1.25 - 0.03 <= change <= 1.25 + 0.03, change


def test_a_photo_pinned_to_one_column_stands_beside_its_text(tmp_path):
    # columns: 1 on the photo of a story (a head shot) was an internal error (KeyError):
    # an article takes two columns at least, so the photo stands beside its text
    jpeg(tmp_path / "face.jpg", (900, 1200))
    issue = write(tmp_path, [
        article("我区开展垃圾分类宣传进社区活动", 25, "face.jpg", caption="张犇",
                credit=None, extra="columns: 1"),
        article("全区人民武装工作会议召开", 35),
    ])
    report, pages = built(tmp_path, issue)
    m = module(report, "我区开展垃圾分类宣传进社区活动")
    x0, top, x1, bottom = m["photos"][0]["box"]
    col = (m["box"][2] - m["box"][0] + 9.0) / m["columns"] - 9.0    # a column, gutter 1 em
    assert m["columns"] >= 2 and abs((x1 - x0) - col) < 2.0, (m["columns"], x1 - x0, col)
    _, chars, _ = pages[0]
    beside = [c for c in chars if c["x0"] > x1 and top < c["top"] < bottom
              and m["box"][0] <= c["x0"] <= m["box"][2]]
    assert len(beside) > 50                          # the story runs beside the photo


def test_a_side_photo_leaves_no_stray_line_or_two_under_it(tmp_path):
    # the body under a photo narrower than its module: none, or a band a reader follows
    # (4月29日，全县庆祝“五 alone under a lead's photo, the story going on at the top of
    # the next column)
    from layout.pagelayout import MIN_BAND
    jpeg(tmp_path / "wide.jpg", (2400, 1800))
    seen = 0
    for n in (18, 24, 30, 36):
        folder = tmp_path / str(n)
        folder.mkdir()
        jpeg(folder / "wide.jpg", (2400, 1800))
        issue = write(folder, [article("我县表彰2025年度清水工匠和劳动模范", n, "wide.jpg"),
                               article("全区人民武装工作会议召开", 30),
                               article("我区召开经济运行分析会", 20)])
        report, pages = built(folder, issue)
        _, chars, _ = pages[0]
        for m in report["pages"][0]["modules"]:
            for ph in m.get("photos", []):
                x0, top, x1, bottom = ph["box"]
                if x1 - x0 > (m["box"][2] - m["box"][0]) - 20:
                    continue                        # across the module: nothing under it
                seen += 1
                under = {round(c["top"]) for c in chars
                         if x0 - 1 <= c["x0"] <= x1 and c["top"] > bottom + 20
                         and c["bottom"] <= m["box"][3] + 1 and abs(c["size"] - 9.0) < 0.1}
                assert not under or len(under) >= MIN_BAND, (n, m["headline"], sorted(under))
    assert seen                                     # a side photo was tried


def test_a_small_photo_is_never_placed_under_three_quarters_of_photo_min_ppi(tmp_path):
    # a 512 px square over two columns: its nominal height, rounded up to 18 lines,
    # trimmed its width and printed it at 148 ppi (the layout's own floor is 150)
    jpeg(tmp_path / "square.jpg", (512, 512))
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 40),
                             article("我区开展垃圾分类宣传进社区活动", 12, "square.jpg"),
                             article("区委理论学习中心组集体学习会议召开", 30)])
    report, _ = built(tmp_path, issue)
    m = module(report, "我区开展垃圾分类宣传进社区活动")
    (photo,) = m["photos"]
    assert placed_ppi(photo) >= 150 - 0.5, photo


def test_crop_focus_outside_the_photo_names_the_key(tmp_path):
    # a new user's [5000, 200] on a 1920 x 1080 photo was taken silently (and cropped
    # against the edge); a point off the picture is a typo to name, not a crop to guess
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 60, "a.jpg",
                                     extra="crop: {focus: [5000, 200]}")])
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2
    assert "'crop' focus [5000, 200] lies outside the photo" in res.output
    assert "1800 x 1200" in res.output and "issue.yaml:" in res.output
    assert not (tmp_path / "x.pdf").exists()


def test_a_short_text_under_a_photo_is_no_brief(tmp_path):
    # 70 characters under a photo read as a picture story: not a 简讯 in the brief
    # headline's size (README: a brief has no photo)
    jpeg(tmp_path / "a.jpg")
    issue = write(tmp_path, [article("花开成都春满郫都", 2, "a.jpg"),
                             article("全区人民武装工作会议召开", 60)])
    report, pages = built(tmp_path, issue)
    m = module(report, "花开成都春满郫都")
    assert m["role"] != "brief"
    brief_size = 14.0
    assert all(h["size"] > brief_size for h in m["headline_lines"])


def test_a_page_of_three_photos_is_not_three_narrow_strips(tmp_path):
    # a new user's 图片 page: a panorama, a small grey photo and a large one, no text.
    # The search's window of a few lines over each run's least height let them stand
    # only side by side, two columns each (the lead too), the page 74 % white; a page of
    # a few articles now searches every height
    jpeg(tmp_path / "pano.jpg", (4000, 1000))
    jpeg(tmp_path / "grey.jpg", (640, 480), (90, 90, 90))
    jpeg(tmp_path / "farm.jpg", (3600, 2400), (60, 140, 60))
    photo = "      - headline: {}\n        photos:\n          - file: {}\n            caption: {}"
    issue = write(tmp_path, [photo.format("齐都春色", "pano.jpg", "游客在花海间漫步。"),
                             photo.format("黑白影像中的老淄博", "grey.jpg", "张店火车站旧影。"),
                             photo.format("丰收", "farm.jpg", "农民驾驶无人机喷洒农药。")])
    # ... and a 图片新闻 counted as a brief (no text is under 160 characters) could stand
    # at most three columns wide, and paid for legs under six lines it does not have
    report, _ = built(tmp_path, issue)
    page = report["pages"][0]
    lead = module(report, "齐都春色")
    assert lead["role"] == "lead" and lead["columns"] >= 4, lead
    assert max(m["columns"] for m in page["modules"]) >= 4
    assert page["white_space_pct"] < 20, page["white_space_pct"]      # was 77 %


def test_a_photo_bearing_one_column_stands_one_column_wide_beside_the_text(tmp_path):
    # a new user's 400 x 300 original in a three-column story was set two columns wide
    # beside the text, at 119 ppi (the layout's floor is 150); one column is 245 ppi
    jpeg(tmp_path / "small.jpg", (400, 300))
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 40),
                             article("上街区中医院开展免费义诊", 14, "small.jpg"),
                             article("区委理论学习中心组集体学习会议召开", 30)])
    report, _ = built(tmp_path, issue)
    m = module(report, "上街区中医院开展免费义诊")
    (photo,) = m["photos"]
    assert placed_ppi(photo) >= 150 - 0.5, (photo, m["columns"])


def test_a_photo_news_item_whose_pixels_bear_one_column_stands_one_column(tmp_path):
    # a 300 x 200 original with no text: across the two columns a module takes it would
    # print at about 89 ppi, which the press refuses; one column wide it prints at ~170
    jpeg(tmp_path / "tiny.jpg", (300, 200))
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 45),
                             article("小小交通员上岗", 0, "tiny.jpg", caption="3月11日，学生在校门口体验。"),
                             article("我区召开经济运行分析会", 40)])
    report, _ = built(tmp_path, issue)           # no "the press refuses" error
    m = module(report, "小小交通员上岗")
    assert m["columns"] == 1
    assert placed_ppi(m["photos"][0]) >= 100


def test_photo_news_may_be_pinned_to_one_column(tmp_path):
    jpeg(tmp_path / "a.jpg", (1200, 900))
    issue = write(tmp_path, [article("全区人民武装工作会议召开", 45),
                             article("春日花开", 0, "a.jpg", caption="3月8日，市民赏花。")
                             + "\n        columns: 1",
                             article("我区召开经济运行分析会", 40)])
    report, _ = built(tmp_path, issue)
    assert module(report, "春日花开")["columns"] == 1


def test_check_fails_on_a_photo_the_build_refuses_with_the_same_line(tmp_path):
    # check used to warn and say "ok" where build stops: the editor learnt it at the end
    jpeg(tmp_path / "tiny.jpg", (160, 120))
    issue = write(tmp_path, [article("我区开展垃圾分类宣传进社区活动", 30, "tiny.jpg"),
                             article("全区人民武装工作会议召开", 30)])
    built_ = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "o.pdf")])
    checked = CliRunner().invoke(main, ["check", str(issue)])
    assert built_.exit_code == checked.exit_code == 2, checked.output
    errors = [x for x in checked.output.splitlines() if x.startswith("error:")]
    assert errors == [x for x in built_.output.splitlines() if x.startswith("error:")]
    assert "ok," not in checked.output
