#!/usr/bin/env python3
"""Benchmark `layout`: whole builds (cold and warm font cache) and text setting alone.

    python bench/bench.py [--runs N] [--pages 1,2,4,8] [--json FILE] [--strict] [--typst-only]

Run it with the Python the project is installed in (`pip install -e '.[test]'`; the
Typst case also wants `pip install -e '.[bench]'`).
Each build is a separate process, `python -m layout.cli build ISSUE -o PDF`, so
the times include interpreter start-up and imports, as a user sees them.

Cases:
  sample, cold    issues/2025-03-09.yaml with a new, empty LAYOUT_CACHE_DIR per run
  sample, warm    the same issue, one cache folder, after one untimed build
  N pages         a synthetic issue of N pages made from the sample's articles,
                  cold and warm, to show how build time grows with pages
  text setting    in one process: every body paragraph of the sample set at the
                  body column measure (layout.setting.set_text)
  typst           Typst (the `typst` package: the compiler in a wheel) compiling the
                  sample's articles as a 6-column A3 document with the bundled fonts,
                  a fresh process per run, timed side by side (runs interleaved) with
                  `layout build` of the sample, warm cache; prints layout's time over
                  Typst's (target: at most 2). Skipped, saying so, without typst.

Each case reports the median, min and max of the runs. Build cases also report
the peak RSS of the build process, which is the largest over the runs. It is
read from os.wait4 for each child. getrusage(RUSAGE_CHILDREN) only keeps a
high-water mark over all the children so far, so it cannot tell one case from
the next.
Standard library and the project only (and typst, for its case, if installed).
"""
from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import statistics
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
STRESS4 = ROOT / "issues" / "stress-4pages.yaml"   # 4 pages, 20 articles: the layout search
PHOTOS = ROOT / "issues" / "photo-example.yaml"    # the sample's text with photos, 报眼, 导读
PHOTO_RATIO = 1.5      # the photo example's warm build, at most this times the sample's
TYPST_RATIO = 2.0      # `layout build` of the sample (warm), at most this times Typst's compile

TARGETS = {            # seconds; printed next to the results
    "sample, cold": 3.0,
    "sample, warm": 1.0,
    "text setting": 0.2,
    "stress 4 pages, cold": 4.0,
    "stress 4 pages, warm": 4.0,
    "page layout, slowest page": 1.0,
    "sample e-paper, warm": 2.0,
}


# ------------------------------------------------------------------ builds

class BuildFailed(RuntimeError):
    pass


def child_env(cache: Path) -> dict:
    """The environment of a timed child: ours with its cache folder, and Python's
    bytecode cache allowed as a user's shell allows it (PYTHONDONTWRITEBYTECODE, set
    in some sandboxes, would make every run compile the package from source: 40 ms
    that no installed tool pays)."""
    env = dict(os.environ, LAYOUT_CACHE_DIR=str(cache))
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def build_once(issue: Path, out: Path, cache: Path, command: str = "build"
               ) -> tuple[float, float]:
    """Build issue into out as a child process; (wall seconds, peak RSS in MiB).

    command "epaper": out is the site's folder (it must be new or one of ours).
    """
    env = child_env(cache)
    cmd = [sys.executable, "-m", "layout.cli", command, str(issue), "-o", str(out)]
    return run_once(cmd, env)


def run_once(cmd: list[str], env: dict | None = None) -> tuple[float, float]:
    """Run cmd as a child process; (wall seconds, peak RSS in MiB). BuildFailed if it fails."""
    with tempfile.TemporaryFile() as err:
        t0 = time.perf_counter()
        proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=ROOT)
        # wait4 rather than wait: it gives this one child's resource usage
        _, status, usage = os.wait4(proc.pid, 0)
        elapsed = time.perf_counter() - t0
        proc.returncode = os.waitstatus_to_exitcode(status)
        if proc.returncode != 0:
            err.seek(0)
            message = err.read().decode("utf-8", "replace").strip()
            raise BuildFailed(f"{' '.join(cmd)} exited {proc.returncode}: {message}")
    # ru_maxrss is KiB on Linux and bytes on macOS
    rss = usage.ru_maxrss / (1024 * 1024 if sys.platform == "darwin" else 1024)
    return elapsed, rss


