"""Long builds say which page they are on, on a terminal only."""
from __future__ import annotations

from pathlib import Path

SAMPLE = Path(__file__).parent.parent / "issues" / "2025-03-09.yaml"


def test_a_build_in_a_pipe_prints_no_progress(tmp_path):
    import subprocess
    import sys
    res = subprocess.run([sys.executable, "-m", "layout.cli", "build", str(SAMPLE), "-o",
                          str(tmp_path / "x.pdf")], capture_output=True, text=True, timeout=300)
    assert res.returncode == 0, res.stderr
    assert "composed" not in res.stderr


def test_progress_on_a_terminal_names_each_page(monkeypatch, capsys):
    import sys

    from layout import cli
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True, raising=False)
    show = cli._progress()
    assert show is not None
    show(1, 2)
    show(2, 2)
    assert capsys.readouterr().err.splitlines() == ["page 1 of 2 composed", "page 2 of 2 composed"]
