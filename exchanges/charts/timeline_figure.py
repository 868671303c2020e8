"""The timeline: events on a broken date axis, in lanes, at a fixed height.

The eras (one panel each, side by side, a shared y axis) and the lanes (side or
event type) come from :mod:`exchanges.timeline`. Within a lane every event gets
its glyph *and its name* on a row: rows are packed so that no two names or
glyphs overlap at the narrowest width the figure is drawn at
(``style.timeline_width_hint``); drawn wider, everything only moves apart.
Events that share a date are stacked on rows of their own, never piled.

**Fixed height, summarised when dense.** The figure is never taller than
``style.timeline_max_height``. When the rows a lane needs to name every event
do not fit, the lanes needing the most rows are *summarised*, one at a time,
until the rest fit: a summarised lane shows how many of its events fall in
each period (a column per day, week, month, quarter, year or decade, the
finest the panel's width allows), its name says how many events it holds, and
a note above the chart says that it is summarised and how to see the events:
click a column (its customdata is ``zoom:<first day>:<last day>``, which the
page turns into a narrower timeline) or narrow the dates. With fewer events
the lanes switch back to named events by themselves. The selected event is
drawn, named, even inside a summarised lane.

How exactly a source dates an event is drawn, not hidden:

* a filled marker is a day the source states;
* a hatched, lighter bar is the window an imprecise date allows ("April 1962"
  covers the whole month), with a hollow marker in its middle;
* a solid bar is an event that lasted from its date to its end date;
* a band fading out to the left ends at an event the source dates only by a
  latest date (``date_bound: by``): it happened on or before that day.

**One x axis, in px.** The panels share one x axis whose unit is the px
across the plot at the style's width (``_Panel.px``): each panel maps its dates
onto its stretch of it, with a gap between panels, and the figure drawn at
any other width scales as a whole. Ticks (``date_ticks``) are placed per panel
on that axis; ``layout.meta["exchanges_timeline"]["panels"]`` lists each
panel's dates and where it sits, for whoever reads a figure back. One axis
rather than one per panel, because plotly.js pays per subplot and per trace
on every draw (docs/MAP.md: a third less time to draw the shipped timeline).

**Built in bulk.** Traces do not grow with the events: one trace of exchange
lines, one of "on or before" bands (each band a few bars of rising opacity),
one of bars, one of markers, one of counts and one for the selected event, plus
legend keys (one per event type and precision). The names are laid out first
and drawn, with the era titles, the axis breaks and the lane names, as one
trace of text points (cheap for plotly.js; a lane name's backing is a shape);
only the names on a backing and the notes are annotations. Every event glyph
carries the event id as ``customdata``.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

import numpy as np
import plotly.graph_objects as go

from exchanges.charts.date_ticks import panel_ticks
from exchanges.charts.hover import hover_html
from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle, base_layout, rgba
from exchanges.models import DatePrecision, Event, EventType
from exchanges.text_metrics import line_height, text_width, wrap_to_width
from exchanges.timeline import (
    CHINESE_SIDE,
    SOVIET_SIDE,
    THIRD_PARTIES,
    UNATTRIBUTED,
    Era,
    EventColumns,
    LaneMode,
    catalog_columns,
    find_eras,
    lane_of,
    lane_order,
    recipient_side,
    split_eras,
    uncertainty_end,
)
from exchanges.wording import event_type_label, is_latest_bound, short_title

if TYPE_CHECKING:
    from exchanges.catalog import Catalog

__all__ = [
    "CHINESE_SIDE",
    "SOVIET_SIDE",
    "THIRD_PARTIES",
    "UNATTRIBUTED",
    "Era",
    "LaneMode",
    "ZOOM_PREFIX",
    "build_timeline_figure",
    "find_eras",
    "lane_of",
    "parse_zoom",
]

#: The figure's side margins, px.
SIDE_MARGIN = 10
#: The eras' titles over their panels, as a share of the base font size.
ERA_TITLE_SCALE = 0.9
#: The narrowest a panel is, as a share of the plot width.
MIN_PANEL_SHARE = 0.12
#: Space between two panels, as a share of the plot width.
PANEL_SPACING = 0.035
#: The legend's keys to the glyphs (short: the legend takes room from the lanes).
EXACT_LEGEND = "Exact day"
WINDOW_LEGEND = "Vague date: its window"
SPAN_LEGEND = "Lasted from … to …"
BOUND_LEGEND = "On or before (a latest date)"
DENSITY_LEGEND = "Events per period"
FADE_SHARE = 0.08
"""Length of the band fading out before an "on or before" date, as a share of its era."""
#: Steps of rising opacity an "on or before" band is drawn in.
FADE_STEPS = 4
#: Space (px) between a glyph and its name, and kept clear between neighbours on a row.
LABEL_PAD = 4.0
#: Space above the first lane and below the last, in rows (together).
ROW_PADDING = 0.6
#: Space between two lanes, in rows.
LANE_GAP = 0.4
#: The top of a summarised lane left to its name, in rows (its columns rise below it).
HEADER_ROWS = 0.9
#: Narrowest a column of a summarised lane is drawn, px.
MIN_COLUMN_PX = 4.0
#: Most columns of counts a panel has.
MAX_COLUMNS = 40
#: customdata of a column of a summarised lane: ``zoom:1962-04-01:1962-04-30``.
ZOOM_PREFIX = "zoom:"

_PERIODS: tuple[tuple[str, float], ...] = (
    ("day", 1), ("week", 7), ("month", 30.44), ("quarter", 91.3), ("year", 365.25),
    ("5 years", 5 * 365.25), ("decade", 3652.5),
)


def parse_zoom(data: object) -> tuple[dt.date, dt.date] | None:
    """The (first, last) day of a summarised column's customdata, else ``None``."""
    if not isinstance(data, str) or not data.startswith(ZOOM_PREFIX):
        return None
    try:
        first, last = data.removeprefix(ZOOM_PREFIX).split(":")
        return dt.date.fromisoformat(first), dt.date.fromisoformat(last)
    except ValueError:
        return None


# --------------------------------------------------------------------------- geometry


@dataclass(frozen=True)
class _Panel:
    """One era's panel: its dates, its share of the plot, its width (px) at the style's width."""

    index: int
    era: Era
    start: dt.date
    end: dt.date
    domain: tuple[float, float]
    width: float
    overhang: tuple[float, float]
    plot_width: float
    """Of all panels together, px."""

    @property
    def offset(self) -> float:
        """Where the panel begins, px from the left of the plot."""
        return self.domain[0] * self.plot_width

    @property
    def right(self) -> float:
        """Where the panel ends, px from the left of the plot."""
        return self.offset + self.width

    @property
    def days(self) -> float:
        return max((self.end - self.start).days, 1)

    def px(self, moment: dt.date | dt.datetime) -> float:
        """Where ``moment`` is drawn, px from the left of the plot (not of the panel)."""
        if not isinstance(moment, dt.datetime):
            moment = dt.datetime.combine(moment, dt.time())
        seconds = (moment - dt.datetime.combine(self.start, dt.time())).total_seconds()
        return self.offset + seconds / 86_400 * self.width / self.days

    def x(self, moment: dt.date | dt.datetime) -> float:
        """``moment`` on the timeline's x axis (:meth:`px`, kept within the panel, to 0.01 px)."""
        return round(min(max(self.px(moment), self.offset), self.right), 2)


