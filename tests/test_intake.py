"""`layout import`: reporters' .docx files become articles of an issue file.

Every .docx here is built with python-docx in tmp_path; every imported issue
is read back with the project's own loader (layout.model), and one goes
through `layout check`.
"""
from __future__ import annotations

import io
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

docx = pytest.importorskip("docx")
pytest.importorskip("ruamel.yaml")

from click.testing import CliRunner                                    # noqa: E402
from docx.enum.style import WD_STYLE_TYPE                              # noqa: E402
from docx.enum.text import WD_ALIGN_PARAGRAPH                          # noqa: E402
from docx.shared import Pt                                             # noqa: E402

from layout import intake                                              # noqa: E402
from layout.cli import main                                            # noqa: E402
from layout.errors import InputError                                   # noqa: E402
from layout.model import load_issue                                    # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"

BODY1 = "2月21日，全区人民武装工作会议召开，深入学习贯彻党的二十大、二十届三中全会精神和习近平强军思想。"
BODY2 = "区领导陈定、张超出席会议。区人武部部长张万军作武装工作报告，区人武部政委马昕主持会议。"


def make(path: Path, *paras, table: bool = False) -> Path:
    """A .docx from paragraph specs: a str, or a dict(text=, style=, bold=, center=, size=,
    breaks=[...lines...], image=bytes)."""
    d = docx.Document()
    for spec in paras:
        if isinstance(spec, str):
            spec = {"text": spec}
        if spec.get("table"):
            t = d.add_table(rows=2, cols=2)
            t.cell(0, 0).text = spec["table"]
            continue
        style = spec.get("style")
        if style and style not in [s.name for s in d.styles]:
            d.styles.add_style(style, WD_STYLE_TYPE.PARAGRAPH)
        if "image" in spec:
            d.add_picture(io.BytesIO(spec["image"]))
            p = d.paragraphs[-1]
            if spec.get("text"):
                p.add_run(spec["text"])
            continue
        p = d.add_paragraph(style=style) if style else d.add_paragraph()
        lines = spec.get("breaks") or [spec.get("text", "")]
        for k, line in enumerate(lines):
            run = p.add_run(line)
            if spec.get("bold"):
                run.bold = True
            if spec.get("size"):
                run.font.size = Pt(spec["size"])
            if k + 1 < len(lines):
                run.add_break()
        if spec.get("center"):
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.save(str(path))
    return path


def jpeg(color="red", size=(40, 30)) -> bytes:
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", size, color).save(buf, "JPEG")
    return buf.getvalue()


def import_cli(*args):
    return CliRunner().invoke(main, ["import", *map(str, args)])


def one_issue(tmp_path: Path) -> Path:
    issue = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, issue)
    return issue


# -- headlines -----------------------------------------------------------------------------

def test_styled_kicker_headline_subheadline(tmp_path):
    f = make(tmp_path / "a.docx",
             {"text": "共筑文明新风尚", "style": "Heading 3"},
             {"text": "我区开展新时代文明实践推动周集中展示活动", "style": "Heading 1"},
             {"text": "——“文明实践我行动”走进社区", "style": "Heading 2"},
             "记者 冯佳雯 王浩", BODY1, BODY2)
    d = intake.read_docx(f)
    assert d.kicker == "共筑文明新风尚"
    assert d.headline == "我区开展新时代文明实践推动周集中展示活动"
    assert d.subheadline == "——“文明实践我行动”走进社区"
    assert d.byline == "记者 冯佳雯 王浩"
    assert d.body == [BODY1, BODY2]
    why = {w: reason for w, _, reason in d.guesses}
    assert "Heading 1" in why["headline"] and "Heading 3" in why["kicker"]


@pytest.mark.parametrize("style", ["Title", "标题", "标题 1"])
def test_styled_headline_names(tmp_path, style):
    f = make(tmp_path / "a.docx", {"text": "全区人民武装工作会议召开", "style": style}, BODY1)
    d = intake.read_docx(f)
    assert (d.kicker, d.headline, d.subheadline) == (None, "全区人民武装工作会议召开", None)
    assert d.body == [BODY1]


