"""Static image export (PNG, SVG, PDF) of the map and the timeline.

Rendering goes through Kaleido 1.x, which drives a headless Chrome/Chromium. We
always hand Kaleido the browser path explicitly (``BROWSER_PATH`` or the system
Chromium) and never let it download one; when there is none, every entry point
raises :class:`ExportUnavailable` whose message says what to install.

Starting Chromium takes seconds, rendering a figure a fraction of one, so an
:class:`ExportEngine` keeps one Kaleido/Chromium running on a private event-loop
thread and serves every export of the process (see ``bench/bench_export.py``).

How a chart is laid out as a slide (title, legend, notes, source line) is
:mod:`exchanges.export_layout`; :func:`slide_figure` puts the two together.

Nothing here needs the network: plotly.js is Kaleido's local copy from the
plotly package, MathJax is switched off, and geo maps read their topojson from
the project's ``static/topojson`` folder (see :func:`topojson_url`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import dataclasses
import datetime as dt
import logging
import os
import shutil
import signal
import threading
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import plotly.graph_objects as go

from exchanges.export_layout import (
    SLIDE_HEIGHT,
    SLIDE_WIDTH,
    chart_width,
    decorate_for_export,
    highlight_off_map_note,
    highlight_title_parts,
    map_frame,
    map_notes,
    off_map_events,
    source_line,
)

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.charts.style import ChartStyle, MapView
    from exchanges.filters import FilterState
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event
    from exchanges.timeline import LaneMode

ImageFormat = Literal["png", "svg", "pdf"]
IMAGE_FORMATS: tuple[ImageFormat, ...] = ("png", "svg", "pdf")
MIME_TYPES: Mapping[str, str] = {
    "png": "image/png",
    "svg": "image/svg+xml",
    "pdf": "application/pdf",
}

ChartKind = Literal["map", "timeline"]
CHART_CHOICES: Mapping[str, tuple[ChartKind, ...]] = {
    "map": ("map",),
    "timeline": ("timeline",),
    "both": ("map", "timeline"),
}

MIN_EXPORT_WIDTH, MAX_EXPORT_WIDTH = 320, 7680
MIN_EXPORT_HEIGHT, MAX_EXPORT_HEIGHT = 240, 4320
MIN_SCALE, MAX_SCALE = 0.25, 4.0

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


class ExportUnavailable(RuntimeError):
    """Image export cannot work here (no usable Chromium). The message says what to install."""


class ExportError(RuntimeError):
    """A figure could not be rendered (the browser ran, the figure failed)."""


# --------------------------------------------------------------------------- options


@dataclass(frozen=True)
class ImageOptions:
    """Size and format of an exported image.

    ``width``/``height`` are layout pixels (what fonts and margins are laid out
    for); the image has ``width * scale`` by ``height * scale`` pixels for raster
    formats. The default is a 1920x1080 slide.
    """

    format: ImageFormat = "png"
    width: int = SLIDE_WIDTH
    height: int = SLIDE_HEIGHT
    scale: float = 1.0

    def __post_init__(self) -> None:
        if self.format not in IMAGE_FORMATS:
            raise ValueError(
                f"format: {self.format!r} is not one of {', '.join(IMAGE_FORMATS)}"
            )
        if not MIN_EXPORT_WIDTH <= int(self.width) <= MAX_EXPORT_WIDTH:
            raise ValueError(
                f"width: {self.width} is outside {MIN_EXPORT_WIDTH}-{MAX_EXPORT_WIDTH} px"
            )
        if not MIN_EXPORT_HEIGHT <= int(self.height) <= MAX_EXPORT_HEIGHT:
            raise ValueError(
                f"height: {self.height} is outside {MIN_EXPORT_HEIGHT}-{MAX_EXPORT_HEIGHT} px"
            )
        if not MIN_SCALE <= float(self.scale) <= MAX_SCALE:
            raise ValueError(f"scale: {self.scale} is outside {MIN_SCALE}-{MAX_SCALE}")

    @property
    def pixel_size(self) -> tuple[int, int]:
        """Size in device pixels of a raster export."""
        return round(self.width * self.scale), round(self.height * self.scale)

    @property
    def mime_type(self) -> str:
        return MIME_TYPES[self.format]

    def to_kaleido(self) -> dict[str, Any]:
        return {
            "format": self.format,
            "width": int(self.width),
            "height": int(self.height),
            "scale": float(self.scale),
        }


def options_for_width(
    format: ImageFormat = "png", width: int = SLIDE_WIDTH, scale: float = 1.0
) -> ImageOptions:
    """Options for a 16:9 image of the given layout width."""
    return ImageOptions(format=format, width=width, height=round(width * 9 / 16), scale=scale)


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


def topojson_dir() -> Path | None:
    """The local folder of plotly basemap topojson files (``exchanges.basemap``), if present."""
    from exchanges.basemap import TOPOJSON_DIR

    return TOPOJSON_DIR if TOPOJSON_DIR.is_dir() else None


def topojson_url() -> str | None:
    """``file://`` URL of the shipped basemaps for Kaleido's page (``None`` without them).

    Kaleido's Chromium runs with ``--allow-file-access-from-files``, so plotly.js
    reads them from disk: a geo export never touches the network.
    """
    from exchanges.basemap import local_topojson_url

    return local_topojson_url() if topojson_dir() is not None else None


# --------------------------------------------------------------------------- engine


class ExportEngine:
    """One Kaleido + Chromium kept running on a private event-loop thread.

    Thread-safe: Streamlit sessions and CLI loops may call :meth:`render` from
    any thread; renders queue for Kaleido's tab. The browser starts on the first
    render (or :meth:`start`) and is restarted once if it died.

    Nothing waits for ever: starting has ``START_TIMEOUT_S``, a render
    ``timeout``. When the engine gives up (a timeout, a dead browser) or is
    closed (also at interpreter exit, so when the server stops), it kills the
    processes it started — Chromium runs in a session of its own, so its
    process group is exactly the browser, its helpers and any wrapper — and
    never any other process.
    """

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
        self._lock = threading.RLock()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._kaleido: Any = None
        self._starting: Any = None  # the Kaleido being opened, so a hung start can be killed
        self._groups: set[int] = set()  # process groups of the browsers this engine started
        self._children_before: set[int] = set()  # browser children of this process before a start
        self.renders = 0

    @property
    def running(self) -> bool:
        return self._kaleido is not None

    def __enter__(self) -> ExportEngine:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    async def _open(self) -> Any:
        import kaleido  # imported late: it logs a plotly-version check on import

        # choreographer logs (with a traceback) and then ignores a browser
        # message it cannot decode; it is not an error of ours, nor fatal.
        logging.getLogger("choreographer.channels").setLevel(logging.CRITICAL)

        engine = kaleido.Kaleido(
            n=1,
            timeout=self.timeout,
            path=str(self.browser),
            mathjax=False,  # the default is a CDN URL; our figures use no LaTeX
        )
        self._starting = engine
        await engine.open()
        self._note_processes(engine)
        return engine

    def _note_processes(self, engine: Any) -> None:
        """Remember the process group of the browser ``engine`` started (its pid: a new session)."""
        process = getattr(engine, "subprocess", None)
        if process is not None and process.pid:
            self._groups.add(process.pid)

    @property
    def browser_pids(self) -> frozenset[int]:
        """Process-group ids of the browsers this engine started and has not yet killed."""
        return frozenset(self._groups)

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
        """Kill every process this engine started (and only those): each browser's process group.

        A browser whose start was given up may not be known to Kaleido yet (it was being
        spawned when the start timed out), so new browser children of this process count too.
        """
        executor = getattr(self._starting, "_process_executor", None)  # choreographer's spawning thread
        if executor is not None:  # a spawn not begun is cancelled, one under way is waited for
            with contextlib.suppress(Exception):
                executor.shutdown(wait=True, cancel_futures=True)
        for engine in (self._starting, self._kaleido):
            if engine is not None:
                self._note_processes(engine)
        self._groups |= self._browser_children() - self._children_before
        for group in list(self._groups):
            with contextlib.suppress(ProcessLookupError, PermissionError):  # gone already
                os.killpg(group, signal.SIGKILL)
            self._groups.discard(group)
        for engine in (self._starting, self._kaleido):
            process = getattr(engine, "subprocess", None)
            if process is not None:
                with contextlib.suppress(Exception):  # reap it, no zombie left
                    process.wait(timeout=CLOSE_TIMEOUT_S)
        self._starting = None

    def _run(self, coroutine: Any, timeout: float) -> Any:
        assert self._loop is not None
        future = asyncio.run_coroutine_threadsafe(coroutine, self._loop)
        try:
            return future.result(timeout=timeout)
        except TimeoutError:
            future.cancel()
            raise

    def start(self) -> None:
        """Start Chromium (idempotent)."""
        with self._lock:
            if self._kaleido is not None:
                return
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="kaleido-export", daemon=True)
            self._children_before = self._browser_children()
            thread.start()
            self._loop, self._thread = loop, thread
            try:
                self._kaleido = self._run(self._open(), START_TIMEOUT_S)
                self._starting = None
            except BaseException as failed:
                self._kill_browsers()
                self._stop_loop()
                from choreographer.errors import ChromeNotFoundError

                if isinstance(failed, ChromeNotFoundError):
                    raise ExportUnavailable(f"{failed} {INSTALL_HINT}") from failed
                if isinstance(failed, TimeoutError):
                    raise ExportUnavailable(
                        f"Chromium at {self.browser} did not answer within {START_TIMEOUT_S:.0f} s "
                        f"and was stopped. {INSTALL_HINT}"
                    ) from failed
                if isinstance(failed, Exception):
                    raise ExportUnavailable(
                        f"Chromium at {self.browser} did not start ({type(failed).__name__}: "
                        f"{failed}). {INSTALL_HINT}"
                    ) from failed
                raise

    def _stop_loop(self) -> None:
        if self._loop is not None and not self._loop.is_closed():
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=CLOSE_TIMEOUT_S)
        if self._loop is not None and not self._loop.is_running():
            self._loop.close()
        self._loop = self._thread = None

    def close(self) -> None:
        """Stop Chromium and the loop thread (idempotent): a polite close, then its
        processes are killed whatever the close did."""
        with self._lock:
            if self._kaleido is not None:
                with contextlib.suppress(Exception, asyncio.CancelledError):  # a dead or hung browser:
                    self._run(self._kaleido.close(), CLOSE_TIMEOUT_S)  # killed below
            self._kill_browsers()
            self._kaleido = None
            self._stop_loop()

    def render(self, fig: go.Figure | Mapping[str, Any], options: ImageOptions) -> bytes:
        """The figure as image bytes. Restarts a dead browser once."""
        from choreographer.errors import BrowserClosedError, BrowserFailedError

        fig_dict = fig.to_dict() if isinstance(fig, go.Figure) else dict(fig)
        for attempt in (1, 2):
            self.start()
            try:
                data = self._run(
                    self._kaleido.calc_fig(fig_dict, opts=options.to_kaleido(), topojson=self.topojson),
                    self.timeout + 5,
                )
            except TimeoutError as failed:  # a hung browser: never wait for it twice
                self.close()
                raise ExportError(f"Chromium did not render the figure within {self.timeout:.0f} s "
                                  "and was stopped") from failed
            except (BrowserClosedError, BrowserFailedError, OSError) as failed:
                self.close()
                if attempt == 2:
                    raise ExportError(f"Chromium failed while rendering: {failed}") from failed
                continue
            except Exception as failed:  # noqa: BLE001 - kaleido's JS errors have no common base
                raise ExportError(f"Could not render the figure: {failed}") from failed
            self.renders += 1
            return data if isinstance(data, bytes) else bytes(data)
        raise AssertionError("unreachable")


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


# --------------------------------------------------------------------------- rendering


def figure_to_image(
    fig: go.Figure,
    options: ImageOptions = ImageOptions(),
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    notes: Sequence[str] = (),
    banner: str | None = None,
    engine: ExportEngine | None = None,
) -> bytes:
    """Decorate ``fig`` for a slide (:func:`decorate_for_export`) and render it (PNG/SVG/PDF bytes)."""
    decorated = decorate_for_export(
        fig, options, title=title, subtitle=subtitle, source=source, notes=notes, banner=banner
    )
    return (engine or shared_engine()).render(decorated, options)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ExportView:
    """What is on screen: the filtered events, the highlighted and muted ones,
    the map view and the timeline's lanes.

    The explore page, the presentation page and the CLI all build one of these
    from the same filter state, so an export shows what the screen shows.
    """

    events: tuple[Event, ...]
    highlight: str | None = None
    muted: frozenset[str] = field(default_factory=frozenset)
    view: MapView | None = None
    title: str | None = None
    subtitle: str | None = None
    style: ChartStyle | None = None
    lanes: LaneMode = "side"

    @classmethod
    def of(
        cls,
        events: Sequence[Event],
        *,
        highlight: str | None = None,
        muted: Collection[str] = (),
        view: MapView | None = None,
        title: str | None = None,
        subtitle: str | None = None,
        style: ChartStyle | None = None,
        lanes: LaneMode = "side",
    ) -> ExportView:
        return cls(tuple(events), highlight, frozenset(muted), view, title, subtitle, style, lanes)

    @classmethod
    def from_filters(
        cls,
        state: FilterState,
        catalog: Catalog,
        gazetteer: Gazetteer | None = None,
        *,
        title: str | None = None,
        view: MapView | None = None,
        style: ChartStyle | None = None,
        lanes: LaneMode = "side",
    ) -> ExportView:
        """The view the explore page shows for a filter state (its selection
        highlighted) and its choice of timeline lanes."""
        described, subtitle = filter_title_parts(state, catalog, gazetteer)
        if state.selected and catalog.has_event(state.selected):  # the title says the highlighted event
            described, subtitle = highlight_title_parts(catalog.event(state.selected), described, subtitle)
        return cls.of(
            state.apply(catalog.events),
            highlight=state.selected,
            view=view,
            title=title if title is not None else described,
            subtitle=subtitle,
            style=style,
            lanes=lanes,
        )

    def cache_key(self) -> tuple[Any, ...]:
        """Hashable identity of the view, for caching rendered bytes."""
        return (
            tuple(e.model_dump_json() for e in self.events),
            self.highlight,
            tuple(sorted(self.muted)),
            (self.view.lon_range, self.view.lat_range) if self.view else None,
            self.title,
            self.subtitle,
            repr(self.style),
            self.lanes,
        )


def _format_day(day: dt.date) -> str:
    from exchanges.charts.labels import format_day

    return format_day(day)


def filter_title_parts(
    state: FilterState, catalog: Catalog, gazetteer: Gazetteer | None = None
) -> tuple[str, str | None]:
    """Slide title and subtitle for a filter state.

    ('Events, 1 April 1962 – 31 August 1962', 'Actors: … · Types: …' or None).
    """
    if state.date_from and state.date_to:
        when = f"{_format_day(state.date_from)} – {_format_day(state.date_to)}"
    elif state.date_from:
        when = f"from {_format_day(state.date_from)}"
    elif state.date_to:
        when = f"until {_format_day(state.date_to)}"
    else:
        when = "all dates"
    parts = []
    if state.actors:
        parts.append("Actors: " + ", ".join(sorted(catalog.actor_name(a) for a in state.actors)))
    if state.places:
        def place_name(place_id: str) -> str:
            place = gazetteer.get(place_id) if gazetteer is not None else None
            return place.name if place is not None else place_id

        parts.append("Places: " + ", ".join(sorted(place_name(p) for p in state.places)))
    if state.event_types:
        from exchanges.charts.style import event_type_label

        parts.append("Types: " + ", ".join(sorted(event_type_label(t) for t in state.event_types)))
    if state.themes:
        parts.append("Themes: " + ", ".join(sorted(catalog.theme_label(t) for t in state.themes)))
    if state.query:
        parts.append(f"Search: “{state.query}”")
    return f"Events, {when}", (" · ".join(parts) or None)


def describe_filters(
    state: FilterState, catalog: Catalog, gazetteer: Gazetteer | None = None
) -> str:
    """The filter state in one line: 'Events, 1 April 1962 – 31 August 1962 · Actors: …'."""
    title, subtitle = filter_title_parts(state, catalog, gazetteer)
    return f"{title} · {subtitle}" if subtitle else title


def chart_title(view: ExportView, chart: ChartKind) -> str:
    """Title baked into one chart of the view: the view's, else what the chart is."""
    return view.title or ("Map" if chart == "map" else "Timeline")