def bench_builds(name: str, issue: Path, pages: int, runs: int, work: Path) -> list[dict]:
    """The cold and the warm case of one issue."""
    out = work / "out" / f"{issue.stem}.pdf"
    cold_times, cold_rss = [], []
    for i in range(runs):
        t, rss = build_once(issue, out, work / "cache" / f"{issue.stem}-cold-{i}")
        cold_times.append(t)
        cold_rss.append(rss)
    warm_cache = work / "cache" / f"{issue.stem}-warm"
    build_once(issue, out, warm_cache)            # fills the cache; not timed
    warm_times, warm_rss = [], []
    for _ in range(runs):
        t, rss = build_once(issue, out, warm_cache)
        warm_times.append(t)
        warm_rss.append(rss)
    return [_case(f"{name}, cold", pages, cold_times, max(cold_rss)),
            _case(f"{name}, warm", pages, warm_times, max(warm_rss))]


def bench_epaper(issue: Path, runs: int, work: Path) -> dict:
    """`layout epaper` into a fresh folder each run, with a warm font cache."""
    cache = work / "cache" / f"{issue.stem}-warm"
    build_once(issue, work / "out" / f"{issue.stem}.pdf", cache)      # warms the cache
    times, rss = [], []
    for i in range(runs):
        t, r = build_once(issue, work / "epaper" / f"run-{i}", cache, command="epaper")
        times.append(t)
        rss.append(r)
    return _case("sample e-paper, warm", _page_count(issue), times, max(rss))


def _case(name: str, pages: int | None, times: list[float], rss: float | None) -> dict:
    target = TARGETS.get(name)
    median = statistics.median(times)
    return {
        "case": name,
        "pages": pages,
        "runs": len(times),
        "times_s": [round(t, 4) for t in times],
        "median_s": round(median, 4),
        "min_s": round(min(times), 4),
        "max_s": round(max(times), 4),
        "peak_rss_mib": None if rss is None else round(rss, 1),
        "target_s": target,
        "ok": None if target is None else median < target,
    }


def bench_layout(issue: Path, runs: int, work: Path) -> dict:
    """The layout search's own time for the slowest page, from `--report`: fonts warm,
    but no build memory (its layouts would answer the search from disk)."""
    cache = work / "cache" / f"{issue.stem}-warm"
    env = child_env(cache)
    slowest = []
    for i in range(runs):
        shutil.rmtree(cache / "memo", ignore_errors=True)
        report = work / f"report-{i}.json"
        cmd = [sys.executable, "-m", "layout.cli", "build", str(issue), "-o",
               str(work / "out" / "layout.pdf"), "--report", str(report)]
        proc = subprocess.run(cmd, env=env, cwd=ROOT, capture_output=True, text=True)
        if proc.returncode != 0:
            raise BuildFailed(f"{' '.join(cmd)} exited {proc.returncode}: {proc.stderr.strip()}")
        pages = json.loads(report.read_text(encoding="utf-8"))["pages"]
        slowest.append(max(p["seconds"] for p in pages))
    return _case("page layout, slowest page", None, slowest, None)


# ------------------------------------------------------------------ Typst, side by side

# Typst compiles the .typ file in a fresh interpreter, as `layout build` runs in one:
# both times include starting Python and loading the program.
TYPST_COMPILE = ("import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2], "
                 "font_paths=[sys.argv[3]], ignore_system_fonts=True)")


