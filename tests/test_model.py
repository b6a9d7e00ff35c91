"""load_issue: the issue file contract with layout staff, and its error messages."""
from __future__ import annotations

import datetime as dt
import textwrap
from pathlib import Path

import pytest

from layout.errors import InputError, Source
from layout.model import Credits, load_issue, paragraphs

GOOD = """\
paper: shangjie
date: 2025-03-09
number: 5
total: 803
credits:
  duty_editor: 焦芙蓉
  proofreaders: [刘世平, 孙畅]
pages:
  - section: 要闻
    articles:
      - kicker: 聚焦两会
        headline: 上街区 召开工作会议
        subheadline: 部署全年重点任务
        byline: 记者 王明玥 罗浩
        body: |
          3月8日，上街区召开
          全区工作会议。

          会议强调，要抓好
          重点项目建设。
  - articles:
      - headline: 第二版头条
        body: 正文。
"""


def write(tmp_path, text, name="issue.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def error_of(path) -> str:
    with pytest.raises(InputError) as info:
        load_issue(path)
    return str(info.value)


def test_good_issue_loads_every_field(tmp_path):
    issue = load_issue(write(tmp_path, GOOD))
    assert issue.path == (tmp_path / "issue.yaml").resolve()
    assert (issue.paper, issue.date, issue.number, issue.total) == (
        "shangjie", dt.date(2025, 3, 9), 5, 803)
    assert issue.credits == Credits("焦芙蓉", ("刘世平", "孙畅"))
    first, second = issue.pages
    assert (first.number, first.section, second.number, second.section) == (1, "要闻", 2, None)
    article = first.articles[0]
    assert article.kicker == "聚焦两会"
    assert article.headline == "上街区 召开工作会议"        # the space is a preferred break
    assert article.subheadline == "部署全年重点任务"
    assert article.byline == "记者 王明玥 罗浩"             # no parentheses added, spaces kept
    assert article.body == ("3月8日，上街区召开全区工作会议。", "会议强调，要抓好重点项目建设。")
    assert second.articles[0].kicker is None and second.articles[0].byline is None


def test_sources_point_at_mappings(tmp_path):
    path = write(tmp_path, GOOD)
    issue = load_issue(path)
    assert issue.source == Source(str(path), 1, 1)
    assert issue.pages[0].source == Source(str(path), 9, 5)
    assert issue.pages[0].articles[0].source == Source(str(path), 11, 9)
    assert issue.pages[1].articles[0].source == Source(str(path), 22, 9)


def test_pages_inherit_issue_credits(tmp_path):
    issue = load_issue(write(tmp_path, GOOD))
    assert issue.pages[1].credits == Credits("焦芙蓉", ("刘世平", "孙畅"))


def test_page_credits_override_only_the_keys_they_give(tmp_path):
    text = GOOD.replace("  - articles:\n", "  - credits: {proofreaders: 张三}\n    articles:\n")
    issue = load_issue(write(tmp_path, text))
    # a single name is accepted as a one-name list
    assert issue.pages[1].credits == Credits("焦芙蓉", ("张三",))
    assert issue.pages[0].credits == Credits("焦芙蓉", ("刘世平", "孙畅"))


def test_credits_are_optional(tmp_path):
    text = GOOD.replace("credits:\n  duty_editor: 焦芙蓉\n  proofreaders: [刘世平, 孙畅]\n", "")
    issue = load_issue(write(tmp_path, text))
    assert issue.credits == Credits(None, ())
    assert issue.pages[0].credits == Credits(None, ())


def test_date_may_be_a_quoted_string(tmp_path):
    issue = load_issue(write(tmp_path, GOOD.replace("2025-03-09", '"2025-03-09"')))
    assert issue.date == dt.date(2025, 3, 9)


def test_paragraphs_join_cjk_lines_without_space_and_latin_with_one():
    text = "第一段 用了\nEnglish words\nwrapped here，然后\n继续。\n\n\n  第二段  保留  空格  \n"
    assert paragraphs(text) == (
        "第一段 用了English words wrapped here，然后继续。",
        "第二段  保留  空格",
    )


def test_paragraphs_digits_quotes_and_dashes():
    assert paragraphs("2025\n年3月") == ("2025年3月",)
    assert paragraphs("版本 3\n4 号") == ("版本 3 4 号",)
    assert paragraphs("他说：“好。”\n“走吧。”") == ("他说：“好。”“走吧。”",)
    assert paragraphs("she said “yes.”\nThen she left") == ("she said “yes.” Then she left",)
    assert paragraphs("Hello,\nworld") == ("Hello, world",)


def test_misspelled_key_names_its_position_and_the_allowed_keys(tmp_path):
    text = """\
    paper: shangjie
    date: 2025-03-09
    number: 5
    total: 803
    pages:
    - articles:
        - hedline: 标题
          body: 正文。
    """
    path = write(tmp_path, text)
    msg = error_of(path)
    assert msg == (f"{path}:7:7: unknown key 'hedline' in article (did you mean 'headline'?); "
                   "expected one of: column_label, kicker, headline, subheadline, byline, body, photos, boxed, lead, columns, "
                   "place, height, continue_on")


def test_unknown_top_level_key(tmp_path):
    path = write(tmp_path, GOOD.replace("number: 5", "numbr: 5"))
    assert error_of(path) == (f"{path}:3:1: unknown key 'numbr' in the issue "
                              "(did you mean 'number'?); "
                              "expected one of: paper, date, number, total, credits, ear, pages")


def test_missing_headline_points_at_the_article(tmp_path):
    path = write(tmp_path, GOOD.replace("      - headline: 第二版头条\n        body:",
                                        "      - body:"))
    assert error_of(path) == f"{path}:22:9: missing required key 'headline' in article"


def test_headline_of_the_wrong_type(tmp_path):
    path = write(tmp_path, GOOD.replace("headline: 第二版头条", "headline: [第二版, 头条]"))
    assert error_of(path) == f"{path}:22:19: expected a string for 'headline', got a list"


def test_empty_body_names_the_headline(tmp_path):
    path = write(tmp_path, GOOD.replace("body: 正文。", "body: |\n\n   \n"))
    assert error_of(path).endswith(": body of article '第二版头条' is empty")
    assert error_of(path).startswith(f"{path}:23:15:")


@pytest.mark.parametrize("date, why", [
    ("2025-02-30", "2025年2月 has 28 days"), ("2024-02-30", "2024年2月 has 29 days"),
    ("2025-04-31", "2025年4月 has 30 days"), ("2025-13-09", "there is no month 13"),
    ("2025-03-00", "days start at 1")])
def test_impossible_date(tmp_path, date, why):
    # shaped like the example, so the example is no help: the message says what is wrong
    path = write(tmp_path, GOOD.replace("2025-03-09", date))
    assert error_of(path) == f"{path}:2:7: '{date}' is not a day of the calendar: {why}"


def test_date_that_is_not_iso(tmp_path):
    path = write(tmp_path, GOOD.replace("2025-03-09", "3月9日"))
    assert error_of(path) == f"{path}:2:7: expected a date like 2025-03-09, got '3月9日'"


def test_non_positive_number(tmp_path):
    path = write(tmp_path, GOOD.replace("number: 5", "number: 0"))
    assert error_of(path) == f"{path}:3:9: expected a positive whole number for 'number', got '0'"


def test_total_below_number(tmp_path):
    path = write(tmp_path, GOOD.replace("total: 803", "total: 4"))
    assert error_of(path) == f"{path}:4:8: 'total' (4) must not be less than 'number' (5)"


def test_empty_pages_and_articles(tmp_path):
    head = GOOD.split("pages:")[0]
    path = write(tmp_path, head + "pages: []\n")
    assert error_of(path) == f"{path}:8:8: 'pages' is empty; give at least one entry"
    path = write(tmp_path, head + "pages:\n  - section: 要闻\n    articles: []\n")
    assert error_of(path) == f"{path}:10:15: 'articles' of page 1 is empty; give at least one entry"


def test_bad_paper_name(tmp_path):
    path = write(tmp_path, GOOD.replace("paper: shangjie", "paper: ../etc"))
    assert error_of(path).startswith(f"{path}:1:8: expected a house style name like 'shangjie'")


def test_proofreaders_must_be_names(tmp_path):
    path = write(tmp_path, GOOD.replace("[刘世平, 孙畅]", "[刘世平, {a: 1}]"))
    assert error_of(path) == (f"{path}:7:23: expected a string for a name in 'proofreaders', "
                              "got a mapping")


def test_duplicate_key(tmp_path):
    path = write(tmp_path, GOOD.replace("number: 5\n", "number: 5\nnumber: 6\n"))
    assert error_of(path) == f"{path}:4:1: duplicate key 'number' (first given on line 3)"


def test_a_duplicate_key_is_one_of_the_problems_check_lists(tmp_path):
    # it stopped `layout check` at once, hiding a misspelt key further down
    text = GOOD.replace("number: 5\n", "number: 5\nnumber: 6\n").replace(
        "headline:", "headlin:", 1)
    path = write(tmp_path, text)
    problems: list = []
    load_issue(path, problems, partial=True)
    said = [str(p) for p in problems]
    assert said[0] == f"{path}:4:1: duplicate key 'number' (first given on line 3)"
    assert any("unknown key 'headlin'" in p for p in said[1:]), said


def test_yaml_syntax_error_has_position_and_problem(tmp_path):
    path = write(tmp_path, GOOD.replace("headline: 第二版头条", "headline: 第二版: 头条"))
    assert error_of(path) == (f"{path}:22:22: invalid YAML: the value of 'headline' has ': ' "
                              "in it: write the colon full-width '：' as Chinese copy does, or "
                              "put the value in quotes")


def _slipped(tmp_path, field: str, edit) -> tuple[str, int]:
    """GOOD with the line of `field` changed by edit(line); the error and that line."""
    lines = GOOD.split("\n")
    at = next(i for i, line in enumerate(lines) if line.strip(" -").startswith(field))
    lines[at] = edit(lines[at])
    return error_of(write(tmp_path, "\n".join(lines))), at + 1


@pytest.mark.parametrize("field, edit, said", [
    # the slips of hand-typed files; PyYAML names the line after most of them
    ("byline:", lambda ln: ln.replace("byline:", "byline"), "'byline' needs a colon and a space"),
    ("byline:", lambda ln: ln.replace("byline:", "byline："), "write the colon after 'byline' "
                                                              "half-width ':' and a space"),
    ("byline:", lambda ln: ln.replace("byline: ", "byline:"), "put a space after the colon"),
    ("byline:", lambda ln: "\u3000" * 4 + ln.lstrip(), "indented with full-width spaces"),
    ("byline:", lambda ln: ln[2:], "'byline' is indented"),
    ("body:", lambda ln: " " + ln, "'body' is indented"),
    ("headline: 第二版头条", lambda ln: ln.replace("headline:", "headline"),
     "'headline' needs a colon"),
])
def test_a_yaml_slip_is_named_at_its_own_line(tmp_path, field, edit, said):
    message, line = _slipped(tmp_path, field, edit)
    where, _, words = message.partition(": invalid YAML: ")
    assert where.rsplit(":", 2)[-2] == str(line), message
    assert said in words, message


def test_a_number_in_quotes_is_named_as_text(tmp_path):
    path = write(tmp_path, GOOD.replace("number: 5", "number: '5'"))
    assert error_of(path) == (f"{path}:3:9: expected a positive whole number for 'number', "
                              "got '5' in quotes, which is text: write it without the quotes")


def test_a_line_of_a_block_that_lost_its_indent_is_named(tmp_path):
    text = GOOD.replace("        body: 正文。", "        body: |\n          第一段。\n\n        第二段。", 1)
    assert text != GOOD
    at = text.split("\n").index("        第二段。") + 1
    message = error_of(write(tmp_path, text))
    assert f":{at}:9: invalid YAML: this line of 'body' is indented 8 spaces" in message, message


@pytest.mark.parametrize("tag, shown", [("!!python/object:os.system", "!!python/object:os.system"),
                                        ("!!binary", "!!binary"), ("!custom", "!custom"),
                                        ("!<tag:example.com,2025:x>", "tag:example.com,2025:x")])
def test_non_standard_tags_are_refused(tmp_path, tag, shown):
    path = write(tmp_path, GOOD.replace("section: 要闻", f"section: {tag} x"))
    assert error_of(path) == f"{path}:9:14: unsupported YAML tag '{shown}'"


def test_root_must_be_a_mapping(tmp_path):
    path = write(tmp_path, "- paper: shangjie\n")
    assert error_of(path) == f"{path}:1:1: expected a mapping for the issue, got a list"


def test_missing_file(tmp_path):
    path = tmp_path / "nope.yaml"
    assert error_of(path) == f"cannot read {path}: no such file"


def test_file_not_utf8(tmp_path):
    path = tmp_path / "issue.yaml"
    path.write_bytes(GOOD.replace("要闻", "").encode("utf-8") + "\n# 中文\n".encode("gbk"))
    msg = error_of(path)
    assert msg.startswith(f"{path}:25:3:") and "not UTF-8" in msg


def test_empty_file(tmp_path):
    path = write(tmp_path, "# nothing yet\n")
    assert error_of(path) == f"{path}:1:1: the file is empty"


def test_merge_keys_are_refused(tmp_path):
    merged = "base: &b {duty_editor: 甲}\ncredits:\n  <<: *b\n"
    path = write(tmp_path, GOOD.replace("credits:\n", merged))
    assert error_of(path) == f"{path}:7:3: merge keys ('<<') are not supported; write the keys out"


def test_control_character_is_a_yaml_error_with_position(tmp_path):
    path = write(tmp_path, GOOD.replace("要闻", "要\x07闻"))
    assert error_of(path) == (f"{path}:9:15: invalid YAML: special characters are not allowed "
                              "(character 0x7)")


def test_article_must_be_a_mapping(tmp_path):
    path = write(tmp_path, GOOD.replace("      - headline: 第二版头条\n        body: 正文。",
                                        "      - 第二版头条"))
    assert error_of(path) == f"{path}:22:9: expected a mapping for article, got '第二版头条'"


def test_byline_is_printed_in_brackets_once(tmp_path):
    from layout.model import Article
    from layout.errors import Source
    src = Source("x.yaml", 1)
    plain = Article("标题", ("正文。",), None, None, "记者 王明玥", src)
    bracketed = Article("标题", ("正文。",), None, None, "（记者 王明玥）", src)
    assert plain.printed_byline == "（记者 王明玥）"
    assert bracketed.printed_byline == "（记者 王明玥）"


def check_with(tmp_path, name: str, *edits: tuple[str, str]):
    """`layout check` on a copy of the sample with each (old, new) edit made once."""
    from click.testing import CliRunner

    from layout.cli import main
    text = (Path(__file__).parent.parent / "issues" / "2025-03-09.yaml").read_text(
        encoding="utf-8")
    for old, new in edits:
        text = text.replace(old, new, 1)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(path)])
    return path, res, [ln for ln in res.output.splitlines() if ln.startswith("error: ")]


