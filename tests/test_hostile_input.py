"""Hostile and broken input fails fast, in bounded memory, with one line.

Every case exits 2 (an InputError) with one line `error: FILE:LINE:COL: ...`
where the problem has a line, in well under 5 s and 300 MB, never exit 3.
The heavy cases run `layout check` in a child process under an address-space
limit, which reports its own peak memory (ru_maxrss) when it exits.
"""
from __future__ import annotations

import logging
import os
import random
import re
import resource
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from layout import model, yamlsrc
from layout.build import prepare
from layout.cli import main
from layout.errors import InputError, LayoutError
from layout.model import load_issue
from layout.style import find_style

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "issues" / "2025-03-09.yaml"

HEAD = """\
paper: shangjie
date: 2025-03-09
number: 5
total: 803
"""
# the one-article issue: headline on line 7, body on line 8; a line added is line 9
ONE = HEAD + """\
pages:
  - articles:
      - headline: 头条
        body: 正文。
"""

LIMIT_SECONDS = 5.0
LIMIT_RSS_MB = 300
ADDRESS_SPACE = 768 * 1024 * 1024     # a regression fails here instead of eating the machine

# The child's peak resident memory in kB: VmHWM is its own; ru_maxrss (where there
# is no /proc) also counts the parent's memory at the fork, so it only overstates.
CHILD = """\
import atexit, os, resource, sys
def report():
    try:
        with open("/proc/self/status") as f:
            peak = next(int(l.split()[1]) for l in f if l.startswith("VmHWM:"))
    except (OSError, StopIteration):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    with open(os.environ["HOSTILE_RUSAGE"], "w") as f:
        f.write(str(peak))
atexit.register(report)
from layout.cli import main
main(sys.argv[1:], prog_name="layout")
"""


def write(tmp_path: Path, text: str, name: str = "issue.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path) -> InputError:
    with pytest.raises(InputError) as info:
        load_issue(path)
    assert "\n" not in str(info.value)
    return info.value


def _limit_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE, ADDRESS_SPACE))


def run_check(path: Path, tmp_path: Path, *options: str) -> tuple[int, str, float, float]:
    """`layout [OPTIONS] check PATH` in a child: (exit status, stderr, seconds, peak MB)."""
    usage = tmp_path / "rusage.txt"
    env = {**os.environ, "HOSTILE_RUSAGE": str(usage)}
    env.pop("LAYOUT_DEBUG", None)
    start = time.monotonic()
    proc = subprocess.run([sys.executable, "-c", CHILD, *options, "check", str(path)],
                          capture_output=True, text=True, env=env, timeout=60,
                          preexec_fn=_limit_memory)
    seconds = time.monotonic() - start
    rss_mb = int(usage.read_text()) / 1024 if usage.exists() else float("inf")
    return proc.returncode, proc.stderr, seconds, rss_mb


def assert_one_line_input_error(tmp_path: Path, path: Path, line: int | None = None) -> str:
    """Runs the check; asserts exit 2, one line naming path:line, fast and small. The message."""
    status, err, seconds, rss = run_check(path, tmp_path)
    assert status == 2, err
    assert err.count("\n") == 1 and err.startswith("error: "), err
    if line is not None:
        assert err.startswith(f"error: {path}:{line}:"), err
    assert seconds < LIMIT_SECONDS, f"{seconds:.2f} s: {err}"
    assert rss < LIMIT_RSS_MB, f"{rss:.0f} MB: {err}"
    return err


def position(err: str, path: Path) -> tuple[int, int]:
    m = re.match(rf"error: {re.escape(str(path))}:(\d+):(\d+): ", err)
    assert m, err
    return int(m.group(1)), int(m.group(2))


# ---------------------------------------------------------------- 1. alias bombs

def billion_laughs(levels: int = 9) -> str:
    """Nine levels of tenfold aliases: 10**9 values once expanded, 700 bytes written."""
    lines = ['lol0: &lol0 [' + ", ".join(['"lol"'] * 10) + ']']
    for i in range(1, levels):
        lines.append(f"lol{i}: &lol{i} [" + ", ".join([f"*lol{i - 1}"] * 10) + "]")
    credits = f"credits:\n  proofreaders: *lol{levels - 1}\npages:"
    return "\n".join(lines) + "\n" + ONE.replace("pages:", credits)