def _typst_text(text: str) -> str:
    """text as a Typst string literal (code mode): no markup is read inside it."""
    text = "".join(ch for ch in text if ch >= " " or ch == "\n").replace("\n", " ")
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def typst_source(issue_path: Path) -> str:
    """The issue's articles as a Typst document comparable to the layout's page.

    A3 with the house style's margins, 6 columns with its gutter, the body in the
    style's body face, size and leading, justified, first lines indented 2 em;
    kicker, headline, subheadline and byline above each body in the style's faces
    and sizes; the masthead's name on page 1; a page break between the issue's
    pages. Fonts: the bundled files only (the style's serif, serif-bold and kai
    faces by their family names).
    """
    from fontTools.ttLib import TTFont

    from layout.model import load_issue
    from layout.style import MM, find_style, load_style

    issue = load_issue(issue_path)
    style = load_style(find_style(issue.paper, issue.path))
    families = {}
    for name, spec in style.fonts.items():
        names = TTFont(str(spec.file), fontNumber=spec.index, lazy=True)["name"]
        families[name] = names.getDebugName(16) or names.getDebugName(1)

    def font(role: str) -> str:
        ts = style.text[role]
        fams = list(dict.fromkeys(families[f] for f in ts.fonts))
        bold = any(f.endswith("bold") for f in ts.fonts[:1])
        return (f'font: ({", ".join(_typst_text(f) for f in fams)},), size: {ts.size:g}pt'
                + (', weight: "bold"' if bold else ""))

    page = style.page
    body = style.text["body"]
    gutter = page.gutter_chars * body.size                     # as layout.geometry's grid
    area = page.columns * page.column_chars * body.size + (page.columns - 1) * gutter
    side = (page.width_mm * MM - area) / 2
    out = [f"// {issue_path.name} as Typst, written by bench/bench.py",
           f"#set page(width: {page.width_mm:g}mm, height: {page.height_mm:g}mm, "
           f"margin: (x: {side:.2f}pt, top: {page.margin_top_mm:g}mm, "
           f"bottom: {page.margin_bottom_mm:g}mm), columns: {page.columns})",
           f"#set columns(gutter: {gutter:g}pt)",
           f"#set text({font('body')}, lang: \"zh\", region: \"cn\")",
           f"#set par(justify: true, first-line-indent: (amount: 2em, all: true), "
           f"leading: {body.leading - body.size:g}pt, spacing: {body.leading - body.size:g}pt)",
           ""]
    for k, p in enumerate(issue.pages):
        if k:
            out.append("#pagebreak()")
        if k == 0:
            out.append(f"#place(top, scope: \"parent\", float: true)[#text({font('masthead_name')})"
                       f"[#{_typst_text(style.masthead.name)}]]")
        for a in p.articles:
            heads = []
            if a.kicker:
                heads.append(("kicker", a.kicker))
            heads.append(("headline", a.headline))
            if a.subheadline:
                heads.append(("subheadline", a.subheadline))
            if a.byline:
                heads.append(("byline", a.printed_byline))
            for role, text in heads:
                out.append(f"#block(below: 4pt)[#set par(first-line-indent: 0pt); "
                           f"#text({font(role)})[#{_typst_text(text)}]]")
            for para in a.body:
                out.append(f"#{_typst_text(para)}")
                out.append("")
    return "\n".join(out) + "\n"


def typst_installed() -> bool:
    return importlib.util.find_spec("typst") is not None


def bench_typst(runs: int, work: Path) -> list[dict] | None:
    """Typst compiling the sample's text and `layout build` of the sample, warm, runs
    interleaved so a busy machine slows both alike; None (said why) without typst."""
    if not typst_installed():
        print("typst: not installed, the Typst ratio is skipped "
              "(pip install -e '.[bench]' installs it)", flush=True)
        return None
    import typst

    typ = work / "typst" / f"{SAMPLE.stem}.typ"
    typ.parent.mkdir(parents=True, exist_ok=True)
    typ.write_text(typst_source(SAMPLE), encoding="utf-8")
    pdf = typ.with_suffix(".pdf")
    cmd = [sys.executable, "-c", TYPST_COMPILE, str(typ), str(pdf), str(ROOT / "fonts")]
    cache = work / "cache" / f"{SAMPLE.stem}-warm"
    out = work / "out" / "typst-side.pdf"
    env = child_env(cache)                     # the same environment as layout's runs
    run_once(cmd, env)                         # untimed: the same first-run costs as layout's
    build_once(SAMPLE, out, cache)             # fills (or keeps) the warm cache
    typst_times, typst_rss, layout_times, layout_rss = [], [], [], []
    for _ in range(runs):
        t, r = run_once(cmd, env)
        typst_times.append(t)
        typst_rss.append(r)
        t, r = build_once(SAMPLE, out, cache)
        layout_times.append(t)
        layout_rss.append(r)
    version = getattr(typst, "__version__", "?")
    ts = _case(f"typst {version} compile, fresh process", _pdf_pages(pdf), typst_times,
               max(typst_rss))
    lay = _case("sample, warm, beside typst", _page_count(SAMPLE), layout_times,
                max(layout_rss))
    ratio = lay["median_s"] / ts["median_s"]
    lay["target_s"] = round(TYPST_RATIO * ts["median_s"], 4)
    lay["ok"] = ratio <= TYPST_RATIO
    lay["typst_ratio"] = round(ratio, 2)
    return [ts, lay]


def typst_note(typst_cases: list[dict]) -> str:
    ts, lay = typst_cases
    return (f"\nlayout build / Typst (side by side, medians of {lay['runs']}): "
            f"{lay['median_s']:.3f} s / {ts['median_s']:.3f} s = {lay['typst_ratio']:.2f}x "
            f"(target at most {TYPST_RATIO:g}x: {'ok' if lay['ok'] else 'MISSED'})")


