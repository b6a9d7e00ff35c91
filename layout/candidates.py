"""`layout candidates`: the best few layouts of every page, side by side, to choose from.

Candidate k sets every page in its k-th best structurally different layout
(pagetree.tree_candidates), composes the issue as a draft, and renders each
page to a PNG. Each candidate page gets a scorecard from the layout report,
the same figures `layout build --report` writes. The editor picks one by
writing `layout: k` on the page in the issue file.
"""
from __future__ import annotations

import logging
import re
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from . import conserve
from .build import compose, layout_report, left_out, prepare

log = logging.getLogger("layout")


@dataclass(frozen=True)
class Candidate:
    page: int
    number: int                 # k: write `layout: k` on the page to take it
    chosen: bool                # the layout the issue file takes today
    scorecard: dict
    png: Path


def scorecard(page_report: dict, columns: int) -> dict:
    """What an editor compares between layouts of one page, from its report entry."""
    mods = page_report["modules"]
    areas = [(m["box"][2] - m["box"][0]) * (m["box"][3] - m["box"][1]) for m in mods]
    full = sum(a for a, m in zip(areas, mods) if m["columns"] >= columns)
    lead = next((m for m in mods if m["role"] == "lead"), None)
    return {
        "score": page_report["score"],
        "white_space_pct": page_report["white_space_pct"],
        "headline_collisions": page_report["headline_collisions"],
        "lines_short": page_report["fit"]["lines_short"],
        "overset_chars": page_report["overset_chars"],
        "widths": sorted({m["columns"] for m in mods}),
        "full_width_pct": round(100 * full / sum(areas), 1) if areas else 0.0,
        "lead_columns": lead["columns"] if lead else None,
        "modules": [{"headline": m["headline"], "columns": m["columns"], "lines": m["lines"],
                     "position": m["position"]} for m in mods],
    }


class _OnlyChosen(logging.Filter):
    """Drops the records of candidate run k that the build of the layouts taken now
    would not print: 'page N: …', or one naming an article of page N (a photo's
    ppi as drawn), unless page N takes layout k; others after run 1."""

    def __init__(self, k: int, chosen: dict[int, int], pages_of: dict[str, int]):
        super().__init__()
        self.k, self.chosen, self.pages_of = k, chosen, pages_of

    def filter(self, record: logging.LogRecord) -> bool:
        text = record.getMessage()
        m = re.match(r"page (\d+):", text)
        page = int(m.group(1)) if m else None
        if page is None:
            a = re.search(r"of article '(.+?)' \(", text)
            page = self.pages_of.get(a.group(1)) if a else None
        if page is not None:
            return self.chosen.get(page) == self.k
        return self.k == 1


# the loggers whose records a candidate run filters: composition's and the photos'
_LOGGERS = ("layout", "layout.photos")


def make_candidates(issue_path: Path, outdir: Path, count: int = 3, dpi: int = 40
                    ) -> list[Candidate]:
    prep = prepare(issue_path, draft=True)
    chosen = {p.number: p.layout or 1 for p in prep.issue.pages}
    pages_of = {a.headline: p.number for p in prep.issue.pages for a in p.articles}
    outdir.mkdir(parents=True, exist_ok=True)
    found: list[Candidate] = []
    for k in range(1, count + 1):
        # what the build would say, once: a page's warnings from its layout taken now,
        # the rest (an article's loose line, a photo's ppi) from the first run
        quiet = _OnlyChosen(k, chosen, pages_of)
        for name in _LOGGERS:
            logging.getLogger(name).addFilter(quiet)
        try:
            done = _candidate_run(prep, issue_path, outdir, k, chosen, dpi, found)
        finally:
            for name in _LOGGERS:
                logging.getLogger(name).removeFilter(quiet)
        if done:
            break
    return sorted(found, key=lambda c: (c.page, c.number))


def _candidate_run(prep, issue_path: Path, outdir: Path, k: int, chosen: dict[int, int],
                   dpi: int, found: list[Candidate]) -> bool:
    """Compose and draw every page at its k-th layout; the pages that have one are
    added to found. True when no page has a k-th layout."""
    from .preview import pdf_to_pngs
    from .render import render

    pages, composer = compose(prep, draft=True, choices={p.number: k for p in prep.issue.pages})
    conserve.check(prep.issue, pages, left_out(pages))
    report = {p["page"]: p for p in layout_report(pages, composer)["pages"]}
    fresh = [p for p in pages if p.layout_options >= k]
    if not fresh:
        return True
    with tempfile.TemporaryDirectory(prefix="layout-candidates-") as scratch:
        pdf = Path(scratch) / f"{issue_path.stem}-layout{k}.pdf"
        render(pages, prep.style, prep.fonts, pdf, title=f"layout {k}", slug="")
        pngs = pdf_to_pngs(pdf, Path(scratch), dpi)
        for page in fresh:
            png = outdir / f"{issue_path.stem}-p{page.number}-layout{k}.png"
            shutil.move(str(pngs[page.number - 1]), png)   # /tmp may be another disk
            found.append(Candidate(page.number, k, chosen[page.number] == k,
                                   scorecard(report[page.number], composer.grid.columns),
                                   png))
    return False