def test_billion_laughs_is_refused_at_an_alias_fast_and_small(tmp_path):
    path = write(tmp_path, billion_laughs())
    err = assert_one_line_input_error(tmp_path, path)
    assert "YAML alias" in err and str(yamlsrc.MAX_VALUES) in err
    line, col = position(err, path)
    written = path.read_text(encoding="utf-8").splitlines()[line - 1]
    assert written[col - 1] == "*", (written, col)        # it points at an alias


def test_alias_bomb_of_mappings_is_refused_in_process(tmp_path):
    lines = ["m0: &m0 {a: x, b: x, c: x, d: x, e: x, f: x, g: x, h: x, i: x, j: x}"]
    for i in range(1, 9):
        lines.append(f"m{i}: &m{i} {{" + ", ".join(f"k{k}: *m{i - 1}" for k in range(10)) + "}")
    path = write(tmp_path, "\n".join(lines) + "\n" + ONE)
    start = time.monotonic()
    err = error_of(path)
    assert time.monotonic() - start < LIMIT_SECONDS
    assert "YAML alias" in err.message and err.source.line <= 9


def test_aliases_within_the_limit_are_fine(tmp_path):
    text = HEAD + """\
credits:
  proofreaders: &readers [刘世平, 孙畅]
pages:
  - credits:
      proofreaders: *readers
    articles:
      - headline: 头条
        body: 正文。
"""
    issue = load_issue(write(tmp_path, text))
    assert issue.pages[0].credits.proofreaders == ("刘世平", "孙畅")


def test_recursive_alias_names_the_alias(tmp_path):
    path = write(tmp_path, ONE + "x: &x [1, *x]\n")
    err = error_of(path)
    assert "alias refers to the collection that contains it" in err.message
    assert (err.source.line, err.source.column) == (9, 11)


def test_a_long_file_of_distinct_values_is_refused_when_it_passes_the_limit(tmp_path):
    # about 1.5 MB, under the size limit, but half a million values
    path = write(tmp_path, ONE + "x: [" + "1, " * 500_000 + "]\n")
    assert path.stat().st_size < yamlsrc.MAX_FILE_BYTES
    err = assert_one_line_input_error(tmp_path, path, line=9)
    assert f"more than {yamlsrc.MAX_VALUES} values" in err


# ---------------------------------------------------------------- 2. nesting

def test_deep_flow_nesting_is_refused_with_its_line(tmp_path):
    path = write(tmp_path, ONE + "x: " + "[" * 100_000 + "]" * 100_000 + "\n")
    err = assert_one_line_input_error(tmp_path, path, line=9)
    assert f"nested more than {yamlsrc.MAX_DEPTH} deep" in err


def test_deep_block_nesting_is_refused_with_its_line(tmp_path):
    nested = "".join("  " * i + "-\n" for i in range(200))
    path = write(tmp_path, ONE + "x:\n" + nested)
    err = error_of(path)
    assert f"nested more than {yamlsrc.MAX_DEPTH} deep" in err.message
    # x: is line 9, its list of depth 1 line 10: the list of depth MAX_DEPTH is refused
    depth = yamlsrc.MAX_DEPTH
    assert (err.source.line, err.source.column) == (10 + depth - 1, 2 * depth - 1)


def test_nesting_just_under_the_limit_parses(tmp_path):
    depth = yamlsrc.MAX_DEPTH - 1                     # the issue's mapping is the first level
    path = write(tmp_path, ONE + "x: " + "[" * depth + "]" * depth + "\n")
    err = error_of(path)                              # the model refuses the key, not the depth
    assert "unknown key 'x'" in err.message


def test_deep_nesting_through_aliases_names_an_alias(tmp_path):
    lines = ["d0: &d0 " + "[" * 10 + "x" + "]" * 10]
    for i in range(1, 8):
        lines.append(f"d{i}: &d{i} " + "[" * 10 + f"*d{i - 1}" + "]" * 10)
    path = write(tmp_path, "\n".join(lines) + "\n" + ONE)
    err = error_of(path)
    assert "nested more than" in err.message and "alias" in err.message
    written = path.read_text(encoding="utf-8").splitlines()[err.source.line - 1]
    assert written[err.source.column - 1] == "*"


def test_a_huge_base_60_number_is_kept_as_text_not_computed(tmp_path):
    # PyYAML would read 1:1:1:... as one integer in quadratic time
    path = write(tmp_path, ONE.replace("number: 5", "number: 1" + ":1" * 400_000))
    start = time.monotonic()
    err = error_of(path)
    assert time.monotonic() - start < LIMIT_SECONDS
    assert err.source.line == 3 and "'number'" in err.message