def build_figure(
    view: ExportView, chart: ChartKind, catalog: Catalog, gazetteer: Gazetteer | None
) -> go.Figure:
    """The on-screen figure of one chart, built by the dashboard's figure builders.

    The map carries no notes of its own: :func:`slide_figure` puts them under it.
    """
    from exchanges.charts.style import PROJECTOR_STYLE

    style = view.style or PROJECTOR_STYLE
    title = chart_title(view, chart)
    if chart == "map":
        from exchanges.charts.map_figure import build_map_figure

        if gazetteer is None:
            raise ValueError("a gazetteer is needed to draw the map")
        figure = build_map_figure(
            view.events,
            catalog,
            gazetteer,
            highlight=view.highlight,
            muted=view.muted,
            view=view.view,
            title=title,
            style=style,
            missing_note=False,
        )
        # Said in the notes under the map instead (map_notes).
        figure.layout.annotations = [a for a in figure.layout.annotations if a.name != "size-note"]
        return figure
    from exchanges.charts.timeline_figure import build_timeline_figure

    return build_timeline_figure(
        view.events,
        catalog,
        highlight=view.highlight,
        muted=view.muted,
        title=title,
        style=style,
        lanes=view.lanes,
    )


def slide_figure(
    view: ExportView,
    chart: ChartKind,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    options: ImageOptions = ImageOptions(),
) -> go.Figure:
    """One chart of the view laid out as a slide: what :func:`export_view` renders.

    Title and subtitle, the source line, and for a map the notes on what it
    leaves out, with a banner when the highlighted event itself is not on it.
    The chart is built twice: once to find the room the slide leaves it, then
    for that room (:func:`fitted_to_slide`).
    """
    notes: list[str] = []
    banner = None
    if chart == "map" and gazetteer is not None:
        notes = map_notes(view.events, gazetteer, highlight=view.highlight)
        off_map = {event.id: event for event in off_map_events(view.events, gazetteer)}
        if view.highlight in off_map:
            banner = highlight_off_map_note(off_map[view.highlight])

    def slide(shown: ExportView) -> go.Figure:
        return decorate_for_export(
            build_figure(shown, chart, catalog, gazetteer),
            options,
            subtitle=shown.subtitle,
            source=source_line(shown.events, catalog, highlight=shown.highlight),
            notes=notes,
            banner=banner,
        )

    return slide(fitted_to_slide(view, chart, slide(view)))