def test_unstyled_titles_by_size_bold_and_centre(tmp_path):
    f = make(tmp_path / "a.docx",
             {"text": "赴春天之约 绽巾帼芳华", "bold": True, "center": True, "size": 14},
             {"text": "我区举行纪念“三八”国际妇女节活动", "bold": True, "center": True, "size": 22},
             {"text": "文艺演出、趣味运动会展现女性风采", "center": True, "size": 14},
             {"text": BODY1 * 2, "size": 12}, {"text": BODY2, "size": 12})
    d = intake.read_docx(f)
    assert d.kicker == "赴春天之约 绽巾帼芳华"
    assert d.headline == "我区举行纪念“三八”国际妇女节活动"
    assert d.subheadline == "文艺演出、趣味运动会展现女性风采"
    assert d.body == [BODY1 * 2, BODY2]


def test_unstyled_two_lines_dash_is_subheadline(tmp_path):
    f = make(tmp_path / "a.docx",
             {"text": "我区召开经济运行分析会", "bold": True},
             {"text": "——凝心聚力 加压奋进", "bold": True}, BODY1)
    d = intake.read_docx(f)
    assert (d.kicker, d.headline, d.subheadline) == (None, "我区召开经济运行分析会",
                                                     "——凝心聚力 加压奋进")


def test_unstyled_short_then_long_is_kicker(tmp_path):
    f = make(tmp_path / "a.docx", {"text": "共筑文明新风尚", "center": True},
             {"text": "我区开展新时代文明实践推动周集中展示活动", "center": True}, BODY1)
    d = intake.read_docx(f)
    assert (d.kicker, d.headline) == ("共筑文明新风尚", "我区开展新时代文明实践推动周集中展示活动")


def test_plain_file_first_short_line_is_the_headline(tmp_path):
    f = make(tmp_path / "a.docx", "全区人民武装工作会议召开", BODY1, BODY2)
    d = intake.read_docx(f)
    assert d.headline == "全区人民武装工作会议召开"
    assert d.body == [BODY1, BODY2]
    assert "no formatting" in dict((w, r) for w, _, r in d.guesses)["headline"]


def test_no_headline_is_an_error(tmp_path):
    f = make(tmp_path / "a.docx", BODY1 + BODY2, BODY2)
    with pytest.raises(InputError, match="no headline found"):
        intake.read_docx(f)


# -- bylines and datelines -----------------------------------------------------------------

BYLINES = [
    ("本报记者 张三", "本报记者 张三"),
    ("记者 张三 通讯员 李四", "记者 张三 通讯员 李四"),
    ("文/张三 图/李四", "文/张三 图/李四"),
    ("（记者 张三）", "记者 张三"),
    ("通讯员 李四 供稿", "通讯员 李四 供稿"),
    ("记者　张三　　通讯员　李四", "记者 张三 通讯员 李四"),     # full-width spaces
]


@pytest.mark.parametrize("where", ["top", "end"])
@pytest.mark.parametrize("written,stored", BYLINES)
def test_byline_forms(tmp_path, written, stored, where):
    body = [BODY1, BODY2]
    paras = ["我区召开经济运行分析会"] + ([written] + body if where == "top" else body + [written])
    d = intake.read_docx(make(tmp_path / "a.docx", *paras))
    assert d.byline == stored
    assert d.body == body
    assert where in dict((w, r) for w, _, r in d.guesses)["byline"]


def test_short_sentence_is_not_a_byline(tmp_path):
    d = intake.read_docx(make(tmp_path / "a.docx", "标题在此", BODY1, "张三 李四"))
    assert d.byline is None and d.body == [BODY1, "张三 李四"]