@dataclass
class _Glyph:
    """An event as drawn: where, how, and its name's place."""

    event: Event
    panel: _Panel
    lane: str
    kind: Literal["point", "window", "span"]
    start: dt.date
    end: dt.date  # last day covered (inclusive)
    shown_start: dt.date | None = None
    fade_start: dt.date | None = None
    row: float = 0.0
    label: _Label | None = None

    @property
    def clipped(self) -> bool:
        return self.shown_start is not None and self.shown_start > self.start

    @property
    def marker_date(self) -> dt.datetime:
        if self.kind == "window":
            return dt.datetime.combine(self.start + (self.end - self.start) / 2, dt.time(12))
        return dt.datetime.combine(self.shown_start or self.start, dt.time(12))


@dataclass(frozen=True)
class _Label:
    text: str
    x: dt.date | dt.datetime
    xshift: float
    xanchor: Literal["left", "right"]
    box: tuple[float, float]
    """The glyph and its name together, px from the panel's left edge."""
    inside: bool = False


@dataclass(frozen=True)
class _Frame:
    """Sizes of everything around the rows, px."""

    top: float
    bottom: float
    left: float
    legend: list[str]
    note: list[str]
    row_budget: float


def _glyph_kind(event: Event) -> Literal["point", "window", "span"]:
    if event.end_date is not None and event.end_date != event.date:
        return "span"
    if event.date_precision is DatePrecision.day:
        return "point"
    return "window"


def _era_range(era: Era) -> tuple[dt.date, dt.date]:
    """The dates an era's panel shows: the era with a margin on both sides."""
    pad = dt.timedelta(days=max(era.days * 0.06, 8))
    return (era.start - pad, era.end + pad + dt.timedelta(days=1))


def _glyph(event: Event, panel: _Panel, lane: str) -> _Glyph:
    era_start = panel.era.start
    entry = panel.start + (era_start - panel.start) / 2  # a span from earlier enters here
    fade = None
    if is_latest_bound(event) and event.date > panel.start:
        fade = max(event.date - dt.timedelta(days=max(panel.era.days * FADE_SHARE, 14)), panel.start)
    return _Glyph(event, panel, lane, _glyph_kind(event), event.date, uncertainty_end(event),
                  shown_start=entry if event.date < era_start else None, fade_start=fade)


def _panels(eras: Sequence[Era], plot_width: float, left: float) -> list[_Panel]:
    """Widths by number of events (at least ``MIN_PANEL_SHARE`` each); a gap between panels."""
    total = sum(len(era.event_ids) for era in eras)
    raw = [max(len(era.event_ids) / total, MIN_PANEL_SHARE) for era in eras]
    shares = [share / sum(raw) for share in raw]
    spacing = PANEL_SPACING if len(eras) > 1 else 0.0
    usable = 1.0 - spacing * (len(eras) - 1)
    gap_px = plot_width * spacing / 2
    panels, start = [], 0.0
    for index, (era, share) in enumerate(zip(eras, shares, strict=True)):
        domain = (start, min(start + share * usable, 1.0))
        first, last = _era_range(era)
        overhang = (gap_px if index else left, gap_px if index < len(eras) - 1 else SIDE_MARGIN * 0.8)
        panels.append(_Panel(index, era, first, last, domain, plot_width * (domain[1] - domain[0]), overhang,
                             plot_width))
        start = domain[1] + spacing
    return panels


# --------------------------------------------------------------------------- names and rows


def _label_font(style: ChartStyle) -> float:
    return style.font(style.timeline_label_scale)["size"]


def _name(glyph: _Glyph) -> str:
    name = short_title(glyph.event)
    if glyph.clipped:
        return f"◂ from {glyph.start:%B %Y}: {name}"
    return name


def _extent(glyph: _Glyph, size: float) -> tuple[float, float, float]:
    """(left, right, marker centre) of the glyph in px."""
    panel = glyph.panel
    centre = panel.px(glyph.marker_date)
    left, right = centre - size / 2 - 1, centre + size / 2 + 1
    if glyph.kind != "point":
        left = min(left, panel.px(glyph.shown_start or glyph.start))
        right = max(right, panel.px(glyph.end + dt.timedelta(days=1)))
    if glyph.fade_start is not None:
        left = min(left, panel.px(glyph.fade_start))
    # A bar running past its panel's edges is drawn only up to them.
    return max(left, panel.px(panel.start)), min(right, panel.px(panel.end)), centre


def _label_options(glyph: _Glyph, style: ChartStyle, chosen: bool) -> list[_Label]:
    """Where the name may go, best first: inside a long bar, right of the glyph, left of it.

    A name stays inside the plot (left of it are the lane names); it may reach
    into the next panel, if nothing is there on its row. If it fits on neither
    side, it is moved back inside the plot on the side it overflows least,
    over its own glyph, on a backing.
    """
    size = style.marker_min_size * (style.highlight_scale if chosen else 1.0)
    left, right, centre = _extent(glyph, size)
    text = _name(glyph)
    width = text_width(text, _label_font(style), bold=chosen) + 2
    panel = glyph.panel
    if glyph.kind != "point":
        start = centre + size / 2 + LABEL_PAD
        if start + width <= right - LABEL_PAD:
            return [_Label(text, glyph.marker_date, start - centre, "left", (left, right), inside=True)]
    right_x = glyph.marker_date if glyph.kind == "point" else glyph.end + dt.timedelta(days=1)
    left_x = glyph.fade_start or (glyph.marker_date if glyph.kind == "point" else glyph.shown_start or glyph.start)
    after = _Label(text, right_x, right - panel.px(right_x) + LABEL_PAD, "left", (left, right + LABEL_PAD + width))
    before = _Label(text, left_x, left - panel.px(left_x) - LABEL_PAD, "right", (left - LABEL_PAD - width, right))
    over_after = max(after.box[1] - panel.plot_width - SIDE_MARGIN / 2, 0.0)
    over_before = max(-before.box[0], 0.0)
    fitting = [label for label, over in ((after, over_after), (before, over_before)) if over == 0]
    if fitting:
        return fitting
    # Room on neither side: the name is moved back inside the plot, over its own glyph (on a backing).
    if over_after <= over_before:
        return [_Label(text, right_x, after.xshift - over_after, "left",
                       (left, after.box[1] - over_after), inside=True)]
    return [_Label(text, left_x, before.xshift + over_before, "right", (0.0, right), inside=True)]


