"""`layout watch`: the server, the live page in a real browser, its refusals.

Each test starts `layout watch` as a child process on a free loopback port and
stops it (SIGINT, as Ctrl-C) at the end. The browser tests drive Debian's
chromium headless through selenium and chromium-driver; they are skipped when
either is missing. LAYOUT_WATCH_SCREENSHOT=PATH also saves the browser's
screenshot of the page there (docs/watch.png in the README).
"""
from __future__ import annotations

import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layout.watch import error_line, loopback

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "issues" / "2025-03-09.yaml"
FIRST_HEADLINE = "副市长胡军到上街区调研重点企业"


class Server:
    def __init__(self, proc: subprocess.Popen, url: str, issue: Path):
        self.proc, self.url, self.issue = proc, url, issue
        self.port = int(url.rstrip("/").rsplit(":", 1)[1])

    def get(self, path: str, host: str | None = None, method: str = "GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
        try:
            conn.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
            conn.putheader("Host", host or f"127.0.0.1:{self.port}")
            conn.endheaders()
            r = conn.getresponse()
            return r.status, r.read()
        finally:
            conn.close()

    def state(self) -> dict:
        status, body = self.get("/state")
        assert status == 200
        return json.loads(body)

    def wait(self, pred, timeout: float = 20.0) -> dict:
        end = time.monotonic() + timeout
        while True:
            s = self.state()
            if pred(s):
                return s
            if time.monotonic() > end:
                raise AssertionError(f"timed out; last state: {json.dumps(s)[:400]}")
            time.sleep(0.05)


def _start(issue: Path, tmp: Path) -> Server:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "layout.cli", "watch", str(issue), "--port", "0",
         "-o", str(tmp / "watch-out")],
        cwd=tmp, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    m = re.search(r"http://127\.0\.0\.1:\d+/", line)
    if not m:
        proc.kill()
        raise AssertionError(f"no URL printed: {line!r} {proc.stderr.read()[:500]}")
    server = Server(proc, m.group(0), issue)
    server.wait(lambda s: s["builds"] >= 1 and not s["building"], timeout=60)
    return server


def _stop(server: Server) -> int:
    if server.proc.poll() is None:
        server.proc.send_signal(signal.SIGINT)
        try:
            server.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.proc.kill()
            server.proc.wait()
            raise AssertionError("layout watch did not stop on Ctrl-C")
    server.proc.stdout.close()
    server.proc.stderr.close()
    return server.proc.returncode


@pytest.fixture
def issue(tmp_path) -> Path:
    path = tmp_path / "issue.yaml"
    shutil.copy(SAMPLE, path)
    return path


@pytest.fixture
def server(issue, tmp_path):
    s = _start(issue, tmp_path)
    try:
        yield s
    finally:
        _stop(s)


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def _line_of(path: Path, needle: str) -> int:
    for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


# ---------------------------------------------------------------- without a browser

def test_serves_the_page_the_state_and_the_pngs(server):
    status, body = server.get("/")
    assert status == 200 and b"/app.js" in body
    s = server.state()
    assert s["error"] is None and len(s["pages"]) == 2
    page = s["pages"][0]
    heads = [m["headline"] for m in page["report"]["modules"]]
    assert FIRST_HEADLINE in heads
    m = next(m for m in page["report"]["modules"] if m["headline"] == FIRST_HEADLINE)
    assert m["source"]["line"] == _line_of(server.issue, FIRST_HEADLINE)
    status, png = server.get(page["png"])
    assert status == 200 and png.startswith(b"\x89PNG")


def test_an_idle_issue_is_not_built_again(server):
    # the watcher looks at the inputs' stamps after each idle second; the style,
    # which only the first build names, once made that look rebuild every issue
    s = server.state()
    time.sleep(2.5)
    assert server.state()["builds"] == s["builds"] == 1


def test_refuses_paths_outside_the_output_folder(server):
    for path in ("/../../etc/passwd", "/files/../../etc/passwd", "/files/..%2F..%2Fetc%2Fpasswd",
                 "/%2e%2e/%2e%2e/etc/passwd", "/files/%2Fetc%2Fpasswd"):
        status, body = server.get(path)
        assert status in (403, 404), path
        assert b"root:" not in body
    assert server.get("/files/issue.yaml")[0] == 404       # only page images
    assert server.get("/etc/passwd")[0] == 404
    assert server.get("/state", method="POST")[0] == 405


def test_refuses_a_foreign_host_header(server):
    # a page of another site resolving its name to 127.0.0.1 (DNS rebinding)
    status, _ = server.get("/state", host="evil.example:%d" % server.port)
    assert status == 403
    assert server.get("/state", host="localhost:%d" % server.port)[0] == 200


