"""Static image export (PNG, SVG, PDF) of the map and the timeline.

Rendering goes through Kaleido 1.x, which drives a headless Chrome/Chromium. We
always hand Kaleido the browser path explicitly (``BROWSER_PATH`` or the system
Chromium) and never let it download one; when there is none, every entry point
raises :class:`ExportUnavailable` whose message says what to install.

Starting Chromium takes seconds, rendering a figure a fraction of one, so an
:class:`ExportEngine` keeps one Kaleido/Chromium running on a private event-loop
thread and serves every export of the process (see ``bench/bench_export.py``).

Nothing here needs the network: plotly.js is Kaleido's local copy from the
plotly package, MathJax is switched off, and geo maps read their topojson from
the project's ``static/topojson`` folder (see :func:`topojson_url`).
"""

from __future__ import annotations

import asyncio
import atexit
import datetime as dt
import logging
import math
import os
import re
import shutil
import threading
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import plotly.graph_objects as go

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.charts.style import ChartStyle, MapView
    from exchanges.filters import FilterState
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event

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

SLIDE_WIDTH = 1920
SLIDE_HEIGHT = 1080
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
START_TIMEOUT_S = 60.0


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
        await engine.open()
        return engine

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
            thread.start()
            self._loop, self._thread = loop, thread
            try:
                self._kaleido = self._run(self._open(), START_TIMEOUT_S)
            except BaseException as failed:
                self._stop_loop()
                from choreographer.errors import ChromeNotFoundError

                if isinstance(failed, ChromeNotFoundError):
                    raise ExportUnavailable(f"{failed} {INSTALL_HINT}") from failed
                if isinstance(failed, Exception):
                    raise ExportUnavailable(
                        f"Chromium at {self.browser} did not start ({type(failed).__name__}: "
                        f"{failed}). {INSTALL_HINT}"
                    ) from failed
                raise

    def _stop_loop(self) -> None:
        if self._loop is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
        if self._thread is not None:
            self._thread.join(timeout=10)
        if self._loop is not None and not self._loop.is_running():
            self._loop.close()
        self._loop = self._thread = None

    def close(self) -> None:
        """Stop Chromium and the loop thread (idempotent)."""
        with self._lock:
            if self._kaleido is not None:
                try:
                    self._run(self._kaleido.close(), 15)
                except Exception:  # noqa: BLE001 - closing a dead browser is fine
                    pass
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
            except (BrowserClosedError, BrowserFailedError, OSError, TimeoutError) as failed:
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


# --------------------------------------------------------------------------- citation + decoration


def _short_date(day: dt.date) -> str:
    return f"{day.day} {day.strftime('%b')} {day.year}"


_INITIALS = re.compile(r"^(?:[A-Z]\.)+$")


def _short_actor_name(actor_id: str, catalog: Catalog) -> str:
    """'A.A. Gromyko' -> 'Gromyko'; other names ('Huang Zhen', offices) stay whole."""
    name = catalog.actor_name(actor_id)
    words = name.split()
    if len(words) > 1 and all(_INITIALS.match(word) for word in words[:-1]):
        return words[-1]
    return name


def document_citation(doc_id: str, catalog: Catalog) -> str:
    """'Gromyko to Stalin, 7 Jan 1952; PRC FMA …; Record ID 118207 — Wilson Center …'.

    Only what the document's metadata gives; nothing is made up for a copy
    without an archive reference.
    """
    document = catalog.documents.get(doc_id)
    if document is None:
        return doc_id
    authors = [_short_actor_name(a, catalog) for a in document.author]
    recipients = [_short_actor_name(a, catalog) for a in document.recipient]
    if authors and recipients:
        label = f"{' & '.join(authors)} to {' & '.join(recipients)}"
    elif authors:
        label = " & ".join(authors)
    else:
        label = document.title if len(document.title) <= 60 else document.title[:59] + "…"
    parts = [f"{label}, {_short_date(document.date)}"]
    if document.archive_source:
        parts.append(document.archive_source)
    if document.record_id:
        parts.append(f"Record ID {document.record_id}")
    text = "; ".join(parts)
    return f"{text} — {document.collection}" if document.collection else text