def _place_label(glyph: _Glyph, style: ChartStyle, chosen: bool) -> _Label:
    return _label_options(glyph, style, chosen)[0]


def _pack_rows(glyphs: list[_Glyph], style: ChartStyle, highlight: str | None, header: float) -> int:
    """Give every glyph of one lane the lowest row where it and its name touch nothing (trying the
    name on either side); the lane's name takes the first ``header`` px of its first row.
    Returns the rows used."""
    rows: list[list[tuple[float, float]]] = [[(-1e9, header)]]  # the boxes on each row, px across all panels

    def free(row: list[tuple[float, float]], box: tuple[float, float]) -> bool:
        return all(box[1] + LABEL_PAD <= a or b + LABEL_PAD <= box[0] for a, b in row)

    options = {g.event.id: _label_options(g, style, g.event.id == highlight) for g in glyphs}
    for glyph in sorted(glyphs, key=lambda g: (_extent(g, style.marker_min_size)[0], g.event.id)):
        best: tuple[int, _Label] | None = None
        for label in options[glyph.event.id]:
            row = next((i for i, boxes in enumerate(rows) if free(boxes, label.box)), len(rows))
            if best is None or row < best[0]:
                best = (row, label)
        row, glyph.label = best
        if row == len(rows):
            rows.append([])
        rows[row].append(glyph.label.box)
        glyph.row = row
    return len(rows)


# --------------------------------------------------------------------------- lanes: named or summarised


@dataclass
class _Lanes:
    order: list[str]
    events: Sequence[Event]
    panels: Sequence[_Panel]
    columns: EventColumns
    era_of: np.ndarray
    """Each event's panel (an index into ``panels``), by row of ``events``."""
    members: dict[str, np.ndarray]
    """lane -> the rows of its events, in order."""
    mode: LaneMode
    dense: set[str] = field(default_factory=set)
    glyphs: dict[str, list[_Glyph]] = field(default_factory=dict)
    """Of the lanes that may be named (a lane summarised at first sight gets none)."""
    rows: dict[str, int] = field(default_factory=dict)
    spans: dict[str, tuple[float, float, float]] = field(default_factory=dict)
    """lane -> (top, centre, bottom) on the y axis, in rows."""
    counted: dict[str, dict[int, tuple[str, list]]] = field(default_factory=dict)
    header: dict[str, float] = field(default_factory=dict)
    """lane -> how wide (px) its name is, heading its first row."""

    def reset(self) -> None:
        self.dense, self.rows, self.spans = set(), {}, {}

    def count(self, lane: str) -> int:
        return len(self.members[lane])

    def glyph(self, row: int, lane: str) -> _Glyph:
        return _glyph(self.events[row], self.panels[self.era_of[row]], lane)


def _lane_rows(lanes: _Lanes, style: ChartStyle) -> float:
    named = sum(max(lanes.rows[lane], 1) for lane in lanes.order if lane not in lanes.dense)
    gaps = LANE_GAP * max(len(lanes.order) - 1, 0)
    return named + style.timeline_density_rows * len(lanes.dense) + gaps + ROW_PADDING


def _choose_dense(lanes: _Lanes, budget: float, style: ChartStyle, highlight: str | None, plot_width: float) -> None:
    """Summarise lanes, fullest first, until the rest fit ``budget`` rows with every event named."""
    # A quick bound first: a lane with more events than names could ever fit is summarised unmeasured.
    per_row = max(plot_width / 60.0, 1.0)
    for lane in lanes.order:
        if lanes.count(lane) > budget * per_row:
            lanes.dense.add(lane)
    for lane in lanes.order:
        if lane not in lanes.dense:
            if lane not in lanes.glyphs:
                lanes.glyphs[lane] = [lanes.glyph(row, lane) for row in lanes.members[lane].tolist()]
            lanes.rows[lane] = _pack_rows(lanes.glyphs[lane], style, highlight, lanes.header[lane])
    while _lane_rows(lanes, style) > budget:
        named = [lane for lane in lanes.order if lane not in lanes.dense]
        if not named:
            return
        lanes.dense.add(max(named, key=lambda lane: (lanes.rows[lane], lanes.count(lane))))


def _place_lanes(lanes: _Lanes, style: ChartStyle) -> float:
    """Each lane's (top, centre, bottom) on the y axis; glyph rows made absolute. Returns the rows in all."""
    y = 0.0
    for lane in lanes.order:
        height = style.timeline_density_rows if lane in lanes.dense else max(lanes.rows[lane], 1)
        lanes.spans[lane] = (y - 0.5, y + (height - 1) / 2, y + height - 0.5)
        if lane not in lanes.dense:
            for glyph in lanes.glyphs[lane]:
                glyph.row += y
        y += height + LANE_GAP
    return y - LANE_GAP


# --------------------------------------------------------------------------- counts per period


def _period_start(day: dt.date, period: str) -> dt.date:
    if period == "day":
        return day
    if period == "week":
        return day - dt.timedelta(days=day.weekday())
    if period == "month":
        return day.replace(day=1)
    if period == "quarter":
        return dt.date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    step = {"year": 1, "5 years": 5, "decade": 10}[period]
    return dt.date(day.year - day.year % step, 1, 1)


def _period_end(start: dt.date, period: str) -> dt.date:
    """The last day of the period beginning ``start``."""
    if period in ("day", "week"):
        return start + dt.timedelta(days=0 if period == "day" else 6)
    months = {"month": 1, "quarter": 3, "year": 12, "5 years": 60, "decade": 120}[period]
    index = start.year * 12 + start.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)


def _period_for(panel: _Panel) -> str:
    """The finest period whose columns are at least ``MIN_COLUMN_PX`` wide and at most ``MAX_COLUMNS``
    to the panel: decades or years over decades, months over a year, days over a month, so that a
    click on a column zooms in a step a reader can follow."""
    per_day = panel.width / panel.days
    return next((name for name, days in _PERIODS
                 if days * per_day >= MIN_COLUMN_PX and panel.days / days <= MAX_COLUMNS), _PERIODS[-1][0])


def _period_words(start: dt.date, end: dt.date, period: str) -> str:
    if period == "day":
        return f"{start.day} {start:%b %Y}"
    if period == "month":
        return f"{start:%B %Y}"
    if period == "year":
        return str(start.year)
    if period in ("5 years", "decade"):
        return f"{start.year}–{end.year}"
    return f"{start.day} {start:%b %Y} – {end.day} {end:%b %Y}"


