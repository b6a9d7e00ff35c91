"""The build's last stage in a forked helper (layout/finish.py): same file, same errors.

Each case runs in a fresh interpreter, which has one thread, so the helper is
really forked (pytest's process may have other threads from earlier tests, and
then the stages run in-process by design).
"""
from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="no os.fork here")


# a run's prologue: the pid of each helper the build forks goes into `pids`
SPY = """\
from layout import finish
pids = []
start = finish.Finisher.start
def spy():
    f = start(); pids.append(f.pid); return f
finish.Finisher.start = spy
"""


def run(code: str, tmp_path: Path, spy: bool = False) -> subprocess.CompletedProcess:
    code = (SPY if spy else "") + textwrap.dedent(code)
    return subprocess.run([sys.executable, "-c", code], cwd=tmp_path,
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, PYTHONPATH=str(ROOT)))


def test_the_helper_makes_the_pdfx_file_and_the_build_does_not_load_pikepdf(tmp_path):
    out = tmp_path / "s.pdf"
    r = run(f"""
        import os, sys
        from pathlib import Path
        from layout.build import build
        build(Path({str(SAMPLE)!r}), Path({str(out)!r}))
        print("helper", pids[0] is not None and pids[0] != os.getpid())
        print("pikepdf here", "pikepdf" in sys.modules)
        """, tmp_path, spy=True)
    assert r.returncode == 0, r.stderr
    assert "helper True" in r.stdout and "pikepdf here False" in r.stdout
    import pikepdf
    with pikepdf.open(out) as pdf:                      # the helper's PDF/X pass was made
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"
        assert pdf.pdf_version == "1.4"
    assert list(tmp_path.glob(".s-*")) == []            # no temporary file left


def test_a_failed_preflight_in_the_helper_fails_the_build_with_its_message(tmp_path):
    out = tmp_path / "s.pdf"
    r = run(f"""
        from pathlib import Path
        from layout import output
        from layout.build import build
        from layout.errors import LayoutError
        def reject(path, trim, pdfx):
            raise output.PreflightError("the built PDF does not pass preflight: fonts: made up")
        output.check_output = reject          # the forked helper inherits the patch
        try:
            build(Path({str(SAMPLE)!r}), Path({str(out)!r}))
        except LayoutError as err:
            print(type(err).__name__, err.exit_code, "|", err)
        """, tmp_path)
    assert r.returncode == 0, r.stderr
    from layout.output import PREFLIGHT_EXIT
    assert f"PreflightError {PREFLIGHT_EXIT} | the built PDF does not pass preflight: " \
           "fonts: made up" in r.stdout
    assert not out.exists()                             # nothing half-made left as the PDF
    assert list(tmp_path.glob(".s-*")) == []


def test_a_helper_that_died_leaves_the_work_to_the_build(tmp_path):
    out = tmp_path / "s.pdf"
    r = run(f"""
        import os, signal
        from pathlib import Path
        from layout import finish
        from layout.build import build
        start = finish.Finisher.start
        def killed():
            f = start()
            os.kill(f.pid, signal.SIGKILL)
            return f
        finish.Finisher.start = killed
        build(Path({str(SAMPLE)!r}), Path({str(out)!r}))
        import sys
        print("pikepdf here", "pikepdf" in sys.modules)
        """, tmp_path)
    assert r.returncode == 0, r.stderr
    assert "pikepdf here True" in r.stdout              # the stages ran in the build
    import pikepdf
    with pikepdf.open(out) as pdf:
        assert str(pdf.docinfo["/GTS_PDFXVersion"]) == "PDF/X-1a:2003"


def test_a_build_that_fails_early_stops_and_reaps_its_helper(tmp_path):
    broken = tmp_path / "broken.yaml"
    broken.write_text(SAMPLE.read_text(encoding="utf-8").replace("headline:", "headlin:", 1),
                      encoding="utf-8")
    r = run(f"""
        import os
        from pathlib import Path
        from layout.build import build
        from layout.errors import InputError
        try:
            build(Path({str(broken)!r}), Path("o.pdf"))
        except InputError as err:
            print("input error", "headlin" in str(err))
        try:
            os.kill(pids[0], 0)
            print("helper alive")
        except ProcessLookupError:
            print("helper gone")
        """, tmp_path, spy=True)
    assert r.returncode == 0, r.stderr
    assert "input error True" in r.stdout and "helper gone" in r.stdout


def test_with_other_threads_running_the_stages_run_in_the_build(tmp_path):
    from layout.finish import Finisher
    import threading
    stop = threading.Event()
    t = threading.Thread(target=stop.wait)
    t.start()
    try:
        f = Finisher.start()
        assert f.pid is None
        f.close()
    finally:
        stop.set()
        t.join()
