"""`layout watch`: rebuild a draft on every save and show it live in the browser.

One process: a Session (layout/session.py) builds the issue as a draft and
keeps fonts, metrics and set text in memory; a watcher (watchfiles) rebuilds
when the issue file, its house style or the style's logo changes on disk; a
small HTTP server on 127.0.0.1 serves a page that shows every page of the
issue, the module outlines and figures of the layout report, the warnings,
and the last error. The page refreshes itself from server-sent events.
On request (a button per page) the watch process lays that page out in its
best few different layouts and the page shows them side by side with their
scorecards, and how to take one (`layout: N` on the page in the YAML).

Security: the server binds 127.0.0.1 only, refuses clients that are not
loopback and requests whose Host is not this server (DNS rebinding), and
serves files from its output folder only (never a path with '..').
"""
from __future__ import annotations

import datetime as _dt
import ipaddress
import json
import logging
import os
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from .errors import InputError, LayoutError

log = logging.getLogger("layout")

HOST = "127.0.0.1"
# watchfiles: yield a change once the folder has been quiet this long (ms)...
STEP_MS = 10
# ...or after this long at most while writes keep coming (ms)
DEBOUNCE_MS = 300
# a comment line on idle event streams, so proxies and browsers keep them open (s)
KEEPALIVE_S = 15.0


def error_line(err: BaseException) -> str:
    """The one line the CLI prints for this failure (cli._fail), without exiting."""
    if isinstance(err, OSError):
        from .paths import fault
        err = fault(err)
    if isinstance(err, LayoutError):
        return "error: " + " ".join(str(err).splitlines())
    return (f"error: internal error ({type(err).__name__}: {err}); "
            "rerun with LAYOUT_DEBUG=1 for details and report it")


def loopback(ip: str) -> bool:
    """A client address the server answers: loopback only (127.0.0.0/8, ::1)."""
    try:
        addr = ipaddress.ip_address(ip.split("%")[0])
    except ValueError:
        return False
    mapped = getattr(addr, "ipv4_mapped", None)
    return (mapped or addr).is_loopback