@pytest.mark.parametrize("lead", ["本报讯（记者 张三 通讯员 李四）", "新华社郑州3月5日电 "])
def test_dateline_stays_in_the_body(tmp_path, lead):
    d = intake.read_docx(make(tmp_path / "a.docx", "标题在此", lead + BODY1))
    assert d.body == [lead + BODY1]
    assert d.byline is None
    assert "dateline" in [w for w, _, _ in d.guesses]


# -- the body ------------------------------------------------------------------------------

def test_manual_line_breaks_and_indents(tmp_path):
    f = make(tmp_path / "a.docx", "标题在此",
             {"breaks": ["\u3000\u30002月21日，全区人民武装", "工作会议召开。"]},       # joined
             {"breaks": ["The meeting was", "held in Shangjie."]},                   # a space
             {"breaks": ["\u3000\u3000第一段。", "\u3000\u3000第二段。"]},             # WeChat
             {"breaks": ["第三段。", "", "第四段。"]})                                 # empty line
    d = intake.read_docx(f)
    assert d.body == ["2月21日，全区人民武装工作会议召开。", "The meeting was held in Shangjie.",
                      "第一段。", "第二段。", "第三段。", "第四段。"]
    body = dict((w, r) for w, _, r in d.guesses)["body"]
    assert "2 manual line breaks joined" in body and "taken as new paragraphs" in body


def test_straight_quotes_by_context(tmp_path):
    f = make(tmp_path / "a.docx", '我区开展"文明实践"活动',
             '他说"要把\'好事\'办好"，大家赞同。It\'s "OK".')
    d = intake.read_docx(f)
    assert d.headline == "我区开展“文明实践”活动"
    assert d.body == ["他说“要把‘好事’办好”，大家赞同。It's “OK”."]


def test_every_character_of_the_body_is_kept(tmp_path):
    issue = load_issue(SAMPLE)
    article = issue.pages[1].articles[0]
    # each paragraph broken by manual line breaks every 37 characters, indented
    paras = [{"breaks": ["\u3000\u3000" + p[i:i + 37] for i in range(0, len(p), 37)][:1]
              + [p[i:i + 37] for i in range(37, len(p), 37)]} for p in article.body]
    f = make(tmp_path / "a.docx", {"text": article.headline, "style": "Heading 1"},
             "（记者 王慧敏 罗浩）", *paras)
    d = intake.read_docx(f)
    assert d.body == list(article.body)
    assert d.byline == "记者 王慧敏 罗浩"
    # and through the issue file: the loader reads back the same characters
    out = one_issue(tmp_path)
    intake.import_into([d], out, 2)
    back = load_issue(out).pages[1].articles[-1]
    assert back.body == article.body and back.headline == article.headline


# -- photos and tables ---------------------------------------------------------------------

def test_image_with_caption_and_credit(tmp_path):
    blob = jpeg()
    f = make(tmp_path / "稿件 一.docx", "标题在此", BODY1, {"image": blob},
             "图为活动现场。（记者 张三 摄）", "（记者 王浩）")
    d = intake.read_docx(f)
    assert d.body == [BODY1]                        # the caption is the photo's, not the body's
    assert d.byline == "记者 王浩"
    (photo,) = d.photos
    assert (photo.caption, photo.credit, photo.ext) == ("图为活动现场。", "记者 张三 摄", ".jpg")
    issue = one_issue(tmp_path)
    result = import_cli(f, "--into", issue, "--page", 1)
    assert result.exit_code == 0, result.output
    written = tmp_path / "photos" / "稿件-一-1.jpg"
    assert written.read_bytes() == blob
    text = issue.read_text(encoding="utf-8")
    if intake._loader_takes_photos():
        assert load_issue(issue).pages[0].articles[-1].photos
    else:
        assert "#   - file: photos/稿件-一-1.jpg" in text
        assert "#     caption: 图为活动现场。" in text and "#     credit: 记者 张三 摄" in text
    # imported again: the same photo is reused, not copied again
    assert import_cli(f, "--into", issue, "--page", 1).exit_code == 0
    assert sorted(p.name for p in (tmp_path / "photos").iterdir()) == ["稿件-一-1.jpg"]


