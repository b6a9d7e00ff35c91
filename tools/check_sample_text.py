#!/usr/bin/env python3
"""Prove that the sample issue keeps every character of the printed issue.

    python3 tools/check_sample_text.py [SEED_TXT] [ISSUE_YAML]

SEED_TXT defaults to ../shared/seed/shangjie-2025-03-09.txt relative to the
repository root, ISSUE_YAML to issues/2025-03-09.yaml in the repository.

Both texts are normalised before they are compared:

* all whitespace is removed from both (line breaks, paragraph breaks, the
  spaces inside bylines and in 赴春天之约 绽巾帼芳华);
* in the seed, the masthead block (everything before the first headline) and
  the final credits line (值班编辑 …) are dropped, the parentheses around the
  bylines "(记者 王明玥 罗浩)" are stripped, and the remaining half-width
  "(" ")" -- extraction artefacts -- become full-width "（" "）".

The YAML's articles, in file order, each contribute kicker + headline +
subheadline + body paragraphs + byline.  The two strings must be equal.

The YAML text itself is not normalised beyond whitespace removal, so a
half-width parenthesis left in the YAML is reported as a difference.  Also
checked: every body is paragraphs separated by exactly one blank line, each
paragraph on one line and ending with sentence-final punctuation (a paragraph
that ends mid-sentence is a column break of the printed page not rejoined).

Prints OK (with a per-article summary) and exits 0, or prints the first
difference with context and exits 1.  Needs only PyYAML.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
DEFAULT_SEED = REPO.parent / "shared" / "seed" / "shangjie-2025-03-09.txt"
DEFAULT_ISSUE = REPO / "issues" / "2025-03-09.yaml"

FIRST_HEADLINE = "副市长胡军到上街区调研重点企业"
CREDITS_START = "值班编辑"
BYLINE_RE = re.compile(r"^\s*[(（]\s*(记者[^()（）]*?)\s*[)）]\s*$")
WS_RE = re.compile(r"\s+")
CONTEXT = 25
# A paragraph of the printed issue ends a sentence; one that ends otherwise is
# the first half of a paragraph split by a column break of the printed page.
PARA_END = tuple("。！？”’）…")


def squeeze(text: str) -> str:
    return WS_RE.sub("", text)


def seed_text(path: Path) -> str:
    lines = path.read_text(encoding="utf-8").splitlines()
    try:
        start = next(i for i, l in enumerate(lines) if l.strip() == FIRST_HEADLINE)
    except StopIteration:
        sys.exit(f"{path}: first headline {FIRST_HEADLINE!r} not found")
    ends = [i for i, l in enumerate(lines) if l.strip().startswith(CREDITS_START)]
    if not ends or ends[-1] < start:
        sys.exit(f"{path}: credits line starting {CREDITS_START!r} not found")
    kept = []
    for line in lines[start:ends[-1]]:
        m = BYLINE_RE.match(line)
        kept.append(m.group(1) if m else line)
    text = squeeze("".join(kept))
    return text.replace("(", "（").replace(")", "）")


def issue_text(path: Path, seed: str = "") -> tuple[str, list[tuple[int, str, int, int]], list[str]]:
    """Concatenated article text, (end offset, headline, paragraphs, chars) per
    article, and a list of structural problems.

    Articles are taken in the seed's order (where the seed has them), so pages
    may hold them in any order an editor likes."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    parts: list[str] = []
    spans: list[tuple[int, str, int, int]] = []
    problems: list[str] = []
    found = []
    for pno, page in enumerate(data.get("pages") or [], 1):
        for ano, art in enumerate(page.get("articles") or [], 1):
            where = f"page {pno} article {ano}"
            for key in ("kicker", "headline", "subheadline", "body", "byline"):
                value = art.get(key)
                if value is not None and not isinstance(value, str):
                    problems.append(f"{where}: {key} is {type(value).__name__}, not a string")
            body = art.get("body") or ""
            paras = body.strip("\n").split("\n\n") if body.strip() else []
            for i, para in enumerate(paras, 1):
                if not para.strip() or para.startswith("\n") or para.endswith("\n"):
                    problems.append(f"{where}: more than one blank line before paragraph {i}")
                elif "\n" in para:
                    problems.append(f"{where}: paragraph {i} is wrapped over several lines")
                elif para != para.strip():
                    problems.append(f"{where}: paragraph {i} has leading/trailing spaces")
                elif not para.endswith(PARA_END):
                    problems.append(f"{where}: paragraph {i} ends with {para[-6:]!r}, not with "
                                    "sentence-final punctuation (a column break not rejoined?)")
            if not paras:
                problems.append(f"{where}: empty body")
            pieces = [art.get("kicker") or "", art.get("headline") or ""]
            pieces += [art.get("subheadline") or ""] + paras + [art.get("byline") or ""]
            text = squeeze("".join(str(p) for p in pieces))
            at = seed.find(text) if seed else -1
            found.append((at if at >= 0 else len(seed) + len(found), text, where, art, paras))
    offset = 0
    for _, text, where, art, paras in sorted(found, key=lambda f: f[0]):
        parts.append(text)
        offset += len(text)
        spans.append((offset, f"{where} {art.get('headline')}", len(paras),
                      sum(len(squeeze(p)) for p in paras)))
    return "".join(parts), spans, problems


def locate(spans, pos: int) -> str:
    for end, name, _, _ in spans:
        if pos < end:
            return name
    return "after the last article"


def main(argv: list[str]) -> int:
    if len(argv) > 2 or any(a in ("-h", "--help") for a in argv):
        print(__doc__.strip())
        return 2
    seed_path = Path(argv[0]) if argv else DEFAULT_SEED
    issue_path = Path(argv[1]) if len(argv) > 1 else DEFAULT_ISSUE
    want = seed_text(seed_path)
    got, spans, problems = issue_text(issue_path, want)

    if want != got:
        pos = next((i for i, (a, b) in enumerate(zip(want, got)) if a != b),
                   min(len(want), len(got)))
        lo = max(0, pos - CONTEXT)
        print(f"DIFFERENCE at character {pos} ({locate(spans, pos)}):")
        print(f"  seed: …{want[lo:pos]}⟦{want[pos:pos + CONTEXT]}⟧…")
        print(f"  yaml: …{got[lo:pos]}⟦{got[pos:pos + CONTEXT]}⟧…")
        print(f"  lengths: seed {len(want)}, yaml {len(got)}")
        return 1
    if problems:
        print("TEXT OK but the YAML is not laid out as required:")
        for p in problems:
            print("  " + p)
        return 1
    for _, name, n, chars in spans:
        print(f"  {n:2d} paragraphs {chars:5d} chars  {name}")
    total_p = sum(s[2] for s in spans)
    total_c = sum(s[3] for s in spans)
    print(f"OK: {len(spans)} articles, {total_p} paragraphs, {total_c} body characters, "
          f"{len(want)} characters compared")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