def _period_starts(days: np.ndarray, period: str) -> np.ndarray:
    """The first day (``datetime64[D]``) of the period holding each of ``days``."""
    if period == "day":
        return days
    if period == "week":  # weeks from Monday (day 0, 1970-01-01, was a Thursday)
        number = days.astype(np.int64)
        return ((number + 3) // 7 * 7 - 3).astype("datetime64[D]")
    if period in ("month", "quarter"):
        months = days.astype("datetime64[M]").astype(np.int64)
        step = 1 if period == "month" else 3
        return (months // step * step).astype("datetime64[M]").astype("datetime64[D]")
    step = {"year": 1, "5 years": 5, "decade": 10}[period]
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    return (years // step * step - 1970).astype("datetime64[Y]").astype("datetime64[D]")


_EPOCH = dt.date(1970, 1, 1).toordinal()


def _counts(ordinals: np.ndarray, panel: _Panel) -> tuple[str, list[tuple[dt.date, int]]]:
    """The panel's period, and how many of the events starting on ``ordinals`` fall in each period
    (counted at their date, or where they enter the panel), in date order."""
    period = _period_for(panel)
    days = (np.maximum(ordinals, panel.start.toordinal()) - _EPOCH).astype("datetime64[D]")
    starts, counts = np.unique(_period_starts(days, period), return_counts=True)
    return period, list(zip(starts.astype(object), counts.tolist(), strict=True))


def _lane_counts(lanes: _Lanes, lane: str, panels: Sequence[_Panel]) -> dict[int, tuple[str, list]]:
    """Per panel of a summarised lane: its period and the counts per period (computed once)."""
    if lane not in lanes.counted:
        rows = lanes.members[lane]
        starts, era_of = lanes.columns.start[rows], lanes.era_of[rows]
        lanes.counted[lane] = {panel.index: _counts(starts[era_of == panel.index], panel) for panel in panels}
    return lanes.counted[lane]


def _density_trace(panels: Sequence[_Panel], lanes: _Lanes, style: ChartStyle, mode: LaneMode) -> go.Bar | None:
    """Columns counting each summarised lane's events per period, rising from the lane's bottom."""
    xs, widths, bases, heights, data, hovers = [], [], [], [], [], []
    for lane in lanes.order:
        if lane not in lanes.dense:
            continue
        top, _, bottom = lanes.spans[lane]
        counted = _lane_counts(lanes, lane, panels)
        tallest = max((n for _, found in counted.values() for _, n in found), default=1)
        name = escape_text(_lane_name(lane, mode))
        for panel in panels:
            period, counts = counted[panel.index]
            for start, count in counts:
                end = _period_end(start, period)
                left, right = panel.x(start), panel.x(end + dt.timedelta(days=1))
                xs.append(round((left + right) / 2, 2))
                widths.append(round(max((right - left) * 0.9, MIN_COLUMN_PX * 0.5), 2))
                bases.append(bottom)
                heights.append(-max(count / tallest, 0.06) * (bottom - top - HEADER_ROWS))
                data.append(f"{ZOOM_PREFIX}{start.isoformat()}:{end.isoformat()}")
                hovers.append(f"<b>{name}</b><br>{_period_words(start, end, period)}: "
                              f"{count:,} event{'s' if count != 1 else ''}<br><i>Click to show them</i>")
    if not xs:
        return None
    return go.Bar(
        x=xs, y=heights, base=bases, width=widths, orientation="v",
        customdata=data, hovertext=hovers, hovertemplate="%{hovertext}<extra></extra>",
        marker={"color": style.density_colour, "opacity": 0.75, "line": {"width": 0}},
        showlegend=False, meta={"layer": "density"},
    )


# --------------------------------------------------------------------------- traces


def _hover(event: Event, catalog: Catalog) -> str:
    return hover_html(event, catalog, show_precision=True)


def _bar_trace(glyphs: Sequence[_Glyph], catalog: Catalog, highlight: str | None, muted: set[str],
               style: ChartStyle) -> go.Bar | None:
    bars = [g for g in glyphs if g.kind != "point"]
    if not bars:
        return None
    approximate = [g.event.date_precision is not DatePrecision.day for g in bars]
    opacity = [
        (style.approximate_opacity if approx or g.kind == "window" else style.marker_opacity)
        * (style.muted_opacity * 0.6 / style.marker_opacity if g.event.id in muted else 1.0)
        for g, approx in zip(bars, approximate, strict=True)
    ]
    colours = [style.colour_for(g.event.event_type) for g in bars]
    return go.Bar(
        orientation="h",
        base=[g.panel.x(g.shown_start or g.start) for g in bars],
        x=[round(g.panel.x(g.end + dt.timedelta(days=1)) - g.panel.x(g.shown_start or g.start), 2) for g in bars],
        y=[g.row for g in bars], width=style.bar_height,
        customdata=[g.event.id for g in bars],
        hovertext=[_hover(g.event, catalog) for g in bars], hovertemplate="%{hovertext}<extra></extra>",
        showlegend=False,
        marker={
            "color": colours, "opacity": opacity,
            "pattern": {"shape": [style.approximate_pattern if a else "" for a in approximate],
                        "fgcolor": "#ffffff", "fgopacity": 0.8, "solidity": 0.35},
            "line": {"color": [style.highlight_colour if g.event.id == highlight else c
                               for g, c in zip(bars, colours, strict=True)],
                     "width": [style.highlight_line_width if g.event.id == highlight else 1.0 for g in bars]},
        },
        unselected={"marker": {"opacity": style.marker_opacity}},
        meta={"layer": "bars"},
    )


def _bound_trace(glyphs: Sequence[_Glyph], muted: set[str], style: ChartStyle) -> go.Bar | None:
    """Every "on or before" band of a panel in one trace: each band is ``FADE_STEPS`` bars of
    rising opacity, transparent at the left, ending at the latest date."""
    bounded = [g for g in glyphs if g.fade_start is not None]
    if not bounded:
        return None
    base, length, rows, colours = [], [], [], []
    for glyph in bounded:
        panel = glyph.panel
        first = panel.x(glyph.fade_start)
        step_px = (panel.x(dt.datetime.combine(glyph.start, dt.time(12))) - first) / FADE_STEPS
        strength = style.bound_fade_opacity * (style.muted_opacity if glyph.event.id in muted else 1.0)
        for step in range(FADE_STEPS):
            base.append(round(first + step_px * step, 2))
            length.append(round(step_px, 2))
            rows.append(glyph.row)
            colours.append(rgba(style.colour_for(glyph.event.event_type), strength * (step + 1) / FADE_STEPS))
    return go.Bar(
        orientation="h", base=base, x=length, y=rows,
        width=style.bar_height * 0.7, marker={"color": colours, "line": {"width": 0}},
        hoverinfo="skip", showlegend=False,
        meta={"layer": "bound-fades", "events": [g.event.id for g in bounded]},
    )


def _marker_symbol(glyph: _Glyph, style: ChartStyle) -> str:
    symbol = style.symbol_for(glyph.event.event_type)
    if glyph.event.date_precision is DatePrecision.day or symbol.endswith("-open"):
        return symbol
    return f"{symbol}-open"


def _marker_trace(glyphs: Sequence[_Glyph], catalog: Catalog, highlight: str | None, muted: set[str],
                  style: ChartStyle) -> go.Scatter | None:
    shown = [g for g in glyphs if g.event.id != highlight]
    if not shown:
        return None
    colours = [style.colour_for(g.event.event_type) for g in shown]
    return go.Scatter(
        x=[g.panel.x(g.marker_date) for g in shown], y=[g.row for g in shown],
        mode="markers", showlegend=False,
        customdata=[g.event.id for g in shown],
        hovertext=[_hover(g.event, catalog) for g in shown], hovertemplate="%{hovertext}<extra></extra>",
        marker={
            "size": style.marker_min_size, "color": colours,
            "symbol": [_marker_symbol(g, style) for g in shown],
            "opacity": [style.muted_opacity if g.event.id in muted else style.marker_opacity for g in shown],
            "line": {"color": colours, "width": 2},
        },
        unselected={"marker": {"opacity": style.marker_opacity}},
        meta={"layer": "events"},
    )


def _highlight_trace(glyph: _Glyph, catalog: Catalog, style: ChartStyle) -> go.Scatter:
    return go.Scatter(
        x=[glyph.panel.x(glyph.marker_date)], y=[glyph.row],
        mode="markers", name="Selected", showlegend=False,
        customdata=[glyph.event.id], hovertext=[_hover(glyph.event, catalog)],
        hovertemplate="%{hovertext}<extra></extra>",
        marker={
            "size": style.marker_min_size * style.highlight_scale,
            "color": style.colour_for(glyph.event.event_type),
            "symbol": style.symbol_for(glyph.event.event_type).removesuffix("-open"),
            "line": {"color": style.highlight_colour, "width": style.highlight_line_width},
        },
        unselected={"marker": {"opacity": 1.0}},
        meta={"layer": "highlight", "event": glyph.event.id},
    )


def _exchange_target(glyph: _Glyph, catalog: Catalog, lanes: _Lanes) -> float | None:
    """y where an exchange's line ends: the near edge of the recipient's lane, if on another side."""
    target = recipient_side(glyph.event, catalog)
    if target is None or target == glyph.lane or target not in lanes.spans:
        return None
    top, _, bottom = lanes.spans[target]
    return top + 0.15 if top > glyph.row else bottom - 0.15


def _exchange_lines(glyphs: Sequence[_Glyph], catalog: Catalog, lanes: _Lanes, muted: set[str],
                    style: ChartStyle) -> go.Scatter | None:
    """Faint lines from each cross-side exchange to its recipient's lane, under the markers."""
    xs: list = []
    ys: list = []
    for glyph in glyphs:
        target = _exchange_target(glyph, catalog, lanes)
        if target is not None and glyph.event.id not in muted:
            at = glyph.panel.x(glyph.marker_date)
            xs += [at, at, None]
            ys += [glyph.row, target, None]
    if not xs:
        return None
    return go.Scatter(
        x=xs, y=ys, mode="lines",
        line={"color": style.arrow_colour, "width": max(style.arrow_width * 0.7, 0.8)}, opacity=0.3,
        hoverinfo="skip", showlegend=False, meta={"layer": "exchange-lines"},
    )


def _legend_keys(types: Iterable[EventType], style: ChartStyle, *, bounds: bool, dense: bool) -> list:
    """Legend-only entries: each event type drawn, how precisely a date is known, counts."""
    keys: list = []
    for event_type in EventType:
        if event_type in types:
            colour = style.colour_for(event_type)
            keys.append(go.Scatter(
                x=[None], y=[None], mode="markers", name=event_type_label(event_type), legendgroup=event_type.value,
                marker={"size": style.marker_min_size, "color": colour, "symbol": style.symbol_for(event_type),
                        "opacity": 1.0, "line": {"color": colour, "width": 2}},
                hoverinfo="skip", meta={"layer": "legend-key", "event_type": event_type.value},
            ))
    grey = "#6b6b6b"
    common = {"x": [None], "y": [None], "legendgroup": "precision", "legendrank": 2000, "hoverinfo": "skip"}
    keys += [
        go.Scatter(mode="markers", name=EXACT_LEGEND, marker={"color": grey, "size": 10}, **common),
        go.Bar(orientation="h", name=WINDOW_LEGEND,
               marker={"color": grey, "opacity": style.approximate_opacity, "pattern": {"shape": "/"}}, **common),
        go.Bar(orientation="h", name=SPAN_LEGEND, marker={"color": grey}, **common),
    ]
    if bounds:
        keys.append(go.Bar(orientation="h", name=BOUND_LEGEND, meta={"layer": "legend-key", "key": "bound"},
                           marker={"color": rgba(grey, 0.45)}, **common))
    if dense:
        keys.append(go.Bar(orientation="v", name=DENSITY_LEGEND, meta={"layer": "legend-key", "key": "density"},
                           marker={"color": style.density_colour}, **common))
    return keys


# --------------------------------------------------------------------------- annotations


def _anchor(glyph: _Glyph) -> tuple[float, float]:
    """(x, xshift) of the glyph's name: its point on the axis, within the glyph's panel, and the px
    from there to the name's near edge."""
    label = glyph.label
    edge = glyph.panel.px(label.x) + label.xshift
    x = glyph.panel.x(label.x)
    return x, edge - x


def _label_annotation(glyph: _Glyph, highlight: str | None, muted: set[str], style: ChartStyle) -> dict:
    label = glyph.label
    chosen = glyph.event.id == highlight
    faded = glyph.event.id in muted and not chosen
    text = escape_text(label.text)
    x, xshift = _anchor(glyph)
    return {
        "x": x, "y": glyph.row, "xref": "x", "yref": "y",
        "xanchor": label.xanchor, "xshift": round(xshift, 2), "yanchor": "middle",
        "text": f"<b>{text}</b>" if chosen else text, "showarrow": False,
        "font": style.font(style.timeline_label_scale, style.muted_text_colour if faded else style.text_colour),
        "opacity": style.muted_opacity + 0.3 if faded else 1.0,
        "bgcolor": "rgba(255,255,255,0.85)" if chosen else "rgba(255,255,255,0.6)" if label.inside else None,
        "name": f"event-label:{glyph.event.id}",
    }


def _as_annotation(glyph: _Glyph, highlight: str | None) -> bool:
    """Whether a name is an annotation: on a backing (the selected one, or one over its own bar).
    The rest are text points, far cheaper for plotly.js to draw (each annotation is a group with a
    layout pass of its own)."""
    return glyph.event.id == highlight or glyph.label.inside


#: Annotations set their text this far (px) from their anchor (``borderpad`` + ``borderwidth``).
ANNOTATION_INSET = 2.0
#: How much lower (share of the font size) an annotation centres a line than a text point does.
_TEXT_DROP = 0.12


def _text_trace(glyphs: Sequence[_Glyph], frame: Sequence[_FrameText], muted: set[str],
                style: ChartStyle) -> go.Scatter | None:
    """The plain text as one trace of text points: the names that are not annotations, placed as
    annotations would be, then the frame's texts (``meta["frame"]`` says which).

    plotly.js sets a text point's text ``size / 1.6 + 1`` px beside its marker: an invisible marker
    of the right size per point gives each name its own offset in px, whatever the figure's width.
    """
    if not glyphs and not frame:
        return None
    anchors = [_anchor(g) for g in glyphs]
    shifts = [abs(xshift) + ANNOTATION_INSET for _, xshift in anchors] + [text.away for text in frame]
    faded = rgba(style.muted_text_colour, style.muted_opacity + 0.3)
    label_font = style.font(style.timeline_label_scale)
    drop = _TEXT_DROP * _label_font(style) / style.timeline_height_per_row
    return go.Scatter(
        x=[x for x, _ in anchors] + [text.x for text in frame],
        y=[g.row + drop for g in glyphs] + [text.y for text in frame],
        mode="markers+text", showlegend=False, hoverinfo="skip", cliponaxis=False,
        text=[escape_text(g.label.text) for g in glyphs] + [text.text for text in frame],
        customdata=[g.event.id for g in glyphs] + [None] * len(frame),
        textposition=["middle right" if g.label.xanchor == "left" else "middle left" for g in glyphs]
        + [text.position for text in frame],
        textfont={"family": label_font["family"],
                  "size": [label_font["size"]] * len(glyphs) + [text.font["size"] for text in frame],
                  "color": [faded if g.event.id in muted else style.text_colour for g in glyphs]
                  + [text.font["color"] for text in frame]},
        marker={"size": [max(shift - 1, 0.0) * 1.6 for shift in shifts], "opacity": 0},
        selected={"marker": {"opacity": 0}}, unselected={"marker": {"opacity": 0}},
        # y of a name is its row + drop; the last len(frame) points are the frame's texts
        meta={"layer": "event-labels", "drop": drop, "frame": [text.kind for text in frame]},
    )


def _arrow_annotation(glyph: _Glyph, target: float, style: ChartStyle) -> dict:
    """A clear arrow from the selected exchange to its recipient's lane."""
    at = glyph.panel.x(glyph.marker_date)
    return {
        "x": at, "y": target, "ax": at, "ay": glyph.row,
        "xref": "x", "yref": "y", "axref": "x", "ayref": "y",
        "text": "", "showarrow": True, "arrowhead": 2, "arrowsize": 1.3, "arrowwidth": style.arrow_width * 1.8,
        "arrowcolor": style.highlight_colour, "standoff": 1,
        "startstandoff": style.marker_min_size * style.highlight_scale / 2 + 1, "name": f"exchange:{glyph.event.id}",
    }


@dataclass(frozen=True)
class _FrameText:
    """A text of the frame, drawn as a text point: an era's title over its panel, the "//"
    of an axis break between two panels, or a lane's name at its top left."""

    kind: Literal["era-title", "axis-break", "lane-name"]
    text: str
    x: float
    y: float
    position: str
    font: dict
    away: float = 0.0
    """px from the point to the text (as ``ANNOTATION_INSET`` for a name)."""


def _frame_texts(panels: Sequence[_Panel], rows_total: float, style: ChartStyle) -> list[_FrameText]:
    """Each era's title at the top of its panel's centre and, between two panels, the "//" of
    the axis break at the bottom (none for a single panel). Text points, not annotations: each
    annotation costs plotly.js a layout pass of its own (docs/MAP.md)."""
    if len(panels) < 2:
        return []
    top, bottom = -0.5 - ROW_PADDING / 2, rows_total - 0.5 + ROW_PADDING / 2
    title, mark = style.font(ERA_TITLE_SCALE, style.muted_text_colour), style.font(1.2, style.muted_text_colour)
    texts = [_FrameText("era-title", panel.era.label, round((panel.offset + panel.right) / 2, 2), top,
                        "top center", title) for panel in panels]
    texts += [_FrameText("axis-break", "//", round((first.right + second.offset) / 2, 2), bottom,
                         "middle center", mark) for first, second in itertools.pairwise(panels)]
    return texts


def _frame_annotations(frame: _Frame, panels_count: int, style: ChartStyle) -> list[dict]:
    """The note on summarised lanes, above the era titles."""
    if not frame.note:
        return []
    above = line_height(style.font(ERA_TITLE_SCALE)["size"]) + 2 if panels_count > 1 else 0.0
    return [{
        "text": "<br>".join(escape_text(line) for line in frame.note), "xref": "paper", "yref": "paper",
        "x": 0, "xanchor": "left", "y": 1.0, "yanchor": "bottom", "yshift": above, "align": "left",
        "showarrow": False, "font": style.font(0.9, style.text_colour), "bgcolor": "rgba(255,248,225,0.95)",
        "name": "density-note",
    }]


def _note_height(note: Sequence[str], style: ChartStyle) -> float:
    return len(note) * line_height(style.font(0.9)["size"]) + 6 if note else 0.0


# --------------------------------------------------------------------------- frame


def _lane_name(lane: str, mode: LaneMode) -> str:
    """A lane's name: the side, or the event type's label."""
    return event_type_label(lane) if mode == "type" else lane


def _lane_text(lane: str, mode: LaneMode, count: int, dense: bool) -> list[str]:
    """The lane's name (and, when summarised, how many events it holds), one item a line."""
    name = _lane_name(lane, mode)
    return [name, f"{count:,} events"] if dense else [name]


def _legend_rows(names: Sequence[str], width: float, style: ChartStyle) -> int:
    """How many lines a horizontal legend of ``names`` takes at ``width`` px (plotly.js lines up a
    legend that wraps in columns as wide as its widest entry: symbol, text and padding)."""
    size = style.font(0.88)["size"]
    column = max(text_width(name, size) for name in names) + 40 + size
    per_line = max(int(width // column), 1)
    return -(-len(names) // per_line)


def _frame(style: ChartStyle, title: str | None, panels_count: int, left: float, legend: list[str],
           note: list[str]) -> _Frame:
    top = 8.0
    if title:
        top += line_height(style.title_font_size) + 10
    top += _note_height(note, style)
    if panels_count > 1:
        top += line_height(style.font(ERA_TITLE_SCALE)["size"]) + 2
    bottom = _tick_height(style)
    if legend:
        bottom += _legend_rows(legend, style.timeline_width_hint - 2 * SIDE_MARGIN, style) * (
            line_height(style.font(0.88)["size"]) + 5) + 6
    plot = style.timeline_plot_height or style.timeline_max_height - top - bottom
    budget = plot / style.timeline_height_per_row
    return _Frame(top, bottom, left, legend, note, max(budget, 2.0))


def _tick_height(style: ChartStyle) -> float:
    """Room (px) for the date labels under the plot: two lines."""
    return 2 * line_height(style.font(0.9)["size"]) + 10


def _note_text(lanes: _Lanes, total: int, mode: LaneMode) -> str:
    names = [_lane_name(lane, mode) for lane in lanes.order if lane in lanes.dense]
    listed = names[0] if len(names) == 1 else ", ".join(names[:-1]) + " and " + names[-1]
    return (f"{total:,} events are too many to name at this size: {listed} "
            f"{'shows' if len(names) == 1 else 'show'} how many per period. "
            "Click a column, or narrow the dates, to see the events themselves.")


# --------------------------------------------------------------------------- figure


def build_timeline_figure(
    events: Sequence[Event],
    catalog: Catalog,
    *,
    highlight: str | None = None,
    muted: Collection[str] = (),
    title: str | None = None,
    style: ChartStyle = DEFAULT_STYLE,
    lanes: LaneMode = "side",
    show_legend: bool = True,
    window: tuple[dt.date, dt.date] | None = None,
) -> go.Figure:
    """Events on a (broken) date axis, at a fixed height; see the module docstring.

    ``lanes`` is ``"side"`` (Soviet / Chinese / third parties) or ``"type"``.
    With ``"side"``, a line runs from an exchange to its recipient's lane (an
    arrow for the highlighted one). ``highlight`` is drawn larger with an
    outline and always named, ``muted`` ids faded. ``show_legend`` off (a
    slide whose map names the types) gives the room to the lanes. ``window``
    (first, last day) is a zoom: one panel showing those dates, whatever the
    events' own extent (a span from before enters from the left).
    """
    if not events:
        return _empty_figure(title, style)
    columns = catalog_columns(events, catalog)  # computed once per catalog, then read by row
    if window is None:
        eras, era_of = split_eras(columns)
    else:
        eras, era_of = [Era(*window, tuple(columns.ids.tolist()))], np.zeros(len(events), dtype=np.int64)
    muted_ids = set(muted)
    event_lanes = columns.lanes(lanes)
    names, inverse, sizes = np.unique(event_lanes.astype(str), return_inverse=True, return_counts=True)
    order = lane_order(names.tolist(), lanes)
    counts = dict(zip(names.tolist(), sizes.tolist(), strict=True))

    # The lane names head their lanes inside the plot, which so has the figure's whole width.
    left = SIDE_MARGIN
    plot_width = max(style.timeline_width_hint - 2 * SIDE_MARGIN, 50.0)
    panels = _panels(eras, plot_width, left)
    by_lane = np.argsort(inverse, kind="stable")  # rows grouped by lane, in order within each
    members = dict(zip(names.tolist(), np.split(by_lane, np.cumsum(sizes)[:-1]), strict=True))
    chart = _Lanes(order, events, panels, columns, era_of, members, lanes)
    chart.header = {lane: _header_width(lane, lanes, counts[lane], style) for lane in order}

    legend_names = _legend_names(columns, style, show_legend)
    frame = _frame(style, title, len(panels), left, legend_names, [])
    _choose_dense(chart, frame.row_budget, style, highlight, plot_width)
    if chart.dense:  # the note takes room too: lay out again within what is left
        # (short of the right end, where plotly.js puts the chart's tool buttons)
        note = wrap_to_width(_note_text(chart, len(events), lanes), style.font(0.9)["size"], plot_width - 190)
        frame = _frame(style, title, len(panels), left, legend_names, note)
        chart.reset()
        _choose_dense(chart, frame.row_budget, style, highlight, plot_width)
    rows_total = _place_lanes(chart, style)
    chosen = _chosen_glyph(chart, highlight, style)
    return _figure(chart, panels, frame, rows_total, catalog, chosen, muted_ids, title, style, lanes, show_legend)


def _legend_names(columns: EventColumns, style: ChartStyle, show: bool) -> list[str]:
    if not show:
        return []
    types = set(columns.kind.tolist())
    names = [event_type_label(t) for t in EventType if t.value in types]
    return [*names, EXACT_LEGEND, WINDOW_LEGEND, SPAN_LEGEND, BOUND_LEGEND, DENSITY_LEGEND]


def _chosen_glyph(chart: _Lanes, highlight: str | None, style: ChartStyle) -> _Glyph | None:
    """The highlighted event's glyph; inside a summarised lane, placed on the lane's middle and named."""
    found = np.flatnonzero(chart.columns.ids == highlight) if highlight is not None else ()
    if not len(found):
        return None
    row = int(found[0])
    lane = str(chart.columns.lanes(chart.mode)[row])
    if lane not in chart.dense:
        return next(g for g in chart.glyphs[lane] if g.event.id == highlight)
    glyph = chart.glyph(row, lane)
    glyph.row = chart.spans[lane][1]
    glyph.label = _place_label(glyph, style, True)
    return glyph


def _figure(chart: _Lanes, panels: Sequence[_Panel], frame: _Frame, rows_total: float, catalog: Catalog,
            chosen: _Glyph | None, muted: set[str], title: str | None, style: ChartStyle, mode: LaneMode,
            show_legend: bool) -> go.Figure:
    named = [g for lane in chart.order if lane not in chart.dense for g in chart.glyphs[lane]]
    highlight = chosen.event.id if chosen else None
    traces: list = [_density_trace(panels, chart, style, mode)]
    annotations = _frame_annotations(frame, len(panels), style)
    lane_names, backings = _lane_headers(chart, style, mode)
    if named:
        if mode == "side":
            traces.append(_exchange_lines(named, catalog, chart, muted, style))
        traces += [_bound_trace(named, muted, style), _bar_trace(named, catalog, highlight, muted, style),
                   _marker_trace(named, catalog, highlight, muted, style)]
    labelled = [g for g in named if g is not chosen] + ([chosen] if chosen is not None else [])
    traces.append(_text_trace([g for g in named if not _as_annotation(g, highlight)],
                              _frame_texts(panels, rows_total, style) + lane_names, muted, style))
    annotations += [_label_annotation(g, highlight, muted, style) for g in labelled if _as_annotation(g, highlight)]
    if chosen is not None:
        traces.append(_highlight_trace(chosen, catalog, style))
        target = _exchange_target(chosen, catalog, chart) if mode == "side" else None
        if target is not None:
            annotations.append(_arrow_annotation(chosen, target, style))
    if show_legend:
        types = {g.event.event_type for g in named} | ({chosen.event.event_type} if chosen else set())
        traces += _legend_keys(types, style, bounds=any(g.fade_start for g in named), dense=bool(chart.dense))
    layout = _layout(chart, panels, frame, rows_total, title, style, mode, show_legend)
    layout["annotations"] = annotations
    layout["shapes"] += backings
    return go.Figure(data=[t for t in traces if t is not None], layout=layout)


def _layout(chart: _Lanes, panels: Sequence[_Panel], frame: _Frame, rows_total: float, title: str | None,
            style: ChartStyle, mode: LaneMode, show_legend: bool) -> dict:
    height = frame.top + frame.bottom + (rows_total + ROW_PADDING) * style.timeline_height_per_row
    height = round(min(max(height, style.timeline_min_height), style.timeline_max_height))
    counts = {lane: chart.count(lane) for lane in chart.order}
    layout = {
        **base_layout(style, title),
        "plot_bgcolor": style.paper_colour, "height": height, "barmode": "overlay", "bargap": 0,
        "margin": {"l": frame.left, "r": SIDE_MARGIN, "t": frame.top, "b": frame.bottom},
        "showlegend": show_legend, "uirevision": "timeline", "hovermode": "closest",
        # Right under the date labels (a slide moves it beside the plot).
        "legend": {"orientation": "h", "yref": "paper", "yanchor": "top", "x": 0, "xref": "container",
                   "y": -_tick_height(style) / max(height - frame.top - frame.bottom, 1),
                   "font": style.font(0.88), "traceorder": "normal", "itemclick": False, "itemdoubleclick": False},
        "yaxis": {
            "domain": [0, 1], "anchor": "x", "autorange": False,
            "range": [rows_total - 0.5 + ROW_PADDING / 2, -0.5 - ROW_PADDING / 2],
            "showticklabels": False, "showgrid": False, "zeroline": False, "fixedrange": True,
        },
        "shapes": [
            {"type": "rect", "xref": "paper", "yref": "y", "x0": 0, "x1": 1, "y0": top, "y1": bottom,
             "fillcolor": style.lane_band_colour, "line": {"width": 0}, "layer": "below"}
            for index, (top, _, bottom) in enumerate(chart.spans[lane] for lane in chart.order) if index % 2 == 0
        ],
        "meta": {"exchanges_timeline": {
            "eras": [[p.era.start.isoformat(), p.era.end.isoformat()] for p in panels],
            # each era's panel: the dates it shows and where (x from, x to) on the x axis
            "panels": [[p.start.isoformat(), p.end.isoformat(), p.offset, p.right] for p in panels],
            "lanes": [_lane_name(lane, mode) for lane in chart.order],
            "summarised": [_lane_name(lane, mode) for lane in chart.order if lane in chart.dense],
            "named": sum(counts[lane] for lane in chart.order if lane not in chart.dense),
        }},
    }
    tick_size = style.font(0.9)["size"]
    tickvals: list[float] = []
    ticktext: list[str] = []
    for panel in panels:
        ticks, labels = panel_ticks(panel.start, panel.end, panel.width, tick_size, overhang=panel.overhang)
        tickvals += [panel.x(day) for day in ticks]
        ticktext += labels
    # One x axis for all the panels, in px across the plot at the style's width (``_Panel.px``):
    # the figure is drawn at any width, and everything on it scales together. One axis, not one a
    # panel: plotly.js pays per subplot and per trace on every draw (docs/MAP.md, "The timeline").
    layout["xaxis"] = {
        "domain": [0, 1], "anchor": "y", "type": "linear", "range": [0, panels[-1].right],
        "tickmode": "array", "tickvals": tickvals, "ticktext": ticktext, "tickangle": 0,
        "showgrid": True, "gridcolor": "#e6e6e6", "tickfont": style.font(0.9), "zeroline": False,
    }
    return layout


def _lane_header_text(lane: str, mode: LaneMode, count: int, dense: bool) -> str:
    lines = _lane_text(lane, mode, count, dense)
    return " · ".join([f"<b>{escape_text(lines[0])}</b>", *(f"<i>{escape_text(line)}</i>" for line in lines[1:])])


def _header_width(lane: str, mode: LaneMode, count: int, style: ChartStyle, dense: bool = True) -> float:
    """How wide (px) a lane's name is, as a summarised lane names it (the longer way) unless
    not ``dense``, with ``LABEL_PAD`` on both sides."""
    name, *number = _lane_text(lane, mode, count, dense)
    size = _label_font(style)
    return text_width(name, size, bold=True) + sum(text_width(f" · {n}", size) for n in number) + 2 * LABEL_PAD


def _lane_headers(chart: _Lanes, style: ChartStyle, mode: LaneMode) -> tuple[list[_FrameText], list[dict]]:
    """Each lane's name at the top left of its band (with its count when summarised), and the
    backing under it: a shape between the grid and the glyphs, so no grid line runs through the
    name (a text point and a shape cost plotly.js less than an annotation with a backing)."""
    font = style.font(style.timeline_label_scale)
    tall = line_height(font["size"]) + 2 * ANNOTATION_INSET
    texts, backings = [], []
    for lane in chart.order:
        top = chart.spans[lane][0]
        texts.append(_FrameText("lane-name", _lane_header_text(lane, mode, chart.count(lane), lane in chart.dense),
                                0.0, top, "bottom right", font, away=ANNOTATION_INSET))
        # In px from the lane's top left corner, whatever the size the figure is drawn at.
        wide = _header_width(lane, mode, chart.count(lane), style, lane in chart.dense) - LABEL_PAD
        backings.append({"type": "rect", "xref": "x", "yref": "y", "xsizemode": "pixel", "ysizemode": "pixel",
                         "xanchor": 0, "yanchor": top, "x0": 0, "x1": round(wide, 2), "y0": 0, "y1": -round(tall, 2),
                         "fillcolor": "rgba(255,255,255,0.7)", "line": {"width": 0},
                         "layer": "between", "name": f"lane:{_lane_name(lane, mode)}"})
    return texts, backings


def _empty_figure(title: str | None, style: ChartStyle) -> go.Figure:
    return go.Figure(layout={
        "template": style.template,
        "height": style.timeline_min_height,
        "xaxis": {"visible": False},
        "yaxis": {"visible": False},
        "title": {"text": escape_text(title)} if title else None,
        "margin": {"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
        "annotations": [{"text": "No events match the filters.", "xref": "paper", "yref": "paper", "x": 0.5,
                         "y": 0.5, "showarrow": False, "font": style.font(1.2, style.muted_text_colour)}],
    })