def test_check_lists_every_problem_of_the_file_at_once(tmp_path):
    path, res, errors = check_with(
        tmp_path, "two.yaml",
        ("        byline: 记者 王明玥 罗浩\n", "        bylin: 记者 王明玥 罗浩\n"),
        ("      - headline: 我区召开经济运行分析会\n",
         "      - headline: 我区召开经济运行分析会\n        lead: maybe\n"))
    assert res.exit_code == 2
    assert len(errors) == 2
    assert "unknown key 'bylin' in article" in errors[0]
    assert "expected true or false for 'lead', got 'maybe'" in errors[1]
    assert f"{path}: 2 problems" in res.output


MANY_MISTAKES = """\
paper: shangjie
date: 2025-06-31
number: 25
total: 20
credits:
  duty_editor: 马晓燕
  proofreaders: [张书豪]
pages:
  - section: 要闻
    teasers:
      - 不存在的文章标题
    articles:
      - headline: 我市召开防汛工作会议
        bylin: 本报记者 孙晓雯
        body: 6月20日，我市召开防汛工作会议。
      - headline: ""
        body: 内容
      - headline: 第二篇头条
        body: 正文\U00020000内容。
        photos:
          - file: photos/nothere.jpg
        columns: 9
  - section: 这是一个非常非常非常非常非常非常非常非常非常非常长的版面名称超过四十个字符的限制了吧应该是的没错
    articles:
      - headline: 转版测试
        continue_on: 1
        body: 文字。
"""


