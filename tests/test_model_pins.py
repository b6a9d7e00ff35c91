"""load_issue: per-article layout pins (lead, columns, place, height, continue_on)
and the per-page `order`, with their error messages and source positions."""
from __future__ import annotations

import textwrap

import pytest

from layout.errors import InputError, Source
from layout.model import Place, load_issue

# The article mapping starts at line 7, column 9; pins are added from line 9 on,
# each key at column 9, so a value after `key: ` starts at column 9 + len(key) + 2.
HEAD = """\
paper: shangjie
date: 2025-03-23
number: 7
total: 805
pages:
  - articles:
      - headline: 头条
        body: 正文。
"""


def write(tmp_path, text, name="issue.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def with_pins(tmp_path, *lines):
    """The one-article issue with `lines` added to the article (indented 8)."""
    return write(tmp_path, HEAD + "".join(f"        {line}\n" for line in lines))


def with_order(tmp_path, value):
    """The one-article issue with `order: <value>` as the page's first key (line 6)."""
    text = HEAD.replace("  - articles:\n", f"  - order: {value}\n    articles:\n")
    return write(tmp_path, text)


def article_of(path):
    return load_issue(path).pages[0].articles[0]


def error_of(path) -> str:
    with pytest.raises(InputError) as info:
        load_issue(path)
    return str(info.value)


# ---------------------------------------------------------------- accepted

def test_no_pins_leaves_the_search_free(tmp_path):
    issue = load_issue(write(tmp_path, HEAD))
    page, article = issue.pages[0], issue.pages[0].articles[0]
    assert (article.lead, article.columns, article.place, article.height,
            article.continue_on) == (False, None, None, None, None)
    assert article.pins == {}
    assert page.fixed_order is False


def test_every_pin_is_loaded(tmp_path):
    path = with_pins(tmp_path, "lead: true", "columns: 4", "place: {column: 3, line: 12}",
                     "height: 20", "continue_on: 3")
    article = article_of(path)
    assert article.lead is True
    assert article.columns == 4
    assert article.place == Place(column=3, line=12)
    assert article.height == 20
    assert article.continue_on == 3


@pytest.mark.parametrize("written, value", [("true", True), ("false", False),
                                            ("True", True), ("FALSE", False)])
def test_lead_accepts_yaml_booleans(tmp_path, written, value):
    assert article_of(with_pins(tmp_path, f"lead: {written}")).lead is value


def test_null_lead_means_not_lead(tmp_path):
    assert article_of(with_pins(tmp_path, "lead:")).lead is False
    assert article_of(with_pins(tmp_path, "lead: null")).lead is False


def test_place_as_a_block_mapping(tmp_path):
    path = with_pins(tmp_path, "place:", "  line: 1", "  column: 6")   # key order is free
    assert article_of(path).place == Place(column=6, line=1)


def test_null_numeric_pins_are_unset(tmp_path):
    path = with_pins(tmp_path, "columns:", "place: null", "height: ~", "continue_on:")
    article = article_of(path)
    assert (article.columns, article.place, article.height, article.continue_on) == (
        None, None, None, None)


@pytest.mark.parametrize("written, fixed", [("fixed", True), ("free", False),
                                            ('"fixed"', True), ("null", False)])
def test_page_order(tmp_path, written, fixed):
    assert load_issue(with_order(tmp_path, written)).pages[0].fixed_order is fixed


def test_order_is_per_page(tmp_path):
    text = HEAD.replace("  - articles:\n", "  - order: fixed\n    articles:\n") + (
        "  - articles:\n"
        "      - headline: 第二版\n"
        "        body: 正文。\n")
    first, second = load_issue(write(tmp_path, text)).pages
    assert (first.fixed_order, second.fixed_order) == (True, False)


# ---------------------------------------------------------------- pins and their sources

def test_pins_record_where_each_pin_was_written(tmp_path):
    path = with_pins(tmp_path, "lead: true", "columns: 4", "place: {column: 3, line: 12}",
                     "height: 20", "continue_on: 3")
    f = str(path)
    assert article_of(path).pins == {
        "lead": Source(f, 9, 15),
        "columns": Source(f, 10, 18),
        "place": Source(f, 11, 16),          # the value: the flow mapping's '{'
        "height": Source(f, 12, 17),
        "continue_on": Source(f, 13, 22),
    }


def test_pins_hold_only_the_pins_given(tmp_path):
    path = with_pins(tmp_path, "height: 9", "place:", "  column: 1", "  line: 2")
    pins = article_of(path).pins
    assert pins == {"height": Source(str(path), 9, 17),
                    "place": Source(str(path), 11, 11)}    # a block mapping starts at its first key
    assert list(pins) == ["place", "height"]                # in the model's pin order


def test_lead_false_is_still_a_pin(tmp_path):
    # written explicitly, `lead: false` is a decision ("not the 头条"), not an absence
    path = with_pins(tmp_path, "lead: false")
    article = article_of(path)
    assert article.lead is False
    assert article.pins == {"lead": Source(str(path), 9, 15)}


# ---------------------------------------------------------------- rejected

@pytest.mark.parametrize("written, shown", [('"maybe"', "'maybe'"), ("maybe", "'maybe'"),
                                            ("1", "'1'"), ("0", "'0'"), ('"true"', "'true'"),
                                            ("[true]", "a list")])
def test_lead_must_be_true_or_false(tmp_path, written, shown):
    path = with_pins(tmp_path, f"lead: {written}")
    assert error_of(path) == f"{path}:9:15: expected true or false for 'lead', got {shown}"


@pytest.mark.parametrize("key", ["columns", "height", "continue_on"])
@pytest.mark.parametrize("written, shown", [("0", "'0'"), ("-2", "'-2'"), ("2.5", "'2.5'"),
                                            ('"3"', "'3' in quotes, which is text: write it "
                                                    "without the quotes"), ("true", "'true'"),
                                            ("three", "'three'"), ("{n: 3}", "a mapping")])
def test_numeric_pins_must_be_positive_whole_numbers(tmp_path, key, written, shown):
    path = with_pins(tmp_path, f"{key}: {written}")
    col = 9 + len(key) + 2
    assert error_of(path) == (f"{path}:9:{col}: expected a positive whole number "
                              f"for '{key}', got {shown}")


def test_place_missing_line(tmp_path):
    path = with_pins(tmp_path, "place: {column: 2}")
    assert error_of(path) == f"{path}:9:16: missing required key 'line' in 'place'"


def test_place_missing_column_in_a_block_mapping(tmp_path):
    path = with_pins(tmp_path, "place:", "  line: 4")
    assert error_of(path) == f"{path}:10:11: missing required key 'column' in 'place'"


def test_place_with_an_unknown_key(tmp_path):
    path = with_pins(tmp_path, "place: {column: 2, row: 5}")
    # an unknown key is reported at the key itself, before the missing 'line'
    assert error_of(path) == (f"{path}:9:28: unknown key 'row' in 'place'; "
                              "expected one of: column, line")


def test_place_must_be_a_mapping(tmp_path):
    path = with_pins(tmp_path, "place: [2, 5]")
    assert error_of(path) == f"{path}:9:16: expected a mapping for 'place', got a list"
    path = with_pins(tmp_path, "place: 2")
    assert error_of(path) == f"{path}:9:16: expected a mapping for 'place', got '2'"


@pytest.mark.parametrize("written, col, key, shown", [
    ("{column: 0, line: 5}", 25, "column", "'0'"),
    ("{column: 2, line: -1}", 34, "line", "'-1'"),
    ("{column: 2, line: 1.5}", 34, "line", "'1.5'"),
    ("{column: two, line: 1}", 25, "column", "'two'"),
])
def test_place_numbers_must_be_positive_whole_numbers(tmp_path, written, col, key, shown):
    path = with_pins(tmp_path, f"place: {written}")
    assert error_of(path) == (f"{path}:9:{col}: expected a positive whole number "
                              f"for '{key}', got {shown}")


@pytest.mark.parametrize("written, shown", [("random", "'random'"), ("Fixed", "'Fixed'"),
                                            ("3", "'3'")])
def test_order_must_be_fixed_or_free(tmp_path, written, shown):
    path = with_order(tmp_path, written)
    assert error_of(path) == f"{path}:6:12: expected fixed or free for 'order', got {shown}"


def test_order_must_be_a_string(tmp_path):
    path = with_order(tmp_path, "[fixed]")
    assert error_of(path) == f"{path}:6:12: expected a string for 'order', got a list"


def test_misspelt_page_key_lists_order(tmp_path):
    path = write(tmp_path, HEAD.replace("  - articles:\n", "  - ordr: fixed\n    articles:\n"))
    assert error_of(path) == (f"{path}:6:5: unknown key 'ordr' in page 1 "
                              "(did you mean 'order'?); "
                              "expected one of: section, credits, order, layout, teasers, briefs, articles")


def test_two_leads_on_a_page_are_an_error_at_the_second(tmp_path):
    # one 头条 a page: with two marked, neither the search nor the editor could tell
    path = write(tmp_path, HEAD + "        lead: true\n"
                 "      - headline: 次条\n        body: 正文。\n        lead: true\n")
    with pytest.raises(InputError) as info:
        load_issue(path)
    assert info.value.message == ("page 1: 2 articles are marked 'lead: true' ('头条', '次条'); "
                                  "a page has one lead")
    assert (info.value.source.line, info.value.source.column) == (12, 15)
