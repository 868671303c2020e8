"""How an exported chart is laid out as a slide: title, legend, notes, source line.

:func:`decorate_for_export` takes the figure the page shows and returns a copy
sized for a slide: the title in large type (up to two lines), the subtitle
under it, the legend to the right of the plot, and along the bottom edge the
notes (what the map does not show, what marker sizes mean) and the
``Source: …`` citation of every document the shown events come from.

Plotly does not wrap text, so titles and the bottom band are wrapped here,
measured with the font's own metrics (:mod:`exchanges.text_metrics`); room is
reserved for them in the margins, so nothing overlaps the plot or each other. A map keeps fixed
margins, so its plot area is known exactly and its view is widened to that
shape: it fills the slide instead of leaving blank bands beside it.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Protocol

import plotly.graph_objects as go

from exchanges.charts.map_figure import SIZE_NOTE as MAP_SIZE_NOTE
from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import paper_note
from exchanges.mapping import MapView, locate_events, with_aspect
from exchanges.text_metrics import line_height, lines_width, wrap_to_width
from exchanges.wording import date_label, short_title, shorten

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event

SLIDE_WIDTH = 1920
SLIDE_HEIGHT = 1080

TITLE_LINES = 2
NOTE_LINES = 2  # per note
SOURCE_LINES = 3

#: Height of one entry of a vertical legend, as a multiple of its font size.
LEGEND_ENTRY_HEIGHT = 2.0

SIZE_NOTE = MAP_SIZE_NOTE + "."  # one wording: the map's own
NOTE_COLOUR = "#222222"


class SlideSize(Protocol):
    """The layout size of an export (``exchanges.export.options.ImageOptions`` is one)."""

    width: int
    height: int


# --------------------------------------------------------------------------- citations


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


# --------------------------------------------------------------------------- what the map leaves out


def highlight_title_parts(event: Event, described: str, subtitle: str | None) -> tuple[str, str]:
    """Title and subtitle of an export with ``event`` highlighted: the export says what it shows.

    The event's short title and date are the title; the filter's own title
    ('Events, from 1 April 1962') and its details move to the subtitle.
    """
    title = f"{short_title(event)} · {date_label(event)}"
    return title, " · ".join(part for part in (described, subtitle) if part)


def unmapped_note(events: Sequence[Event], *, listed: int = 3) -> str | None:
    """'Not on the map, naming no place: “A”; “B”.' (more than ``listed`` are counted).

    ``None`` when there is nothing to say. Events whose places the gazetteer
    lacks are "naming no place the map knows".
    """
    if not events:
        return None
    where = "no place the map knows" if any(event.places for event in events) else "no place"
    if len(events) > listed:
        return f"Not on the map: {len(events)} events naming {where}."
    titles = "; ".join(f"“{shorten(event.title, 50)}”" for event in events)
    return f"Not on the map, naming {where}: {titles}."


def off_map_events(events: Sequence[Event], gazetteer: Gazetteer) -> tuple[Event, ...]:
    """The events the map cannot draw (no place, or none the gazetteer knows)."""
    return locate_events(events, gazetteer).missing


def highlight_off_map_note(event: Event) -> str:
    """The note put over a map whose highlighted event is not on it."""
    if event.places:
        return "This event's place is not in the gazetteer, so it is not on the map."
    return "This event names no place, so it is not on the map."


def map_notes(
    events: Sequence[Event], gazetteer: Gazetteer, *, highlight: str | None = None
) -> list[str]:
    """The lines under an exported map: marker sizes, and the other events it leaves out."""
    missing = off_map_events(events, gazetteer)
    notes = [SIZE_NOTE] if len(missing) < len(events) else []
    note = unmapped_note([event for event in missing if event.id != highlight])
    return notes + ([note] if note else [])


# --------------------------------------------------------------------------- text fitting


def _fit_lines(
    text: str, width_px: float, size: float, *, min_size: float, max_lines: int
) -> tuple[list[str], float]:
    """``text`` in at most ``max_lines`` lines: smaller type (down to ``min_size``), then shortened."""
    while True:
        lines = wrap_to_width(text, size, width_px)
        if len(lines) <= max_lines or size <= min_size:
            break
        size = max(min_size, size * 0.92)
    return wrap_to_width(text, size, width_px, max_lines=max_lines), size


def _layout_number(value: Any, default: float) -> float:
    return float(value) if isinstance(value, (int, float)) else default


def _legend_names(fig: go.Figure) -> list[str]:
    """The entries of the figure's legend."""
    if fig.layout.showlegend is False:
        return []
    return [
        html.unescape(str(trace.name))
        for trace in fig.data
        if trace.showlegend is not False and trace.name and getattr(trace, "visible", True) is not False
    ]


