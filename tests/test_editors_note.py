"""A 编者按 opening an article: set apart from the story (the style's editors_note role,
in the house style the byline's 楷体), not indented, a blank line under it; read back
from the built PDF's glyphs."""
from __future__ import annotations

from pathlib import Path

import pdfplumber
import yaml

from layout.build import build

SAMPLE = Path(__file__).resolve().parent.parent / "issues" / "2025-03-09.yaml"
NOTE = "【编者按】连日来，我区各部门认真落实上级部署，扎实推进各项工作。本报今起开设专栏，集中展示各单位的经验做法，敬请关注。"


def test_an_editors_note_is_set_apart_in_its_own_face(tmp_path):
    data = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    article = data["pages"][1]["articles"][0]
    body = article["body"] if isinstance(article["body"], str) else "\n\n".join(article["body"])
    article["body"] = NOTE + "\n\n" + body
    issue = tmp_path / "issue.yaml"
    issue.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    build(issue, tmp_path / "o.pdf", pdfx=False)
    with pdfplumber.open(tmp_path / "o.pdf") as doc:
        chars = doc.pages[1].chars
    start = next(i for i, c in enumerate(chars) if c["text"] == "【"
                 and "".join(x["text"] for x in chars[i:i + 5]) == "【编者按】")
    note = chars[start:start + len(NOTE)]
    assert "".join(c["text"] for c in note) == NOTE
    after = chars[start + len(NOTE)]              # the story's first character
    assert after["text"] == body.strip()[0]
    assert {c["fontname"] for c in note}.isdisjoint({after["fontname"]})
    # the note starts at its column's left edge (no indent); the story's first line is
    # indented and stands a blank line (two pitches) or more under the note's last line
    col_x = note[0]["x0"]
    assert after["x0"] > col_x + 1.5 * after["size"]
    assert after["top"] - note[-1]["top"] > 1.9 * 14 or after["x0"] > note[-1]["x1"] + 50