def source_line(
    events: Iterable[Event], catalog: Catalog, *, highlight: str | None = None
) -> str:
    """The 'Source: …' line baked into an export: every document the shown events cite.

    The highlighted event's document comes first.
    """
    events = list(events)
    doc_ids = list(dict.fromkeys(e.source.document for e in events))
    if highlight is not None:
        first = next((e.source.document for e in events if e.id == highlight), None)
        if first in doc_ids:
            doc_ids.remove(first)
            doc_ids.insert(0, first)
    if not doc_ids:
        return ""
    label = "Source" if len(doc_ids) == 1 else "Sources"
    return f"{label}: " + " | ".join(document_citation(d, catalog) for d in doc_ids)


def _layout_number(value: Any, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) else default


# Average glyph width of the sans-serif fonts in use, as a fraction of the font
# size: used to wrap titles and the source line before plotly lays them out.
_CHAR_WIDTH = 0.53
_LINE_HEIGHT = 1.3


def _wrap(text: str, width_px: float, size: float, max_lines: int) -> list[str]:
    """Greedy word wrap of ``text`` for a line ``width_px`` wide at ``size`` px."""
    per_line = max(20, int(width_px / (size * _CHAR_WIDTH)))
    lines: list[str] = []
    current = ""
    for word in text.split(" "):
        if current and len(current) + 1 + len(word) > per_line:
            lines.append(current)
            current = word
        else:
            current = f"{current} {word}" if current else word
    lines.append(current)
    if len(lines) > max_lines:
        lines = lines[: max_lines - 1] + [" ".join(lines[max_lines - 1 :])]
        last = lines[-1]
        if len(last) > per_line:
            lines[-1] = last[: per_line - 1].rstrip() + "…"
    return lines


def _fit_line(text: str, width_px: float, size: float, *, min_size: float) -> tuple[str, float]:
    """Shrink the font (down to ``min_size``), then shorten the text, to fit one line."""
    needed = len(text) * size * _CHAR_WIDTH
    if needed > width_px:
        size = max(min_size, width_px / (len(text) * _CHAR_WIDTH))
    per_line = int(width_px / (size * _CHAR_WIDTH))
    if len(text) > per_line:
        text = text[: max(per_line - 1, 1)].rstrip() + "…"
    return text, size


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in text; source text is shown literally."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _legend_width(fig: go.Figure, size: float) -> float:
    """Rough width of a vertical legend: its longest entry plus the symbol."""
    names = [
        str(trace.name)
        for trace in fig.data
        if trace.showlegend is not False and trace.name and getattr(trace, "visible", True) is not False
    ]
    if not names or fig.layout.showlegend is False:
        return 0.0
    return max(len(name) for name in names) * size * _CHAR_WIDTH + 60


def _has_x_axis(fig: go.Figure) -> bool:
    return any(key.startswith("xaxis") for key in fig.to_plotly_json()["layout"]) or any(
        getattr(trace, "xaxis", None) for trace in fig.data
    )


def _mercator_y(lat: float) -> float:
    lat = max(min(lat, 85.0), -85.0)
    return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def _mercator_lat(y: float) -> float:
    return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)


