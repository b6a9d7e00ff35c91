"""Layout candidates: the best few structurally different layouts of a page, and `layout: N`.

The sample issue is used as it is (copied into tmp folders, `layout:` added to
a page where a test needs it): its pages have several good layouts.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout.build import build
from layout.cli import main
from layout.pagetree import tree_candidates
from layout.pagelayout import ModuleSpec, PageArea
from test_layout_pages import article, body, line_of, write_issue

SAMPLE = Path(__file__).parent.parent / "issues" / "2025-03-09.yaml"


def with_layout(folder: Path, page: int, n: int) -> tuple[Path, int]:
    """A copy of the sample with `layout: n` written on page `page`; the line it is on."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    starts = [i for i, t in enumerate(lines) if t.startswith("  - section:")]
    at = starts[page - 1] + 1
    lines.insert(at, f"    layout: {n}")
    path = folder / SAMPLE.name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path, at + 1


def shapes(report: dict, page: int) -> set:
    p = next(p for p in report["pages"] if p["page"] == page)
    return {(m["headline"], m["position"]["column"], m["columns"]) for m in p["modules"]}


@pytest.fixture(scope="module")
def candidates_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("cand")
    shutil.copy(SAMPLE, folder / SAMPLE.name)
    out = folder / "thumbs"
    res = CliRunner().invoke(main, ["candidates", str(folder / SAMPLE.name), "-n", "3",
                                    "-o", str(out)])
    return res, out


def test_candidates_writes_a_png_and_scorecard_per_page_and_layout(candidates_run):
    res, out = candidates_run
    assert res.exit_code == 0, res.output
    data = json.loads((out / "candidates.json").read_text(encoding="utf-8"))
    cands = data["candidates"]
    assert {c["page"] for c in cands} == {1, 2}
    for page in (1, 2):
        mine = [c for c in cands if c["page"] == page]
        assert [c["layout"] for c in mine] == [1, 2, 3]
        assert [c["chosen"] for c in mine] == [True, False, False]
        for c in mine:
            assert Path(c["png"]).stat().st_size > 10_000
            assert c["overset_chars"] == 0
        # structurally different: no two put every module in the same columns
        layouts = {frozenset((m["headline"], m["position"]["column"], m["columns"])
                             for m in c["modules"]) for c in mine}
        assert len(layouts) == 3
        # best first
        assert [c["score"] for c in mine] == sorted(c["score"] for c in mine)
    assert "write `layout: N` on the page" in res.output


def test_layout_pin_takes_the_named_candidate(tmp_path, candidates_run):
    _, out = candidates_run
    cands = json.loads((out / "candidates.json").read_text(encoding="utf-8"))["candidates"]
    second = next(c for c in cands if c["page"] == 2 and c["layout"] == 2)
    issue, _ = with_layout(tmp_path, 2, 2)
    report = tmp_path / "r.json"
    build(issue, tmp_path / "x.pdf", report=report)
    got = json.loads(report.read_text(encoding="utf-8"))
    assert shapes(got, 2) == {(m["headline"], m["position"]["column"], m["columns"])
                              for m in second["modules"]}
    first = next(c for c in cands if c["page"] == 2 and c["layout"] == 1)
    assert shapes(got, 2) != {(m["headline"], m["position"]["column"], m["columns"])
                              for m in first["modules"]}


def test_layout_pin_beyond_the_candidates_names_the_pin(tmp_path):
    # one article filling its page has a single shape: the full width
    issue = write_issue(tmp_path, [[article("全区人民武装工作会议召开", body(140))]])
    text = issue.read_text(encoding="utf-8").replace("    articles:", "    layout: 2\n    articles:")
    issue.write_text(text, encoding="utf-8")
    res = CliRunner().invoke(main, ["build", str(issue), "-o", str(tmp_path / "x.pdf")])
    assert res.exit_code == 2, res.output
    assert f"{issue.name}:{line_of(issue, 'layout: 2')}:" in res.output
    assert "'layout: 2' on page 1: the page has 1 different layout;" in res.output
    assert not (tmp_path / "x.pdf").exists()


def test_layout_pin_must_be_a_positive_number(tmp_path):
    issue, line = with_layout(tmp_path, 1, 0)
    res = CliRunner().invoke(main, ["check", str(issue)])
    assert res.exit_code == 2
    assert f":{line}:" in res.output and "'layout'" in res.output


def test_tree_candidates_are_distinct_and_the_first_is_the_best():
    # three articles on 6 x 48: stacked, side by side or an inset
    specs = [ModuleSpec(0, {w: 4 for w in range(2, 7)}, 110, lead=True),
             ModuleSpec(1, {w: 3 for w in range(2, 7)}, 50),
             ModuleSpec(2, {w: 3 for w in range(2, 7)}, 36)]
    found = tree_candidates(specs, PageArea(6, 48, 1, 2), None, 4)
    assert len(found) == 4
    assert found[0] == tree_candidates(specs, PageArea(6, 48, 1, 2), None, 1)[0]
    assert any(p.narrow for f in found for p in f.placements)     # an inset among them
    assert found[0].score == min(f.score for f in found)
    assert [f.score for f in found] == sorted(f.score for f in found)
    shapes_ = [frozenset((p.key, p.column, p.span, p.narrow) for p in f.placements)
               for f in found]
    assert len(set(shapes_)) == len(shapes_)
    assert all(not f.unplaced for f in found)


def test_candidates_say_each_pages_warnings_once_for_the_layout_taken(tmp_path, caplog):
    # each alternative is composed too; its page warnings are not the page's (the build
    # of the layouts taken now prints them once)
    from layout.candidates import make_candidates
    src = Path(__file__).resolve().parent / "data" / "briefs-page.yaml"
    with caplog.at_level("WARNING", logger="layout"):
        found = make_candidates(src, tmp_path / "c", count=3)
    assert len([c for c in found if c.page == 1]) == 3
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("page 1:")]
    assert said and len(said) == len(set(said)), said
    shutil.rmtree(tmp_path / "c")


def test_candidates_warn_of_a_low_ppi_photo_once(tmp_path, caplog):
    # the photo's warning comes from drawing each candidate; only the layout taken
    # now says it (it was said once per candidate, with different numbers)
    from PIL import Image

    from layout.candidates import make_candidates
    root = Path(__file__).resolve().parent.parent
    shutil.copytree(root / "styles", tmp_path / "styles")
    shutil.copytree(root / "issues" / "photos", tmp_path / "photos")
    issue = tmp_path / "ex.yaml"
    shutil.copy(root / "issues" / "photo-example.yaml", issue)
    small = tmp_path / "photos" / "rocket.jpg"
    with Image.open(small) as im:
        im.convert("RGB").resize((360, 240)).save(small, quality=90)
    with caplog.at_level("WARNING", logger="layout"):
        found = make_candidates(issue, tmp_path / "c", count=3)
    assert max(c.number for c in found) >= 2
    said = [r.getMessage().split(" (")[0] for r in caplog.records
            if "ppi as placed" in r.getMessage()]
    # (the small rocket photo, a 图片新闻, now stands one column wide, sharp enough:
    # the page's other photo under the press's ppi is the one said)
    assert said and all(s.startswith("photo 1 of article '") for s in said), said
    assert len(said) == len(set(said)), said
