"""The delivery package of `layout build --printer`: inks per page, versions, changes.

Short two-page issues with the sample's printer stem, built with the bundled
style; page 2 is edited between deliveries.
"""
from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from layout.build import build

REPO = Path(__file__).resolve().parent.parent
STEM = "shangjie_2025-03-09_803"


def issue(folder: Path, page2: str = "正文第二段，有两句话。") -> Path:
    lines = ["paper: shangjie", "date: 2025-03-09", "number: 5", "total: 803",
             "credits:", "  duty_editor: 焦芙蓉", "  proofreaders: [刘世平, 孙畅]", "pages:"]
    for n, body in ((1, "正文第二段，有两句话。"), (2, page2)):
        lines += ["  - section: 要闻" if n == 1 else "  - section: 综合",
                  "    articles:", f"      - headline: 测试标题第{n}版",
                  "        byline: 记者 王明玥", "        body: |",
                  "          正文第一段。", "", f"          {body}"]
    path = folder / "issue.yaml"
    if not (folder / "styles").exists():
        shutil.copytree(REPO / "styles", folder / "styles")
        text = (folder / "styles" / "shangjie.yaml").read_text(encoding="utf-8")
        (folder / "styles" / "shangjie.yaml").write_text(
            text.replace("file: ../fonts/", f"file: {REPO}/fonts/"), encoding="utf-8")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def rows(folder: Path) -> tuple[list[str], dict[str, str]]:
    lines = (folder / f"{STEM}_manifest.txt").read_text(encoding="utf-8").splitlines()
    table = lines[2:lines.index("")]         # the checksums for sha256sum -c follow
    return lines, {line.split("  ")[0]: line for line in table}


@pytest.fixture
def delivered(tmp_path) -> Path:
    out = tmp_path / "plant" / "issue.pdf"
    build(issue(tmp_path), out, printer=True)
    return out


def test_manifest_names_inks_standard_and_boxes(delivered):
    lines, by_name = rows(delivered.parent)
    assert lines[1].startswith("PDF/X-1a:2003; output condition IFRA26")
    assert "delivery 1; first delivery" in lines[1]
    p1 = by_name[f"{STEM}_p01.pdf"]
    p2 = by_name[f"{STEM}_p02.pdf"]
    assert "inks M Y K" in p1          # the red masthead: magenta, yellow and black plates
    assert "inks K " in p2             # an inner page: black only
    assert "trim 297.0x420.0mm  sheet 297.0x420.0mm  bleed none" in p2
    for line in by_name.values():
        m = re.match(r"(\S+)\s+pages (\d+)\s.*\bsha256 ([0-9a-f]{64})$", line)
        assert m, line
        assert hashlib.sha256((delivered.parent / m[1]).read_bytes()).hexdigest() == m[3]


def test_rebuilding_the_same_issue_changes_no_page(delivered, tmp_path):
    build(issue(tmp_path), delivered, printer=True)
    lines, by_name = rows(delivered.parent)
    assert "delivery 2; since delivery 1: no page changed" in lines[1]
    assert set(by_name) == {"issue.pdf", f"{STEM}_p01.pdf", f"{STEM}_p02.pdf"}
    assert all("unchanged" in line for name, line in by_name.items() if "_p0" in name)


def test_a_changed_page_is_resent_as_a_new_version(delivered, tmp_path):
    build(issue(tmp_path, page2="正文第二段改过了，有三句话。"), delivered, printer=True)
    lines, by_name = rows(delivered.parent)
    assert "since delivery 1: changed p02 v2" in lines[1]
    assert set(by_name) == {"issue.pdf", f"{STEM}_p01.pdf", f"{STEM}_p02_v2.pdf"}
    assert "v1  " in by_name[f"{STEM}_p01.pdf"] and "unchanged" in by_name[f"{STEM}_p01.pdf"]
    assert "v2  " in by_name[f"{STEM}_p02_v2.pdf"] and "changed" in by_name[f"{STEM}_p02_v2.pdf"]
    names = sorted(p.name for p in delivered.parent.iterdir())
    assert names == sorted(["issue.pdf", f"{STEM}_manifest.txt", f"{STEM}_p01.pdf",
                            f"{STEM}_p02_v2.pdf"])      # the old p02 is gone
    build(issue(tmp_path, page2="再改一次。"), delivered, printer=True)
    lines, by_name = rows(delivered.parent)
    assert "delivery 3; since delivery 2: changed p02 v3" in lines[1]
    assert f"{STEM}_p02_v3.pdf" in by_name


def test_a_build_without_printer_leaves_no_stale_page_files(delivered, tmp_path):
    build(issue(tmp_path, page2="改了。"), delivered)
    assert sorted(p.name for p in delivered.parent.iterdir()) == ["issue.pdf"]


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="no sha256sum")
def test_manifest_checks_with_sha256sum(delivered):
    _, by_name = rows(delivered.parent)
    proc = subprocess.run(["sha256sum", "-c", f"{STEM}_manifest.txt"], text=True,
                          cwd=delivered.parent, capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert sorted(proc.stdout.splitlines()) == sorted(f"{name}: OK" for name in by_name)
