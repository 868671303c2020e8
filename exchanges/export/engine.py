"""The rendering engine: Chromium found on this machine, driven by Kaleido's own server.

Rendering goes through Kaleido 1.x, which drives a headless Chrome/Chromium. We
always hand Kaleido the browser path explicitly (``BROWSER_PATH`` or the system
Chromium) and never let it download one; when there is none, every entry point
raises :class:`ExportUnavailable` whose message says what to install (the app
keeps running: the export panel says it, the CLI ends with status 3).

Starting Chromium takes seconds, rendering a figure a fraction of one, so one
:class:`ExportEngine` keeps Kaleido's persistent server
(``kaleido.start_sync_server``, one per process) running and serves every export
of the process (see ``bench/bench_export.py``). Kaleido's server waits for ever,
so the engine bounds every call it makes to it: a browser that does not answer
is killed (only the processes the engine started) and reported.

Nothing here needs the network: plotly.js is Kaleido's local copy from the
plotly package, MathJax is switched off, and geo maps read their topojson from
the project's ``static/topojson`` folder (see :func:`topojson_url`).
"""

from __future__ import annotations

import atexit
import contextlib
import logging
import os
import queue
import shutil
import signal
import threading
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any, TypeVar

import kaleido
import plotly.graph_objects as go
from choreographer.errors import BrowserClosedError, BrowserFailedError

from exchanges.basemap import TOPOJSON_DIR, local_topojson_url
from exchanges.export.options import ImageOptions

BROWSER_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
DEFAULT_BROWSER = Path("/usr/bin/chromium")
INSTALL_HINT = (
    "Install Chromium (Debian/Ubuntu: `sudo apt-get install chromium`) or set the "
    "BROWSER_PATH environment variable to a Chrome/Chromium executable. "
    "Kaleido's own browser download is not used."
)

RENDER_TIMEOUT_S = 60.0
"""Seconds one figure may take to render before the engine gives up on the browser."""
START_TIMEOUT_S = 30.0
"""Seconds Chromium may take to start and answer before the engine gives up on it."""
CLOSE_TIMEOUT_S = 5.0
"""Seconds a polite close may take before the browser's processes are killed."""

_PROBE = {"data": [], "layout": {}}
_PROBE_OPTIONS = {"format": "png", "width": 16, "height": 16, "scale": 1}
"""A blank figure rendered once at start: the server answers only once its browser runs."""

T = TypeVar("T")

# choreographer logs (with a traceback) and then ignores a browser message it
# cannot decode; it is not an error of ours, nor fatal.
logging.getLogger("choreographer.channels").setLevel(logging.CRITICAL)


class ExportUnavailable(RuntimeError):
    """Image export cannot work here (no usable Chromium). The message says what to install."""


class ExportError(RuntimeError):
    """A figure could not be rendered (the browser ran, the figure failed)."""


# --------------------------------------------------------------------------- browser + basemap


def find_browser() -> Path:
    """The Chrome/Chromium executable to render with.

    ``BROWSER_PATH`` wins (and must be right: a wrong one is an error, not a
    silent fallback); otherwise the first Chromium-like program on ``PATH``, then
    ``/usr/bin/chromium``.
    """
    override = os.environ.get("BROWSER_PATH")
    if override:
        path = Path(override)
        if path.is_file() and os.access(path, os.X_OK):
            return path
        raise ExportUnavailable(
            f"BROWSER_PATH={override!r} is not an executable file, so images cannot be "
            f"exported. {INSTALL_HINT}"
        )
    for name in BROWSER_NAMES:
        found = shutil.which(name)
        if found:
            return Path(found)
    if DEFAULT_BROWSER.is_file() and os.access(DEFAULT_BROWSER, os.X_OK):
        return DEFAULT_BROWSER
    raise ExportUnavailable(f"No Chrome/Chromium found, so images cannot be exported. {INSTALL_HINT}")


def export_status() -> tuple[bool, str]:
    """``(True, browser path)`` when export can work, else ``(False, what to install)``."""
    try:
        return True, str(find_browser())
    except ExportUnavailable as missing:
        return False, str(missing)


def topojson_url() -> str | None:
    """``file://`` URL of the shipped basemaps for Kaleido's page (``None`` without them).

    Kaleido's Chromium runs with ``--allow-file-access-from-files``, so plotly.js
    reads them from disk: a geo export never touches the network.
    """
    return local_topojson_url() if TOPOJSON_DIR.is_dir() else None