def fill_mercator_view(
    lon_range: tuple[float, float], lat_range: tuple[float, float], aspect: float
) -> tuple[tuple[float, float], tuple[float, float]]:
    """Widen a Mercator view (never narrow it) to the ``aspect`` (width/height) of its area.

    Plotly draws a geo view as large as fits and leaves the rest blank; on a
    16:9 slide a tall region would use a third of the width. The view keeps
    its centre and everything it showed.
    """
    west, east = lon_range
    y_south, y_north = _mercator_y(lat_range[0]), _mercator_y(lat_range[1])
    dx = math.radians(east - west)
    dy = y_north - y_south
    if dx <= 0 or dy <= 0 or aspect <= 0:
        return lon_range, lat_range
    if dx / dy < aspect:  # too tall: widen the longitudes
        half = math.degrees(aspect * dy) / 2
        middle = (west + east) / 2
        half = min(half, 180.0)
        middle = min(max(middle, -180 + half), 180 - half)
        return (middle - half, middle + half), lat_range
    half_y = dx / aspect / 2  # too wide: add latitudes
    middle_y = (y_south + y_north) / 2
    south, north = _mercator_lat(middle_y - half_y), _mercator_lat(middle_y + half_y)
    return lon_range, (max(south, -85.0), min(north, 85.0))


def decorate_for_export(
    fig: go.Figure,
    options: ImageOptions,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
) -> go.Figure:
    """A copy of ``fig`` laid out for a slide of ``options`` size.

    * the title (``title`` if given, else the figure's) in large type on one
      line (smaller, then shortened, if it is long), and ``subtitle`` under it;
    * the legend to the right of the plot, one entry per line;
    * the source line along the bottom edge, below the axis labels;
    * a Mercator map widened to fill the slide instead of leaving blank bands.

    Sizes scale with the layout width, so a 3840-px export is not small print.
    """
    out = go.Figure(fig)
    factor = options.width / SLIDE_WIDTH
    layout = out.layout
    base = max(_layout_number(layout.font.size, 16), 18 * factor)
    out.update_layout(width=options.width, height=options.height, autosize=False, font={"size": base})

    margin_l = max(_layout_number(layout.margin.l, 80), 24 * factor)
    margin_r = max(_layout_number(layout.margin.r, 80), 24 * factor)
    margin_t = _layout_number(layout.margin.t, 80)
    margin_b = _layout_number(layout.margin.b, 80)

    if title is not None:
        out.update_layout(title={"text": _escape(title)})
    if layout.title.text:
        size = max(_layout_number(layout.title.font.size, 0), 34 * factor)
        text = str(layout.title.text).replace("<br>", " ")
        text, size = _fit_line(text, options.width * 0.96, size, min_size=26 * factor)
        sub_size = 24 * factor
        sub_text = None
        if subtitle:
            sub_text, sub_size = _fit_line(_escape(subtitle), options.width * 0.96, sub_size, min_size=sub_size)
        out.update_layout(
            title={
                "text": text,
                "font": {"size": size},
                "subtitle": {"text": sub_text, "font": {"size": sub_size, "color": "#333333"}}
                if sub_text
                else None,
                "x": 0.015,
                "xanchor": "left",
                "xref": "container",
                "y": 1 - 18 * factor / options.height,
                "yanchor": "top",
                "yref": "container",
            }
        )
        needed = size * _LINE_HEIGHT + (sub_size * _LINE_HEIGHT + 14 * factor if sub_text else 0) + 40 * factor
        margin_t = max(margin_t, needed)

    legend_size = max(_layout_number(layout.legend.font.size, base), 16 * factor)
    legend_w = _legend_width(out, legend_size)
    if legend_w:
        # A legend under the plot would collide with the source line.
        out.update_layout(
            legend={
                "orientation": "v",
                "x": 1.01,
                "xanchor": "left",
                "xref": "paper",
                "y": 1.0,
                "yanchor": "top",
                "yref": "paper",
            }
        )

    if source:
        size = max(20 * factor, 12)
        lines = _wrap(source, options.width - margin_l - margin_r, size, max_lines=3)
        band = len(lines) * size * _LINE_HEIGHT + 18 * factor
        axis = 0.0
        if _has_x_axis(out):
            tick = _layout_number(layout.xaxis.tickfont.size, base)
            axis = 2 * _LINE_HEIGHT * tick + 24 * factor  # two-line date labels
        margin_b = max(margin_b, axis) + band
        out.add_annotation(
            text="<br>".join(_escape(line) for line in lines),
            xref="paper",
            yref="paper",
            x=0,
            y=0,
            xanchor="left",
            yanchor="bottom",
            yshift=-margin_b + 10 * factor,
            align="left",
            showarrow=False,
            font={"size": size, "color": "#222222"},
            name="export-source",
        )
    out.update_layout(margin={"l": margin_l, "r": margin_r, "t": margin_t, "b": margin_b})

    geo = layout.geo
    if geo is not None and geo.projection.type in (None, "mercator") and geo.lonaxis.range and geo.lataxis.range:
        area_w = options.width - margin_l - margin_r - legend_w
        area_h = options.height - margin_t - margin_b
        if area_w > 0 and area_h > 0:
            lon_range, lat_range = fill_mercator_view(
                tuple(geo.lonaxis.range), tuple(geo.lataxis.range), area_w / area_h
            )
            out.update_geos(lonaxis_range=list(lon_range), lataxis_range=list(lat_range))
    return out


