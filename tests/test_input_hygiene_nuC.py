"""Input hygiene: invisible characters pasted into copy, pasted line separators and
no-break-space indents, and house-style sizes no page can hold.

1. Zero-width characters (U+200B, U+200C, U+200D, U+2060, U+FEFF) are removed
   everywhere in a text field, not only at its ends and its lines' ends (mid-line
   they printed as gaps: `2月21 日`), and the removal is noted as the ends' is. A
   zero-width joiner inside an emoji sequence stays (the emoji is refused later).
2. Invisible controls (C0/C1 controls, bidi controls, variation selectors) are an
   error at load, at the character's own line and column, named by code point.
3. A line separator (U+2028, U+2029, U+0085) is an error at its line before the
   YAML is parsed; a no-break-space indent is named at its line.
4. A house style's sizes are validated: a text size over its leading, a body size
   outside 5-20 pt, page geometry outside sane ranges.
"""
from __future__ import annotations

import logging
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.cli import main
from layout.errors import InputError
from layout.model import load_issue
from layout.style import load_style

from test_hostile_input import HEAD
from test_style import SHANGJIE, style_copy

# headline on line 7, body on line 8 (a literal block's first line is line 9)
ONE = HEAD + """\
pages:
  - articles:
      - headline: 头条
        body: |
          {body}
"""
BODY = "2月21日，全区人民武装工作会议召开。"


