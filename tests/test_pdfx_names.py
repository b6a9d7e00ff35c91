"""What the plant's RIP reads by name: one subset tag per embedded font, the ink limit in the intent."""
from __future__ import annotations

import logging
from pathlib import Path

import pikepdf
import pytest

from layout.build import build

SAMPLE = Path(__file__).parent.parent / "issues" / "2025-03-09.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("names") / "s.pdf"
    build(SAMPLE, out)
    return out


def test_every_font_subset_has_its_own_tag(built):
    with pikepdf.open(built) as pdf:
        fonts = [o for o in pdf.objects
                 if isinstance(o, pikepdf.Dictionary) and o.get("/Type") == "/Font"]
        names = [str(f.BaseFont) for f in fonts]
        tags = [n[1:7] for n in names]
        assert len(fonts) >= 5
        assert all(n[7] == "+" and t.isalpha() and t.isupper() for n, t in zip(names, tags))
        assert len(set(tags)) == len(tags), names
        for f in fonts:                      # the descriptor names the same font
            assert str(f.FontDescriptor.FontName) == str(f.BaseFont)


def test_the_output_intent_names_the_ink_limit(built):
    with pikepdf.open(built) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier) == "IFRA26"
        assert str(intent.OutputCondition).endswith("total ink limit 240 %")


def test_thin_multi_ink_rules_are_warned(built, tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(SAMPLE, tmp_path / "again.pdf")
    assert any("rules in colour 'masthead' print in 3 inks at 0.5 pt" in r.getMessage()
               for r in caplog.records)