class Watch:
    """The watch process: session, watcher thread and HTTP server."""

    def __init__(self, issue: Path, outdir: Path | None = None, port: int = 0,
                 dpi: int | None = None, echo=None):
        from .session import DEFAULT_DPI, Session

        self.issue = Path(issue)
        self.outdir = Path(outdir) if outdir else Path("out") / f"{self.issue.stem}-watch"
        self.session = Session(self.issue, self.outdir, dpi or DEFAULT_DPI)
        self.echo = echo or (lambda text, err=False: None)
        self.cond = threading.Condition()
        self.version = 0                  # bumps on every build, good or bad
        self.error: str | None = None
        self.building = False
        self.builds = 0
        self.state_json = self._state()
        self.stopping = threading.Event()
        self._lock = threading.Lock()     # one build at a time
        self.server = _Server((HOST, port), _Handler)
        self.server.app = self
        self.port = self.server.server_address[1]
        self.url = f"http://{HOST}:{self.port}/"
        self._threads: list[threading.Thread] = []
        self.last_change = 0.0            # perf_counter when the watcher saw the last change
        self._built_stamp: tuple = ()     # the inputs' sizes and times at the last build
        self._candidates: dict[tuple[int, int], str] = {}   # (build, page) -> its JSON

    # -- life cycle ---------------------------------------------------------
    def start(self, build: bool = True, watch: bool = True) -> None:
        t = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.2},
                             name="layout-watch-http", daemon=True)
        t.start()
        self._threads.append(t)
        if build:
            self.rebuild()
        if watch:
            w = threading.Thread(target=self._watch_loop, name="layout-watch-files",
                                 daemon=True)
            w.start()
            self._threads.append(w)

    def stop(self) -> None:
        self.stopping.set()
        with self.cond:
            self.cond.notify_all()
        self.server.shutdown()
        self.server.server_close()
        for t in self._threads:
            t.join(timeout=5)
        self.session.close()

    def __enter__(self) -> Watch:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()

    # -- building -----------------------------------------------------------
    def rebuild(self) -> bool:
        """Build once; on failure keep the last good pages and show the error."""
        with self._lock:
            # stamped before the build, so a save during it is not missed...
            read = self._built_stamp = _stamp(self._targets()[0])
            self._publish(building=True)
            try:
                snap = self.session.build()
            except Exception as err:  # noqa: BLE001 - every failure becomes one line
                if os.environ.get("LAYOUT_DEBUG"):
                    log.exception("watch build failed")
                line = self._problems(err)
                self.echo(line, err=True)
                self._publish(building=False, error=line)
                return False
            finally:
                # ...and a file the build first learnt of (the style, on the first
                # build) as it is now; else the idle check sees it new and rebuilds
                known = {f for f, *_ in read}
                new = set(self._targets()[0]) - known
                self._built_stamp = tuple(sorted(read + _stamp(new)))
            drawn = sum(p.drawn for p in snap.pages)
            self.echo(f"{_dt.datetime.now():%H:%M:%S} built {len(snap.pages)} pages "
                      f"({drawn} drawn) in {snap.seconds:.2f} s")
            self._publish(building=False, error=None)
            return True

    def _problems(self, err: BaseException) -> str:
        """The failed build's error line, or for a fault in the issue file every
        problem `layout check` would list without composing, one line each."""
        line = error_line(err)
        if not isinstance(err, InputError):
            return line
        from .build import file_problems
        try:
            lines = [error_line(p) for p in file_problems(self.issue)[1]]
        except Exception:  # noqa: BLE001 - the build's own error is still the answer
            return line
        if line not in lines:
            lines.insert(0, line)
        return "\n".join(lines)

    def _publish(self, building: bool, error: str | None = "keep") -> None:
        with self.cond:
            self.building = building
            if not building:
                self.builds += 1
                self.error = error
            self.version += 1
            self.state_json = self._state()
            self.cond.notify_all()

    def _state(self) -> str:
        snap = self.session.last
        pages = []
        warnings = list(snap.warnings) if snap else []
        if snap:
            for view in snap.pages:
                heads = [m["headline"] for m in view.report["modules"]]
                # "page N: …", or "file:line:col: page N: …" (an overset draft page)
                mine = [w for w in warnings if w.startswith(f"page {view.number}:")
                        or f": page {view.number}: " in w
                        or any(f"'{h}'" in w for h in heads)]
                pages.append({"number": view.number, "png": f"/files/{view.png.name}",
                              "width": view.width, "height": view.height,
                              "drawn": view.drawn, "report": view.report, "warnings": mine,
                              "layouts": snap.layouts.get(view.number, 1)})
        return json.dumps({
            "version": self.version, "builds": self.builds, "building": self.building,
            "error": self.error, "issue": str(self.issue),
            "style": str(self.session.style_path) if self.session.style_path else None,
            "build": snap.version if snap else 0,
            "seconds": round(snap.seconds, 3) if snap else None,
            "at": f"{_dt.datetime.now():%H:%M:%S}",
            "pages": pages, "warnings": warnings,
        }, ensure_ascii=False)

    # -- layout candidates -----------------------------------------------------
    def candidates(self, number: int) -> tuple[int, str]:
        """(HTTP status, JSON) of page `number`'s layout candidates in the last good
        build: computed when first asked for (holding the build lock), then kept
        until the next build."""
        with self._lock:
            snap = self.session.last
            if snap is None:
                return 409, json.dumps({"error": "no page has been built yet"})
            key = (snap.version, number)
            if key not in self._candidates:
                try:
                    found = self.session.candidates(number)
                except LookupError as err:
                    return 404, json.dumps({"error": str(err)}, ensure_ascii=False)
                except Exception as err:  # noqa: BLE001 - shown on the page, one line
                    if os.environ.get("LAYOUT_DEBUG"):
                        log.exception("layout candidates failed")
                    return 200, json.dumps({"page": number, "error": error_line(err)},
                                           ensure_ascii=False)
                for c in found["candidates"]:
                    c["png"] = f"/files/{c['png']}"
                found["issue"] = str(self.issue)
                self._candidates = {k: v for k, v in self._candidates.items()
                                    if k[0] == snap.version}
                self._candidates[key] = json.dumps(found, ensure_ascii=False)
            return 200, self._candidates[key]

    # -- watching -----------------------------------------------------------
    def _targets(self) -> tuple[set[str], list[Path]]:
        """Files whose change means a rebuild, and the folders that hold them."""
        s = self.session
        files = {str(p) for p in s.inputs()}
        paper = s.style_path.name if s.style_path else None
        folders = {Path(f).parent for f in files}
        if paper:      # a style added earlier in the lookup order takes over
            for d in s.style_candidates():
                if d.is_dir():
                    folders.add(d.resolve())
                    files.add(str(d.resolve() / paper))
        return files, sorted(folders)

    def _watch_loop(self) -> None:
        from watchfiles import watch

        while not self.stopping.is_set():
            targets = self._targets()
            files, folders = targets
            folders = [d for d in folders if d.is_dir()]
            if not folders:
                self.stopping.wait(0.5)
                continue

            def relevant(change, path: str, files=files) -> bool:
                return path in files or str(Path(path).resolve()) in files

            for changes in watch(*folders, watch_filter=relevant, debounce=DEBOUNCE_MS,
                                 step=STEP_MS, stop_event=self.stopping, recursive=False,
                                 raise_interrupt=False, rust_timeout=1000,
                                 yield_on_timeout=True):
                # every second without events: a change the watcher may have missed
                # (one written before it was watching) shows in the files' stamps
                if not changes:
                    if self._targets() != targets:
                        break       # the style (or its logo) moved: watch the new folders
                    if _stamp(files) == self._built_stamp:
                        continue
                self.last_change = time.perf_counter()
                self.rebuild()
                if self._targets() != targets:
                    break