# --------------------------------------------------------------------------- bounded calls


class ServerStopped(RuntimeError):
    """Kaleido's server thread ended (its browser died) before answering."""


def _within(seconds: float, action: Callable[[], T], alive: Callable[[], bool] = lambda: True) -> T:
    """``action()`` run on a helper thread, waited for at most ``seconds``.

    Raises :class:`TimeoutError` when it takes longer, :class:`ServerStopped` as
    soon as ``alive()`` says the thing it waits for has died. Kaleido's server
    calls block without a limit; this is the limit.
    """
    answers: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=1)

    def run() -> None:
        try:
            answers.put((True, action()))
        except BaseException as failed:  # noqa: BLE001 - handed to the waiting thread
            answers.put((False, failed))

    threading.Thread(target=run, name="kaleido-call", daemon=True).start()
    deadline = time.monotonic() + seconds
    while True:
        try:
            ok, value = answers.get(timeout=min(0.2, max(deadline - time.monotonic(), 0.001)))
        except queue.Empty:
            if not alive():
                raise ServerStopped("kaleido's server stopped before answering") from None
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no answer within {seconds:.0f} s") from None
            continue
        if ok:
            return value
        raise value


def _stop_server() -> None:
    with contextlib.suppress(Exception):  # a server whose thread died: its state is reset anyway
        kaleido.stop_sync_server(silence_warnings=True)


def _server_thread() -> threading.Thread | None:
    """The thread of Kaleido's sync server, if one was started (Kaleido keeps it on its
    module-level ``_global_server``; read defensively, it is not public)."""
    return getattr(getattr(kaleido, "_global_server", None), "_thread", None)


def _server_alive() -> bool:
    thread = _server_thread()
    return thread is not None and thread.is_alive()


# --------------------------------------------------------------------------- engine


