"""Edit -> served latency of `layout watch` (issue 11).

    python bench/watch_bench.py [--edits 20] [--json FILE]

Starts `layout watch` on a copy of the sample issue (and its style) in a
temporary folder, as a child process on a free loopback port, and listens to
its event stream. Each timed edit writes the issue file with one more
character in one body paragraph of page 1 (a character the issue already
has, a different place each time, so no edit is a cache hit), then waits for
the build's event and downloads the new PNG of page 1. The time is from just
before the write to the last byte of that PNG. It prints the median, min and
max of the edits, and the same for: an edit bringing a character new to the
issue (a new font subset), and a full rebuild after a style change (the
headline size: every page drawn again).

The build ratio against Typst (the same seed text as a Typst document,
compiled by the `typst` package) is bench/bench.py's case: `python
bench/bench.py --typst-only`.
"""
from __future__ import annotations

import argparse
import http.client
import json
import os
import queue
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
ANCHOR = "详细了解项目落地"            # page 1, the first article's second paragraph
POOL = "的一是在了和有中人不会为区上发工作"   # characters the sample already has


class Events(threading.Thread):
    """Reads the watch server's event stream; each event's state goes into a queue."""

    def __init__(self, port: int):
        super().__init__(daemon=True)
        self.port, self.q = port, queue.Queue()
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def run(self) -> None:
        self.conn.request("GET", "/events")
        r = self.conn.getresponse()
        data = []
        for raw in r:
            line = raw.decode("utf-8").rstrip("\n")
            if line.startswith("data: "):
                data.append(line[6:])
            elif not line and data:
                self.q.put(json.loads("".join(data)))
                data = []


def fetch(port: int, path: str) -> bytes:
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        c.request("GET", path)
        return c.getresponse().read()
    finally:
        c.close()


def wait_built(ev: Events, after: int) -> dict:
    while True:
        s = ev.q.get(timeout=60)
        if not s["building"] and s["builds"] > after:
            if s["error"]:
                raise SystemExit(f"watch build failed: {s['error']}")
            return s


def timed(ev: Events, port: int, state: dict, write, page: int = 1) -> tuple[float, dict]:
    t0 = time.perf_counter()
    write()
    s = wait_built(ev, state["builds"])
    png = fetch(port, s["pages"][page - 1]["png"])
    t1 = time.perf_counter()
    assert png.startswith(b"\x89PNG")
    return t1 - t0, s


def summary(name: str, xs: list[float], target: str = "") -> dict:
    line = (f"{name:<34} {len(xs):>4}  {statistics.median(xs):8.3f}  {min(xs):6.3f}  "
            f"{max(xs):6.3f}  {target}")
    print(line)
    return {"case": name, "runs": xs, "median": statistics.median(xs), "target": target}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--edits", type=int, default=20)
    ap.add_argument("--json", type=Path)
    args = ap.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="layout-watch-bench-"))
    proc = None
    try:
        shutil.copytree(ROOT / "styles", tmp / "styles")
        issue = tmp / "issue.yaml"
        original = SAMPLE.read_text(encoding="utf-8")
        assert ANCHOR in original
        issue.write_text(original, encoding="utf-8")
        style = tmp / "styles" / "shangjie.yaml"
        style_text = style.read_text(encoding="utf-8")
        proc = subprocess.Popen([sys.executable, "-m", "layout.cli", "watch", str(issue),
                                 "--port", "0", "-o", str(tmp / "out")],
                                cwd=tmp, stdout=subprocess.PIPE, text=True,
                                env=dict(os.environ, PYTHONUNBUFFERED="1"))
        port = int(re.search(r"127\.0\.0\.1:(\d+)", proc.stdout.readline()).group(1))
        threading.Thread(target=lambda: [None for _ in proc.stdout], daemon=True).start()
        ev = Events(port)
        ev.start()
        state = wait_built(ev, 0)

        def write_text(text: str):
            return lambda: issue.write_text(text, encoding="utf-8")

        # warm-up: the first edits fill the process's caches (and the font cache)
        for ch in "了的":
            _, state = timed(ev, port, state, write_text(original.replace(ANCHOR, ANCHOR + ch)))
        edits = []
        for k in range(args.edits):
            at = ANCHOR[: 1 + k % (len(ANCHOR) - 1)]        # a different place each time
            ch = POOL[k % len(POOL)]
            text = original.replace(ANCHOR, ANCHOR.replace(at, at + ch, 1), 1)
            dt, state = timed(ev, port, state, write_text(text))
            edits.append(dt)
        new_chars = []
        for ch in "鑫淼焱":
            dt, state = timed(ev, port, state, write_text(original.replace(ANCHOR, ANCHOR + ch)))
            new_chars.append(dt)
        styles = []
        for size in (23, 22, 23):
            text = re.sub(r"(\n  headline: +\{[^}]*size: )\d+", rf"\g<1>{size}", style_text)
            dt, state = timed(ev, port, state,
                              lambda text=text: style.write_text(text, encoding="utf-8"))
            styles.append(dt)
        print(f"\nlayout watch, sample issue ({len(state['pages'])} pages), "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}\n")
        print(f"{'case':<34} {'runs':>4}  {'median s':>8}  {'min s':>6}  {'max s':>6}  target")
        print("-" * 78)
        out = [summary("one-character edit -> PNG served", edits, "<= 0.25 s"),
               summary("edit with a new character", new_chars),
               summary("style change -> all pages served", styles, "<= 1 s")]
        print("\nThe build ratio against Typst: python bench/bench.py --typst-only")
        if args.json:
            args.json.write_text(json.dumps(out, indent=1))
        return 0
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
