"""A tester's findings (nuC): outputs that destroyed files, a failed build that replaced
the good PDF, the command line's own errors, Ctrl-C.

Every case builds a one-page issue in a tmp folder (with the installed house style)
and only ever writes there. Each refusal is exit 2, one `error:` line naming the path,
and the bytes of what it would have destroyed unchanged.
"""
from __future__ import annotations

import errno
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from test_output_safety import cli
from test_output_safety import one_line as _one_line

REPO = Path(__file__).resolve().parent.parent
ROCKET = REPO / "issues" / "photos" / "rocket.jpg"


def one_line(result, code: int = 2) -> str:
    """test_output_safety's one-line check, and no usage block printed with it."""
    line = _one_line(result, code)
    assert "Usage:" not in result.output
    return line


def small_issue(folder: Path, name: str = "issue.yaml", photo: str | None = None) -> Path:
    lines = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
             "credits:", "  duty_editor: 焦芙蓉", "  proofreaders: [刘世平, 孙畅]", "pages:",
             "  - section: 要闻", "    articles:", "      - headline: 测试标题第一版",
             "        byline: 记者 王明玥", "        body: |", "          正文第一段。", "",
             "          正文第二段，有两句话。"]
    if photo is not None:
        lines += ["      - headline: 火箭发射升空", "        photos:",
                  f"          - file: {photo}", "            caption: 火箭发射升空。"]
    path = folder / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def site(tmp_path) -> Path:
    """issue.yaml naming photos/rocket.jpg, next week's issue, a Word file, a licence file."""
    (tmp_path / "photos").mkdir()
    shutil.copyfile(ROCKET, tmp_path / "photos" / "rocket.jpg")
    (tmp_path / "photos" / "LICENSES.md").write_text("# Licences\n", encoding="utf-8")
    small_issue(tmp_path, photo="photos/rocket.jpg")
    small_issue(tmp_path, name="2025-03-16.yaml")
    word_file(tmp_path / "victim.docx")
    return tmp_path