def _legend_width(fig: go.Figure, size: float) -> float:
    """Rough width of a vertical legend: its longest entry plus the symbol."""
    names = _legend_names(fig)
    return lines_width(names, size) + 60 if names else 0.0


def _left_labels_width(fig: go.Figure, base: float) -> float:
    """Rough width of the y axis' labels left of the plot (a timeline's lane names, bold)."""
    axis = fig.layout.yaxis
    texts = [re.sub(r"<[^>]+>", "", str(text)) for text in axis.ticktext or ()]
    size = _layout_number(axis.tickfont.size, base)
    return lines_width(texts, size, bold=True) + 10


def _above_plot(fig: go.Figure, base: float) -> float:
    """Height of the labels the figure puts just above its plot (a timeline's era titles)."""
    sizes = [
        _layout_number(annotation.font.size, base)
        for annotation in fig.layout.annotations
        if annotation.yref == "paper" and _layout_number(annotation.y, 0) >= 1
    ]
    return line_height(max(sizes)) + 8 if sizes else 0.0


def _has_x_axis(fig: go.Figure) -> bool:
    return any(key.startswith("xaxis") for key in fig.to_plotly_json()["layout"]) or any(
        getattr(trace, "xaxis", None) for trace in fig.data
    )


def _is_mercator_map(fig: go.Figure) -> bool:
    geo = fig.layout.geo
    return (
        geo is not None
        and geo.projection.type in (None, "mercator")
        and bool(geo.lonaxis.range)
        and bool(geo.lataxis.range)
    )


def chart_width(slide: go.Figure) -> float:
    """How wide (px) the chart of a slide made by :func:`decorate_for_export` is
    drawn: a map's frame exactly; another chart's plot and axis labels, about
    (the slide less its side margins and the legend beside it)."""
    layout = slide.layout
    width = _layout_number(layout.width, SLIDE_WIDTH) - _layout_number(layout.margin.l, 0) - _layout_number(
        layout.margin.r, 0
    )
    if not _is_mercator_map(slide):  # its legend widens the right margin when drawn
        width -= _legend_width(slide, _layout_number(layout.legend.font.size, 16))
    return width


def map_frame(slide: go.Figure) -> MapView:
    """The view a slide's map shows (after :func:`decorate_for_export` widened it)."""
    geo = slide.layout.geo
    return MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))


# --------------------------------------------------------------------------- the slide