def test_caption_and_credit_in_separate_paragraphs(tmp_path):
    f = make(tmp_path / "a.docx", "标题在此", BODY1, {"image": jpeg()}, "图为活动现场。",
             "（记者 张三 摄）")
    (photo,) = intake.read_docx(f).photos
    assert (photo.caption, photo.credit) == ("图为活动现场。", "记者 张三 摄")


def test_a_different_photo_never_overwrites(tmp_path):
    issue = one_issue(tmp_path)
    (tmp_path / "photos").mkdir()
    (tmp_path / "photos" / "a-1.jpg").write_bytes(b"someone else's")
    f = make(tmp_path / "a.docx", "标题在此", BODY1, {"image": jpeg()}, "图为现场。")
    assert import_cli(f, "--into", issue, "--page", 1).exit_code == 0
    assert (tmp_path / "photos" / "a-1.jpg").read_bytes() == b"someone else's"
    assert (tmp_path / "photos" / "a-1-2.jpg").read_bytes() == jpeg()


def test_tables_are_left_out_with_a_note(tmp_path):
    f = make(tmp_path / "a.docx", "标题在此", BODY1, {"table": "表格里的字"}, BODY2)
    d = intake.read_docx(f)
    assert d.body == [BODY1, BODY2]
    assert any("table (2×2)" in n for n in d.notes)
    result = import_cli(f)
    assert "table (2×2)" in result.stderr and "表格里的字" not in result.stdout


# -- into an issue file --------------------------------------------------------------------

COMMENTED = """\
# 上街时报 第5期 — staff notes stay
paper: shangjie   # the house style
date: 2025-03-09
number: 5
total: 803
pages:
  # 第1版
  - section: 要闻
    articles:
      - headline: 第一篇   # keep this
        body: |
          正文一。

      # a commented-out article stays where it is:
      # - headline: 撤下
  # 第2版
  - section: 综合
    articles:
      - headline: '第二篇: 引号'
        body: "正文二。"
        # the last line of page 2
"""


@pytest.mark.parametrize("page", [1, 2, 3])
def test_into_keeps_every_byte_and_comment(tmp_path, page):
    issue = tmp_path / "issue.yaml"
    issue.write_text(COMMENTED, encoding="utf-8")
    f = make(tmp_path / "a.docx", "我区召开经济运行分析会", "记者 王慧敏", BODY1, BODY2)
    result = import_cli(f, "--into", issue, "--page", page)
    assert result.exit_code == 0, result.output
    new = issue.read_text(encoding="utf-8")
    # only lines were added: the old file is the new one with one block taken out
    old_lines, new_lines = COMMENTED.splitlines(), new.splitlines()
    added = len(new_lines) - len(old_lines)
    start = next(i for i, (a, b) in enumerate(zip(old_lines + [None], new_lines)) if a != b)
    assert new_lines[:start] + new_lines[start + added:] == old_lines
    assert "# from a.docx (layout import)" in new_lines[start + (page == 3)]
    loaded = load_issue(issue)
    assert len(loaded.pages) == (3 if page == 3 else 2)
    article = loaded.pages[page - 1].articles[-1]
    assert (article.headline, article.byline, article.body) == (
        "我区召开经济运行分析会", "记者 王慧敏", (BODY1, BODY2))
    assert f"added to {'a new page' if page == 3 else 'page'} {page}" in result.stdout
    if page == 1:      # before the page-1 comments that belong to page 2
        assert new_lines.index("  # 第2版") > start and start < old_lines.index("  # 第2版")