def word_file(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("word/document.xml", "<w:document/>")
    return path


def digest(path: Path) -> bytes:
    return path.read_bytes()


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def built(site) -> Path:
    """out/issue.pdf and out/issue.json from a good build."""
    result = cli("build", site / "issue.yaml", "-o", site / "out" / "issue.pdf",
                 "--report", site / "out" / "issue.json")
    assert result.exit_code == 0, result.output
    return site / "out" / "issue.pdf"


# -- 1. an output that is an input, or an existing file that is not ours ---------------------

@pytest.mark.parametrize("args, named, words", [
    (["-o", "photos/rocket.jpg"], "photos/rocket.jpg",
     "the PDF would overwrite photo 1 of article '火箭发射升空'"),
    (["-o", "out.pdf", "--report", "photos/rocket.jpg"], "photos/rocket.jpg",
     "the layout report would overwrite photo 1 of article '火箭发射升空'"),
    (["-o", "2025-03-16.yaml"], "2025-03-16.yaml", "is not a PDF"),
    (["-o", "victim.docx"], "victim.docx", "is not a PDF"),
    (["-o", "photos/LICENSES.md"], "photos/LICENSES.md", "is not a PDF"),
    (["-o", "out.pdf", "--report", "photos/LICENSES.md"], "photos/LICENSES.md",
     "is not a layout report"),
    (["-o", "out.pdf", "--report", "2025-03-16.yaml"], "2025-03-16.yaml",
     "is not a layout report"),
    (["-o", "out.pdf", "--report", "package.json"], "package.json", "is not a layout report"),
])
def test_an_output_that_would_destroy_a_file_is_refused(site, args, named, words):
    (site / "package.json").write_text('{"name": "x", "pages": 3}', encoding="utf-8")
    before = snapshot(site)
    line = one_line(cli("build", "issue.yaml", *args, cwd=site))
    assert line.startswith(f"error: {named}: "), line
    assert words in line, line
    assert snapshot(site) == before
    assert not (site / "out.pdf").exists()


def test_the_ears_photo_is_an_input(site):
    text = (site / "issue.yaml").read_text(encoding="utf-8")
    text = text.replace("credits:", "ear:\n  title: 今日天气\n  photo:\n"
                        "    file: photos/rocket.jpg\ncredits:", 1)
    (site / "ear.yaml").write_text(text, encoding="utf-8")
    before = snapshot(site)
    line = one_line(cli("build", "ear.yaml", "-o", "photos/rocket.jpg", cwd=site))
    assert "would overwrite the ear's photo" in line, line
    assert snapshot(site) == before


def test_our_own_files_and_empty_files_may_be_replaced(site, built):
    report = built.with_suffix(".json")
    empty = site / "empty.pdf"
    empty.write_bytes(b"")
    result = cli("build", site / "issue.yaml", "-o", built, "--report", report)
    assert result.exit_code == 0, result.output
    result = cli("build", site / "issue.yaml", "-o", empty)
    assert result.exit_code == 0, result.output
    assert empty.read_bytes().startswith(b"%PDF-")
    assert json.loads(report.read_text(encoding="utf-8"))["pages"]


# -- 2. a failed report or e-paper leaves the old PDF ----------------------------------------

def test_an_unwritable_report_folder_leaves_the_pdf_and_names_the_report(site, built,
                                                                        monkeypatch):
    """As mkstemp fails in a folder we may not write (as root, chattr +i; simulated)."""
    import tempfile

    real = tempfile.mkstemp
    (site / "imm").mkdir()

    def mkstemp(suffix=None, prefix=None, dir=None, text=False):
        if Path(dir).name == "imm":
            raise PermissionError(errno.EPERM, os.strerror(errno.EPERM),
                                  os.path.join(os.path.abspath(dir), f"{prefix}abcdefgh{suffix}"))
        return real(suffix=suffix, prefix=prefix, dir=dir, text=text)

    monkeypatch.setattr(tempfile, "mkstemp", mkstemp)
    before = snapshot(site / "out")
    line = one_line(cli("build", "issue.yaml", "-o", "out/issue.pdf", "--report", "imm/r.json",
                        cwd=site))
    assert line == f"error: imm/r.json: cannot write it in the folder imm: " \
                   f"{os.strerror(errno.EPERM)}", line
    assert snapshot(site / "out") == before
    assert list((site / "imm").iterdir()) == []


def test_a_report_that_cannot_be_written_leaves_the_pdf(site, built, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(json, "dump", full)
    before = snapshot(site / "out")
    line = one_line(cli("build", site / "issue.yaml", "-o", built,
                        "--report", built.with_suffix(".json")))
    assert "the disk is full" in line and str(built.with_suffix(".json")) in line
    assert snapshot(site / "out") == before


def test_an_epaper_that_cannot_be_written_leaves_the_pdf(site, built, monkeypatch):
    import layout.epaper

    def fail(issue, style, report, pdf, outdir):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(Path(outdir) / "index.html"))

    monkeypatch.setattr(layout.epaper, "write_epaper", fail)
    before = snapshot(site / "out")
    line = one_line(cli("build", site / "issue.yaml", "-o", built, "--report",
                        built.with_suffix(".json"), "--epaper", site / "site"))
    assert "the disk is full" in line
    assert snapshot(site / "out") == before


# -- 3. resolution of the PNGs ---------------------------------------------------------------

@pytest.mark.parametrize("command", ["preview", "candidates"])
@pytest.mark.parametrize("dpi", ["0", "-5", "3000", "100000"])
def test_a_resolution_out_of_range_is_a_usage_error(site, command, dpi):
    line = one_line(cli(command, site / "issue.yaml", "--dpi", dpi, "-o", site / "png"))
    assert "--dpi" in line and "10" in line and "600" in line, line
    assert not (site / "png").exists()


# -- 4. a Word file or a PDF given for the issue ---------------------------------------------

COMMANDS = [["build"], ["check"], ["new"], ["fonts"], ["watch"], ["preview"], ["candidates"]]


@pytest.fixture(autouse=True)
def no_watching(monkeypatch):
    """`layout watch` that got past its ISSUE would serve until stopped: fail instead."""
    import layout.watch

    def run(*args, **kwargs):
        raise AssertionError("layout watch started")

    monkeypatch.setattr(layout.watch, "run", run)


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_word_file_for_the_issue_says_so(site, command):
    line = one_line(cli(*command, "victim.docx", cwd=site))
    assert line == "error: victim.docx is a Word file, not an issue file: use " \
                   "`layout import victim.docx --into ISSUE`", line


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
def test_a_pdf_for_the_issue_says_so(site, command):
    (site / "good.pdf").write_bytes(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")
    line = one_line(cli(*command, "good.pdf", cwd=site))
    assert line.startswith("error: good.pdf is a PDF, not an issue file"), line


def test_an_old_word_file_for_the_issue_says_so(site):
    (site / "old.doc").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504))
    line = one_line(cli("build", "old.doc", cwd=site))
    assert line.startswith("error: old.doc is a Word .doc file (or another Office file), "
                           "not an issue file"), line