def _stamp(files) -> tuple:
    out = []
    for f in sorted(files):
        try:
            st = os.stat(f)
            out.append((f, st.st_size, st.st_mtime_ns))
        except OSError:
            out.append((f, None, None))
    return tuple(out)


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = False
    app: Watch

    def verify_request(self, request, client_address) -> bool:
        """Only loopback clients are answered; any other connection is closed at once."""
        return loopback(client_address[0])


class _Handler(BaseHTTPRequestHandler):
    server: _Server
    server_version = "layout-watch"

    def log_message(self, format, *args) -> None:  # noqa: A002 - the base class's name
        log.debug("watch http: " + format, *args)

    def _send(self, status: int, body: bytes, ctype: str, cache: str = "no-store") -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Content-Security-Policy",
                         "default-src 'self'; img-src 'self'; style-src 'self'; "
                         "script-src 'self'; connect-src 'self'; frame-ancestors 'none'")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refuse(self, status: int, why: str) -> None:
        self._send(status, (why + "\n").encode(), "text/plain; charset=utf-8")

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_POST(self) -> None:
        self._refuse(405, "read-only")

    do_PUT = do_DELETE = do_PATCH = do_POST

    def do_GET(self) -> None:
        app = self.server.app
        if not loopback(self.client_address[0]):
            return self._refuse(403, "loopback clients only")
        host = (self.headers.get("Host") or "").lower()
        if host not in {f"127.0.0.1:{app.port}", f"localhost:{app.port}"}:
            return self._refuse(403, "this server answers only http://127.0.0.1:%d/" % app.port)
        raw = self.path
        path = unquote(urlsplit(raw).path)
        if ".." in raw or ".." in path or "\\" in path or "\0" in path:
            return self._refuse(403, "outside the output folder")
        if path in ("/", "/index.html"):
            return self._send(200, PAGE_HTML.encode(), "text/html; charset=utf-8")
        if path == "/app.js":
            return self._send(200, PAGE_JS.encode(), "text/javascript; charset=utf-8")
        if path == "/app.css":
            return self._send(200, PAGE_CSS.encode(), "text/css; charset=utf-8")
        if path == "/state":
            with app.cond:
                body = app.state_json
            return self._send(200, body.encode(), "application/json; charset=utf-8")
        if path == "/events":
            return self._events()
        if path == "/candidates":
            page = parse_qs(urlsplit(raw).query).get("page", [""])[0]
            if not page.isdigit() or not 0 < int(page) < 1000:
                return self._refuse(400, "candidates?page=N, N a page of the issue")
            status, body = app.candidates(int(page))
            return self._send(status, body.encode(), "application/json; charset=utf-8")
        if path.startswith("/files/"):
            return self._file(path[len("/files/"):])
        return self._refuse(404, "not found")

    def _file(self, name: str) -> None:
        """A page PNG from the output folder, and nothing else."""
        outdir = self.server.app.outdir.resolve()
        if not name or "/" in name or name.startswith(".") or not name.endswith(".png"):
            return self._refuse(404, "not found")
        target = (outdir / name).resolve()
        if target.parent != outdir:
            return self._refuse(403, "outside the output folder")
        try:
            data = target.read_bytes()
        except OSError:
            return self._refuse(404, "not found")
        self._send(200, data, "image/png", cache="max-age=3600, immutable")

    def _events(self) -> None:
        """Server-sent events: the whole state after every build (and while building)."""
        app = self.server.app
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        last = None
        try:
            while not app.stopping.is_set():
                with app.cond:
                    app.cond.wait_for(lambda: app.version != last or app.stopping.is_set(),
                                      timeout=KEEPALIVE_S)
                    version, data = app.version, app.state_json
                if app.stopping.is_set():
                    break
                if version != last:
                    self.wfile.write(f"id: {version}\ndata: {data}\n\n".encode())
                    last = version
                else:
                    self.wfile.write(b": keep-alive\n\n")
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, ConnectionAbortedError):
            pass
        self.close_connection = True