def test_into_sample_then_layout_check(tmp_path):
    issue = one_issue(tmp_path)
    files = [make(tmp_path / "a.docx", {"text": "共筑文明新风尚", "style": "Heading 3"},
                  {"text": "我区开展新时代文明实践推动周集中展示活动", "style": "Heading 1"},
                  "本报记者 冯佳雯", BODY1 * 4, BODY2 * 3, {"image": jpeg(size=(1600, 1200))},
                  "图为活动现场。"),
             make(tmp_path / "b.docx", "全区人民武装工作会议召开", BODY1 * 5, "通讯员 李四 供稿")]
    result = import_cli(*files, "--into", issue, "--page", 3)
    assert result.exit_code == 0, result.output
    assert "2 articles added to a new page 3" in result.stdout
    check = CliRunner().invoke(main, ["check", str(issue)])
    assert check.exit_code == 0, check.output
    assert "page 3: 2 articles" in check.stdout
    page3 = load_issue(issue).pages[2].articles
    assert [a.byline for a in page3] == ["本报记者 冯佳雯", "通讯员 李四 供稿"]
    assert page3[0].kicker == "共筑文明新风尚"
    # the sample's own text is untouched: the old file is a prefix of the new one
    assert issue.read_text(encoding="utf-8").startswith(SAMPLE.read_text(encoding="utf-8"))


def test_crlf_file_stays_crlf(tmp_path):
    issue = tmp_path / "issue.yaml"
    issue.write_bytes(COMMENTED.replace("\n", "\r\n").encode())
    f = make(tmp_path / "a.docx", "标题在此", BODY1)
    assert import_cli(f, "--into", issue, "--page", 2).exit_code == 0
    raw = issue.read_bytes()
    assert raw.count(b"\n") == raw.count(b"\r\n")
    assert load_issue(issue).pages[1].articles[-1].headline == "标题在此"


def test_without_into_prints_the_entry(tmp_path):
    from ruamel.yaml import YAML
    f = make(tmp_path / "a.docx", "标题在此", "记者 张三", BODY1)
    result = import_cli(f)
    assert result.exit_code == 0, result.output
    (entry,) = YAML(typ="safe").load(result.stdout)
    assert entry == {"headline": "标题在此", "byline": "记者 张三", "body": BODY1 + "\n"}
    assert "headline" in result.stderr and "paragraph 1" in result.stderr


# -- bad input -----------------------------------------------------------------------------

OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504


def _ole(stream_names):
    return OLE + b"".join(n.encode("utf-16-le") + b"\0\0" for n in stream_names) + b"\0" * 512


def _zip(path, names):
    with zipfile.ZipFile(path, "w") as z:
        for n in names:
            z.writestr(n, "x")
    return path


BAD = {
    "text.docx": (lambda p: p.write_text("just text"), "not a Word .docx file"),
    "empty.docx": (lambda p: p.write_bytes(b""), "the file is empty"),
    "old.doc": (lambda p: p.write_bytes(_ole(["WordDocument", "1Table"])),
                "old Word .doc file; open it in Word or WPS and save it as .docx"),
    "renamed.docx": (lambda p: p.write_bytes(_ole(["WordDocument"])), "old Word .doc file"),
    "locked.docx": (lambda p: p.write_bytes(_ole(["EncryptionInfo", "EncryptedPackage"])),
                    "password-protected"),
    "sheet.docx": (lambda p: _zip(p, ["[Content_Types].xml", "xl/workbook.xml"]),
                   "an Excel workbook"),
    "broken.docx": (lambda p: p.write_bytes(b"PK\x03\x04" + b"\0" * 40), "damaged"),
    "blank.docx": (lambda p: make(p, "", " "), "holds no text"),
    "onlytable.docx": (lambda p: make(p, {"table": "x"}), "no text outside tables"),
    "nobody.docx": (lambda p: make(p, {"text": "只有标题", "style": "Heading 1"}), "no body text"),
}


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_input_is_one_line_naming_the_file(tmp_path, name):
    write, message = BAD[name]
    f = tmp_path / name
    write(f)
    issue = one_issue(tmp_path)
    good = make(tmp_path / "good.docx", "标题在此", BODY1)
    result = import_cli(good, f, "--into", issue)
    assert result.exit_code == 2, result.output
    assert result.stderr.count("\n") == 1 and result.stderr.startswith("error: ")
    assert str(f) in result.stderr and message in result.stderr
    assert issue.read_bytes() == SAMPLE.read_bytes()          # all or nothing


