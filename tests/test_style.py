"""find_style / load_style: the house style file and its error messages."""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.errors import InputError
from layout.style import OPTIONAL_ROLES, TEXT_ROLES, Setting, find_style, load_style

REPO = Path(__file__).resolve().parent.parent
SHANGJIE = REPO / "styles" / "shangjie.yaml"
ISSUE = "paper: {paper}\ndate: 2025-03-09\nnumber: 1\ntotal: 1\npages: []\n"


def style_copy(tmp_path, old="", new="") -> Path:
    """shangjie.yaml copied into tmp_path/styles/, with one edit.

    Its ../fonts/ paths do not exist there, so fonts come from the tool's
    bundled fonts/ by file name.
    """
    text = SHANGJIE.read_text(encoding="utf-8")
    assert old in text
    folder = tmp_path / "styles"
    folder.mkdir(exist_ok=True)
    path = folder / "shangjie.yaml"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def position(path: Path, needle: str) -> str:
    """file:line:col of the first `needle` in the file."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return f"{path}:{number}:{line.index(needle) + 1}"
    raise AssertionError(needle)


def line_of(path: Path, needle: str) -> int:
    return int(position(path, needle).rsplit(":", 2)[1])


def error_of(path: Path) -> str:
    with pytest.raises(InputError) as info:
        load_style(path)
    return str(info.value)


def test_repo_style_loads():
    style = load_style(SHANGJIE)
    assert style.path == SHANGJIE and style.name == "上街时报"
    assert (style.page.width_mm, style.page.height_mm, style.page.columns) == (297, 420, 6)
    assert style.fonts["serif"].file == REPO / "fonts" / "NotoSerifSC-Regular.otf"
    assert style.fonts["kai"].name == "kai" and style.fonts["kai"].index == 0
    assert set(style.text) == set(TEXT_ROLES) | set(OPTIONAL_ROLES)
    assert style.body.fonts == ("serif", "kai") and style.body.size == 9
    assert style.text["masthead_english"].tracking == pytest.approx(0.32)
    assert style.text["date_day"].color == "masthead" and style.text["kicker"].color == "text"
    assert style.colors["masthead"] == (0, 100, 100, 10)
    assert style.setting == Setting("basic", "line-end-half", 0, 2, 0.25)
    assert style.masthead.logo is None and style.masthead.height_lines == 15
    assert style.page_header.height_lines == 3
    assert style.footer.contacts == ("总编室 68925380", "办公室 68938300", "邮箱 SJSX1@163.com")


def test_find_style_falls_back_to_installed_styles(tmp_path):
    issue = tmp_path / "anywhere" / "issue.yaml"
    issue.parent.mkdir()
    issue.write_text(ISSUE.format(paper="shangjie"), encoding="utf-8")
    assert find_style("shangjie", issue) == SHANGJIE


def test_find_style_prefers_styles_beside_the_issue(tmp_path):
    local = style_copy(tmp_path)
    issue = tmp_path / "issue.yaml"
    issue.write_text(ISSUE.format(paper="shangjie"), encoding="utf-8")
    assert find_style("shangjie", issue) == local


def test_find_style_looks_beside_the_issues_folder(tmp_path):
    local = style_copy(tmp_path)
    issue = tmp_path / "issues" / "2025-03-09.yaml"
    issue.parent.mkdir()
    issue.write_text(ISSUE.format(paper="shangjie"), encoding="utf-8")
    assert find_style("shangjie", issue) == local


def test_unknown_paper_points_at_the_paper_key(tmp_path):
    issue = tmp_path / "issue.yaml"
    issue.write_text("# 上街时报\n" + ISSUE.format(paper="foo"), encoding="utf-8")
    with pytest.raises(InputError) as info:
        find_style("foo", issue)
    msg = str(info.value)
    assert msg.startswith(f"{issue}:2:1: unknown paper 'foo': no styles/foo.yaml beside the issue "
                          f"or installed (looked in: {tmp_path / 'styles'}, ")
    assert str(REPO / "styles") in msg


def test_copied_style_finds_bundled_fonts_by_name(tmp_path):
    style = load_style(style_copy(tmp_path))
    assert style.fonts["serif-bold"].file == REPO / "fonts" / "NotoSerifSC-Bold.otf"


def test_missing_font_file(tmp_path):
    path = style_copy(tmp_path, "../fonts/LXGWWenKai-Regular.ttf", "kai/Missing.ttf")
    msg = error_of(path)
    assert msg.startswith(f"{position(path, 'kai/Missing.ttf')}: font file not found: "
                          "kai/Missing.ttf (looked for ")
    assert str(tmp_path / "styles" / "kai" / "Missing.ttf") in msg


def test_unknown_key_in_page(tmp_path):
    path = style_copy(tmp_path, "  columns: 6", "  colums: 6")
    assert error_of(path).startswith(f"{position(path, 'colums')}: unknown key 'colums' in 'page' "
                                     "(did you mean 'columns'?); "
                                     "expected one of: width_mm, height_mm, margin_top_mm")


def test_text_style_must_name_a_defined_font(tmp_path):
    path = style_copy(tmp_path, "body:        {fonts: [serif, kai]",
                      "body:        {fonts: [serif, song]")
    assert error_of(path) == (f"{position(path, 'song')}: text style 'body' uses font 'song', "
                              "which 'fonts' does not define (defined: serif, serif-bold, kai, "
                              "serif-latin, serif-latin-bold)")


def test_text_style_must_name_a_defined_colour(tmp_path):
    path = style_copy(tmp_path, "color: masthead}", "color: red}")
    assert error_of(path) == (f"{position(path, 'red}')}: text style 'masthead_name' uses colour "
                              "'red', which 'colors' does not define "
                              "(defined: text, rule, masthead)")


def test_missing_text_role(tmp_path):
    path = style_copy(tmp_path, "  date_lunar:  {fonts: [serif, kai], size: 11, leading: 16}\n")
    # reported where the 'text' mapping starts: its first role
    assert error_of(path) == (f"{path}:{line_of(path, 'body:')}:3: "
                              "missing text style 'date_lunar' in 'text'")


def test_unknown_text_role(tmp_path):
    path = style_copy(tmp_path, "  credits:  ", "  credit:  ")
    # 'credit:  ' (two spaces) is the edited line, not 'photo_credit: {' above it
    assert error_of(path).startswith(f"{position(path, 'credit:  ')}: "
                                     "unknown key 'credit' in 'text' "
                                     "(did you mean 'credits'?); "
                                     "expected one of: body, headline, ")


def test_size_must_be_positive(tmp_path):
    path = style_copy(tmp_path, "size: 22,", "size: -22,")
    assert error_of(path) == (f"{position(path, '-22')}: "
                              "expected a positive number for 'size', got '-22'")


@pytest.mark.parametrize("colour, column, problem", [
    ("[0, 0, 100]", 9, "expected 4 CMYK percentages like [0, 100, 100, 10] for colour 'rule', "
                       "got 3 values"),
    ("[0, 0, 0, 120]", 19, "expected a number from 0 to 100 for colour 'rule', got '120'"),
    ("black", 9, "expected 4 CMYK percentages like [0, 100, 100, 10] for colour 'rule', "
                 "got 'black'"),
])
def test_colour_needs_four_percentages(tmp_path, colour, column, problem):
    path = style_copy(tmp_path, "rule: [0, 0, 0, 100]", f"rule: {colour}")
    assert error_of(path) == f"{path}:{line_of(path, 'rule:')}:{column}: {problem}"


def test_kinsoku_level(tmp_path):
    path = style_copy(tmp_path, "kinsoku: basic", "kinsoku: loose")
    assert error_of(path) == (f"{position(path, 'loose')}: "
                              "expected basic or gb or strict for 'kinsoku', got 'loose'")


def test_setting_is_optional(tmp_path):
    text = SHANGJIE.read_text(encoding="utf-8")
    start, end = text.index("setting:"), text.index("masthead:")
    path = style_copy(tmp_path, text[start:end], "")
    assert load_style(path).setting == Setting()


def test_logo_resolves_beside_the_style(tmp_path):
    path = style_copy(tmp_path, "logo: null", "logo: art/logo.png")
    assert error_of(path).startswith(f"{position(path, 'art/logo.png')}: "
                                     "logo not found: art/logo.png")
    (tmp_path / "styles" / "art").mkdir()
    logo = tmp_path / "styles" / "art" / "logo.png"
    logo.write_bytes(b"\x89PNG")            # not a picture: an error at the logo's line
    assert error_of(path).startswith(f"{position(path, 'art/logo.png')}: cannot read the logo")
    from PIL import Image
    Image.new("RGB", (40, 10), "red").save(logo)
    assert load_style(path).masthead.logo == logo


def test_missing_section(tmp_path):
    path = style_copy(tmp_path, "page_header:\n  height_lines: 3\n", "")
    assert error_of(path) == f"{path}:3:1: missing required key 'page_header' in the house style"


def test_headline_tiers_follow_the_printed_sizes(tmp_path):
    # the search's tiers are the sizes the reader sees: a 转版 continuation's 14 pt
    # headline ranks with the briefs', under an 18 pt one (it was ranked with the 22 pt
    # headlines, and a continuation sat above an 18 pt story: an inversion on the page)
    from layout.compose import headline_tiers
    tiers = headline_tiers(load_style(find_style("shangjie", tmp_path)))
    assert tiers == {"lead_headline": 0, "headline": 1, "minor_headline": 2,
                     "jump_headline": 3, "brief_headline": 3}
    path = style_copy(tmp_path, "jump_headline: {fonts: [serif-bold, serif, kai], size: 14,",
                      "jump_headline: {fonts: [serif-bold, serif, kai], size: 20,")
    tiers = headline_tiers(load_style(path))
    assert tiers["jump_headline"] == 2 and tiers["minor_headline"] == 3