def test_check_lists_the_header_characters_photos_pins_and_teasers_at_once(tmp_path):
    """One `layout check` names all ten mistakes, in file order: the header's, each
    article's keys, a character no font has, a missing photo, impossible pins and a
    teaser that points nowhere (these used to take six rounds of check)."""
    from click.testing import CliRunner

    from layout.cli import main
    path = tmp_path / "many.yaml"
    path.write_text(MANY_MISTAKES, encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(path)])
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error: ")]
    assert res.exit_code == 2, res.output
    expected = [(2, "'2025-06-31' is not a day of the calendar: 2025年6月 has 30 days"),
                (4, "'total' (20) must not be less than 'number' (25)"),
                (11, "teaser '不存在的文章标题': no article on a later page"),
                (14, "unknown key 'bylin'"),
                (16, "'headline' is empty"),
                (19, "(U+20000) in article '第二篇头条' is in none of the fonts"),   # (its body's line)
                (21, "nothere.jpg not found"),
                (22, "'columns: 9' in article '第二篇头条': the page has 6 columns"),
                (23, "'section' is 48 characters long"),
                (26, "'continue_on: 1' in article '转版测试' must name later pages")]
    assert len(errors) == len(expected), res.output
    for line, (want_line, want) in zip(errors, expected):
        assert f"many.yaml:{want_line}:" in line and want in line, (line, want)
    assert f"{path}: 10 problems" in res.output


