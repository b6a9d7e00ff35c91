"""The house style may keep a space between two Han characters (issue 12, item 5).

By default the loader removes a stray space between two Han characters in the
body (copy pasted from Word or WeChat) and notes it; `setting.keep_han_spaces:
true` in the house style keeps it, and the setter sets it as a word space.
"""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from layout import build as B
from layout.errors import InputError
from layout.model import load_issue
from layout.setting import SPACE_EM
from layout.style import load_style

ROOT = Path(__file__).resolve().parent.parent
STYLE = ROOT / "styles" / "shangjie.yaml"
BODY = "我区 开展　学雷锋志愿服务活动，iPhone 16 和 华为 Mate 70 同台。"
KEPT = BODY
REMOVED = "我区开展学雷锋志愿服务活动，iPhone 16 和华为 Mate 70 同台。"


def _style(folder: Path, keep: str | None) -> Path:
    """styles/shangjie.yaml in folder: the bundled style with keep_han_spaces set."""
    text = STYLE.read_text(encoding="utf-8")
    line = "  keep_han_spaces: false"
    assert line in text
    if keep is None:
        text = "\n".join(t for t in text.splitlines() if "keep_han_spaces" not in t) + "\n"
    else:
        text = text.replace(line, f"  keep_han_spaces: {keep}")
    (folder / "styles").mkdir(exist_ok=True)
    path = folder / "styles" / "shangjie.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _issue(folder: Path, headline: str = "我区 开展活动") -> Path:
    path = folder / "i.yaml"
    path.write_text(textwrap.dedent(f"""\
        paper: shangjie
        date: 2025-03-09
        number: 1
        total: 1
        pages:
          - articles:
              - headline: {headline}
                body: |
                  {BODY}
        """), encoding="utf-8")
    return path


def test_the_bundled_style_removes_them():
    assert load_style(STYLE).setting.keep_han_spaces is False


@pytest.mark.parametrize("keep, expected", [("true", True), ("false", False), (None, False)])
def test_the_option_is_read(tmp_path, keep, expected):
    assert load_style(_style(tmp_path, keep)).setting.keep_han_spaces is expected


def test_a_value_that_is_not_a_flag_is_an_error_at_its_line(tmp_path):
    path = _style(tmp_path, "yes please")
    with pytest.raises(InputError) as err:
        load_style(path)
    assert "true or false" in err.value.message and "keep_han_spaces" in err.value.message
    line = next(i for i, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
                if "keep_han_spaces" in t)
    assert err.value.source.line == line


def test_by_default_the_loader_removes_and_notes_them(tmp_path):
    _style(tmp_path, "false")
    a = load_issue(_issue(tmp_path)).pages[0].articles[0]
    assert a.body == (REMOVED,)
    assert any("removed 3 spaces between Chinese characters" in n for n in a.removed)


def test_a_style_that_keeps_them_keeps_them(tmp_path):
    _style(tmp_path, "true")
    a = load_issue(_issue(tmp_path)).pages[0].articles[0]
    assert a.body == (KEPT,)
    assert not any("between Chinese characters" in n for n in a.removed)
    assert a.headline == "我区 开展活动"          # headlines keep theirs either way (break hints)


def test_the_caller_may_decide(tmp_path):
    _style(tmp_path, "false")
    assert load_issue(_issue(tmp_path), keep_han_spaces=True).pages[0].articles[0].body == (KEPT,)
    _style(tmp_path, "true")
    assert load_issue(_issue(tmp_path), keep_han_spaces=False).pages[0].articles[0].body == \
        (REMOVED,)


def test_a_style_that_cannot_be_read_counts_as_removing(tmp_path):
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "shangjie.yaml").write_text("setting: [unclosed\n", encoding="utf-8")
    # the loader falls back to removing; the broken style is the style loader's error
    a = load_issue(_issue(tmp_path)).pages[0].articles[0]
    assert a.body == (REMOVED,)


def _body_glyphs(pages):
    out = []
    for page in pages:
        for pl in page.lines:
            if pl.role == "body":
                for r in pl.line.runs:
                    out.append((r.text, pl.x + r.x, pl.y))
    return out


@pytest.mark.parametrize("keep", ["true", "false"])
def test_the_space_kept_is_set_as_a_word_space(tmp_path, keep):
    _style(tmp_path, keep)
    prep = B.prepare(_issue(tmp_path))
    pages, _ = B.compose(prep)
    size = prep.style.body.size
    runs = _body_glyphs(pages)
    text = "".join(t for t, _, _ in runs)
    assert text == REMOVED.replace(" ", "").replace("　", "")
    # the gap between 区 and 开 (same line: the paragraph's first line holds both)
    qu = next((x, y) for t, x, y in runs if t.endswith("区"))
    kai = next((x, y) for t, x, y in runs if t.startswith("开") or t == "开")
    assert qu[1] == kai[1]
    gap = kai[0] - (qu[0] + size)                # 区 is one em wide
    if keep == "true":
        assert gap >= SPACE_EM * size - 0.01
    else:
        assert gap < SPACE_EM * size / 2