def decorate_for_export(
    fig: go.Figure,
    options: SlideSize,
    *,
    title: str | None = None,
    subtitle: str | None = None,
    source: str | None = None,
    notes: Sequence[str] = (),
    banner: str | None = None,
) -> go.Figure:
    """A copy of ``fig`` laid out for a slide of ``options`` size.

    * the title (``title`` if given, else the figure's) in large type, on up
      to two lines (smaller, then shortened, if it is long), ``subtitle`` under it;
    * the legend to the right of the plot, one entry per line;
    * along the bottom edge, below the axis labels: the ``notes``, then the
      ``source`` line;
    * ``banner``, if given, boxed across the top of the plot (e.g. "This event
      names no place");
    * a Mercator map with fixed margins, its view widened to fill its area.

    Sizes scale with the layout width, so a 3840-px export is not small print.
    """
    out = go.Figure(fig)
    factor = options.width / SLIDE_WIDTH
    layout = out.layout
    is_map = _is_mercator_map(out)
    base = max(_layout_number(layout.font.size, 16), 18 * factor)
    out.update_layout(width=options.width, height=options.height, autosize=False, font={"size": base})

    margin_l = max(_layout_number(layout.margin.l, 80), 24 * factor)
    margin_r = max(_layout_number(layout.margin.r, 80), 24 * factor)
    margin_t = _layout_number(layout.margin.t, 80)
    margin_b = _layout_number(layout.margin.b, 80)
    text_width = options.width - 2 * 24 * factor

    if title is not None:
        out.update_layout(title={"text": escape_text(title)})
    if layout.title.text:
        size = max(_layout_number(layout.title.font.size, 0), 34 * factor)
        text = str(layout.title.text).replace("<br>", " ")
        lines, size = _fit_lines(text, text_width, size, min_size=28 * factor, max_lines=TITLE_LINES)
        sub_size = 24 * factor
        sub_lines = wrap_to_width(escape_text(subtitle), sub_size, text_width, max_lines=1) if subtitle else []
        out.update_layout(
            title={
                "text": "<br>".join(lines),
                "font": {"size": size},
                "subtitle": {"text": sub_lines[0], "font": {"size": sub_size, "color": "#333333"}}
                if sub_lines
                else None,
                "x": 24 * factor / options.width,
                "xanchor": "left",
                "xref": "container",
                "y": 1 - 18 * factor / options.height,
                "yanchor": "top",
                "yref": "container",
            }
        )
        needed = len(lines) * line_height(size) + (line_height(sub_size) + 14 * factor if sub_lines else 0)
        margin_t = max(margin_t, needed + _above_plot(out, base) + 40 * factor)

    legend_size = max(_layout_number(layout.legend.font.size, base), 16 * factor)
    legend_w = _legend_width(out, legend_size)
    if legend_w:
        # A legend under the plot would collide with the notes and the source.
        out.update_layout(
            legend={
                "orientation": "v",
                "x": 1.0,
                "xanchor": "left",
                "xref": "paper",
                "y": 1.0,
                "yanchor": "top",
                "yref": "paper",
                "font": {"size": legend_size},
                "bgcolor": "rgba(255,255,255,0)",
            }
        )
        if is_map:
            margin_r = max(margin_r, legend_w + 24 * factor)

    band_lines: list[str] = []
    band_size = max(20 * factor, 12)
    # The band starts at the plot's left edge, right of the lane names a timeline has there.
    band_width = text_width - (0.0 if is_map else _left_labels_width(out, base))
    for note in notes:
        band_lines += wrap_to_width(note, band_size, band_width, max_lines=NOTE_LINES)
    if source:
        band_lines += wrap_to_width(source, band_size, band_width, max_lines=SOURCE_LINES)
    if band_lines:
        band = len(band_lines) * line_height(band_size) + 18 * factor
        axis = 0.0
        if _has_x_axis(out):
            tick = _layout_number(layout.xaxis.tickfont.size, base)
            axis = 2 * line_height(tick) + 24 * factor  # two-line date labels
        margin_b = max(margin_b, axis) + band
        out.add_annotation(
            **paper_note(
                "<br>".join(escape_text(line) for line in band_lines), 0, 0,
                {"size": band_size, "color": NOTE_COLOUR},
                xanchor="left", yanchor="bottom", yshift=-margin_b + 10 * factor, align="left",
                name="export-source",
            )
        )
    if banner:
        out.add_annotation(
            **paper_note(
                escape_text(banner), 0.5, 0.985, {"size": 24 * factor, "color": "#000000"},
                xanchor="center", yanchor="top", bgcolor="rgba(255,255,255,0.95)",
                bordercolor="#000000", borderwidth=2, borderpad=8, name="export-banner",
            )
        )
    entries = len(_legend_names(out))
    if legend_w and entries:
        # One entry under another beside the plot, which cuts off what is
        # longer: smaller type if they would not fit (a timeline of every type).
        room = options.height - margin_t - margin_b
        fitted = max(min(legend_size, room / (entries * LEGEND_ENTRY_HEIGHT)), 10 * factor)
        out.update_layout(legend_font_size=fitted)
    # A map's margins stay as set (the legend sits in the right one), so its
    # plot area, and the view that fills it, are exactly known.
    out.update_layout(
        margin={"l": margin_l, "r": margin_r, "t": margin_t, "b": margin_b, "autoexpand": not is_map}
    )

    if is_map:
        area_w = options.width - margin_l - margin_r
        area_h = options.height - margin_t - margin_b
        if area_w > 0 and area_h > 0:
            view = with_aspect(map_frame(out), area_w / area_h)
            out.update_geos(lonaxis_range=list(view.lon_range), lataxis_range=list(view.lat_range))
    return out