def figure_to_image(
    fig: go.Figure,
    options: ImageOptions = ImageOptions(),
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    engine: ExportEngine | None = None,
) -> bytes:
    """Decorate ``fig`` for a slide and render it (PNG/SVG/PDF bytes)."""
    decorated = decorate_for_export(fig, options, title=title, subtitle=subtitle, source=source)
    return (engine or shared_engine()).render(decorated, options)


# --------------------------------------------------------------------------- views


@dataclass(frozen=True)
class ExportView:
    """What is on screen: the filtered events, the highlighted and muted ones, the map view.

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
    ) -> ExportView:
        return cls(tuple(events), highlight, frozenset(muted), view, title, subtitle, style)

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
    ) -> ExportView:
        """The view the explore page shows for a filter state (its selection highlighted)."""
        described, subtitle = filter_title_parts(state, catalog, gazetteer)
        return cls.of(
            state.apply(catalog.events),
            highlight=state.selected,
            view=view,
            title=title if title is not None else described,
            subtitle=subtitle,
            style=style,
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
    """Title baked into one chart of the view."""
    kind = "Map" if chart == "map" else "Timeline"
    return f"{view.title} — {kind}" if view.title else kind


def build_figure(
    view: ExportView, chart: ChartKind, catalog: Catalog, gazetteer: Gazetteer | None
) -> go.Figure:
    """The on-screen figure of one chart, built by the dashboard's figure builders."""
    from exchanges.charts.style import PROJECTOR_STYLE

    style = view.style or PROJECTOR_STYLE
    title = chart_title(view, chart)
    if chart == "map":
        from exchanges.charts.map_figure import build_map_figure

        if gazetteer is None:
            raise ValueError("a gazetteer is needed to draw the map")
        return build_map_figure(
            view.events,
            catalog,
            gazetteer,
            highlight=view.highlight,
            muted=view.muted,
            view=view.view,
            title=title,
            style=style,
        )
    from exchanges.charts.timeline_figure import build_timeline_figure

    return build_timeline_figure(
        view.events,
        catalog,
        highlight=view.highlight,
        muted=view.muted,
        title=title,
        style=style,
    )


def export_view(
    view: ExportView,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    charts: Sequence[ChartKind] = ("map", "timeline"),
    options: ImageOptions = ImageOptions(),
    engine: ExportEngine | None = None,
) -> dict[ChartKind, bytes]:
    """Render each chart of the view with its title and source line."""
    engine = engine or shared_engine()
    source = source_line(view.events, catalog, highlight=view.highlight)
    return {
        chart: figure_to_image(
            build_figure(view, chart, catalog, gazetteer),
            options,
            subtitle=view.subtitle,
            source=source,
            engine=engine,
        )
        for chart in charts
    }


def image_filename(stem: str, chart: ChartKind, options: ImageOptions) -> str:
    """'1962-04-01_1962-08-31_map.png'-style file names."""
    safe = "".join(ch if ch.isalnum() or ch in "-_." else "_" for ch in stem).strip("_") or "export"
    return f"{safe}_{chart}.{options.format}"