def test_missing_file_and_bad_page(tmp_path):
    issue = one_issue(tmp_path)
    result = import_cli(tmp_path / "nope.docx")
    assert result.exit_code == 2 and "no such file" in result.stderr
    good = make(tmp_path / "good.docx", "标题在此", BODY1)
    result = import_cli(good, "--into", issue, "--page", 9)
    assert result.exit_code == 2 and "--page 9" in result.stderr
    result = import_cli(good, "--page", 2)
    assert result.exit_code == 2 and "--page needs --into" in result.stderr
    assert issue.read_bytes() == SAMPLE.read_bytes()


def test_help_does_not_import_docx_or_ruamel():
    code = ("import sys; from layout.cli import main\n"
            "try:\n    main(['--help'])\nexcept SystemExit:\n    pass\n"
            "print(sorted(m for m in ('docx', 'ruamel.yaml', 'layout.intake') "
            "if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    assert out.strip().endswith("[]")


def test_tracked_insertions_hyperlinks_kept_deletions_dropped(tmp_path):
    from docx.oxml import OxmlElement
    f = make(tmp_path / "a.docx", "标题在此", "开头")
    d = docx.Document(str(f))
    p = d.paragraphs[1]._p

    def run(text, tag="w:t"):
        r = OxmlElement("w:r")
        t = OxmlElement(tag)
        t.text = text
        r.append(t)
        return r

    ins, dele, link = OxmlElement("w:ins"), OxmlElement("w:del"), OxmlElement("w:hyperlink")
    ins.append(run("插入的"))
    dele.append(run("删掉的", "w:delText"))
    link.append(run("链接文字"))
    for el in (ins, dele, link):
        p.append(el)
    d.save(str(f))
    draft = intake.read_docx(f)
    assert draft.body == ["开头插入的链接文字"]
    assert any("tracked changes" in n for n in draft.notes)


def test_heading_inside_the_body_stays_body(tmp_path):
    f = make(tmp_path / "a.docx", {"text": "标题在此", "style": "Heading 1"}, BODY1,
             {"text": "一、强化责任", "style": "Heading 2"}, BODY2)
    d = intake.read_docx(f)
    assert d.body == [BODY1, "一、强化责任", BODY2]
    assert any("小标题" in n for n in d.notes)


def test_photos_key_once_the_loader_has_it(tmp_path, monkeypatch):
    from layout import model
    monkeypatch.setattr(model, "_ARTICLE_KEYS", model._ARTICLE_KEYS + ("photos",))
    from ruamel.yaml import YAML
    f = make(tmp_path / "a.docx", "标题在此", BODY1, {"image": jpeg()}, "图为现场。（张三 摄）")
    (entry,) = YAML(typ="safe").load(intake.entry_yaml(intake.read_docx(f)))
    assert entry["photos"] == [{"file": "image1.jpg", "caption": "图为现场。", "credit": "张三 摄"}]


def test_a_picture_the_build_cannot_place_is_a_comment(tmp_path, monkeypatch):
    from layout import model
    if "photos" not in model._ARTICLE_KEYS:
        monkeypatch.setattr(model, "_ARTICLE_KEYS", model._ARTICLE_KEYS + ("photos",))
    from PIL import Image
    buf = io.BytesIO()
    Image.new("RGB", (40, 30), "blue").save(buf, "GIF")
    f = make(tmp_path / "a.docx", "标题在此", BODY1, {"image": buf.getvalue()}, "图为现场。")
    d = intake.read_docx(f)
    text = intake.entry_yaml(d)
    assert "photos:\n" not in text.replace("# photos:", "")
    assert "#   - file: image1.gif" in text and "not JPEG, PNG or TIFF" in text
    assert any("not JPEG, PNG or TIFF" in n for n in d.notes)
