"""`layout build` remembers set text and page layouts on disk (layout/buildcache.py).

A rebuild of an unchanged issue sets nothing again; a one-article edit sets only
that article's text; the PDF is the same as a build from nothing; a change of
type style starts a new memory; a broken memory file is only a slower build.
"""
from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest

import layout.textsetter as textsetter_mod
import layout.pagelayout as pagelayout
from layout.build import build
from layout.buildcache import Memo, set_ident
from layout.style import find_style, load_style

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "issues" / "2025-03-09.yaml"


@pytest.fixture()
def own_cache(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("LAYOUT_CACHE_DIR", str(folder))
    monkeypatch.setattr(pagelayout, "_ANSWERS", {})       # no answers from earlier tests
    return folder


@pytest.fixture()
def counted(monkeypatch):
    """Calls of the text setter by composition, by text."""
    calls: list[str] = []
    real = textsetter_mod.set_text

    def spy(text, *a, **kw):
        calls.append(text)
        return real(text, *a, **kw)
    monkeypatch.setattr(textsetter_mod, "set_text", spy)
    return calls


def _text(pdf: Path) -> str:
    return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout


def _fresh_answers(monkeypatch):
    monkeypatch.setattr(pagelayout, "_ANSWERS", {})       # as a new process has


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs poppler-utils")
def test_a_rebuild_sets_nothing_again_and_draws_the_same(own_cache, counted, tmp_path,
                                                         monkeypatch):
    build(SAMPLE, tmp_path / "a.pdf")
    first = len(counted)
    assert first > 100
    assert list((own_cache / "memo").glob("set-*.json"))
    counted.clear()
    _fresh_answers(monkeypatch)
    build(SAMPLE, tmp_path / "b.pdf")
    assert counted == []
    assert _text(tmp_path / "a.pdf") == _text(tmp_path / "b.pdf")


def test_an_edit_sets_only_the_edited_article_again(own_cache, counted, tmp_path, monkeypatch):
    issue = tmp_path / "issue.yaml"
    text = SAMPLE.read_text(encoding="utf-8")
    issue.write_text(text, encoding="utf-8")
    shutil.copytree(REPO / "issues" / "photos", tmp_path / "photos")
    build(issue, tmp_path / "a.pdf")
    counted.clear()
    _fresh_answers(monkeypatch)
    edited = "2月24日，副市长胡军到上街区调研重点企业发展情况。"
    assert edited in text
    issue.write_text(text.replace(edited, edited.replace("调研", "考察调研")), encoding="utf-8")
    build(issue, tmp_path / "b.pdf")
    assert counted and all("考察调研" in t for t in counted), counted[:5]


def test_an_overset_build_remembers_what_it_set_and_laid_out(own_cache, counted, tmp_path,
                                                               monkeypatch):
    # the editor cuts and builds again after each overset error: the second try of the
    # same issue sets no text and searches no layout again (3.4 s -> 0.4 s)
    from layout.errors import FitError
    over = REPO / "tests" / "data" / "over-by-others.yaml"
    with pytest.raises(FitError):
        build(over, tmp_path / "a.pdf")
    assert counted and list((own_cache / "memo").glob("layouts-*.json"))
    counted.clear()
    _fresh_answers(monkeypatch)
    searched = []
    real = pagelayout._layout_options

    def spy(*a, **kw):
        searched.append(a)
        return real(*a, **kw)
    monkeypatch.setattr(pagelayout, "_layout_options", spy)
    with pytest.raises(FitError) as again:
        build(over, tmp_path / "a.pdf")
    assert counted == [] and searched == []
    assert "does not fit" in str(again.value)
    assert not (tmp_path / "a.pdf").exists()


def test_a_changed_type_style_is_a_new_memory(tmp_path):
    style = load_style(find_style("shangjie", SAMPLE))
    other = style.__class__(**{**style.__dict__, "text": {
        **style.text, "body": style.text["body"].__class__(
            **{**style.text["body"].__dict__, "size": style.text["body"].size + 0.5})}})
    a = Memo("set", set_ident(style, style.fonts), tmp_path)
    b = Memo("set", set_ident(other, other.fonts), tmp_path)
    assert a.path != b.path
    assert Memo("set", set_ident(style, style.fonts), tmp_path).path == a.path


def test_a_broken_memory_file_is_only_a_slower_build(own_cache, counted, tmp_path, monkeypatch):
    build(SAMPLE, tmp_path / "a.pdf")
    files = list((own_cache / "memo").glob("*.json"))
    assert len(files) == 2
    files[0].write_text('[["not", "a"], "memory"]', encoding="utf-8")    # the wrong shape
    files[1].write_bytes(b"\x80\x05 not JSON")
    counted.clear()
    _fresh_answers(monkeypatch)
    build(SAMPLE, tmp_path / "b.pdf")
    assert len(counted) > 100                     # set again, and built
    assert (tmp_path / "b.pdf").stat().st_size > 0


def test_each_issue_has_its_own_memory_and_a_build_makes_only_what_it_uses(
        own_cache, counted, tmp_path, monkeypatch):
    """A memory per issue file: a warm build of the sample reads the sample's text, not
    that of every issue built in the style (1 MB of JSON an issue); of it, only the
    entries the build asks for become Line objects; another issue's memory is kept."""
    import layout.buildcache as bc
    build(REPO / "issues" / "stress-4pages.yaml", tmp_path / "s.pdf")
    _fresh_answers(monkeypatch)
    build(SAMPLE, tmp_path / "a.pdf")
    memos = sorted((own_cache / "memo").glob("set-*.json"))
    assert len(memos) == 2
    own = max(memos, key=lambda m: m.stat().st_mtime_ns)           # the sample's
    held = len(json.loads(own.read_text(encoding="utf-8")))
    made: list = []
    real = bc.set_from_json
    monkeypatch.setattr(bc, "set_from_json", lambda v: made.append(1) or real(v))
    counted.clear()
    _fresh_answers(monkeypatch)
    build(SAMPLE, tmp_path / "b.pdf")
    assert counted == []                           # all from the memory
    assert 0 < len(made) <= held, (len(made), held)
    counted.clear()
    _fresh_answers(monkeypatch)
    build(REPO / "issues" / "stress-4pages.yaml", tmp_path / "s2.pdf")
    assert counted == []