class ExportEngine:
    """One Chromium kept running by Kaleido's persistent server, for every export.

    Thread-safe: Streamlit sessions and CLI loops may call :meth:`render` from
    any thread; renders are served one at a time (Kaleido's server matches
    answers to calls only in that order). The browser starts on the first render
    (or :meth:`start`) and is restarted once if it died. Kaleido's server is one
    per process, so an engine that starts takes it over from any other engine.

    Nothing waits for ever: starting has ``START_TIMEOUT_S``, a render
    ``timeout``. When the engine gives up (a timeout, a dead browser) or is
    closed (also at interpreter exit, so when the server stops), it kills the
    processes it started — Chromium runs in a session of its own, so its
    process group is exactly the browser, its helpers and any wrapper — and
    never any other process.
    """

    _owner: ExportEngine | None = None  # the engine whose browser Kaleido's server runs
    _owner_lock = threading.RLock()

    def __init__(
        self,
        browser: Path | None = None,
        *,
        topojson: str | None = None,
        timeout: float = RENDER_TIMEOUT_S,
    ) -> None:
        self.browser = Path(browser) if browser else find_browser()
        if not (self.browser.is_file() and os.access(self.browser, os.X_OK)):
            raise ExportUnavailable(f"{self.browser} is not an executable browser. {INSTALL_HINT}")
        self.topojson = topojson if topojson is not None else topojson_url()
        self.timeout = timeout
        self._running = False
        self._groups: set[int] = set()  # process groups of the browsers this engine started
        self._children_before: set[int] = set()  # browser children of this process before a start
        self.starts = 0
        self.renders = 0

    @property
    def running(self) -> bool:
        return self._running

    def __enter__(self) -> ExportEngine:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    @property
    def browser_pids(self) -> frozenset[int]:
        """Process-group ids of the browsers this engine started and has not yet killed."""
        return frozenset(self._groups)

    def start(self) -> None:
        """Start Kaleido's server with this engine's Chromium (idempotent), and wait until it answers."""
        with self._owner_lock:
            if self._running:
                return
            previous = ExportEngine._owner
            if previous is not None:
                previous.close()
            self._children_before = self._browser_children()
            kaleido.start_sync_server(
                n=1,
                timeout=self.timeout,
                path=str(self.browser),
                mathjax=False,  # the default is a CDN URL; our figures use no LaTeX
                silence_warnings=True,
            )
            ExportEngine._owner, self._running = self, True
            self.starts += 1
            try:
                _within(START_TIMEOUT_S, lambda: kaleido.calc_fig_sync(_PROBE, opts=_PROBE_OPTIONS),
                        alive=_server_alive)
            except BaseException as failed:
                self.close()
                raise self._start_failure(failed) from failed
            self._groups |= self._browser_children() - self._children_before

    def _start_failure(self, failed: BaseException) -> BaseException:
        if isinstance(failed, TimeoutError):
            return ExportUnavailable(
                f"Chromium at {self.browser} did not answer within {START_TIMEOUT_S:.0f} s "
                f"and was stopped. {INSTALL_HINT}"
            )
        if isinstance(failed, Exception):
            return ExportUnavailable(
                f"Chromium at {self.browser} did not start ({type(failed).__name__}: "
                f"{failed}). {INSTALL_HINT}"
            )
        return failed

    def close(self) -> None:
        """Stop Kaleido's server (idempotent): a polite close, then the browser's processes
        are killed whatever the close did."""
        with self._owner_lock:
            if not self._running:
                return
            self._groups |= self._browser_children() - self._children_before
            stopping = threading.Thread(target=_stop_server, name="kaleido-stop", daemon=True)
            stopping.start()
            stopping.join(CLOSE_TIMEOUT_S)  # a hung browser does not stop: it is killed
            self._kill_browsers()
            stopping.join(CLOSE_TIMEOUT_S)  # its browser gone, the server's thread ends
            self._running = False
            if ExportEngine._owner is self:
                ExportEngine._owner = None

    def render(self, fig: go.Figure | Mapping[str, Any], options: ImageOptions) -> bytes:
        """The figure as image bytes. Restarts a dead browser once."""
        fig_dict = fig.to_dict() if isinstance(fig, go.Figure) else dict(fig)
        with self._owner_lock:
            for attempt in (1, 2):
                self.start()
                try:
                    data = _within(
                        self.timeout + CLOSE_TIMEOUT_S,
                        lambda: kaleido.calc_fig_sync(fig_dict, opts=options.to_kaleido(), topojson=self.topojson),
                        alive=_server_alive,
                    )
                except TimeoutError as failed:  # a hung browser: never wait for it twice
                    self.close()
                    raise ExportError(f"Chromium did not render the figure within {self.timeout:.0f} s "
                                      "and was stopped") from failed
                except (BrowserClosedError, BrowserFailedError, ServerStopped, OSError) as failed:
                    self.close()
                    if attempt == 2:
                        raise ExportError(f"Chromium failed while rendering: {failed}") from failed
                    continue
                except Exception as failed:  # noqa: BLE001 - kaleido's JS errors have no common base
                    raise ExportError(f"Could not render the figure: {failed}") from failed
                self.renders += 1
                return data if isinstance(data, bytes) else bytes(data)
        raise AssertionError("unreachable")

    # ----------------------------------------------------------------------- processes

    def _browser_children(self) -> set[int]:
        """Children of this process running this engine's browser, each the leader of its own
        session (how choreographer starts it). Linux (``/proc``); empty elsewhere."""
        found: set[int] = set()
        me, browser = os.getpid(), str(self.browser)
        for stat_file in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat_file.read_text().rsplit(")", 1)[1].split()
                pid = int(stat_file.parent.name)
                argv = (stat_file.parent / "cmdline").read_bytes().split(b"\0")[:3]
            except (OSError, ValueError, IndexError):
                continue
            if int(fields[1]) == me and int(fields[2]) == pid and browser.encode() in argv:
                found.add(pid)
        return found

    def _kill_browsers(self) -> None:
        """Kill every process this engine started (and only those): each browser's process group,
        then reap it so no zombie is left."""
        for group in list(self._groups):
            with contextlib.suppress(ProcessLookupError, PermissionError):  # gone already
                os.killpg(group, signal.SIGKILL)
            deadline = time.monotonic() + CLOSE_TIMEOUT_S
            while time.monotonic() < deadline:
                try:
                    if os.waitpid(group, os.WNOHANG) != (0, 0):
                        break
                except ChildProcessError:  # reaped by its owner (choreographer) already
                    break
                time.sleep(0.02)
            self._groups.discard(group)


_shared_engine: ExportEngine | None = None
_shared_lock = threading.Lock()


def shared_engine() -> ExportEngine:
    """The process-wide engine (created on first use, closed at exit)."""
    global _shared_engine
    with _shared_lock:
        if _shared_engine is None:
            _shared_engine = ExportEngine()
            atexit.register(close_shared_engine)
        return _shared_engine


def close_shared_engine() -> None:
    global _shared_engine
    with _shared_lock:
        if _shared_engine is not None:
            _shared_engine.close()
            _shared_engine = None