def fitted_to_slide(view: ExportView, chart: ChartKind, slide: go.Figure) -> ExportView:
    """``view`` laid out for the room ``slide`` (a first layout of it) gives its chart.

    A map is framed as the slide frames it, with its markers spread and its
    names placed for that exact width; a timeline spaces its dates for its width
    and fits its rows to the slide's plot height.
    """
    from exchanges.charts.style import PROJECTOR_STYLE

    style = view.style or PROJECTOR_STYLE
    width = max(round(chart_width(slide)), 1)
    if chart == "map":
        fitted = dataclasses.replace(style, map_width_hint=width, map_width_max=width)
        return dataclasses.replace(view, view=map_frame(slide), style=fitted)
    margin = slide.layout.margin
    height = max(round((slide.layout.height or 0) - (margin.t or 0) - (margin.b or 0)), 1)
    fitted = dataclasses.replace(style, timeline_width_hint=width, timeline_plot_height=height)
    return dataclasses.replace(view, style=fitted)


def export_view(
    view: ExportView,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    charts: Sequence[ChartKind] = ("map", "timeline"),
    options: ImageOptions = ImageOptions(),
    engine: ExportEngine | None = None,
) -> dict[ChartKind, bytes]:
    """Render each chart of the view as a slide (:func:`slide_figure`)."""
    engine = engine or shared_engine()
    return {
        chart: engine.render(slide_figure(view, chart, catalog, gazetteer, options), options)
        for chart in charts
    }


def image_filename(stem: str, chart: ChartKind, options: ImageOptions) -> str:
    """'1962-04-01_1962-08-31_map.png'-style file names."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem).strip("_") or "export"
    return f"{safe}_{chart}.{options.format}"