# ---------------------------------------------------------------- 3. sizes

def test_16_million_character_headline_is_refused_before_parsing(tmp_path):
    text = ONE.replace("headline: 头条", "headline: " + "字" * 16_000_000)
    path = write(tmp_path, text)
    err = assert_one_line_input_error(tmp_path, path, line=1)
    assert f"at most {yamlsrc.MAX_FILE_BYTES:,} ({yamlsrc.MAX_FILE_BYTES // 2**20} MB)" in err


def test_a_file_just_over_the_size_limit_is_refused(tmp_path):
    path = write(tmp_path, ONE + "#" * (yamlsrc.MAX_FILE_BYTES - len(ONE.encode()) + 1))
    assert path.stat().st_size == yamlsrc.MAX_FILE_BYTES + 1
    err = error_of(path)
    assert err.message == (f"the file has {yamlsrc.MAX_FILE_BYTES + 1:,} bytes; an issue or "
                           f"style file may have at most {yamlsrc.MAX_FILE_BYTES:,} (2 MB)")
    assert err.source.line == 1


def test_the_slowest_text_to_parse_fits_the_time_at_the_size_limit(tmp_path):
    # a plain scalar of one-letter words is what PyYAML reads slowest: the reason for the limit
    size = yamlsrc.MAX_FILE_BYTES - len(ONE.encode())
    path = write(tmp_path, ONE.replace("headline: 头条", "headline: " + "x " * (size // 2)))
    assert path.stat().st_size <= yamlsrc.MAX_FILE_BYTES
    err = assert_one_line_input_error(tmp_path, path, line=7)
    assert f"it may have at most {model.MAX_TITLE_CHARS}" in err


def test_a_600_000_character_headline_under_the_size_limit_names_its_line(tmp_path):
    text = ONE.replace("headline: 头条", "headline: " + "字" * 600_000)
    path = write(tmp_path, text)
    assert path.stat().st_size < yamlsrc.MAX_FILE_BYTES
    err = assert_one_line_input_error(tmp_path, path, line=7)
    assert "is 600000 characters long; it may have at most 200" in err
    assert len(err) < 300                                # the headline is quoted shortened


@pytest.mark.parametrize("key, limit", [("headline", model.MAX_TITLE_CHARS),
                                        ("kicker", model.MAX_TITLE_CHARS),
                                        ("subheadline", model.MAX_TITLE_CHARS),
                                        ("byline", model.MAX_BYLINE_CHARS)])
def test_article_field_limits(tmp_path, key, limit):
    if key == "headline":
        at_limit = ONE.replace("headline: 头条", "headline: " + "字" * limit)
    else:
        at_limit = ONE + f"        {key}: {'字' * limit}\n"
    article = load_issue(write(tmp_path, at_limit)).pages[0].articles[0]
    assert getattr(article, key) == "字" * limit
    over = at_limit.replace("字" * limit, "字" * (limit + 1))
    err = error_of(write(tmp_path, over))
    assert err.source.line == (7 if key == "headline" else 9)
    assert f"'{key}'" in err.message and f"{limit + 1} characters long" in err.message


def test_section_and_credit_names_limits(tmp_path):
    section = "要" * (model.MAX_SECTION_CHARS + 1)
    long_section = ONE.replace("  - articles:", f"  - section: {section}\n    articles:")
    err = error_of(write(tmp_path, long_section))
    assert err.source.line == 6 and "'section'" in err.message
    name = "名" * (model.MAX_NAME_CHARS + 1)
    for credits, line in ((f"credits:\n  duty_editor: {name}\n", 6),
                          (f"credits:\n  proofreaders: [张三, {name}]\n", 6),
                          (f"credits:\n  proofreaders:\n    - 张三\n    - {name}\n", 8)):
        err = error_of(write(tmp_path, HEAD + credits + ONE[len(HEAD):]))
        assert err.source.line == line, (credits, err)
        assert f"{model.MAX_NAME_CHARS + 1} characters long" in err.message


def test_a_paragraph_over_the_limit_names_its_own_line(tmp_path):
    big = "字" * (model.MAX_PARAGRAPH_CHARS + 1)
    text = ONE.replace("body: 正文。", f"body: |\n          第一段。\n\n          {big}\n")
    err = error_of(write(tmp_path, text))
    assert err.source.line == 11
    assert err.message.startswith("paragraph 2 of article '头条' is 20001 characters long")
    assert f"at most {model.MAX_PARAGRAPH_CHARS}" in err.message


def test_a_body_over_the_limit_names_the_body(tmp_path):
    para = "字" * 19_000
    body = "\n\n".join([para] * 11)                    # 209,000 characters
    text = ONE.replace("body: 正文。", "body: |\n" + textwrap.indent(body, " " * 10) + "\n")
    err = error_of(write(tmp_path, text))
    assert err.source.line == 8 and f"at most {model.MAX_BODY_CHARS}" in err.message


# ---------------------------------------------------------------- 4. paper names

def test_a_paper_name_too_long_for_the_file_system_names_its_line(tmp_path):
    path = write(tmp_path, ONE.replace("paper: shangjie", "paper: " + "a" * 300))
    err = assert_one_line_input_error(tmp_path, path, line=1)
    assert f"at most {model.MAX_PAPER_CHARS} characters" in err


@pytest.mark.parametrize("paper", ["../styles/shangjie", "a/b", "shang jie", "上街", "a\\\\b",
                                   "'..'", "Shangjie", "a" * (model.MAX_PAPER_CHARS + 1)])
def test_odd_paper_names_are_refused_at_their_line(tmp_path, paper):
    err = error_of(write(tmp_path, ONE.replace("paper: shangjie", f"paper: {paper}")))
    assert (err.source.line, err.source.column) == (1, 8)


def test_a_paper_name_of_the_longest_length_is_looked_up(tmp_path):
    paper = "a" * model.MAX_PAPER_CHARS
    path = write(tmp_path, ONE.replace("paper: shangjie", f"paper: {paper}"))
    assert load_issue(path).paper == paper
    with pytest.raises(InputError, match="unknown paper"):
        prepare(path)


def test_find_style_never_raises_oserror_for_a_name(tmp_path):
    path = write(tmp_path, ONE)
    for paper in ("a" * 300, "a" * 5000, "x\0y", "../../etc/passwd"):
        with pytest.raises(InputError) as info:
            find_style(paper, path)
        assert len(str(info.value)) < 1000


# ---------------------------------------------------------------- 5. not a regular file

@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_does_not_hang(tmp_path):
    fifo = tmp_path / "issue.yaml"
    os.mkfifo(fifo)
    err = assert_one_line_input_error(tmp_path, fifo)
    assert "named pipe" in err


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/null", "/dev/urandom"])
def test_a_device_does_not_hang_or_fill_memory(tmp_path, device):
    if not os.path.exists(device):
        pytest.skip(f"no {device}")
    err = assert_one_line_input_error(tmp_path, Path(device))
    assert "a device" in err


def test_a_directory_is_refused(tmp_path):
    folder = tmp_path / "issue.yaml"
    folder.mkdir()
    err = error_of(folder)
    assert "it is a folder" in err.message
    with pytest.raises(InputError, match="folder"):
        yamlsrc.load_yaml(folder)


def test_a_style_path_that_is_a_fifo_is_refused(tmp_path):
    if not hasattr(os, "mkfifo"):
        pytest.skip("needs FIFOs")
    (tmp_path / "styles").mkdir()
    os.mkfifo(tmp_path / "styles" / "fifo.yaml")
    from layout.style import load_style
    with pytest.raises(InputError, match="named pipe"):
        load_style(tmp_path / "styles" / "fifo.yaml")


# ---------------------------------------------------------------- 6. zero-width characters

ZW = "\u200b\u200c\u200d\u2060\ufeff"


def test_the_zero_width_set_is_the_setters():
    from layout.setting import ZERO_WIDTH
    assert set(ZW) == set(ZERO_WIDTH)


def test_str_strip_spaces_are_all_trimmed():
    assert set(model._SPACES) == {chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace()}


@pytest.mark.parametrize("ch", list(ZW))
def test_a_headline_of_only_zero_width_characters_is_empty(tmp_path, ch):
    path = write(tmp_path, ONE.replace("headline: 头条", f'headline: "{ch}{ch} {ch}"'))
    err = error_of(path)
    assert (err.source.line, err.source.column) == (7, 19)
    assert "'headline' is empty (it holds only zero-width characters)" in err.message


def test_optional_fields_of_only_zero_width_characters_are_left_out(tmp_path, caplog):
    text = ONE.replace("  - articles:", f'  - section: "{ZW}"\n    articles:') + (
        f'        kicker: "\\u200b"\n'
        f'        subheadline: "\\ufeff\\u2060"\n'
        f'        byline: "{ZW}"\n')
    with caplog.at_level(logging.INFO, logger="layout"):
        issue = load_issue(write(tmp_path, text))
    page = issue.pages[0]
    article = page.articles[0]
    assert (page.section, article.kicker, article.subheadline, article.byline) == (
        None, None, None, None)
    assert article.removed == (
        "article '头条' kicker: removed 1 zero-width character; nothing is left, "
        "so it is left out",
        "article '头条' subheadline: removed 2 zero-width characters; nothing is left, "
        "so it is left out",
        "article '头条' byline: removed 5 zero-width characters; nothing is left, "
        "so it is left out")
    assert issue.removed == (
        "page 1 section: removed 5 zero-width characters; nothing is left, so it is left out",
        *article.removed)
    logged = [r.getMessage() for r in caplog.records if r.name == "layout"]
    assert logged == [f"{tmp_path / 'issue.yaml'}: {note}" for note in issue.removed]
    assert all(r.levelno == logging.INFO for r in caplog.records if r.name == "layout")


def test_a_paragraph_of_only_zero_width_characters_is_dropped(tmp_path):
    body = "body: |\n          第一段。  \n\n          \ufeff\n\n          \u200b第二段。\u200b\n"
    issue = load_issue(write(tmp_path, ONE.replace("body: 正文。", body)))
    article = issue.pages[0].articles[0]
    assert article.body == ("第一段。", "第二段。")
    assert article.removed == (
        "article '头条' body paragraph 1: removed 2 spaces at the ends of lines",
        "article '头条' body paragraph 2: removed 2 zero-width characters",
        "article '头条' body: removed 1 zero-width character from lines with nothing else "
        "on them, which read as blank lines")


def test_a_zero_width_line_inside_copy_reads_as_a_blank_line(tmp_path):
    # what the editor sees: two paragraphs
    body = "body: |\n          第一段。\n          \ufeff\n          第二段。\n"
    article = load_issue(write(tmp_path, ONE.replace("body: 正文。", body))).pages[0].articles[0]
    assert article.body == ("第一段。", "第二段。")


def test_zero_width_characters_inside_text_are_removed_and_said(tmp_path):
    # (kept, a U+200B mid-line printed as a visible gap: 2月21 日，全 区)
    text = ONE.replace("headline: 头条", 'headline: "头\\u200b条"').replace(
        "body: 正文。", 'body: "see https://example.com/\\u200bpath"')
    article = load_issue(write(tmp_path, text)).pages[0].articles[0]
    assert article.headline == "头条"
    assert article.body == ("see https://example.com/path",)
    assert article.removed == ("article '头条' headline: removed 1 zero-width character",
                               "article '头条' body paragraph 1: removed 1 zero-width character")


def test_a_body_of_only_zero_width_characters_is_an_error(tmp_path):
    err = error_of(write(tmp_path, ONE.replace("body: 正文。", 'body: "\\ufeff\\n\\n\\u200b"')))
    assert err.source.line == 8
    assert "body of article '头条' is empty (it holds only zero-width characters)" == err.message


def test_credit_names_of_only_zero_width_characters(tmp_path):
    text = HEAD + 'credits:\n  duty_editor: "\\u200b"\n  proofreaders: ["\\ufeff"]\n' + ONE[len(HEAD):]
    err = error_of(write(tmp_path, text))
    assert err.source.line == 7 and "empty name in 'proofreaders'" in err.message
    text = HEAD + 'credits:\n  duty_editor: "\\u200b"\n  proofreaders: "\\ufeff"\n' + ONE[len(HEAD):]
    issue = load_issue(write(tmp_path, text))
    assert (issue.credits.duty_editor, issue.credits.proofreaders) == (None, ())


def test_zero_width_only_fields_compose(tmp_path):
    """Once an endless recursion in the line breaker (exit 3); now they are simply left out."""
    text = ONE.replace("  - articles:", '  - section: "\\u200b"\n    articles:') + (
        '        kicker: "\\u200b"\n        subheadline: "\\u2060"\n        byline: "\\ufeff"\n')
    text = text.replace("body: 正文。", 'body: "正文。\\n\\n\\u200b\\u200d\\n\\n再一段。"')
    path = write(tmp_path, text)
    status, err, seconds, rss = run_check(path, tmp_path)
    assert status == 0, err
    assert seconds < LIMIT_SECONDS and rss < LIMIT_RSS_MB


def test_verbose_lists_what_was_removed(tmp_path):
    path = write(tmp_path, ONE.replace("body: 正文。", 'body: "正文。\\u200b"'))
    status, err, _, _ = run_check(path, tmp_path, "-v")
    assert status == 0, err
    assert f"INFO: {path}: article '头条' body paragraph 1: removed 1 zero-width character\n" in err


# ---------------------------------------------------------------- 7. mutations

INTERESTING = [":", ": ", "- ", "[", "]", "{", "}", ",", "&a ", "*a", "*b", "!",
               "!!python/object:os.system ", "!!binary ", "|", ">", "|-", "#", "'", '"', "\\",
               "\n", "\n  ", "\n      - ", "\t", "\x00", "\x07", "\ufeff", "\u200b",
               "\u200b\u2060\n", "\u2028", "<<: ", "? ", "---\n", "...\n", "%YAML 1.1\n",
               "9" * 40, "1:1:1", "2025-02-30", "-1", "0", ".inf", "null", "~", "true", "（",
               "——", "𫖮", "lead: ", "continue_on: ", "place: ", "columns: ", "height: ",
               "order: ", "kicker: ", "section: ", "proofreaders: "]


def mutate(data: bytes, rng: random.Random) -> bytes:
    """A few edits of the sample: mostly of its characters and lines, at times of its bytes."""
    if rng.random() < 0.15:
        b = bytearray(data)
        for _ in range(rng.randint(1, 3)):
            i = rng.randrange(len(b))
            b[i] = b[i] ^ (1 << rng.randrange(8)) if rng.random() < 0.5 else rng.randrange(256)
        return bytes(b)
    text = data.decode("utf-8")
    for _ in range(rng.randint(1, 4)):
        i = rng.randrange(len(text) + 1)
        op = rng.random()
        if op < 0.4:
            text = text[:i] + rng.choice(INTERESTING) + text[i:]          # a piece of YAML
        elif op < 0.6:
            text = text[:i] + text[i + rng.choice((1, 1, 2, 5, 30, 300)):]  # delete a span
        elif op < 0.75:
            j = rng.randrange(len(text) + 1)                              # copy a span
            text = text[:i] + text[j:j + rng.choice((1, 8, 64, 400))] + text[i:]
        else:
            lines = text.split("\n")
            k = rng.randrange(len(lines))
            if op < 0.85:
                lines[k] = lines[k][2:] if rng.random() < 0.5 else "  " + lines[k]  # indent
            elif op < 0.95:
                lines.insert(rng.randrange(len(lines) + 1), lines[k])          # repeat a line
            else:
                m = rng.randrange(len(lines))
                lines[k], lines[m] = lines[m], lines[k]                        # swap lines
            text = "\n".join(lines)
    return text.encode("utf-8", "surrogatepass")


def test_random_mutations_of_the_sample_never_escape_as_internal_errors(tmp_path):
    """300 seeded mutations: prepare() raises only LayoutError, always one line; every
    20th mutant that loads is checked in full (composed) through the CLI as well."""
    data = SAMPLE.read_bytes()
    runner = CliRunner()
    failures, loaded, composed = [], 0, 0
    start = time.monotonic()
    for seed in range(300):
        mutant = mutate(data, random.Random(seed))
        path = tmp_path / f"m{seed}.yaml"
        path.write_bytes(mutant)
        try:
            prepare(path)
        except LayoutError as err:
            message = str(err)
            if err.exit_code not in (1, 2) or "\n" in message:
                failures.append((seed, err.exit_code, message[:200]))
            continue
        except Exception as err:  # noqa: BLE001 - exactly what the test looks for
            failures.append((seed, type(err).__name__, str(err)[:200]))
            continue
        finally:
            if seed % 50 == 0:
                assert time.monotonic() - start < 120
        loaded += 1
        if loaded % 20 == 1:
            composed += 1
            result = runner.invoke(main, ["check", str(path)])
            if result.exit_code not in (0, 1, 2) or (
                    result.exit_code and result.stderr.count("\n") != 1):
                failures.append((seed, result.exit_code, result.stderr[:200]))
        path.unlink()
    assert not failures, failures
    assert loaded >= 30 and composed >= 2     # the mutations are not all syntax errors