def run(issue: Path, port: int = 0, open_browser: bool = False, outdir: Path | None = None,
        dpi: int | None = None) -> None:
    """`layout watch`: serve until Ctrl-C (or SIGTERM)."""
    def echo(text: str, err: bool = False) -> None:
        stream = sys.stderr if err else sys.stdout
        print(text, file=stream, flush=True)

    app = Watch(issue, outdir, port, dpi, echo)
    try:
        echo(f"layout watch: {app.url}  (watching {issue}; Ctrl-C to stop)")
        app.start(build=False)
        if open_browser:
            import webbrowser
            webbrowser.open(app.url)
        app.rebuild()
        while not app.stopping.wait(0.5):
            pass
    except KeyboardInterrupt:
        echo("layout watch: stopped")
    finally:
        app.stop()


# ----------------------------------------------------------------------- the page

PAGE_HTML = """<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<title>layout watch</title>
<link rel="stylesheet" href="/app.css">
<script src="/app.js" defer></script>
</head>
<body>
<header>
  <strong>layout watch</strong> <span id="issue"></span>
  <span id="status" class="status">connecting…</span>
</header>
<div id="error" hidden></div>
<section id="candidates" hidden aria-label="layout candidates">
  <header><strong id="cand-title"></strong> <span id="cand-status"></span>
    <button type="button" id="cand-close" aria-label="close">×</button></header>
  <p id="cand-how"></p>
  <div id="cand-list"></div>
</section>
<main>
  <nav id="thumbs" aria-label="pages"></nav>
  <section id="view">
    <div id="sheet"><img id="big" alt=""><div id="outlines"></div></div>
  </section>
  <aside id="side">
    <h2 id="page-title"></h2>
    <dl id="figures"></dl>
    <div id="layouts"><button type="button" id="compare">Compare layouts</button>
      <span id="layouts-note"></span></div>
    <ul id="page-warnings" class="warnings"></ul>
    <h3>Modules</h3>
    <ol id="modules"></ol>
    <div id="detail" hidden></div>
  </aside>
</main>
</body>
</html>
"""

