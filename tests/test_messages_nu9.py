"""Messages new users met (nu8, nu9): teasers, one-line warnings, photo names, check = build.

- A 导读 teaser names its article whatever the line breaks written in the headline (a `|`
  block), the spaces and the quotation marks; one naming none says "did you mean" when a
  headline is near it.
- Every warning and error is one line: a headline written on two lines is quoted with ' | '.
- A photo not found names the file of its folder it most likely meant (Bridge.JPG, bridge.jpg).
- `layout check` says what `layout build` says of the composed pages: loose lines, a photo
  under the press's ppi, a photo the press refuses.
"""
from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from layout.errors import InputError, Source, near_file, one_line

HEADER = """paper: shangjie
date: 2025-03-09
number: 5
total: 803
credits:
  duty_editor: 焦芙蓉
  proofreaders: [刘世平, 孙畅]
pages:
"""
PARA_A = ("4月11日，我区举办2025年第一季度“上街好人”发布仪式，10名来自各行各业的身边好人受到"
          "表彰。此次发布的“上街好人”中，有坚守乡村教育一线三十余年的教师，有多次见义勇为的出租车司机。")
PARA_B = ("区委宣传部相关负责人表示，“上街好人”是全区践行社会主义核心价值观的生动典范。希望全区"
          "广大干部群众以好人为榜样，见贤思齐、崇德向善，凝聚起建设现代化美丽上街的强大精神力量。")