# -- 5. Ctrl-C --------------------------------------------------------------------------------

SLOW_RENDER = """
import sys, time
import layout.render
def render(*args, **kwargs):
    print("rendering", file=sys.stderr, flush=True)
    time.sleep(60)
layout.render.render = render
from layout.cli import entry
sys.argv = ["layout", "build", sys.argv[1], "-o", sys.argv[2]]
entry()
"""


def interrupt(issue: Path, out: Path) -> tuple[int, str]:
    proc = subprocess.Popen([sys.executable, "-c", SLOW_RENDER, str(issue), str(out)],
                            stderr=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
                            cwd=issue.parent)
    try:
        deadline = time.time() + 120
        line = ""
        while "rendering" not in line:
            assert time.time() < deadline and proc.poll() is None, proc.communicate()
            line = proc.stderr.readline()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    return proc.returncode, err


def test_ctrl_c_is_exit_130_and_one_line(site, built):
    before = snapshot(built.parent)
    code, err = interrupt(site / "issue.yaml", built)
    assert code == 130, err
    assert err.strip().splitlines()[-1] == f"interrupted; {built} left as it was", err
    assert "Aborted" not in err and "Traceback" not in err
    assert snapshot(built.parent) == before         # and no temporary file


def test_ctrl_c_before_there_was_a_pdf(site):
    out = site / "new" / "issue.pdf"
    code, err = interrupt(site / "issue.yaml", out)
    assert code == 130, err
    assert err.strip().splitlines()[-1] == f"interrupted; {out} not written", err
    assert not out.exists()
    assert list((site / "new").iterdir()) == []


# -- 6. the command line's own errors ---------------------------------------------------------

def test_an_impossible_date_says_the_day_does_not_exist(site):
    line = one_line(cli("new", site / "issue.yaml", "--date", "2025-02-30"))
    assert "2025-02-30" in line and "does not exist" in line and "28 days" in line, line
    assert "does not match the format" not in line


@pytest.mark.parametrize("args, words", [
    (["new", "issue.yaml", "--date", "tomorrow"], "--date: expected a date like"),
    (["preflight", "nonexist.pdf"], "nonexist.pdf: no such file"),
    (["build", "photos"], "photos: is a folder, not an issue file"),
    (["candidates", "issue.yaml", "-o", "victim.docx"], "victim.docx: is a file, not a folder"),
    (["build", "issue.yaml", "--bogus"], "no such option"),
    (["build"], "missing argument 'ISSUE'"),
])
def test_usage_errors_are_one_line(site, args, words):
    before = snapshot(site)
    line = one_line(cli(*args, cwd=site))
    assert words.lower() in line.lower(), line
    assert snapshot(site) == before


def test_new_into_a_device_says_it_is_not_a_regular_file(site):
    line = one_line(cli("new", site / "issue.yaml", "-o", "/dev/null"))
    assert line.startswith("error: /dev/null: is not a regular file"), line
    assert "choose -o" not in line


def test_new_into_an_existing_file_chosen_with_o(site):
    line = one_line(cli("new", site / "issue.yaml", "-o", site / "2025-03-16.yaml"))
    assert "already exists" in line and "choose another -o" in line, line


def test_new_into_a_missing_folder_makes_it_as_build_does(site):
    result = cli("new", "issue.yaml", "-o", "nod/x.yaml", cwd=site)
    assert result.exit_code == 0, result.output
    assert (site / "nod" / "x.yaml").read_text(encoding="utf-8").count("paper: shangjie") == 1
