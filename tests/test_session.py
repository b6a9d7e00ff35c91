"""The watch session: rebuilds re-set only what changed and give a fresh build's pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import layout.compose as compose_mod
import layout.textsetter as textsetter_mod
from layout import build as B
from layout.errors import InputError
from layout.session import Session, _page_key

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"


@pytest.fixture
def issue(tmp_path) -> Path:
    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    path = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def calls(monkeypatch) -> list:
    """Every paragraph or headline the composer sets: (text, size)."""
    seen = []
    real = textsetter_mod.set_text

    def counting(text, fonts, size, *a, **k):
        if text != compose_mod.DRAFT_MARK:      # set afresh on every page, uncached
            seen.append((text, size))
        return real(text, fonts, size, *a, **k)

    monkeypatch.setattr(textsetter_mod, "set_text", counting)
    return seen


@pytest.fixture
def session(issue, tmp_path):
    s = Session(issue, tmp_path / "out")
    yield s
    s.close()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _fresh(path: Path):
    pages, _ = B.compose(B.prepare(path, draft=True), draft=True)
    return [_page_key(p) for p in pages]


def test_a_one_character_edit_sets_one_paragraph_and_draws_one_page(session, issue, calls):
    first = session.build()
    assert all(p.drawn for p in first.pages) and calls
    calls.clear()
    again = session.build()                       # nothing changed: nothing set or drawn
    assert calls == [] and not any(p.drawn for p in again.pages)
    calls.clear()
    _edit(issue, "详细了解项目落地", "详细了解了项目落地")   # page 1, one body paragraph
    snap = session.build()
    assert len({text for text, _ in calls}) == 1 and "详细了解了项目落地" in calls[0][0]
    assert [p.drawn for p in snap.pages] == [True, False]
    assert snap.pages[1].png == again.pages[1].png
    # the same pages as a build from scratch
    assert [_page_key(p) for p in session.pages] == _fresh(issue)


def test_a_style_change_sets_only_the_roles_it_touches(session, issue, calls):
    session.build()
    calls.clear()
    style = issue.parent / "styles" / "shangjie.yaml"
    text = style.read_text(encoding="utf-8")
    body_size = session.style.text["body"].size
    assert "  headline:" in text
    lines = text.splitlines(keepends=True)
    i = next(i for i, ln in enumerate(lines) if ln.startswith("  headline:"))
    j = next(j for j in range(i, len(lines)) if "size:" in lines[j])
    old = session.style.text["headline"].size
    lines[j] = lines[j].replace(f"size: {old:g}", f"size: {old + 1:g}")
    assert lines[j] != text.splitlines(keepends=True)[j]
    style.write_text("".join(lines), encoding="utf-8")
    snap = session.build()
    assert session.style.text["headline"].size == old + 1
    assert calls and all(size != body_size for _, size in calls)    # no body text re-set
    assert all(p.drawn for p in snap.pages)
    assert "headline" in snap.reset
    assert [_page_key(p) for p in session.pages] == _fresh(issue)


def test_a_broken_save_raises_and_keeps_the_last_good_build(session, issue):
    good = session.build()
    issue.write_text(issue.read_text(encoding="utf-8") + "pages: [\n", encoding="utf-8")
    with pytest.raises(InputError) as err:
        session.build()
    assert "issue.yaml:" in str(err.value)
    assert session.last is good and all(p.png.exists() for p in good.pages)
    issue.write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    assert session.build().version > good.version


def test_a_new_character_still_builds_the_right_pages(session, issue):
    session.build()
    _edit(issue, "详细了解项目落地", "详细了解鑫项目落地")
    session.build()
    assert [_page_key(p) for p in session.pages] == _fresh(issue)


def test_the_report_names_each_modules_yaml_line(session, issue):
    snap = session.build()
    lines = issue.read_text(encoding="utf-8").splitlines()
    for page in snap.pages:
        for m in page.report["modules"]:
            src = m["source"]
            assert src["file"] == str(issue)
            assert m["headline"].split()[0][:6] in lines[src["line"] - 1] or \
                "headline" in lines[src["line"] - 1] or "kicker" in lines[src["line"] - 1]


def test_layout_new_writes_the_next_issue(issue):
    import datetime as dt

    from click.testing import CliRunner

    from layout.cli import main
    from layout.model import load_issue

    r = CliRunner().invoke(main, ["new", str(issue)])
    assert r.exit_code == 0, r.output
    new = issue.with_name("2025-03-16.yaml")
    old, nxt = load_issue(issue), load_issue(new)
    assert nxt.date == dt.date(2025, 3, 16)
    assert (nxt.number, nxt.total) == (old.number + 1, old.total + 1)
    assert nxt.credits == old.credits
    assert [p.section for p in nxt.pages] == [p.section for p in old.pages]
    again = CliRunner().invoke(main, ["new", str(issue)])     # never overwritten
    assert again.exit_code == 2 and "already exists" in again.output
    r = CliRunner().invoke(main, ["new", str(issue), "--date", "2025-03-12",
                                  "-o", str(issue.with_name("x.yaml"))])
    assert r.exit_code == 0 and load_issue(issue.with_name("x.yaml")).date.day == 12


def test_a_placeholder_from_layout_new_never_reaches_the_printer(issue, caplog):
    # the file `layout new` writes builds (staff draft in it), warned page by page; the
    # printer's files are refused while a placeholder is left, naming its line
    import logging

    from click.testing import CliRunner

    from layout.build import build
    from layout.cli import main
    from layout.errors import InputError

    r = CliRunner().invoke(main, ["new", str(issue), "-o", str(issue.with_name("next.yaml"))])
    assert r.exit_code == 0, r.output
    nxt = issue.with_name("next.yaml")
    lines = nxt.read_text(encoding="utf-8").splitlines()
    first = next(n for n, ln in enumerate(lines, 1) if "headline: 标题" in ln)
    with caplog.at_level(logging.WARNING, logger="layout"):
        build(nxt, issue.with_name("draft.pdf"))
    said = [r.getMessage() for r in caplog.records if "placeholder" in r.getMessage()]
    assert len(said) == sum("headline: 标题" in ln for ln in lines), said
    with pytest.raises(InputError) as info:
        build(nxt, issue.parent / "plant" / "issue.pdf", printer=True)
    assert info.value.source.line == first
    assert "before the printer's files are made" in str(info.value)
    assert not (issue.parent / "plant" / "issue.pdf").exists()


def test_layout_new_keeps_the_ear_says_what_it_left_out_and_refuses_an_earlier_date(tmp_path):
    from click.testing import CliRunner

    from layout.cli import main
    from layout.model import load_issue

    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    issue = tmp_path / "ex.yaml"
    shutil.copy(ROOT / "issues" / "photo-example.yaml", issue)
    early = CliRunner().invoke(main, ["new", str(issue), "--date", "2025-03-02"])
    assert early.exit_code == 2, early.output
    assert "--date 2025-03-02 is not after ex.yaml's date, 2025-03-09" in early.output
    assert not issue.with_name("2025-03-02.yaml").exists()
    r = CliRunner().invoke(main, ["new", str(issue)])
    assert r.exit_code == 0, r.output
    assert "3 teasers (导读) left out" in r.output and "ear '今日天气' kept" in r.output
    nxt = load_issue(issue.with_name("2025-03-16.yaml"))
    assert nxt.ear is not None and nxt.ear.title == "今日天气" and nxt.ear.text == "报眼文字。"
    assert nxt.pages[0].teasers == ()


def test_a_photo_replaced_under_its_name_is_watched_and_redraws_its_page(tmp_path):
    from PIL import Image

    shutil.copytree(ROOT / "styles", tmp_path / "styles")
    shutil.copytree(ROOT / "issues" / "photos", tmp_path / "photos")
    issue = tmp_path / "ex.yaml"
    shutil.copy(ROOT / "issues" / "photo-example.yaml", issue)
    s = Session(issue, tmp_path / "out")
    try:
        s.build()
        rocket = (tmp_path / "photos" / "rocket.jpg").resolve()
        assert rocket in s.inputs() and (tmp_path / "photos" / "astronaut.png").resolve() in \
            s.inputs()
        Image.new("RGB", (640, 427), (200, 30, 30)).save(rocket)      # same name, new picture
        again = s.build()
        assert [v.drawn for v in again.pages] == [True, False]          # page 1 holds it
    finally:
        s.close()


def test_layout_new_keeps_a_papers_prefix_in_the_file_name(tmp_path):
    # a new user's taochuan-2025-04-18.yaml became 2025-04-25.yaml, its paper's name lost
    from layout.session import _next_name
    import datetime as dt
    was, day = dt.date(2025, 4, 18), dt.date(2025, 4, 25)
    assert _next_name("taochuan-2025-04-18", was, day) == "taochuan-2025-04-25.yaml"
    assert _next_name("tc20250418", was, day) == "tc20250425.yaml"
    assert _next_name("issue5", was, day) == "2025-04-25.yaml"


def test_layout_new_starts_a_new_year_at_issue_one(issue):
    # 第N期 counts the year's issues (the sample: 第5期 of 2025, 总第803期); a new user's
    # 2025-12-28 issue made 2026-01-04 第53期
    from click.testing import CliRunner

    from layout.cli import main
    from layout.model import load_issue
    out = issue.with_name("2026-01-04.yaml")
    r = CliRunner().invoke(main, ["new", str(issue), "--date", "2026-01-04", "-o", str(out)])
    assert r.exit_code == 0, r.output
    old, nxt = load_issue(issue), load_issue(out)
    assert (nxt.number, nxt.total) == (1, old.total + 1)
    assert "a new year: 第1期" in r.output
