"""The font cache under faults: crafted, damaged and unreadable entries, an
unwritable cache folder, a large glyph store. None of them may run code, fail
the build, or leave files behind; a bad entry is rebuilt."""
from __future__ import annotations

import os
import pickle
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from layout import fonts
from layout.fonts import FontBook, GlyphStore, decode_coverage, decode_glyphs, decode_stamp
from layout.style import FontSpec

ROOT = Path(__file__).resolve().parent.parent
FONTS = ROOT / "fonts"
SPECS = {"serif": FontSpec("serif", FONTS / "NotoSerifSC-Regular.otf")}
TEXT = "上街时报融媒体中心，。“记者”（通讯员）"   # has half-width punctuation


def _prepare(cache: Path, text: str = TEXT) -> FontBook:
    book = FontBook(SPECS, cache=cache)
    book.claim(("serif",), text, "a test")
    book.prepare()
    return book


def _entries(cache: Path) -> list[Path]:
    return sorted(p for p in cache.rglob("*") if p.is_file())


# the cache's folders: font files' content hashes, metrics tables, converted outlines, subsets
KINDS = {"stamps", "metrics", "glyphs", "subsets"}


def _assert_all_valid(cache: Path, text: str = TEXT) -> None:
    """Every entry is one we wrote: stamps, metrics and glyph files check, subsets load."""
    entries = _entries(cache)
    kinds = {p.relative_to(cache).parts[0] for p in entries}
    assert kinds == KINDS
    for p in entries:
        data = p.read_bytes()
        part = p.relative_to(cache).parts[0]
        if part == "stamps":
            assert len(decode_stamp(data)) == 16
        elif part == "metrics":
            assert 0x4E0A in decode_coverage(data)            # 上
        elif part == "glyphs":
            assert decode_glyphs(data)
        else:
            assert fonts.sfnt_checksum_ok(data)
            assert fonts._checked_subset(data, "") is not None
        assert not p.name.startswith(".tmp-")


class _Boom:
    """Unpickling this creates a file: the proof that a cache load ran code."""

    def __init__(self, marker: Path):
        self.marker = marker

    def __reduce__(self):
        return (open, (str(self.marker), "w"))


def _crafted_pickle(p: Path, marker: Path) -> None:
    p.write_bytes(pickle.dumps(_Boom(marker)))


def _garbage(p: Path, marker: Path) -> None:
    p.write_bytes(os.urandom(max(64, p.stat().st_size)))