PAGE_CSS = """
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, "Noto Sans CJK SC", sans-serif; color: #222;
       background: #e9e9e6; }
header { padding: 6px 12px; background: #333; color: #eee; display: flex; gap: 12px;
         align-items: baseline; }
header .status { margin-left: auto; color: #bbb; }
header .status.building { color: #ffd76a; }
#error { background: #b00020; color: #fff; padding: 8px 12px; font-family: ui-monospace, monospace;
         white-space: pre-wrap; max-height: 30vh; overflow-y: auto; }
#error small { display: block; opacity: .85; font-family: system-ui, sans-serif; }
main { display: grid; grid-template-columns: 130px minmax(0, 1fr) 340px; gap: 10px; padding: 10px;
       height: calc(100vh - 36px); }
#error:not([hidden]) ~ main { height: calc(100vh - 90px); }
#thumbs { overflow-y: auto; }
#thumbs figure { margin: 0 0 10px; cursor: pointer; border: 2px solid transparent; background: #fff; }
#thumbs figure.current { border-color: #1565c0; }
#thumbs figure.problem figcaption { color: #b00020; font-weight: bold; }
#thumbs img { width: 100%; display: block; }
#thumbs figcaption { text-align: center; font-size: 12px; }
#view { overflow: auto; text-align: center; }
#sheet { position: relative; display: inline-block; height: 100%; aspect-ratio: 297 / 420;
         background: #fff; box-shadow: 0 1px 6px rgba(0,0,0,.25); }
#big { width: 100%; height: 100%; display: block; }
#outlines { position: absolute; inset: 0; }
.module { position: absolute; border: 1.5px solid rgba(21,101,192,.55); cursor: pointer;
          background: rgba(21,101,192,.03); }
.module:hover { background: rgba(21,101,192,.10); border-color: #1565c0; }
.module.selected { border: 2.5px solid #e65100; background: rgba(230,81,0,.08); }
.module .label { display: none; position: absolute; left: 0; bottom: 0; font-size: 11px;
                 background: rgba(21,101,192,.85);
                 color: #fff; padding: 0 4px; max-width: 100%; overflow: hidden; white-space: nowrap;
                 text-overflow: ellipsis; }
#side { overflow-y: auto; background: #fff; padding: 10px 12px; }
#side h2 { margin: 0 0 6px; font-size: 18px; }
#side h3 { margin: 14px 0 4px; font-size: 14px; }
dl { display: grid; grid-template-columns: auto 1fr; gap: 2px 10px; margin: 0; }
dt { color: #666; } dd { margin: 0; }
.bad { color: #b00020; font-weight: bold; }
.warnings { padding-left: 18px; color: #8a5a00; }
#modules { padding-left: 22px; }
#modules li { cursor: pointer; } #modules li.selected { color: #e65100; font-weight: bold; }
#detail { margin-top: 10px; border-top: 1px solid #ddd; padding-top: 8px; }
.module:hover > .label, .module.selected > .label { display: block; }
#detail code { background: #f1f1f1; padding: 1px 4px; word-break: break-all; }
#layouts { margin-top: 8px; padding: 6px; background: #eef4fb; }
#layouts button, #candidates button { font: inherit; cursor: pointer; }
#layouts-note { display: block; font-size: 12px; color: #444; }
#candidates { position: fixed; inset: 44px 12px 12px 12px; z-index: 50; background: #fff;
              box-shadow: 0 2px 16px rgba(0,0,0,.35); padding: 10px 14px; overflow: auto; }
#candidates header { background: none; color: #222; padding: 0; display: flex; gap: 10px;
                     align-items: baseline; }
#cand-close { margin-left: auto; font-size: 20px; line-height: 1; border: 0; background: none; }
#cand-how { margin: 6px 0 10px; }
#cand-how code, .cand code { background: #f1f1f1; padding: 1px 4px; }
#cand-list { display: flex; gap: 14px; align-items: flex-start; flex-wrap: wrap; }
.cand { margin: 0; width: 300px; border: 2px solid #ddd; padding: 6px; }
.cand.chosen { border-color: #1565c0; }
.cand img { width: 100%; display: block; border: 1px solid #ccc; }
.cand figcaption { margin-top: 4px; font-size: 13px; }
.cand dl { font-size: 12px; }
"""

