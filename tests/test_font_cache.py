"""The font cache: converted outlines are reused across glyph sets."""
from __future__ import annotations

from pathlib import Path

import fontTools.pens.cu2quPen as cu2qu

from layout.fonts import FontBook
from layout.style import FontSpec

FONTS = Path(__file__).resolve().parent.parent / "fonts"
SPECS = {"serif": FontSpec("serif", FONTS / "NotoSerifSC-Regular.otf")}


def _conversions(monkeypatch) -> list:
    """Count the glyphs converted from cubic to quadratic curves."""
    seen = []
    real = cu2qu.Cu2QuPen

    class Counting(real):
        def __init__(self, *args, **kwargs):
            seen.append(1)
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(cu2qu, "Cu2QuPen", Counting)
    return seen


def _prepare(cache: Path, text: str) -> FontBook:
    book = FontBook(SPECS, cache=cache)
    book.claim(("serif",), text, "a test")
    book.prepare()
    return book


def test_a_new_character_converts_only_its_own_glyph(tmp_path, monkeypatch):
    seen = _conversions(monkeypatch)
    _prepare(tmp_path, "上街时报融媒体中心")
    first = len(seen)
    assert first >= 9                                  # every glyph converted once
    book = _prepare(tmp_path, "上街时报融媒体中心龘")   # a new glyph set: a new subset
    assert len(seen) - first == 1                      # ... but one new outline
    assert book.faces["serif"].advances["龘"] == 1.0


def test_the_same_glyph_set_converts_nothing(tmp_path, monkeypatch):
    _prepare(tmp_path, "上街时报")
    seen = _conversions(monkeypatch)
    _prepare(tmp_path, "上街时报")
    assert seen == []


def test_a_file_that_is_not_a_font_is_an_input_error(tmp_path):
    import pytest

    from layout.errors import InputError

    bad = tmp_path / "bad.ttf"
    bad.write_text("not a font")
    with pytest.raises(InputError, match="bad.ttf .* cannot be read as a font"):
        FontBook({"serif": FontSpec("serif", bad)}, cache=tmp_path / "cache")