def write(tmp_path: Path, text: str, name: str = "issue.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def issue_with(tmp_path: Path, body: str = BODY, headline: str = "头条") -> Path:
    return write(tmp_path, ONE.replace("{body}", body).replace("headline: 头条",
                                                               f"headline: {headline}"))


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_issue(path)
    return info.value


def cli(*args: str):
    return CliRunner().invoke(main, list(args))


# ---------------------------------------------------------------- 1. zero-width characters

ZW = "\u200b\u200c\u200d\u2060\ufeff"


@pytest.mark.parametrize("ch", list(ZW))
def test_a_zero_width_character_mid_line_is_removed_and_noted(tmp_path, ch, caplog):
    path = issue_with(tmp_path, f"2月21{ch}日，全{ch}区人民武装工作会议召开。")
    with caplog.at_level(logging.INFO, logger="layout"):
        issue = load_issue(path)
    article = issue.pages[0].articles[0]
    assert article.body == (BODY,)
    assert article.removed == ("article '头条' body paragraph 1: removed 2 zero-width characters",)
    assert f"{path}: article '头条' body paragraph 1: removed 2 zero-width characters" in [
        r.getMessage() for r in caplog.records]


def test_zero_width_characters_are_removed_from_every_field(tmp_path):
    text = ONE.replace("{body}", BODY).replace(
        "headline: 头条", 'headline: "头\\u200b条"\n        kicker: "引\\u2060题"\n'
                        '        byline: "记者 王\\ufeff明"')
    text = text.replace("  - articles:", '  - section: "要\\u200c闻"\n    articles:')
    issue = load_issue(write(tmp_path, text))
    a = issue.pages[0].articles[0]
    assert (a.headline, a.kicker, a.byline, issue.pages[0].section) == (
        "头条", "引题", "记者 王明", "要闻")
    assert "article '头条' headline: removed 1 zero-width character" in a.removed
    assert "page 1 section: removed 1 zero-width character" in issue.removed


def test_zero_width_characters_at_line_ends_and_inside_are_counted_together(tmp_path):
    path = issue_with(tmp_path, "\u200b2月21日，全\u200b区人民武装工作会议召开。\u200b")
    article = load_issue(path).pages[0].articles[0]
    assert article.body == (BODY,)
    assert article.removed == ("article '头条' body paragraph 1: removed 3 zero-width characters",)


def test_a_zero_width_joiner_inside_an_emoji_sequence_is_left_for_the_emoji_check(tmp_path):
    path = issue_with(tmp_path, "一家\U0001F468\u200d\U0001F469人。")
    assert load_issue(path).pages[0].articles[0].body == ("一家\U0001F468\u200d\U0001F469人。",)


def test_a_build_with_zero_width_characters_inside_keeps_every_character(tmp_path):
    body = "2月21\u200b日，全\u200d区人民武装工作会议召开，深入学习贯彻\u2060习近平强军思想。" * 3
    path = issue_with(tmp_path, body)
    result = cli("build", str(path), "-o", str(tmp_path / "out.pdf"), "--no-pdfx")
    assert result.exit_code == 0, result.output
    import pdfplumber
    with pdfplumber.open(tmp_path / "out.pdf") as pdf:
        text = "".join(c["text"] for c in pdf.pages[0].chars)
    assert "2月21日，全区人民" in text


# ---------------------------------------------------------------- 2. invisible controls

def test_a_control_character_in_a_quoted_headline_is_named_at_its_column(tmp_path):
    path = write(tmp_path, ONE.replace("{body}", BODY).replace(
        "headline: 头条", 'headline: "全区人民\\x07武装工作"'))
    err = error_of(path)
    assert str(err) == (f"{path}:7:24: invisible control character U+0007 in the headline of "
                        "article '全区人民武装工作': delete it")


@pytest.mark.parametrize("ch, name", [("\u202e", "RIGHT-TO-LEFT OVERRIDE"),
                                      ("\u202a", "LEFT-TO-RIGHT EMBEDDING"),
                                      ("\u2067", "RIGHT-TO-LEFT ISOLATE")])
def test_a_bidi_control_in_a_body_is_named_at_its_own_line_and_column(tmp_path, ch, name):
    body = BODY + "\n\n          第二段，" + ch + "有控制字符。"
    path = issue_with(tmp_path, body)
    err = error_of(path)
    assert str(err) == (f"{path}:11:15: invisible control character U+{ord(ch):04X} ({name}) "
                        "in the body of article '头条': delete it")


def test_a_control_escaped_in_a_body_is_refused(tmp_path):
    text = ONE.replace("body: |\n          {body}", 'body: "正文\\e。"')
    err = error_of(write(tmp_path, text))
    assert err.message == ("invisible control character U+001B in the body of article '头条': "
                           "delete it")
    assert err.source.line == 8


def test_a_variation_selector_is_named_by_code_point(tmp_path):
    path = issue_with(tmp_path, "2月21日，全\ufe0f区人民武装工作会议召开。")
    err = error_of(path)
    assert str(err) == (f"{path}:9:18: invisible variation selector U+FE0F (VARIATION "
                        "SELECTOR-16) after '全' in the body of article '头条': delete it")


def test_a_variation_selector_after_an_emoji_says_delete_it_or_the_emoji(tmp_path):
    path = issue_with(tmp_path, "点赞\u2764\ufe0f。")
    err = error_of(path)
    assert err.message.startswith("invisible variation selector U+FE0F (VARIATION SELECTOR-16)"
                                  " after '\u2764' in the body of article '头条'")
    assert err.message.endswith("delete it, or the emoji before it")


def test_controls_in_other_fields(tmp_path):
    text = ONE.replace("{body}", BODY).replace(
        "headline: 头条", 'headline: 头条\n        byline: "记者\\u202e王明"')
    err = error_of(write(tmp_path, text))
    assert err.message == ("invisible control character U+202E (RIGHT-TO-LEFT OVERRIDE) in "
                           "the byline of article '头条': delete it")
    assert (err.source.line, err.source.column) == (8, 20)


def test_layout_check_lists_a_control_character_as_one_line(tmp_path):
    path = issue_with(tmp_path, "正文\u202e。")
    result = cli("check", str(path))
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert lines == [f"error: {path}:9:13: invisible control character U+202E "
                     "(RIGHT-TO-LEFT OVERRIDE) in the body of article '头条': delete it"], lines


# ---------------------------------------------------------------- 3. pasted breaks and indents

@pytest.mark.parametrize("ch, name", [("\u2028", "a line separator character (U+2028"),
                                      ("\u2029", "a paragraph separator character (U+2029"),
                                      ("\x85", "a next-line character (U+0085")])
def test_a_line_separator_is_named_at_its_own_line(tmp_path, ch, name):
    body = BODY + "\n\n          第二段，" + ch + "入区人民。\n\n          第三段。"
    path = issue_with(tmp_path, body)
    err = error_of(path)
    assert str(err).startswith(f"{path}:11:15: {name}, from a pasted document): "
                               "replace it with a line break"), str(err)


def test_a_line_separator_in_a_style_file_is_named_too(tmp_path):
    text = SHANGJIE.read_text(encoding="utf-8").replace("name: 上街时报", "name: 上街\u2028时报", 1)
    (tmp_path / "styles").mkdir()
    path = write(tmp_path / "styles", text, "shangjie.yaml")
    with pytest.raises(InputError) as info:
        load_style(path)
    assert str(info.value).startswith(f"{path}:3:9: a line separator character (U+2028")


@pytest.mark.parametrize("space, name", [("\u00a0", "no-break spaces (U+00A0)"),
                                         ("\u2002", "en spaces (U+2002)")])
def test_an_indent_of_no_break_spaces_is_named_at_its_line(tmp_path, space, name):
    text = HEAD + "credits:\n" + f"{space} {space} duty_editor: 焦芙蓉\n" + \
        "  proofreaders: [刘世平, 孙畅]\n" + ONE[len(HEAD):].replace("{body}", BODY)
    path = write(tmp_path, text)
    err = error_of(path)
    assert str(err) == (f"{path}:6:1: invalid YAML: the line is indented with {name}, "
                        "as pasted from a web page or document: indent with ordinary spaces")


def test_an_indent_of_no_break_spaces_on_every_line_is_named_too(tmp_path):
    nb = "\u00a0\u00a0"
    text = HEAD + f"credits:\n{nb}duty_editor: 焦芙蓉\n{nb}proofreaders: [刘世平, 孙畅]\n" + \
        ONE[len(HEAD):].replace("{body}", BODY)
    path = write(tmp_path, text)
    err = error_of(path)
    assert str(err) == (f"{path}:6:1: invalid YAML: the line is indented with no-break spaces "
                        "(U+00A0), as pasted from a web page or document: indent with "
                        "ordinary spaces")


def test_no_break_spaces_inside_a_block_stay_copy(tmp_path):
    path = issue_with(tmp_path, "\u00a0\u00a02月21日，全区人民武装工作会议召开。")
    assert load_issue(path).pages[0].articles[0].body == (BODY,)


# ---------------------------------------------------------------- 4. house-style sizes

def style_error(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_style(path)
    return str(info.value)


def line_of(path: Path, needle: str) -> tuple[int, int]:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return number, line.index(needle) + 1
    raise AssertionError(needle)


def test_the_real_style_still_loads():
    style = load_style(SHANGJIE)
    assert style.body.size == 9 and style.text["masthead_name"].size == 88


def test_a_body_size_over_its_leading_is_refused_at_its_line(tmp_path):
    path = style_copy(tmp_path, "body:        {fonts: [serif, kai], size: 9, leading: 14}",
                      "body:        {fonts: [serif, kai], size: 90, leading: 14}")
    line, col = line_of(path, "size: 90")
    assert style_error(path) == (
        f"{path}:{line}:{col + 6}: expected a number from 5 to 20 for 'size' of text style "
        "'body', got '90'")


def test_a_size_over_its_leading_is_refused(tmp_path):
    path = style_copy(tmp_path, "headline:    {fonts: [serif-bold, serif, kai], size: 22, leading: 28}",
                      "headline:    {fonts: [serif-bold, serif, kai], size: 60, leading: 28}")
    line, col = line_of(path, "size: 60")
    assert style_error(path) == (
        f"{path}:{line}:{col + 6}: text style 'headline' has 'size: 60' over its 'leading: 28'"
        " (at most 33.6 pt, 1.2 times the leading): its lines would print over one another;"
        " make the leading larger or the size smaller")


def test_sizes_of_900_are_refused(tmp_path):
    text = SHANGJIE.read_text(encoding="utf-8")
    import re
    text = re.sub(r"size: \d+", "size: 900", text)
    text = re.sub(r"leading: \d+", "leading: 900", text)
    (tmp_path / "styles").mkdir()
    path = write(tmp_path / "styles", text, "shangjie.yaml")
    message = style_error(path)
    assert "expected a number from 5 to 20 for 'size' of text style 'body'" in message, message


def test_a_headline_size_over_120_is_refused(tmp_path):
    path = style_copy(tmp_path, "lead_headline: {fonts: [serif-bold, serif, kai], size: 30, leading: 38}",
                      "lead_headline: {fonts: [serif-bold, serif, kai], size: 300, leading: 380}")
    assert "expected a number from 4 to 120 for 'size' of text style 'lead_headline'" in \
        style_error(path)


def test_a_leading_far_over_the_size_is_refused(tmp_path):
    path = style_copy(tmp_path, "body:        {fonts: [serif, kai], size: 9, leading: 14}",
                      "body:        {fonts: [serif, kai], size: 9, leading: 140}")
    line, col = line_of(path, "leading: 140")
    assert style_error(path) == (
        f"{path}:{line}:{col + 9}: text style 'body' has 'leading: 140', more than 3 times its "
        "'size: 9' (at most 27 pt): make the leading smaller")


@pytest.mark.parametrize("old, new, said", [
    ("  columns: 6", "  columns: 99", "expected a whole number from 1 to 20 for 'columns', got '99'"),
    ("  width_mm: 297", "  width_mm: 5000",
     "expected a number from 100 to 1500 for 'width_mm', got '5000'"),
    ("  height_mm: 420", "  height_mm: 10",
     "expected a number from 100 to 1500 for 'height_mm', got '10'"),
    ("  column_chars: 13", "  column_chars: 500",
     "expected a whole number from 2 to 100 for 'column_chars', got '500'"),
    ("  gutter_chars: 1 ", "  gutter_chars: 40 ",
     "expected a whole number from 0 to 10 for 'gutter_chars', got '40'"),
    ("  margin_top_mm: 14", "  margin_top_mm: 400",
     "expected a number from 0 to 200 for 'margin_top_mm', got '400'"),
    ("  module_gap_lines: 1 ", "  module_gap_lines: 99 ",
     "expected a whole number from 0 to 10 for 'module_gap_lines', got '99'"),
    ("  rule_width: 0.5", "  rule_width: 50",
     "expected a number from 0 to 10 for 'rule_width', got '50'"),
])
def test_page_geometry_outside_sane_ranges_is_refused_at_its_line(tmp_path, old, new, said):
    path = style_copy(tmp_path, old, new)
    line, col = line_of(path, new.strip())
    key = new.strip().split(":")[0]
    assert style_error(path) == f"{path}:{line}:{col + len(key) + 2}: {said}"


def test_a_type_area_wider_than_the_page_is_refused(tmp_path):
    path = style_copy(tmp_path, "  column_chars: 13", "  column_chars: 30")
    line, col = line_of(path, "column_chars: 30")
    message = style_error(path)
    assert message.startswith(f"{path}:{line}:{col + 14}: the type area, 6 columns of 30 "
                              "characters and 5 gutters of 1 at the body's 9 pt, is "), message
    assert "wider than the page (297 mm)" in message


def test_margins_leaving_no_room_are_refused(tmp_path):
    path = style_copy(tmp_path, "  margin_top_mm: 14", "  margin_top_mm: 190")
    path.write_text(path.read_text(encoding="utf-8").replace("  margin_bottom_mm: 12",
                                                             "  margin_bottom_mm: 190"),
                    encoding="utf-8")
    message = style_error(path)
    assert "grid lines" in message and "margin" in message, message


def test_the_cli_reports_a_bad_style_size_as_one_line(tmp_path):
    path = style_copy(tmp_path, "body:        {fonts: [serif, kai], size: 9, leading: 14}",
                      "body:        {fonts: [serif, kai], size: 90, leading: 14}")
    issue = write(tmp_path, ONE.replace("{body}", BODY))
    result = cli("build", str(issue), "-o", str(tmp_path / "out.pdf"))
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines() == [
        f"error: {path}:{line_of(path, 'size: 90')[0]}:{line_of(path, 'size: 90')[1] + 6}: "
        "expected a number from 5 to 20 for 'size' of text style 'body', got '90'"]
