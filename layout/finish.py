"""The last stage of a build, the PDF/X pass and the self-preflight, in a helper process.

Both need pikepdf, whose import is a tenth of a warm build (about 50 ms on the
2-core bench machine) and which nothing before them needs. So a build forks a
helper as it starts: the helper imports pikepdf and the two stages while the
build reads the issue, lays out and draws the pages on the other core, then waits
for the drawn file, runs the two stages on it and sends back "done" or the
error. The work and its results are the same as in one process: the same
functions run on the same file, and their error (a failed preflight, a full disk)
is raised in the build as if it had been raised there.

Where forking is not safe or not possible (no os.fork, other threads running,
as in `layout watch` or a test's server), or the helper dies, the stages run in
the build's own process.
"""
from __future__ import annotations

import os
import pickle
import signal
import struct
import threading
from pathlib import Path

_LEN = struct.Struct("!I")


def _stages(job: dict) -> None:
    """What the helper (or the build itself) does with the drawn file."""
    from .output import check_output
    from .pdfx import make_pdfx

    path = Path(job["path"])
    if job["pdfx"] is not None:
        make_pdfx(path, **job["pdfx"])
    check_output(path, job["trim_mm"], job["pdfx"] is not None)


def _send(fd: int, obj) -> None:
    data = pickle.dumps(obj)
    data = _LEN.pack(len(data)) + data
    while data:
        data = data[os.write(fd, data):]


def _receive(fd: int):
    """The next message, or None at end of file (the other side is gone)."""
    head = _read(fd, _LEN.size)
    if head is None:
        return None
    body = _read(fd, _LEN.unpack(head)[0])
    return None if body is None else pickle.loads(body)


def _read(fd: int, n: int) -> bytes | None:
    out = b""
    while len(out) < n:
        chunk = os.read(fd, n - len(out))
        if not chunk:
            return None
        out += chunk
    return out


def _helper(jobs: int, results: int) -> None:
    """The forked helper's whole life; it never returns (os._exit), so nothing of the
    build's (atexit, buffered output, temporary files) runs twice."""
    code = 0
    try:
        # Ctrl-C or a kill ends the build, which cleans up; the helper just stops
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        import pikepdf  # noqa: F401  (the point of the helper: imported while the build works)

        from . import output, pdfx, preflight  # noqa: F401

        job = _receive(jobs)
        if job is not None:                 # None: the build failed or ended early
            try:
                _stages(job)
                answer = ("done", None)
            except BaseException as err:    # noqa: BLE001 (every error goes back to the build)
                answer = ("error", _portable(err))
            _send(results, answer)
    except BaseException:                   # noqa: BLE001
        code = 1                            # the build sees end of file and does the work
    finally:
        os._exit(code)


def _portable(err: BaseException) -> BaseException:
    """err, if it survives pickling; else a LayoutError or RuntimeError with its text."""
    try:
        pickle.loads(pickle.dumps(err))
        return err
    except Exception:                       # noqa: BLE001
        from .errors import LayoutError
        if isinstance(err, LayoutError):
            plain = LayoutError(str(err))
            plain.exit_code = err.exit_code
            return plain
        return RuntimeError(f"{type(err).__name__}: {err}")


class Finisher:
    """Runs the last stage of one build; `start()` forks its helper where it can."""

    def __init__(self) -> None:
        self.pid = None
        self.jobs = self.results = -1

    @classmethod
    def start(cls) -> "Finisher":
        f = cls()
        if not hasattr(os, "fork") or threading.active_count() > 1:
            return f                        # forking a threaded process can deadlock it
        jobs_r, jobs_w = os.pipe()
        results_r, results_w = os.pipe()
        pid = os.fork()
        if pid == 0:                        # the helper
            os.close(jobs_w)
            os.close(results_r)
            _helper(jobs_r, results_w)
        os.close(jobs_r)
        os.close(results_w)
        f.pid, f.jobs, f.results = pid, jobs_w, results_r
        return f

    def run(self, path: Path, pdfx: dict | None, trim_mm: tuple[float, float]) -> None:
        """Make path PDF/X (pdfx: make_pdfx's keywords, or None) and preflight it."""
        job = {"path": str(path), "pdfx": pdfx, "trim_mm": trim_mm}
        answer = None
        if self.pid is not None:
            try:
                _send(self.jobs, job)
                answer = _receive(self.results)
            except OSError:                 # the helper is gone: do the work here
                answer = None
            self.close()
        if answer is None:
            _stages(job)
            return
        kind, err = answer
        if kind == "error":
            raise err

    def close(self) -> None:
        """Stop the helper (if it still runs) and reap it."""
        if self.pid is None:
            return
        pid, self.pid = self.pid, None
        for fd in (self.jobs, self.results):
            try:
                os.close(fd)
            except OSError:
                pass
        try:
            os.kill(pid, signal.SIGKILL)    # done already, or not wanted: no waiting for imports
        except ProcessLookupError:
            pass
        try:
            os.waitpid(pid, 0)
        except ChildProcessError:
            pass

    def __enter__(self) -> "Finisher":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