def test_check_reads_on_past_an_unknown_key(tmp_path):
    # a page's misspelt key (sectoin) stopped its articles being read, an article's
    # (bylin) its photos and pins: their problems came only in later rounds
    from click.testing import CliRunner

    from layout.cli import main
    path = tmp_path / "keys.yaml"
    path.write_text("\n".join([
        "paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803", "pages:",
        "  - sectoin: 要闻", "    articles:", "      - headline: 第一篇", "        bylin: 记者 王堃",
        "        body: 正文。", "        photos:", "          - file: photos/nope.jpg",
        "      - headline: 第二篇", "        columns: 十", "        body: 正文。"]) + "\n",
        encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(path)])
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error: ")]
    assert res.exit_code == 2
    want = [(6, "unknown key 'sectoin' in page 1"), (9, "unknown key 'bylin' in article"),
            (12, "nope.jpg not found"), (14, "for 'columns', got '十'")]
    assert len(errors) == len(want), res.output
    for line, (n, text) in zip(errors, want):
        assert f"keys.yaml:{n}:" in line and text in line, (line, n, text)


@pytest.mark.parametrize("header, want", [
    # a misspelt header key is named once, at its own line (not also as 'number' missing)
    (["issue: 5"], (3, "unknown key 'issue' in the issue")),
    ([], (1, "missing required key 'number' in the issue")),
])
def test_check_reads_on_past_a_header_key(tmp_path, header, want):
    from click.testing import CliRunner

    from layout.cli import main
    path = tmp_path / "head.yaml"
    path.write_text("\n".join([
        "paper: shangjie", "date: 2025-03-09", *header, "total: 803", "pages:",
        "  - section: 要闻", "    articles:", "      - headline: 第一篇", "        bylin: 记者 王堃",
        "        body: 正文。"]) + "\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["check", str(path)])
    errors = [ln for ln in res.output.splitlines() if ln.startswith("error: ")]
    assert res.exit_code == 2
    n = 9 if header else 8
    assert len(errors) == 2, res.output
    assert f"head.yaml:{want[0]}:" in errors[0] and want[1] in errors[0], errors
    assert f"head.yaml:{n}:" in errors[1] and "unknown key 'bylin'" in errors[1], errors


@pytest.mark.parametrize("written", ["张书豪, 李梦瑶", "张书豪、李梦瑶", "张书豪，李梦瑶"])
def test_proofreaders_written_in_one_line_are_two_names(tmp_path, written):
    text = (Path(__file__).parent.parent / "issues" / "2025-03-09.yaml").read_text(
        encoding="utf-8")
    old = next(ln for ln in text.splitlines() if ln.strip().startswith("proofreaders:"))
    path = tmp_path / "credits.yaml"
    path.write_text(text.replace(old, old.split(":")[0] + f": {written}", 1), encoding="utf-8")
    issue = load_issue(path)
    assert issue.credits.proofreaders == ("张书豪", "李梦瑶")


def test_check_lists_each_page_that_cannot_be_composed(tmp_path):
    _, res, errors = check_with(
        tmp_path, "pins.yaml",
        ("      - headline: 全区人民武装工作会议召开\n",
         "      - headline: 全区人民武装工作会议召开\n        columns: 9\n"),
        ("      - headline: 我区召开经济运行分析会\n",
         "      - headline: 我区召开经济运行分析会\n        height: 3\n"))
    assert res.exit_code == 2
    assert len(errors) == 2
    assert "'columns: 9'" in errors[0] and "'height: 3'" in errors[1]


def test_an_unknown_key_says_which_key_was_meant(tmp_path):
    # other tools' names for our keys (subtitle, author, image) name ours
    for wrong, meant in (("subtitle", "subheadline"), ("author", "byline"),
                         ("image", "photos"), ("bylin", "byline")):
        path = write(tmp_path, GOOD.replace("      - headline: 第二版头条\n",
                                            f"      - headline: 第二版头条\n        {wrong}: x\n"))
        assert f"unknown key '{wrong}' in article (did you mean '{meant}'?)" in error_of(path)