PAGE_JS = r"""
"use strict";
let state = null, current = 1, selected = null;   // page number; module headline
const $ = (id) => document.getElementById(id);
const el = (tag, text, cls) => { const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text; if (cls) e.className = cls; return e; };

function where(m) {
  return m.source ? `${m.source.file}:${m.source.line}:${m.source.column}` : "";
}

function render() {
  const s = state;
  $("issue").textContent = s.issue;
  const st = $("status");
  st.className = "status" + (s.building ? " building" : "");
  st.textContent = s.building ? "building…" :
    (s.seconds !== null ? `build ${s.build}: ${s.seconds.toFixed(2)} s, at ${s.at}` : "");
  const err = $("error");
  if (s.error && !s.building) {
    err.hidden = false; err.textContent = s.error;
    if (s.pages.length) err.appendChild(el("small", "showing the last good pages"));
  } else if (!s.building) { err.hidden = true; err.textContent = ""; }
  if (!s.pages.length) return;
  if (!s.pages.some(p => p.number === current)) current = s.pages[0].number;
  const thumbs = $("thumbs"); thumbs.replaceChildren();
  for (const p of s.pages) {
    const f = el("figure"); f.dataset.page = p.number;
    const r = p.report;
    if (r.overset_chars || r.headline_collisions || r.fit.lines_over) f.classList.add("problem");
    if (p.number === current) f.classList.add("current");
    const img = el("img"); img.src = p.png; img.alt = `page ${p.number}`;
    f.append(img, el("figcaption", `第${p.number}版`));
    f.onclick = () => { current = p.number; selected = null; render(); };
    thumbs.appendChild(f);
  }
  showPage(s.pages.find(p => p.number === current));
}

function showPage(p) {
  const r = p.report;
  const big = $("big");
  if (big.getAttribute("src") !== p.png) big.src = p.png;
  big.alt = `page ${p.number}`;
  $("sheet").style.aspectRatio = `${p.width} / ${p.height}`;
  $("page-title").textContent = `第${p.number}版`;
  const fig = $("figures"); fig.replaceChildren();
  const row = (k, v, bad) => { fig.append(el("dt", k), el("dd", String(v), bad ? "bad" : "")); };
  const fit = r.fit;
  // over: in column lines, as the build's error counts them; short: in lines across the page
  const over = fit.column_lines_over || fit.lines_over;
  if (over) row("fit", `${over} column line${over === 1 ? "" : "s"} over: cut about ${fit.chars_to_cut} characters`, true);
  else if (fit.lines_short) row("fit", `${fit.lines_short} line${fit.lines_short === 1 ? "" : "s"} short: add about ${fit.chars_to_add} characters`);
  else row("fit", "full");
  row("white", `${r.white_space_pct.toFixed(1)} %`, r.white_space_pct > 5);
  row("collisions", r.headline_collisions, r.headline_collisions > 0);
  row("overset", r.overset_chars ? `${r.overset_chars} characters` : "none", r.overset_chars > 0);
  row("modules", r.modules.length);
  row("score", r.score);
  $("compare").onclick = () => showCandidates(p.number);
  $("layouts-note").textContent = p.layouts > 1 ?
    `${p.layouts} layouts fit this page; "layout: N" (1–${p.layouts}) on the page in the YAML takes another.` :
    "The page's best few layouts, side by side.";
  const pw = $("page-warnings"); pw.replaceChildren();
  for (const w of p.warnings) pw.appendChild(el("li", w));
  const outl = $("outlines"); outl.replaceChildren();
  const list = $("modules"); list.replaceChildren();
  r.modules.forEach((m, i) => {
    const [x0, t, x1, b] = m.box;
    const d = el("div", undefined, "module"); d.dataset.index = i; d.dataset.headline = m.headline;
    d.title = m.headline;
    d.style.zIndex = String(r.modules.length - i);   // inner modules (listed first) on top
    Object.assign(d.style, { left: `${100 * x0 / p.width}%`, top: `${100 * t / p.height}%`,
      width: `${100 * (x1 - x0) / p.width}%`, height: `${100 * (b - t) / p.height}%` });
    d.appendChild(el("span", m.headline, "label"));
    d.onclick = (ev) => { ev.stopPropagation(); selected = m.headline; showPage(p); };
    const li = el("li", m.headline); li.dataset.index = i;
    li.onclick = () => { selected = m.headline; showPage(p); };
    if (m.headline === selected) { d.classList.add("selected"); li.classList.add("selected"); }
    outl.appendChild(d); list.appendChild(li);
  });
  const det = $("detail");
  const m = r.modules.find(m => m.headline === selected);
  if (!m) { det.hidden = true; return; }
  det.hidden = false; det.replaceChildren();
  det.append(el("strong", m.headline), el("div"));
  const src = el("code", where(m)); src.id = "source";
  det.append(el("span", "YAML: "), src);
  const dl = el("dl");
  const add = (k, v) => dl.append(el("dt", k), el("dd", String(v)));
  add("role", m.kind ? `${m.role} (${m.kind})` : m.role);
  if (m.items) add("items", m.items.map((h, k) =>
    `${h} (line ${m.item_sources[k].line})`).join(" / "));
  add("columns", m.body_columns ? `${m.columns} (body ${m.body_columns})` : m.columns);
  add("lines", m.lines);
  add("place", `column ${m.position.column}, line ${m.position.line}`);
  add("headline air", `${m.air_lines} lines`);
  add("headline lines", m.headline_lines.map(h => `${h.text} (${h.size} pt)`).join(" / "));
  det.appendChild(dl);
}

// layout candidates: asked for per page, laid out by the watch process on demand
let cand = null;          // {page, build} of the panel's contents
function closeCandidates() { $("candidates").hidden = true; cand = null; }
function showCandidates(number) {
  const box = $("candidates"), list = $("cand-list");
  box.hidden = false; list.replaceChildren(); $("cand-how").replaceChildren();
  $("cand-title").textContent = `第${number}版: layouts`;
  $("cand-status").textContent = "laying the page out…";
  cand = { page: number, build: state ? state.build : 0 };
  fetch(`/candidates?page=${number}`).then(r => r.json()).then(c => {
    if (!cand || cand.page !== number) return;
    cand.build = c.build;
    if (c.error) { $("cand-status").textContent = c.error; return; }
    $("cand-status").textContent = `${c.candidates.length} layout${c.candidates.length === 1 ? "" : "s"}` +
      ` of build ${c.build}, ${c.seconds.toFixed(2)} s`;
    const how = $("cand-how");
    const src = `${c.source.file}:${c.source.line}`;
    if (c.candidates.length > 1) {
      const k = c.candidates.find(x => !x.chosen) || c.candidates[0];
      how.append("To take one of these, ");
      if (c.written) how.append(`change the page's "layout: ${c.chosen}" (${src}) to its number, e.g. `);
      else how.append(`write its number under this page's first line (${src}), indented like the page's other keys, e.g. `);
      how.append(el("code", `layout: ${k.layout}`),
                 ", and save the YAML: the page refreshes by itself.");
    } else {
      how.textContent = "Only one layout fits this page's articles.";
    }
    for (const x of c.candidates) {
      const f = el("figure", undefined, "cand" + (x.chosen ? " chosen" : ""));
      f.dataset.layout = x.layout;
      const img = el("img"); img.src = x.png; img.alt = `layout ${x.layout}`;
      const s = x.scorecard;
      const cap = el("figcaption");
      cap.append(el("strong", `layout: ${x.layout}`), x.chosen ? " (taken now)" : "");
      const dl = el("dl");
      const add = (k, v) => dl.append(el("dt", k), el("dd", String(v)));
      add("score", s.score.toFixed(0));
      add("white", `${s.white_space_pct.toFixed(1)} %`);
      add("collisions", s.headline_collisions);
      add("overset", s.overset_chars ? `${s.overset_chars} characters` : "none");
      add("widths", s.widths.join("/") + " columns");
      add("full width", `${s.full_width_pct.toFixed(0)} %`);
      add("lead", s.lead_columns === null ? "none" : `${s.lead_columns} columns`);
      f.append(img, cap, dl);
      list.appendChild(f);
    }
  }).catch(() => { $("cand-status").textContent = "could not reach layout watch"; });
}
$("cand-close").onclick = closeCandidates;

function apply(s) {
  state = s; render();
  if (cand && !s.building && s.build !== cand.build && !$("candidates").hidden)
    $("cand-status").textContent = "the issue has changed since: compare again for the new build";
}

fetch("/state").then(r => r.json()).then(apply);
const events = new EventSource("/events");
events.onmessage = (ev) => apply(JSON.parse(ev.data));
events.onerror = () => { $("status").textContent = "disconnected: is layout watch running?"; };
"""
