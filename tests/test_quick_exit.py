"""The command's quick exit (cli.entry): exit codes, output and exit handlers kept.

entry() ends the process with os._exit once the command is done, skipping the
interpreter's teardown; what must still happen (the exit status, every line of
output, the fonts' scratch folder removed by its exit handler) is checked here on
real runs of `python -m layout.cli`.
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"


def run(*args: str, **env) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "layout.cli", *args], capture_output=True,
                          text=True, timeout=300, env=dict(os.environ, **env))


def test_a_build_exits_0_and_says_what_it_wrote(tmp_path):
    out = tmp_path / "s.pdf"
    r = run("build", str(SAMPLE), "-o", str(out), LAYOUT_CACHE_DIR=str(tmp_path / "c"))
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"{out}: 2 pages"
    assert "lines short" in r.stderr                # the warnings are all flushed too
    assert out.stat().st_size > 100_000


def test_bad_input_exits_2_with_its_one_line(tmp_path):
    r = run("check", str(tmp_path / "missing.yaml"))
    assert r.returncode == 2
    assert r.stderr.startswith("error: ") and "missing.yaml" in r.stderr


def test_the_exit_handlers_still_run(tmp_path):
    # a read-only cache: subsets go to the process's scratch folder, which an exit
    # handler removes (the quick exit must run it)
    cache = tmp_path / "ro"
    cache.mkdir()
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    code = ("import atexit, sys; from layout import fonts, cli; d = fonts._scratch(); "
            "(d / 'x').write_text('x'); sys.argv = ['layout', '--help']; cli.entry()")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                       timeout=120, env=dict(os.environ, TMPDIR=str(scratch)))
    assert r.returncode == 0, r.stderr
    assert "Usage:" in r.stdout
    assert list(scratch.iterdir()) == []            # the scratch folder is gone
