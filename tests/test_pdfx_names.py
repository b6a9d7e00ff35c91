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
        objects = [o for o in pdf.objects if isinstance(o, pikepdf.Dictionary)]
        descriptors = [o for o in objects if o.get("/Type") == "/FontDescriptor"]
        names = [str(d.FontName) for d in descriptors]
        tags = [n[1:7] for n in names]
        assert len(descriptors) >= 5
        assert all(n[7] == "+" and t.isalpha() and t.isupper() for n, t in zip(names, tags))
        assert len(set(tags)) == len(tags), names
        fonts = [o for o in objects if o.get("/Type") == "/Font"]
        for f in fonts:                      # the font (a Type 0's descendant) names the same
            desc = f.get("/FontDescriptor") or f.DescendantFonts[0].FontDescriptor
            assert str(desc.FontName) == str(f.BaseFont)


def test_each_face_is_one_font_with_two_byte_codes(built):
    # one CID-keyed font a face: a line of Chinese is one font selection and one TJ,
    # not a switch between 256-glyph subsets every other character
    with pikepdf.open(built) as pdf:
        resources = pdf.pages[0].Resources.Font
        subtypes = {str(f.Subtype) for _, f in resources.items()}
        assert subtypes == {"/Type0"}, subtypes
        assert all(str(f.Encoding) == "/Identity-H" for _, f in resources.items())
        ops = pikepdf.parse_content_stream(pdf.pages[0])
        shows = sum(1 for o in ops if str(o.operator) in ("TJ", "Tj"))
        selections = sum(1 for o in ops if str(o.operator) == "Tf")
        lines = sum(1 for o in ops if str(o.operator) == "Tm")     # a text matrix a line
        assert selections <= lines and shows <= lines, (selections, shows, lines)


def test_the_output_intent_names_the_ink_limit(built):
    with pikepdf.open(built) as pdf:
        (intent,) = pdf.Root.OutputIntents
        assert str(intent.OutputConditionIdentifier) == "IFRA26"
        assert str(intent.OutputCondition).endswith("total ink limit 240 %")


def _style_with_strip(tmp_path: Path, over: str) -> Path:
    """The sample beside a copy of its style whose issue strip has the rules `over`."""
    root = SAMPLE.parent.parent
    style = (root / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
    style = style.replace("over: [[2.0, masthead], [0.5, rule]]", f"over: {over}")
    style = style.replace("../fonts/", f"{root}/fonts/")
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "shangjie.yaml").write_text(style, encoding="utf-8")
    issue = tmp_path / "issues" / "i.yaml"
    issue.parent.mkdir()
    issue.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    return issue


def test_the_house_style_draws_no_thin_multi_ink_rule(tmp_path, caplog):
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(SAMPLE, tmp_path / "again.pdf")
    assert not [r for r in caplog.records if "misregistration" in r.getMessage()]


def test_thin_multi_ink_rules_are_warned(tmp_path, caplog):
    issue = _style_with_strip(tmp_path, "[[2.0, masthead], [0.5, masthead]]")
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(issue, tmp_path / "red.pdf")
    assert any("rules in colour 'masthead' print in 3 inks at 0.5 pt" in r.getMessage()
               for r in caplog.records)


def test_a_strip_rule_in_an_unknown_colour_is_an_error_at_its_line(tmp_path):
    from layout.errors import InputError
    issue = _style_with_strip(tmp_path, "[[2.0, crimson]]")
    with pytest.raises(InputError) as err:
        build(issue, tmp_path / "x.pdf")
    assert "no colour 'crimson' under 'colors'" in str(err.value)
    assert "shangjie.yaml:" in str(err.value)
