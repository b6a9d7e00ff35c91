"""`layout fonts`: the style's fonts with their licences, roles and coverage."""
from __future__ import annotations

from pathlib import Path

from click.testing import CliRunner

from layout.cli import main
from layout.fontinfo import gb2312_han

SAMPLE = Path(__file__).parent.parent / "issues" / "2025-03-09.yaml"


def test_gb2312_has_its_6763_han_characters():
    han = gb2312_han()
    assert len(han) == 6763 and ord("啊") in han and ord("齄") in han


def test_layout_fonts_lists_each_face_with_licence_roles_and_coverage():
    res = CliRunner().invoke(main, ["fonts", str(SAMPLE)])
    assert res.exit_code == 0, res.output
    out = res.output
    for name, family in (("serif", "Noto Serif CJK SC"), ("serif-bold", "Noto Serif CJK SC Bold"),
                         ("kai", "LXGW WenKai")):
        assert f"{name}: {family}\n" in out
    assert out.count("SIL Open Font License 1.1") == 5     # with the two Latin companions
    assert out.count("GB 2312 6,763/6,763") == 3         # every face has all of GB 2312
    assert "first in body," in out                        # serif sets the body
    kai = out[out.index("kai: LXGW WenKai"):]
    assert "first in byline" in kai and "Ext B" in kai


def test_layout_fonts_on_a_bad_issue_is_one_line(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("paper: shangjie\n", encoding="utf-8")
    res = CliRunner().invoke(main, ["fonts", str(bad)])
    assert res.exit_code == 2 and res.output.startswith("error: ") and \
        len(res.output.strip().splitlines()) == 1