def _outside_address() -> str | None:
    """This machine's address on a non-loopback interface, if it has one."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))            # no packet is sent for UDP connect
            ip = s.getsockname()[0]
    except OSError:
        return None
    return None if loopback(ip) or ip == "0.0.0.0" else ip


def test_refuses_clients_outside_loopback(server):
    assert loopback("127.0.0.1") and loopback("::1") and loopback("::ffff:127.0.0.1")
    assert not loopback("192.168.1.20") and not loopback("10.0.0.1") and not loopback("junk")
    ip = _outside_address()
    if ip is None:
        pytest.skip("no non-loopback interface to try")
    with pytest.raises(OSError):
        socket.create_connection((ip, server.port), timeout=3).close()


def test_broken_save_keeps_the_pages_and_shows_the_cli_error(server, tmp_path):
    before = server.state()
    with server.issue.open("a", encoding="utf-8") as f:
        f.write("pages: [\n")
    s = server.wait(lambda s: s["error"] is not None)
    cli = subprocess.run([sys.executable, "-m", "layout.cli", "check", str(server.issue)],
                         cwd=tmp_path, capture_output=True, text=True)
    assert s["error"] == cli.stderr.strip()
    assert re.search(r"issue\.yaml:\d+:\d+: ", s["error"])
    assert [p["png"] for p in s["pages"]] == [p["png"] for p in before["pages"]]
    assert server.get(s["pages"][0]["png"])[0] == 200
    # fixed again: the error goes, the pages come back
    text = server.issue.read_text(encoding="utf-8")
    server.issue.write_text(text.replace("pages: [\n", ""), encoding="utf-8")
    server.wait(lambda s: s["error"] is None and s["build"] > before["build"])


def test_ctrl_c_stops_it_cleanly(issue, tmp_path):
    s = _start(issue, tmp_path)
    assert _stop(s) == 0


def test_error_line_is_the_cli_line():
    from layout.errors import InputError, Source
    err = InputError("unknown key 'bylin'", Source("a.yaml", 3, 5))
    assert error_line(err) == "error: a.yaml:3:5: unknown key 'bylin'"


# ---------------------------------------------------------------- in a real browser

def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


@pytest.fixture
def browser():
    found = _chromium()
    if found is None:
        pytest.skip("chromium and chromedriver are not installed")
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    opts = webdriver.ChromeOptions()
    opts.binary_location = found[0]
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,1000", "--force-device-scale-factor=1"):
        opts.add_argument(arg)
    driver = webdriver.Chrome(service=Service(found[1]), options=opts)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def _until(driver, pred, timeout: float = 20.0):
    from selenium.webdriver.support.ui import WebDriverWait
    return WebDriverWait(driver, timeout, poll_frequency=0.05).until(pred)


def _js(d, script: str):
    return d.execute_script(script)


HEADS = "return [...document.querySelectorAll('.module')].map(e => e.dataset.headline);"
LIST = "return [...document.querySelectorAll('#modules li')].map(e => e.textContent);"
IDLE = "return !document.getElementById('status').classList.contains('building');"


FREE_POINT = """
const m = [...document.querySelectorAll('.module')].find(e => e.dataset.headline === arguments[0]);
if (!m) return null;
const r = m.getBoundingClientRect();
for (let y = 0.05; y < 1; y += 0.1) for (let x = 0.05; x < 1; x += 0.1) {
  const px = r.left + x * r.width, py = r.top + y * r.height;
  const hit = document.elementFromPoint(px, py);
  if (hit === m || (hit && hit.parentElement === m))
    return [px - (r.left + r.width / 2), py - (r.top + r.height / 2)];
}
return null;
"""


def _click_module(d, headline: str) -> None:
    """Click a module's outline where no inner module covers it (again if a refresh
    replaced it under the pointer), as a user would."""
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.by import By

    for _ in range(5):
        try:
            outline = next(e for e in d.find_elements(By.CSS_SELECTOR, ".module")
                           if e.get_attribute("data-headline") == headline)
            dx, dy = d.execute_script(FREE_POINT, headline)
            ActionChains(d).move_to_element_with_offset(outline, int(dx), int(dy)).click() \
                .perform()
            return
        except StaleElementReferenceException:
            time.sleep(0.1)
    raise AssertionError("the outline kept changing")


def test_browser_live_page(server, browser, tmp_path):
    from selenium.webdriver.common.by import By

    d = browser
    d.get(server.url)
    # the first build is a cold one (layouts searched, fonts subset): on a loaded CI
    # machine it has taken over 20 s
    _until(d, lambda d: FIRST_HEADLINE in _js(d, HEADS) and _js(d, IDLE), timeout=60.0)
    _js(d, "window.__notReloaded = true;")
    first_png = _js(d, "return document.getElementById('big').src;")

    # an edit on disk: the page refreshes by itself with the new headline
    new = "副市长胡军到上街区调研重点企业和项目"
    _edit(server.issue, FIRST_HEADLINE, new)
    _until(d, lambda d: new in _js(d, LIST) and _js(d, IDLE))
    assert _js(d, "return window.__notReloaded === true;")
    assert _js(d, "return document.getElementById('big').src;") != first_png

    # a click on the module shows its article's YAML file:line
    _click_module(d, new)
    src = _until(d, lambda d: _js(d, "const e = document.getElementById('source');"
                                     "return e && e.textContent;"))
    line = _line_of(server.issue, new)
    assert re.search(rf"issue\.yaml:{line}:\d+$", src), src
    figures = d.find_element(By.ID, "figures").text
    assert "white" in figures and "collisions" in figures

    shot = tmp_path / "watch.png"
    d.save_screenshot(str(shot))
    assert shot.stat().st_size > 10_000
    if os.environ.get("LAYOUT_WATCH_SCREENSHOT"):
        shutil.copy(shot, os.environ["LAYOUT_WATCH_SCREENSHOT"])

    # a broken save: the error with its line, the last good pages kept
    good = _js(d, "return document.getElementById('big').src;")
    _edit(server.issue, f"headline: {new}", f"headline: {new}\n        bylin: x")
    err = _until(d, lambda d: _js(d, "const e = document.getElementById('error');"
                                     "return !e.hidden && e.textContent;"))
    bad = _line_of(server.issue, "bylin: x")
    assert re.search(rf"issue\.yaml:{bad}:\d+: unknown key 'bylin'", err), err
    assert _js(d, "return document.getElementById('big').src;") == good
    assert "last good pages" in err
    assert _js(d, "return window.__notReloaded === true;")

    # fixed: the error goes away by itself
    _edit(server.issue, "\n        bylin: x", "")
    _until(d, lambda d: _js(d, "return document.getElementById('error').hidden;"))