TWO_LINES = "我区举办2025年“上街好人”发布仪式"     # the headline below, one-lined
NEAR = ("write the headline (or its start) of one article of page 2 or a later page")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    """The real command, in a process of its own (its own logging set-up)."""
    return subprocess.run([sys.executable, "-m", "layout.cli", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=300, env=os.environ.copy())


def teaser_issue(folder: Path, teaser: str) -> Path:
    """Page 1 with a 导读 of one teaser; page 2 with the two-line headline and a quoted one."""
    text = HEADER + f"""  - section: 要闻
    teasers:
      - {teaser}
    articles:
      - headline: 我区召开2025年一季度经济运行分析会
        byline: 记者 王明玥
        body: |
          {PARA_B}
  - section: 综合
    articles:
      - headline: |
          我区举办2025年
          “上街好人”发布仪式
        byline: 记者 冯佳雯
        body: |
          {PARA_A}
      - headline: “5G+工业互联网”让老厂焕发新活力
        byline: 记者 李郑阳
        body: |
          {PARA_B}
"""
    path = folder / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def photo_issue(folder: Path, written: str, pixels: tuple[int, int] | None = None,
                stored: str | None = None) -> Path:
    """One article under the two-line headline, with a photo 2 columns wide."""
    if pixels is not None:
        from PIL import Image
        (folder / "photos").mkdir(exist_ok=True)
        Image.new("RGB", pixels, (120, 160, 200)).save(folder / "photos" / (stored or written))
    text = HEADER + f"""  - section: 要闻
    articles:
      - headline: |
          我区举办2025年
          “上街好人”发布仪式
        byline: 记者 冯佳雯
        photos:
          - file: photos/{written}
            columns: 2
        body: |
          {PARA_A}

          {PARA_B}
"""
    path = folder / "issue.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def place(path: Path, written: str) -> str:
    """file:line:column of the first line holding `written`, at its first character."""
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if written in line:
            return f"{path.name}:{n}:{line.index(written) + 1}"
    raise AssertionError(written)


def stderr_lines(proc: subprocess.CompletedProcess) -> list[str]:
    return proc.stderr.splitlines()


# -- 1. teasers ----------------------------------------------------------------------------------

@pytest.mark.parametrize("teaser", [TWO_LINES, "我区举办2025年 “上街好人”", "我区举办2025年上街好人",
                                    "5G+工业互联网", "“5G+工业互联网让老厂”"])
def test_a_teaser_names_its_article_whatever_the_breaks_spaces_and_quotes(tmp_path, teaser):
    path = teaser_issue(tmp_path, teaser)
    proc = run("check", path.name, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[0].startswith("page 1: 1 article and the 导读, ")
    assert proc.stdout.splitlines()[-1] == "issue.yaml: ok, 2 pages"
    assert not [ln for ln in stderr_lines(proc) if ln.startswith("error:")]


def test_the_loader_gives_a_teaser_its_articles_headline(tmp_path):
    from layout.model import load_issue, teaser_key
    issue = load_issue(teaser_issue(tmp_path, "我区举办2025年 “上街好人”"))
    (t,) = issue.pages[0].teasers
    assert t.headline == "我区举办2025年\n“上街好人”发布仪式"
    assert teaser_key("「老家的味道」 ‘一’\"x\"") == "老家的味道一x"


def test_a_build_sets_the_teaser_of_a_two_line_headline(tmp_path):
    path = teaser_issue(tmp_path, TWO_LINES)
    proc = run("build", path.name, "-o", "out.pdf", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == "out.pdf: 2 pages\n"


def test_a_teaser_a_character_off_says_did_you_mean(tmp_path):
    path = teaser_issue(tmp_path, "我区举办2024年“上街好人”发布仪式")
    want = (f"error: {place(path, '我区举办2024年')}: teaser '我区举办2024年“上街好人”发布仪式': no "
            f"article on a later page has that headline (did you mean '{TWO_LINES}'?); {NEAR}")
    proc = run("check", path.name, cwd=tmp_path)
    assert proc.returncode == 2
    assert stderr_lines(proc)[-1] == want
    proc = run("build", path.name, "-o", "out.pdf", cwd=tmp_path)   # composition's error
    assert proc.returncode == 2
    assert stderr_lines(proc) == [want]
    assert not (tmp_path / "out.pdf").exists()
    # a teaser naming nothing near stays the error, without a guess
    path = teaser_issue(tmp_path, "全市秋粮收购工作有序推进")
    proc = run("check", path.name, cwd=tmp_path)
    assert proc.returncode == 2
    assert stderr_lines(proc)[-1] == (
        f"error: {place(path, '全市秋粮')}: teaser '全市秋粮收购工作有序推进': no article on a "
        f"later page has that headline; {NEAR}")


# -- 2. one line ---------------------------------------------------------------------------------

def test_a_message_quoting_a_two_line_headline_is_one_line():
    assert one_line("loose line in '我区举办2025年\n“上街好人”发布仪式': 0.35 em") == \
        "loose line in '我区举办2025年 | “上街好人”发布仪式': 0.35 em"
    err = InputError("article '我区举办2025年\n“上街好人”发布仪式': too long", Source("a.yaml", 3, 9))
    assert str(err) == "a.yaml:3:9: article '我区举办2025年 | “上街好人”发布仪式': too long"
    from layout.cli import _OneLine
    record = logging.LogRecord("layout", logging.WARNING, __file__, 1,
                               "%s: loose line in '%s'", ("a.yaml:3:9", "甲\n乙"), None)
    assert _OneLine("%(levelname)s: %(message)s").format(record) == \
        "WARNING: a.yaml:3:9: loose line in '甲 | 乙'"


# -- 3. a photo's name ---------------------------------------------------------------------------

@pytest.mark.parametrize("written, hint", [("Bridge.JPG", " (did you mean photos/bridge.jpg?)"),
                                           ("brige.jpg", " (did you mean photos/bridge.jpg?)"),
                                           ("harvest.jpg", "")])
def test_a_photo_not_found_names_the_file_it_likely_meant(tmp_path, written, hint):
    path = photo_issue(tmp_path, written, (400, 250), stored="bridge.jpg")
    proc = run("check", path.name, cwd=tmp_path)
    assert proc.returncode == 2
    assert stderr_lines(proc) == [
        f"error: {place(path, 'file: photos/')}: photo 1 of article '我区举办2025年 | “上街好人”"
        f"发布仪式': photo {tmp_path}/photos/{written} not found (its path is relative to the "
        f"issue file){hint}"]


def test_near_file_keeps_the_folders_as_written(tmp_path):
    (tmp_path / "Photos").mkdir()
    (tmp_path / "Photos" / "bridge.jpg").write_bytes(b"x")
    assert near_file(tmp_path, "photos/BRIDGE.jpg") == "Photos/bridge.jpg"
    assert near_file(tmp_path, "Photos/bridge.jpg") is None      # it is there
    assert near_file(tmp_path, "elsewhere/bridge.jpg") is None


# -- 4. check says what build says ---------------------------------------------------------------

def _warnings(proc: subprocess.CompletedProcess) -> list[str]:
    return [ln for ln in stderr_lines(proc) if ln.startswith("WARNING: ")]


def test_check_warns_of_a_low_ppi_photo_and_loose_lines_as_build_does(tmp_path):
    path = photo_issue(tmp_path, "small.jpg", (400, 250))
    checked = run("check", path.name, cwd=tmp_path)
    built = run("build", path.name, "-o", "out.pdf", cwd=tmp_path)
    assert checked.returncode == 0 and built.returncode == 0, checked.stderr + built.stderr
    assert _warnings(checked) == _warnings(built)
    where = place(path, "file: photos/")
    ppi = [w for w in _warnings(checked) if " ppi as placed " in w]
    assert len(ppi) == 1 and ppi[0].startswith(
        f"WARNING: photo 1 of article '我区举办2025年 | “上街好人”发布仪式' ({where}): "
        f"{tmp_path}/photos/small.jpg is ")
    assert ppi[0].endswith(" under the 200 ppi the press needs: use a larger original or place "
                           "it smaller")
    loose = [w for w in _warnings(checked) if " loose line in " in w]
    assert loose and all(w.startswith("WARNING: issue.yaml:") and ": loose line in '我区举办"
                         "2025年 | “上街好人”发布仪式': " in w for w in loose)
    # every line of both is one message
    assert all(ln.startswith(("WARNING: ", "error: ")) for ln in stderr_lines(checked))


def test_check_fails_on_a_photo_the_press_refuses_as_build_does(tmp_path):
    # (check once warned and said ok, exit 0, where the build stops: the editor learnt
    # it only from the build)
    path = photo_issue(tmp_path, "tiny.jpg", (160, 100))
    built = run("build", path.name, "-o", "out.pdf", cwd=tmp_path)
    checked = run("check", path.name, cwd=tmp_path)
    assert built.returncode == 2 and checked.returncode == 2
    error = stderr_lines(built)[-1]
    assert error.startswith(f"error: {place(path, 'file: photos/')}: photo 1 of article "
                            "'我区举办2025年 | “上街好人”发布仪式' (photos/tiny.jpg, ")
    assert "the press refuses under 100 ppi" in error
    assert error in stderr_lines(checked)
    assert not [w for w in _warnings(checked) if "the press needs" in w]   # said once


def test_a_teaser_two_characters_off_a_headlines_start_says_did_you_mean(tmp_path):
    # a new user's 导读 entry 无人机送快递 for 无人机送外卖 15分钟“飞”到家 got no guess
    from layout.model import Article, _near_headline
    heads = [Article(headline=h, body=("正文。",), kicker=None, subheadline=None, byline=None,
                     source=None)
             for h in ("无人机送外卖 15分钟“飞”到家", "全区人民武装工作会议召开")]
    assert _near_headline("无人机送快递", heads) == "无人机送外卖 15分钟“飞”到家"
    assert _near_headline("全市秋粮收购工作有序推进", heads) is None
