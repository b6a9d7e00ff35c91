"""`layout watch`: a page's layout candidates, side by side, on request (issue 11).

The watch page has a button per page; it asks the watch process for
/candidates?page=N, which lays that page out in its best few structurally
different layouts (as `layout candidates`), draws each to a PNG and returns
their scorecards and where to write `layout: N`. The server is started and
stopped as in test_watch.py (a child process on a free loopback port, SIGINT);
the browser test drives Debian's chromium headless and is skipped without it.
"""
from __future__ import annotations

import json
import re

from test_watch import _js, _line_of, _until, browser, issue, server  # noqa: F401

PAGE1 = "  - section: 要闻"          # page 1's first line in the sample


def _candidates(server, page: int) -> dict:
    status, body = server.get(f"/candidates?page={page}")
    assert status == 200, body
    return json.loads(body)


def _shape(modules: list[dict]) -> list[tuple]:
    return sorted((m["headline"], m["columns"], m["lines"], m["position"]["column"],
                   m["position"]["line"]) for m in modules)


def test_candidates_of_a_page_are_laid_out_on_request_and_served(server):
    s = server.state()
    assert not any(n.startswith("c") for n in _pngs(s)), "computed before anyone asked"
    c = _candidates(server, 1)
    assert c["page"] == 1 and c["build"] == s["build"] and "error" not in c
    layouts = [x["layout"] for x in c["candidates"]]
    assert len(layouts) >= 2 and layouts == list(range(1, len(layouts) + 1))
    assert [x["chosen"] for x in c["candidates"]] == [True] + [False] * (len(layouts) - 1)
    assert c["chosen"] == 1 and c["written"] is False
    assert c["source"]["line"] == _line_of(server.issue, PAGE1)     # where to write it
    shapes = [_shape(x["scorecard"]["modules"]) for x in c["candidates"]]
    assert len({tuple(sh) for sh in shapes}) == len(shapes)          # all different
    # the first is the layout the build took
    assert shapes[0] == _shape(s["pages"][0]["report"]["modules"])
    for x in c["candidates"]:
        card = x["scorecard"]
        assert {"score", "white_space_pct", "headline_collisions", "widths",
                "full_width_pct", "lead_columns"} <= set(card)
        status, png = server.get(x["png"])
        assert status == 200 and png.startswith(b"\x89PNG")
    # asked again for the same build: the same answer, not laid out again
    assert _candidates(server, 1) == c


def test_candidates_refuse_what_is_not_a_page(server):
    assert server.get("/candidates?page=9")[0] == 404
    for bad in ("/candidates", "/candidates?page=x", "/candidates?page=-1",
                "/candidates?page=0", "/candidates?page=1e3"):
        assert server.get(bad)[0] == 400, bad
    assert server.get("/candidates?page=1", method="POST")[0] == 405


def test_writing_layout_n_as_the_page_says_takes_that_candidate(server):
    c = _candidates(server, 2)
    assert len(c["candidates"]) >= 2
    second = c["candidates"][1]
    line = c["source"]["line"]
    lines = server.issue.read_text(encoding="utf-8").splitlines()
    # what the page says: `layout: 2` under the page's first line, indented like its keys
    lines.insert(line, f"    layout: {second['layout']}")
    before = server.state()["build"]
    server.issue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    s = server.wait(lambda s: s["build"] > before and not s["building"])
    assert s["error"] is None
    page2 = next(p for p in s["pages"] if p["number"] == 2)
    assert _shape(page2["report"]["modules"]) == _shape(second["scorecard"]["modules"])
    again = _candidates(server, 2)                 # the new build's: layout 2 is taken now
    assert again["build"] == s["build"] and again["chosen"] == second["layout"]
    assert again["written"] is True and again["source"]["line"] == line + 1
    assert [x["chosen"] for x in again["candidates"]][second["layout"] - 1] is True


def _pngs(state: dict) -> list[str]:
    return [p["png"].rsplit("/", 1)[1] for p in state["pages"]]


CARDS = """return [...document.querySelectorAll('#cand-list figure.cand')].map(f => ({
  layout: f.dataset.layout, chosen: f.classList.contains('chosen'),
  loaded: f.querySelector('img').complete && f.querySelector('img').naturalWidth > 0,
  text: f.textContent}));"""


def test_browser_shows_a_pages_candidates_side_by_side(server, browser, tmp_path):  # noqa: F811
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server.url)
    _until(d, lambda d: _js(d, "return document.querySelectorAll('.module').length > 0;"))
    assert _js(d, "return document.getElementById('candidates').hidden;")
    d.find_element(By.ID, "compare").click()
    cards = _until(d, lambda d: (lambda c: c if len(c) >= 2 and all(x["loaded"] for x in c)
                                 else None)(_js(d, CARDS)), timeout=60)
    assert [x["layout"] for x in cards] == [str(k) for k in range(1, len(cards) + 1)]
    assert [x["chosen"] for x in cards] == [True] + [False] * (len(cards) - 1)
    assert "score" in cards[1]["text"] and "white" in cards[1]["text"]
    how = d.find_element(By.ID, "cand-how").text
    line = _line_of(server.issue, PAGE1)
    assert "layout: 2" in how and re.search(rf"issue\.yaml:{line}\b", how), how
    # side by side: the second thumbnail is right of the first, on the same row
    boxes = _js(d, "return [...document.querySelectorAll('#cand-list figure.cand')]"
                   ".map(f => f.getBoundingClientRect()).map(r => [r.left, r.top]);")
    assert boxes[1][0] > boxes[0][0] and abs(boxes[1][1] - boxes[0][1]) < 2
    d.save_screenshot(str(tmp_path / "candidates.png"))
    d.find_element(By.ID, "cand-close").click()
    assert _js(d, "return document.getElementById('candidates').hidden;")