def _truncated(p: Path, marker: Path) -> None:
    p.write_bytes(p.read_bytes()[: p.stat().st_size // 2])


def _empty(p: Path, marker: Path) -> None:
    p.write_bytes(b"")


def _unreadable(p: Path, marker: Path) -> None:
    p.chmod(0)


def _folder(p: Path, marker: Path) -> None:
    """A folder where the entry should be: unreadable, even for root."""
    p.unlink()
    p.mkdir()


@pytest.fixture
def root_obeys_modes(monkeypatch):
    """Root reads a chmod 000 file anyway: make the cache's reads fail as they
    would for any other user, so the unreadable case is tested either way."""
    if os.geteuid() != 0:
        return
    real = fonts._read

    def read(path: Path):
        try:
            if path.is_file() and not path.stat().st_mode & 0o444:
                return None          # what _read gives on PermissionError
        except OSError:
            return None
        return real(path)

    monkeypatch.setattr(fonts, "_read", read)


@pytest.mark.parametrize("damage", [_crafted_pickle, _garbage, _truncated, _empty, _unreadable])
def test_a_bad_entry_is_rebuilt_and_runs_nothing(tmp_path, damage, root_obeys_modes):
    cache = tmp_path / "cache"
    marker = tmp_path / "code-ran"
    good = _prepare(cache).faces["serif"]
    entries = _entries(cache)
    assert {p.relative_to(cache).parts[0] for p in entries} == KINDS
    for p in entries:
        damage(p, marker)
    face = _prepare(cache).faces["serif"]             # no error
    assert not marker.exists()
    assert face.coverage == good.coverage
    assert face.advances == good.advances
    assert face.half_chars == good.half_chars
    assert set(_entries(cache)) >= set(entries)
    for p in entries:                                 # each entry rewritten, readable
        assert p.stat().st_mode & 0o600 == 0o600
    _assert_all_valid(cache)


def test_a_folder_in_place_of_an_entry_does_not_fail_the_build(tmp_path):
    cache = tmp_path / "cache"
    good = _prepare(cache).faces["serif"]
    for p in _entries(cache):
        _folder(p, tmp_path / "unused")
    face = _prepare(cache).faces["serif"]
    assert face.advances == good.advances
    assert face.subset_path.is_file()
    assert fonts._checked_subset(face.subset_path.read_bytes(), TEXT) is not None


def test_a_bad_glyph_store_file_is_rebuilt_and_only_its_glyphs_converted(tmp_path, monkeypatch):
    from test_font_cache import _conversions

    cache = tmp_path / "cache"
    _prepare(cache)
    shards = sorted((cache / "glyphs").rglob("*.bin"))
    assert len(shards) > 1
    victim = shards[0]
    lost = len(decode_glyphs(victim.read_bytes()))
    victim.write_bytes(victim.read_bytes()[:-7])
    for p in (cache / "subsets").iterdir():
        p.unlink()
    seen = _conversions(monkeypatch)
    _prepare(cache)
    assert len(seen) == lost                          # the other files were used
    assert len(decode_glyphs(victim.read_bytes())) == lost


def test_a_garbage_record_in_a_checked_file_is_converted_again(tmp_path, monkeypatch):
    from test_font_cache import _conversions

    cache = tmp_path / "cache"
    _prepare(cache)
    shard = sorted((cache / "glyphs").rglob("*.bin"))[0]
    records = decode_glyphs(shard.read_bytes())
    name = next(iter(records))
    records[name] = b"\xff\xff" + os.urandom(40)     # a "composite" of garbage
    shard.write_bytes(fonts.encode_glyphs(records))  # ... with a valid checksum
    for p in (cache / "subsets").iterdir():
        p.unlink()
    seen = _conversions(monkeypatch)
    _prepare(cache)
    assert len(seen) == 1
    assert decode_glyphs(shard.read_bytes())[name][:2] != b"\xff\xff"


def test_no_pickle_is_ever_loaded(tmp_path, monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the font cache unpickled something")

    monkeypatch.setattr(pickle, "loads", refuse)
    monkeypatch.setattr(pickle, "load", refuse)
    _prepare(tmp_path)
    _prepare(tmp_path)
    assert "pickle" not in (ROOT / "layout" / "fonts.py").read_text()


def _unwritable(tmp_path: Path) -> Path:
    """A cache folder no one can create, root included: its parent is a file."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    return blocker / "cache"


def test_an_unwritable_cache_uses_one_scratch_folder_in_process(tmp_path, monkeypatch):
    private = tmp_path / "tmp"
    private.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(private))
    monkeypatch.setattr(fonts, "_scratch_dir", None)
    cache = _unwritable(tmp_path)
    for text in (TEXT, TEXT + "龘", TEXT):
        face = _prepare(cache, text).faces["serif"]
        assert face.subset_path.is_file() and face.half_path.is_file()
    assert [p.name for p in private.iterdir()] == [fonts._scratch_dir.name]
    assert len(list(fonts._scratch_dir.iterdir())) == 3      # 2 full sets, 1 half set


def test_an_unwritable_cache_leaves_no_temporary_folder(tmp_path):
    private = tmp_path / "tmp"
    private.mkdir()
    env = dict(os.environ, TMPDIR=str(private), LAYOUT_CACHE_DIR=str(_unwritable(tmp_path)))
    out = tmp_path / "x.pdf"
    run = subprocess.run([sys.executable, "-m", "layout.cli", "build",
                          str(ROOT / "issues" / "2025-03-09.yaml"), "-o", str(out)],
                         env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert out.stat().st_size > 0
    assert list(private.iterdir()) == []


def test_crafted_pickles_in_every_entry_do_not_run_during_check_or_build(tmp_path):
    cache = tmp_path / "cache"
    marker = tmp_path / "code-ran"
    env = dict(os.environ, LAYOUT_CACHE_DIR=str(cache))
    issue = str(ROOT / "issues" / "2025-03-09.yaml")
    out = tmp_path / "x.pdf"
    build = [sys.executable, "-m", "layout.cli", "build", issue, "-o", str(out)]
    assert subprocess.run(build, env=env, capture_output=True, timeout=300).returncode == 0
    entries = _entries(cache)
    for p in entries:
        _crafted_pickle(p, marker)
    for cmd in ([sys.executable, "-m", "layout.cli", "check", issue], build):
        run = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=300)
        assert run.returncode == 0, run.stderr
        assert not marker.exists()
    for p in entries:
        assert not p.read_bytes().startswith(b"\x80")   # a pickle's first byte: rebuilt


# -- the glyph store stays bounded ------------------------------------------

def _glyph_names(text: str) -> set[str]:
    src = fonts._open_face(SPECS["serif"].file, 0)
    cmap = src.getBestCmap()
    return {cmap[ord(ch)] for ch in text}


def test_a_one_character_edit_touches_one_store_file_and_decodes_only_its_glyphs(
        tmp_path, monkeypatch):
    cache = tmp_path / "cache"
    src = fonts._open_face(SPECS["serif"].file, 0)
    hanzi = [chr(cp) for cp in sorted(src.getBestCmap()) if 0x4E00 <= cp <= 0x9FFF]
    big, issue = "".join(hanzi[:1500]), "".join(hanzi[1500:1800])
    _prepare(cache, big)                       # a store much larger than the issue
    _prepare(cache, issue)
    store_files = sorted((cache / "glyphs").rglob("*.bin"))
    assert len(store_files) <= fonts.GLYPH_SHARDS
    records = {}
    for p in store_files:
        records.update(decode_glyphs(p.read_bytes()))
    assert set(records) == _glyph_names(big + issue) | {".notdef"}   # one record a glyph
    assert sum(p.stat().st_size for p in store_files) < 1200 * len(records)

    written, decoded = [], []
    real_write, real_decode = fonts._atomic_write, fonts._decoded_glyph
    monkeypatch.setattr(fonts, "_atomic_write", lambda p, d: (written.append(p), real_write(p, d)))
    monkeypatch.setattr(fonts, "_decoded_glyph", lambda r: (decoded.append(r), real_decode(r))[1])
    edit = issue + hanzi[1800]
    _prepare(cache, edit)
    glyph_files = [p for p in written if p.parent.parent.name == "glyphs"]
    assert glyph_files == [GlyphStore(store_files[0].parent).path(
        GlyphStore.shard_of(_glyph_names(hanzi[1800]).pop()))]
    assert len(decoded) == len(_glyph_names(issue)) + 1          # + .notdef, not the 1500
