"""A long serial (连载) continues page after page: `continue_on: N` goes on as
needed, `continue_on: [N, M, ...]` names the pages. Every character arrives
(the build's conservation check), each part ends with （下转第N版） and the
next opens with （上接第M版）.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from layout.build import compose, prepare
from layout.conserve import canonical
from layout.errors import InputError

from test_layout_pages import article, body, write_issue


def notes(pages) -> list[tuple[int, str]]:
    return [(p.number, pl.line.text) for p in pages for pl in p.lines
            if pl.origin is not None and pl.origin[1] == "note"]


def serial_issue(folder: Path, continue_on: str, pages: int = 7) -> Path:
    serial = article("长篇连载测试", body(1430, per_paragraph=20), continue_on=continue_on)
    return write_issue(folder, [[serial]] + [[article(f"第{n}版稿件", body(30))]
                                            for n in range(2, pages + 1)])


def test_a_30000_character_serial_runs_on_page_after_page(tmp_path):
    prep = prepare(serial_issue(tmp_path, "2"))
    text = "".join(prep.issue.pages[0].articles[0].body)
    assert len(text) >= 30_000
    pages, composer = compose(prep)          # raises if a character is lost
    got = notes(pages)
    jumps = [int(t[len("（下转第"):-len("版）")]) for _, t in got if t.startswith("（下转")]
    assert len(jumps) >= 4                   # 30,000 characters take five pages or more
    assert jumps == list(range(2, 2 + len(jumps)))
    for n in jumps:                          # each part ends where the next opens
        assert (n - 1, f"（下转第{n}版）") in got and (n, f"（上接第{n - 1}版）") in got
    serial = prep.issue.pages[0].articles[0]
    placed = "".join(pl.line.text for p in pages for pl in p.lines
                     if pl.origin == (serial, "body"))
    assert canonical(placed) == canonical(text)
    assert not any(page.overset_chars for page in pages)


def test_listed_pages_are_the_only_ones_used(tmp_path):
    prep = prepare(serial_issue(tmp_path, "[2, 4, 5, 6, 7, 8]", pages=8))
    pages, _ = compose(prep)
    got = notes(pages)
    assert (1, "（下转第2版）") in got and (2, "（下转第4版）") in got and (4, "（上接第2版）") in got
    assert not [n for n, _ in got if n == 3]           # page 3 is not one of the listed


def test_pages_out_of_order_are_an_input_error(tmp_path):
    with pytest.raises(InputError, match=r"'continue_on: \[3, 2\]' must list pages in increasing"):
        prepare(serial_issue(tmp_path, "[3, 2]"))