def _pdf_pages(pdf: Path) -> int | None:
    try:
        import pypdfium2
        doc = pypdfium2.PdfDocument(str(pdf))
        try:
            return len(doc)
        finally:
            doc.close()
    except Exception:  # noqa: BLE001 - the page count is only shown
        return None


# ------------------------------------------------------------------ synthetic issues

def synthetic_issue(pages: int, dest: Path) -> Path:
    """An issue of `pages` pages made from the sample's articles, as YAML.

    Page 1 is the sample's page 1 (it carries the masthead). Inner pages take
    the sample's inner pages in turn, with their articles rotated by one more
    place each time round, so each page holds about as much as a sample page.
    """
    import yaml

    sample = yaml.safe_load(SAMPLE.read_text(encoding="utf-8"))
    src_pages = sample["pages"]
    inner = src_pages[1:] or src_pages
    out_pages = [src_pages[0]]
    for k in range(pages - 1):
        src = inner[k % len(inner)]
        arts = list(src["articles"])
        r = k % len(arts)
        page = {key: value for key, value in src.items() if key != "articles"}
        page["articles"] = arts[r:] + arts[:r]
        out_pages.append(page)
    issue = {key: sample[key] for key in ("date", "number", "total", "credits") if key in sample}
    issue = {"paper": "shangjie", **issue, "pages": out_pages[:pages]}

    class Dumper(yaml.SafeDumper):
        def ignore_aliases(self, data):        # write repeated articles out in full
            return True

    def text(dumper, value: str):
        style = "|" if "\n" in value else None     # bodies as literal blocks, as staff write them
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)

    Dumper.add_representer(str, text)
    path = dest / f"synthetic-{pages}p.yaml"
    header = (f"# Synthetic {pages}-page issue generated by bench/bench.py from "
              f"{SAMPLE.relative_to(ROOT)}\n")
    path.write_text(header + yaml.dump(issue, Dumper=Dumper, allow_unicode=True,
                                       sort_keys=False, width=10_000), encoding="utf-8")
    return path


# ------------------------------------------------------------------ text setting

def bench_setting(runs: int, cache: Path) -> dict:
    """Set every body paragraph of the sample at the body column measure, in process."""
    os.environ["LAYOUT_CACHE_DIR"] = str(cache)
    from layout.build import prepare
    from layout.setting import Rules, set_text

    prep = prepare(SAMPLE)          # metrics from the full faces: nothing to prepare first
    style = prep.style
    body, s = style.body, style.setting
    measure = style.page.column_chars * body.size
    opts = dict(indent_em=s.first_line_indent_chars, justify=True, tracking_em=body.tracking,
                rules=Rules.from_style(s))
    paras = [p for page in prep.issue.pages for a in page.articles for p in a.body]

    def once() -> int:
        return sum(len(set_text(p, body.fonts, body.size, measure, prep.fonts, **opts).lines)
                   for p in paras)

    lines = once()                                  # warm-up, not timed
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        once()
        times.append(time.perf_counter() - t0)
    case = _case("text setting", None, times, None)
    case["paragraphs"] = len(paras)
    case["characters"] = sum(len(p) for p in paras)
    case["lines"] = lines
    return case


# ------------------------------------------------------------------ report

