"""A page reads as a page, not a grid: the search pays for a page of several modules
with too few widths or no vertical module (pagetree._sameness); checked on the
built page's report boxes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from layout import pagelayout, pagetree
from layout.build import build

DATA = Path(__file__).resolve().parent / "data"


def _page(tmp_path, name="four-articles.yaml"):
    report = tmp_path / "r.json"
    build(DATA / name, tmp_path / "out.pdf", report=report, pdfx=False)
    return json.loads(report.read_text(encoding="utf-8"))["pages"][0]


def _shape(page):
    x0, top, x1, bottom = page["area"]
    full = [m for m in page["modules"] if m["columns"] == 6]
    area = (x1 - x0) * (bottom - top)
    full_share = sum((m["box"][2] - m["box"][0]) * (m["box"][3] - m["box"][1])
                     for m in full) / area
    tall = [m for m in page["modules"]
            if m["box"][3] - m["box"][1] > m["box"][2] - m["box"][0]]
    return len(full), full_share, len(tall), {m["columns"] for m in page["modules"]}


def test_a_page_of_four_articles_has_a_vertical_and_few_bands(tmp_path):
    full, share, tall, widths = _shape(_page(tmp_path))
    assert tall >= 1
    assert full <= 1 and share <= 0.5, (full, share)
    assert len(widths) >= 3


def test_without_the_page_cost_and_the_column_beside_the_lead_the_page_is_bands(
        tmp_path, monkeypatch):
    # the check above is the doing of the page cost and of the inset whose corner runs
    # down beside the stories under the lead's narrow body: without both, no vertical
    monkeypatch.setattr(pagetree, "W_VARIETY", 0.0)
    monkeypatch.setattr(pagetree._Tree, "_inset_over", lambda self, *args: [])
    # ... and with headlines free to take extra lines (since FILL_HEAD_LINES, this page's
    # headlines are shorter blocks and its tall modules come from them, too)
    from layout import compose
    monkeypatch.setattr(compose, "FILL_HEAD_LINES", 99)
    # no layout remembered from the build above (in this process or on disk)
    monkeypatch.setattr(pagelayout, "_ANSWERS", {})
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(tmp_path / "cache"))
    full, share, tall, _ = _shape(_page(tmp_path))
    assert tall == 0 and share > 0.5