def table(cases: list[dict]) -> str:
    head = ("case", "pages", "runs", "median s", "min s", "max s", "peak RSS MiB", "target")
    rows = []
    for c in cases:
        target = ""
        if c["target_s"] is not None:
            target = f"< {c['target_s']:g} s {'ok' if c['ok'] else 'MISSED'}"
        rows.append((c["case"], "" if c["pages"] is None else str(c["pages"]), str(c["runs"]),
                     f"{c['median_s']:.3f}", f"{c['min_s']:.3f}", f"{c['max_s']:.3f}",
                     "" if c["peak_rss_mib"] is None else f"{c['peak_rss_mib']:.0f}", target))
    widths = [max(len(r[i]) for r in rows + [head]) for i in range(len(head))]
    right = {1, 2, 3, 4, 5, 6}

    def fmt(row):
        return "  ".join(v.rjust(w) if i in right else v.ljust(w)
                         for i, (v, w) in enumerate(zip(row, widths))).rstrip()

    return "\n".join([fmt(head), fmt(tuple("-" * w for w in widths))] + [fmt(r) for r in rows])


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--runs", type=int, default=5, help="timed runs per case (default 5)")
    ap.add_argument("--pages", default="1,2,4,8",
                    help="page counts of the synthetic issues (default 1,2,4,8)")
    ap.add_argument("--json", type=Path, metavar="FILE", help="also write the results as JSON")
    ap.add_argument("--strict", action="store_true", help="exit 1 if a target is missed")
    ap.add_argument("--typst-only", action="store_true",
                    help="only the Typst case: layout build of the sample beside Typst")
    args = ap.parse_args(argv)
    if args.runs < 1:
        ap.error("--runs must be at least 1")
    page_counts = [int(p) for p in args.pages.split(",") if p.strip()]

    print(f"layout benchmark: Python {platform.python_version()} on {platform.platform()}, "
          f"{os.cpu_count()} CPUs; {args.runs} runs per case; times are whole processes "
          f"(python -m layout.cli build)", flush=True)
    cases: list[dict] = []
    if args.typst_only:
        with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp:
            try:
                typst_cases = bench_typst(args.runs, Path(tmp))
            except BuildFailed as err:
                print(f"error: {err}", file=sys.stderr)
                return 2
        if typst_cases is None:
            return 0
        print()
        print(table(typst_cases))
        print(typst_note(typst_cases))
        ok = typst_cases[1]["ok"]
        return 1 if (args.strict and not ok) else 0
    typst_cases = None
    with tempfile.TemporaryDirectory(prefix="layout-bench-") as tmp:
        work = Path(tmp)
        issues = work / "issues"
        issues.mkdir()
        try:
            print("building the sample ...", flush=True)
            cases += bench_builds("sample", SAMPLE, _page_count(SAMPLE), args.runs, work)
            print("building the photo example ...", flush=True)
            cases += bench_builds("photo example", PHOTOS, _page_count(PHOTOS), args.runs, work)
            # photos are converted once and cached, so a warm build costs little more
            warm = {c["case"]: c for c in cases}
            photo = warm["photo example, warm"]
            photo["target_s"] = round(PHOTO_RATIO * warm["sample, warm"]["median_s"], 4)
            photo["ok"] = photo["median_s"] <= photo["target_s"]
            for n in page_counts:
                print(f"building a synthetic {n}-page issue ...", flush=True)
                label = f"{n} page" + ("s" if n != 1 else "")
                cases += bench_builds(label, synthetic_issue(n, issues), n, args.runs, work)
            print("building the 4-page stress issue ...", flush=True)
            cases += bench_builds("stress 4 pages", STRESS4, 4, args.runs, work)
            cases.append(bench_layout(STRESS4, args.runs, work))
            print("writing the sample's e-paper ...", flush=True)
            cases.append(bench_epaper(SAMPLE, args.runs, work))
            print("Typst beside layout build ...", flush=True)
            typst_cases = bench_typst(args.runs, work)
        except BuildFailed as err:
            print(f"error: {err}", file=sys.stderr)
            return 2
        cases += typst_cases or []
        print("setting text ...", flush=True)
        setting = bench_setting(max(args.runs, 5), work / "cache" / "2025-03-09-warm")
        cases.append(setting)

    print()
    print(table(cases))
    print(f"\ntext setting: {setting['paragraphs']} paragraphs, {setting['characters']} "
          f"characters, {setting['lines']} lines at {_measure_note()}")
    if typst_cases:
        print(typst_note(typst_cases))
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps({
            "python": platform.python_version(),
            "platform": platform.platform(),
            "cpus": os.cpu_count(),
            "runs": args.runs,
            "cases": cases,
        }, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    missed = [c["case"] for c in cases if c["ok"] is False]
    if missed:
        print("missed targets: " + ", ".join(missed))
    return 1 if (missed and args.strict) else 0


def _page_count(issue: Path) -> int:
    import yaml

    return len(yaml.safe_load(issue.read_text(encoding="utf-8"))["pages"])


def _measure_note() -> str:
    from layout.style import find_style, load_style
    from layout.model import load_issue

    style = load_style(find_style(load_issue(SAMPLE).paper, SAMPLE))
    return (f"{style.page.column_chars} × {style.body.size:g} pt "
            f"(body {style.body.size:g} pt, indent {style.setting.first_line_indent_chars} em)")


if __name__ == "__main__":
    sys.exit(main())
