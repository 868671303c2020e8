"""The timeline: events on a date axis, in lanes, with a broken axis.

The corpus has clusters years apart (1951–52 and 1962). On one linear axis
each cluster would be a smudge at either end, so the axis is broken: one panel
per *era*, found from the gaps in the data (``find_eras``), side by side with a
shared y axis.

Lanes are the side an event comes from (Soviet side / Chinese side / third
parties, from the country of its sender or, failing that, of the people
involved) or its event type. Within a lane, events that would overlap go on
separate rows. With lanes by side, a faint line joins each exchange to its
recipient's lane, and the selected exchange gets an arrow.

How exactly a source dates an event is drawn, not hidden:

* a filled marker is a day the source states;
* a hatched, lighter bar is the window an imprecise date allows ("April 1962"
  covers the whole month), with a hollow marker in its middle;
* a solid bar is an event that lasted from its date to its end date;
* a band fading out to the left ends at an event the source dates only by a
  latest date (``date_bound: by``): it happened on or before that day, and
  how long before is unknown.

Every event glyph carries the event id as ``customdata``.
"""

from __future__ import annotations

import calendar
import dataclasses
import datetime as dt
from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

import plotly.graph_objects as go
from plotly.subplots import make_subplots

from exchanges.charts.date_ticks import panel_ticks
from exchanges.charts.hover import hover_html
from exchanges.charts.labels import is_latest_bound, short_title, uncertainty_end
from exchanges.charts.plotly_text import escape_text
from exchanges.charts.style import DEFAULT_STYLE, ChartStyle, base_layout, event_type_label, paper_note, rgba
from exchanges.models import DatePrecision, Event, EventType

if TYPE_CHECKING:
    from exchanges.catalog import Catalog

LaneMode = Literal["side", "type"]

SOVIET_SIDE = "Soviet side"
CHINESE_SIDE = "Chinese side"
THIRD_PARTIES = "Third parties"
UNATTRIBUTED = "No actor named"

#: Country names as the actor data may spell them -> lane. Anything else is a
#: third party.
_COUNTRY_SIDES: dict[str, str] = {
    "ussr": SOVIET_SIDE,
    "su": SOVIET_SIDE,
    "soviet union": SOVIET_SIDE,
    "union of soviet socialist republics": SOVIET_SIDE,
    "prc": CHINESE_SIDE,
    "china": CHINESE_SIDE,
    "people's republic of china": CHINESE_SIDE,
}
_SIDE_ORDER = (SOVIET_SIDE, CHINESE_SIDE, THIRD_PARTIES, UNATTRIBUTED)

_DAY_MS = 86_400_000

#: The figure's side margins, px.
SIDE_MARGIN = 10
#: Width of a bold lane name per character, as a share of the font size.
LANE_CHAR_WIDTH = 0.62
#: Space between two panels, as a share of the plot width.
PANEL_SPACING = 0.035
BOUND_LEGEND = "On or before: the source gives only a latest date"
FADE_SHARE = 0.12
"""Length of the band fading out before an "on or before" date, as a share of its era."""
#: Width of a label's character, as a share of its font size (generous for sans-serif text).
LABEL_CHAR_WIDTH = 0.6
#: Space (px) between a glyph and its label, and kept clear around a label.
LABEL_PAD = 4.0
#: Longest event label, in characters, by style name (others: the default's).
LABEL_LIMITS = {"default": 26, "projector": 34}
#: A label that does not fit at full length is tried again this short.
LABEL_SHORT_LIMIT = 20


# --------------------------------------------------------------------------- eras


@dataclass(frozen=True)
class Era:
    """A stretch of time with events and no long gap inside it."""

    start: dt.date
    end: dt.date
    event_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        if self.start.year == self.end.year:
            return str(self.start.year)
        return f"{self.start.year}–{self.end.year}"

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def find_eras(
    events: Sequence[Event],
    *,
    min_gap_days: int = 365,
    gap_fraction: float = 0.15,
    max_eras: int = 4,
    long_span_days: int = 400,
    local_min_gap_days: int = 180,
    local_gap_fraction: float = 0.4,
) -> list[Era]:
    """Split the events where the time between them is long.

    A gap breaks the axis if it is longer than ``min_gap_days`` and than
    ``gap_fraction`` of the whole time covered. Then each era is split again
    where a gap is long for *its own* stretch of time: longer than
    ``local_min_gap_days`` and than ``local_gap_fraction`` of the era (so one
    event in 1960 does not squeeze a dense 1962 into a sliver of a
    "1960–1962" panel). At most ``max_eras`` eras are made (the breaks
    shortest for the era they would make are closed first). An event's extent
    is the window its date allows (``uncertainty_end``), so a year-precision event
    covers its year. An event lasting longer than ``long_span_days`` ("over
    the past three years") counts only by its end: it would otherwise glue
    eras together; its bar enters its era's panel from the left.
    """
    if not events:
        return []
    spans = sorted((_era_anchor(e, long_span_days) for e in events), key=lambda s: (s[0], s[1]))
    total_days = (max(s[1] for s in spans) - spans[0][0]).days
    threshold = max(min_gap_days, gap_fraction * total_days)

    groups: list[list[tuple[dt.date, dt.date, str]]] = [[spans[0]]]
    gaps: list[int] = []
    group_end = spans[0][1]
    for span in spans[1:]:
        gap = (span[0] - group_end).days
        if gap > threshold:
            groups.append([span])
            gaps.append(gap)
            group_end = span[1]
        else:
            groups[-1].append(span)
            group_end = max(group_end, span[1])
    groups, gaps = _refine(groups, gaps, local_min_gap_days, local_gap_fraction)
    while len(groups) > max(max_eras, 1):
        # Close the break that, relative to the era it would make, is shortest.
        smallest = min(range(len(gaps)), key=lambda i: gaps[i] / _span_days(groups[i] + groups[i + 1]))
        groups[smallest : smallest + 2] = [groups[smallest] + groups[smallest + 1]]
        del gaps[smallest]
    return [
        Era(
            start=min(s[0] for s in group),
            end=max(s[1] for s in group),
            event_ids=tuple(s[2] for s in group),
        )
        for group in groups
    ]


_Span = tuple[dt.date, dt.date, str]


def _refine(
    groups: list[list[_Span]], gaps: list[int], min_gap_days: int, fraction: float
) -> tuple[list[list[_Span]], list[int]]:
    """Split each group at its longest gap while that gap is long for the group's own span."""
    out_groups: list[list[_Span]] = []
    out_gaps: list[int] = []
    for index, group in enumerate(groups):
        for part_index, (part, gap) in enumerate(_split_group(group, min_gap_days, fraction)):
            if part_index:
                out_gaps.append(gap)
            out_groups.append(part)
        if index < len(gaps):
            out_gaps.append(gaps[index])
    return out_groups, out_gaps


def _span_days(group: Sequence[_Span]) -> int:
    return max((max(s[1] for s in group) - min(s[0] for s in group)).days, 1)


def _split_group(group: list[_Span], min_gap_days: int, fraction: float) -> list[tuple[list[_Span], int]]:
    """The group's parts, each with the gap before it (0 for the first)."""
    span_days = _span_days(group)
    best, best_gap, reach = None, 0, group[0][1]
    for index in range(1, len(group)):
        gap = (group[index][0] - reach).days
        if gap > best_gap:
            best, best_gap = index, gap
        reach = max(reach, group[index][1])
    if best is None or best_gap <= max(min_gap_days, fraction * span_days):
        return [(group, 0)]
    head = _split_group(group[:best], min_gap_days, fraction)
    tail = _split_group(group[best:], min_gap_days, fraction)
    return head + [(tail[0][0], best_gap)] + tail[1:]


def _era_anchor(event: Event, long_span_days: int) -> tuple[dt.date, dt.date, str]:
    end = uncertainty_end(event)
    if (end - event.date).days > long_span_days:
        return (end, end, event.id)
    return (event.date, end, event.id)


# --------------------------------------------------------------------------- lanes


def side_of_country(country: str | None) -> str:
    if not country:
        return THIRD_PARTIES
    return _COUNTRY_SIDES.get(country.strip().lower(), THIRD_PARTIES)


def lane_of(event: Event, catalog: Catalog, mode: LaneMode = "side") -> str:
    """The lane an event is drawn in: its sender's side, or its type."""
    if mode == "type":
        return event_type_label(event.event_type)
    for group in (event.sender, event.people, event.recipient):
        if group:
            return _side_of_actor(group[0], catalog)
    return UNATTRIBUTED


def _side_of_actor(actor_id: str, catalog: Catalog) -> str:
    actor = catalog.actors.get(actor_id)
    return side_of_country(actor.country if actor else None)


def _recipient_side(event: Event, catalog: Catalog) -> str | None:
    return _side_of_actor(event.recipient[0], catalog) if event.recipient else None


def _lane_order(lanes: Iterable[str], mode: LaneMode) -> list[str]:
    present = set(lanes)
    if mode == "type":
        order = [event_type_label(t) for t in EventType]
    else:
        order = list(_SIDE_ORDER)
    return [lane for lane in order if lane in present] + sorted(present - set(order))


# --------------------------------------------------------------------------- layout of glyphs


@dataclass(frozen=True)
class _Glyph:
    event: Event
    era: int
    lane: str
    start: dt.date
    end: dt.date  # last day covered (inclusive)
    kind: Literal["point", "window", "span"]
    row: float = 0.0
    shown_start: dt.date | None = None
    """Where the glyph enters its era's panel, if it starts before (a long span)."""
    fade_start: dt.date | None = None
    """Left end of the fading band of an "on or before" event."""

    @property
    def clipped(self) -> bool:
        return self.shown_start is not None and self.shown_start > self.start

    @property
    def first_day(self) -> dt.date:
        """The leftmost day the glyph occupies in its panel (its fade included)."""
        return self.fade_start or self.shown_start or self.start

    @property
    def marker_date(self) -> dt.datetime:
        if self.kind == "window":
            middle = self.start + (self.end - self.start) / 2
            return dt.datetime.combine(middle, dt.time(12))
        return dt.datetime.combine(self.shown_start or self.start, dt.time(12))


def _glyph_kind(event: Event) -> Literal["point", "window", "span"]:
    if event.end_date is not None and event.end_date != event.date:
        return "span"
    if event.date_precision is DatePrecision.day:
        return "point"
    return "window"


def _layout_rows(
    glyphs: list[_Glyph], eras: Sequence[Era], lane_order: Sequence[str]
) -> tuple[list[_Glyph], dict[str, tuple[float, float, float]]]:
    """Rows within lanes; returns glyphs with ``row`` = y and, per lane, (top, centre, bottom)."""
    by_lane: dict[str, list[_Glyph]] = defaultdict(list)
    for glyph in glyphs:
        by_lane[glyph.lane].append(glyph)
    placed: list[_Glyph] = []
    lanes: dict[str, tuple[float, float, float]] = {}
    y = 0.0
    for lane in lane_order:
        row_ends: list[tuple[int, float]] = []  # per row: (era, occupied-until as ordinal)
        lane_glyphs = sorted(by_lane[lane], key=lambda g: (g.era, g.start, g.end))
        rows_used = 0
        for glyph in lane_glyphs:
            era = eras[glyph.era]
            reach = max(era.days * 0.045, 1.0)
            first = glyph.shown_start or glyph.start
            bare_point = glyph.kind == "point" and glyph.fade_start is None
            start = glyph.first_day.toordinal() - (reach / 2 if bare_point else 0)
            end = max(glyph.end.toordinal() + 1, first.toordinal() + reach / 2)
            for row, (row_era, until) in enumerate(row_ends):
                if row_era != glyph.era or until <= start:
                    row_ends[row] = (glyph.era, end)
                    break
            else:
                row = len(row_ends)
                row_ends.append((glyph.era, end))
            rows_used = max(rows_used, row + 1)
            placed.append(_replace_row(glyph, y + row))
        rows_used = max(rows_used, 1)
        lanes[lane] = (y - 0.5, y + (rows_used - 1) / 2, y + rows_used - 0.5)
        y += rows_used + 0.6  # a little air between lanes
    return placed, lanes


def _replace_row(glyph: _Glyph, row: float) -> _Glyph:
    return dataclasses.replace(glyph, row=row)


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
) -> go.Figure:
    """Events on a (broken) date axis; see the module docstring.

    ``lanes`` is ``"side"`` (Soviet / Chinese / third parties) or ``"type"``.
    With ``"side"``, a line runs from an exchange to its recipient's lane (an
    arrow for the highlighted one). ``highlight`` is drawn larger with an
    outline, ``muted`` ids faded.
    """
    eras = find_eras(events)
    if not eras:
        return _empty_figure(title, style)
    era_of = {event_id: index for index, era in enumerate(eras) for event_id in era.event_ids}
    muted_ids = set(muted)

    glyphs = []
    for event in events:
        era = eras[era_of[event.id]]
        glyphs.append(
            _Glyph(
                event=event,
                era=era_of[event.id],
                lane=lane_of(event, catalog, lanes),
                start=event.date,
                end=uncertainty_end(event),
                kind=_glyph_kind(event),
                shown_start=_entry_point(era) if event.date < era.start else None,
                fade_start=_fade_start(event, era),
            )
        )
    lane_order = _lane_order((g.lane for g in glyphs), lanes)
    glyphs, lane_rows = _layout_rows(glyphs, eras, lane_order)

    widths = _column_widths(eras)
    spacing = PANEL_SPACING if len(eras) > 1 else 0.0
    figure = make_subplots(
        rows=1,
        cols=len(eras),
        shared_yaxes=True,
        column_widths=widths,
        horizontal_spacing=spacing,
        subplot_titles=[era.label for era in eras] if len(eras) > 1 else None,
    )
    lane_names = _lane_names_width(lane_order, style)
    plot_width = max(style.timeline_width_hint - 2 * SIDE_MARGIN - lane_names, 50.0)
    panel_widths = [plot_width * (high - low) for low, high in _domains(figure, len(eras))]
    # A date label may reach halfway into the space between panels, under the
    # lane names on the left (they sit higher, by their lanes), into the margin on the right.
    gap = plot_width * spacing / 2
    overhangs = [(gap if col > 1 else lane_names, gap if col < len(eras) else SIDE_MARGIN * 0.8)
                 for col in range(1, len(eras) + 1)]
    for era_index, era in enumerate(eras):
        era_glyphs = [g for g in glyphs if g.era == era_index]
        col = era_index + 1
        if lanes == "side":
            exchange_lines = _exchange_lines(era_glyphs, catalog, lane_rows, muted_ids, style)
            if exchange_lines is not None:
                figure.add_trace(exchange_lines, row=1, col=col)
        for trace in _bound_traces(era_glyphs, muted_ids, style):
            figure.add_trace(trace, row=1, col=col)
        for trace in _bar_traces(era_glyphs, catalog, highlight, muted_ids, style):
            figure.add_trace(trace, row=1, col=col)
        for trace in _marker_traces(era_glyphs, catalog, highlight, muted_ids, style):
            figure.add_trace(trace, row=1, col=col)
        highlight_trace = _highlight_trace(era_glyphs, catalog, highlight, style)
        if highlight_trace is not None:
            figure.add_trace(highlight_trace, row=1, col=col)
        shown = _era_range(era)
        ticks, labels = panel_ticks(*shown, panel_widths[era_index], style.font(0.9)["size"],
                                    overhang=overhangs[era_index])
        figure.update_xaxes(
            range=list(shown),
            type="date",
            tickmode="array",
            tickvals=[day.isoformat() for day in ticks],
            ticktext=labels,
            tickangle=0,
            row=1,
            col=col,
        )
        _add_clipped_labels(figure, era_glyphs, col, style)
        _add_event_labels(figure, era_glyphs, shown, panel_widths[era_index], col, highlight, muted_ids, style)
        if lanes == "side":
            _add_exchange_arrow(figure, era_glyphs, catalog, lane_rows, col, highlight, style)

    # The legend draws a trace's first point as it is, faded if that event is
    # muted; so each type's key is a trace of its own, at full opacity.
    present = {g.event.event_type for g in glyphs}
    for event_type in EventType:
        if event_type in present:
            figure.add_trace(_type_key(event_type, style), row=1, col=1)
    for trace in _legend_key_traces(style, bounds=any(g.fade_start for g in glyphs)):
        figure.add_trace(trace, row=1, col=1)
    _style_layout(figure, eras, lane_rows, title, style)
    figure.layout.meta = {
        "exchanges_timeline": {
            "eras": [[era.start.isoformat(), era.end.isoformat()] for era in eras],
            "lanes": list(lane_rows),
        }
    }
    return figure


def _era_range(era: Era) -> tuple[dt.date, dt.date]:
    """The dates an era's panel shows: the era with a margin on both sides."""
    pad = dt.timedelta(days=max(era.days * 0.06, 8))
    return (era.start - pad, era.end + pad + dt.timedelta(days=1))


def _entry_point(era: Era) -> dt.date:
    """Where a span from an earlier time enters its era's panel: halfway between
    the panel's edge and the era, so its marker is not cut by the edge."""
    edge = _era_range(era)[0]
    return edge + (era.start - edge) / 2


def _fade_start(event: Event, era: Era) -> dt.date | None:
    """Where the fading band of an "on or before" event begins, or None for other events.

    The source puts no earlier limit, so the band is a fixed share of its
    panel (at least a fortnight), cut at the panel's left edge.
    """
    edge = _era_range(era)[0]
    if not is_latest_bound(event) or event.date <= edge:
        return None
    length = dt.timedelta(days=max(era.days * FADE_SHARE, 14))
    return max(event.date - length, edge)


def _add_clipped_labels(figure: go.Figure, glyphs: Sequence[_Glyph], col: int, style: ChartStyle) -> None:
    """"◂ from August 1959" where a long span enters its panel from the left."""
    axis = "" if col == 1 else str(col)
    for glyph in glyphs:
        if not glyph.clipped:
            continue
        figure.add_annotation(
            x=glyph.marker_date,
            y=glyph.row,
            xref=f"x{axis}",
            yref="y",
            xanchor="left",
            xshift=style.marker_min_size / 2 + 2,
            text=f"◂ from {escape_text(_month_year(glyph.start))}",
            showarrow=False,
            font=style.font(0.8, style.text_colour),
            bgcolor="rgba(255,255,255,0.75)",
            name=f"clipped:{glyph.event.id}",
        )


@dataclass(frozen=True)
class _Label:
    glyph: _Glyph
    text: str
    x: dt.date | dt.datetime
    xshift: float
    xanchor: Literal["left", "right"]
    box: tuple[float, float]
    """Its extent in px from the panel's left edge, as estimated at the style's width."""
    inside: bool = False
    """Drawn over its own (long) bar."""


def label_width(text: str, font_size: float) -> float:
    """About how wide (px) an event label is."""
    return len(text) * font_size * LABEL_CHAR_WIDTH + 2


def _add_event_labels(
    figure: go.Figure,
    glyphs: Sequence[_Glyph],
    shown: tuple[dt.date, dt.date],
    panel_width: float,
    col: int,
    highlight: str | None,
    muted: set[str],
    style: ChartStyle,
) -> None:
    """Short titles beside the events of one panel, where there is room.

    Widths are estimated at the style's narrowest width (``timeline_width_hint``):
    drawn wider, everything only moves apart. A label goes right of its glyph,
    else left of it, at full length or shorter; it must stay inside the panel
    and clear of the glyphs and labels on its row. The highlighted event is
    labelled first, and always (on a white backing if it has to overlap).
    """
    for label in _place_event_labels(glyphs, shown, panel_width, highlight, muted, style):
        chosen = label.glyph.event.id == highlight
        faded = label.glyph.event.id in muted
        text = escape_text(label.text)
        figure.add_annotation(
            x=label.x,
            y=label.glyph.row,
            xref=f"x{'' if col == 1 else col}",
            yref="y",
            xanchor=label.xanchor,
            xshift=label.xshift,
            yanchor="middle",
            text=f"<b>{text}</b>" if chosen else text,
            showarrow=False,
            font=style.font(0.8, style.muted_text_colour if faded else style.text_colour),
            opacity=style.muted_opacity + 0.3 if faded else 1.0,
            bgcolor="rgba(255,255,255,0.8)" if chosen else "rgba(255,255,255,0.6)" if label.inside else None,
            name=f"event-label:{label.glyph.event.id}",
        )


def _place_event_labels(
    glyphs: Sequence[_Glyph],
    shown: tuple[dt.date, dt.date],
    panel_width: float,
    highlight: str | None,
    muted: set[str],
    style: ChartStyle,
) -> list[_Label]:
    px_per_day = panel_width / max((shown[1] - shown[0]).days, 1)

    def px(day: dt.date | dt.datetime) -> float:
        start = dt.datetime.combine(shown[0], dt.time())
        moment = day if isinstance(day, dt.datetime) else dt.datetime.combine(day, dt.time())
        return (moment - start).total_seconds() / 86_400 * px_per_day

    font_size = style.font(0.8)["size"]
    limit = LABEL_LIMITS.get(style.name, LABEL_LIMITS["default"])
    taken: dict[float, list[tuple[float, float, str]]] = defaultdict(list)  # row -> (left, right, owner)
    # id -> (left, right, marker x) in px, and the dates a label beside the glyph
    # hangs from (left, right; None: no label on that side), so that it touches
    # the glyph's visible end however wide the timeline is drawn.
    extents: dict[str, tuple[float, float, float]] = {}
    ends: dict[str, tuple[dt.date | dt.datetime, dt.date | dt.datetime | None]] = {}
    for glyph in glyphs:
        size = style.marker_min_size * (style.highlight_scale if glyph.event.id == highlight else 1.0)
        centre = px(glyph.marker_date)
        left, right = centre - size / 2 - 1, centre + size / 2 + 1
        left_end: dt.date | dt.datetime = glyph.marker_date
        right_end: dt.date | dt.datetime | None = glyph.marker_date
        if glyph.kind != "point":
            left = min(left, px(glyph.shown_start or glyph.start))
            right = max(right, px(glyph.end + dt.timedelta(days=1)))
            left_end, right_end = glyph.shown_start or glyph.start, glyph.end + dt.timedelta(days=1)
        if glyph.fade_start is not None:
            left = min(left, px(glyph.fade_start))
            left_end = glyph.fade_start
        if glyph.clipped:
            # "◂ from August 1959" follows the marker; a name right of a bar the
            # note overhangs would sit after the note, not by the bar: none then.
            note_end = centre + size / 2 + 2 + label_width(f"◂ from {_month_year(glyph.start)}", font_size)
            if note_end + LABEL_PAD > right:
                right, right_end = note_end, None
        extents[glyph.event.id] = (left, right, centre)
        ends[glyph.event.id] = (left_end, right_end)
        taken[glyph.row].append((left, right, glyph.event.id))

    def fits(glyph: _Glyph, label: _Label) -> bool:
        box = label.box
        if box[0] < 0 or box[1] > panel_width:
            return False
        own = glyph.event.id if label.inside else None  # a label inside its bar may overlap that bar
        return all(box[1] + LABEL_PAD <= a or b + LABEL_PAD <= box[0] for a, b, who in taken[glyph.row] if who != own)

    order = sorted(glyphs, key=lambda g: (g.event.id != highlight, g.event.id in muted, g.start, g.row))
    labels: list[_Label] = []
    for glyph in order:
        left, right, centre = extents[glyph.event.id]
        left_end, right_end = ends[glyph.event.id]
        candidates = []
        for text in dict.fromkeys((short_title(glyph.event, limit), short_title(glyph.event, LABEL_SHORT_LIMIT))):
            width = label_width(text, font_size)
            if glyph.kind != "point" and not glyph.clipped:
                # Inside a long bar, right of its marker, if the bar holds it.
                start = centre + style.marker_min_size / 2 + LABEL_PAD
                inside = _Label(glyph, text, glyph.marker_date, start - centre, "left", (start, start + width), True)
                if inside.box[1] <= right - LABEL_PAD:
                    candidates.append(inside)
            if right_end is not None:
                candidates.append(_Label(glyph, text, right_end, right - px(right_end) + LABEL_PAD, "left",
                                         (right + LABEL_PAD, right + LABEL_PAD + width)))
            candidates.append(_Label(glyph, text, left_end, left - px(left_end) - LABEL_PAD, "right",
                                     (left - LABEL_PAD - width, left - LABEL_PAD)))
        chosen = glyph.event.id == highlight
        # The highlighted event keeps its longer label on a backing rather than shrink,
        # as long as that stays inside the panel.
        inside = [c for c in candidates if c.text == candidates[0].text and c.box[0] >= 0 and c.box[1] <= panel_width]
        label = next((c for c in candidates if fits(glyph, c) and _readable(c.text)), None)
        if chosen and inside and (label is None or label.text != inside[0].text):
            label = next((c for c in inside if fits(glyph, c)), inside[0])
        if label is None and chosen:
            if right_end is None:  # the selected event is named even after its "◂ from" note
                text = candidates[0].text
                candidates.append(_Label(glyph, text, glyph.marker_date, right - centre + LABEL_PAD, "left",
                                         (right + LABEL_PAD, right + LABEL_PAD + label_width(text, font_size))))
            label = min(candidates, key=lambda c: max(c.box[1] - panel_width, -c.box[0], 0))
        if label is None:
            continue
        taken[glyph.row].append((*label.box, ""))
        labels.append(label)
    return labels


def _readable(text: str) -> bool:
    """A shortened label says something only with a few words left ("Soviet…" does not)."""
    if not text.endswith("…"):
        return True
    words = text.removesuffix("…").split()
    if words and words[0].lower() in {"the", "a", "an"}:
        words = words[1:]
    return len(words) >= 2


def _month_year(day: dt.date) -> str:
    return f"{calendar.month_name[day.month]} {day.year}"


def _lane_names_width(lanes: Sequence[str], style: ChartStyle) -> float:
    """About how wide (px) the lane names left of the panels are, with their padding."""
    return max((len(lane) for lane in lanes), default=0) * style.font(0.95)["size"] * LANE_CHAR_WIDTH + 8


def _domains(figure: go.Figure, panels: int) -> list[tuple[float, float]]:
    """The share of the plot width each panel's x axis spans."""
    return [tuple(figure.layout[f"xaxis{'' if col == 1 else col}"].domain) for col in range(1, panels + 1)]


def _column_widths(eras: Sequence[Era]) -> list[float]:
    """Half the width shared equally, half by number of events."""
    total = sum(len(era.event_ids) for era in eras)
    return [0.5 / len(eras) + 0.5 * len(era.event_ids) / total for era in eras]


def _bar_traces(
    glyphs: Sequence[_Glyph],
    catalog: Catalog,
    highlight: str | None,
    muted: set[str],
    style: ChartStyle,
) -> Iterable[go.Bar]:
    groups: dict[tuple[EventType, str], list[_Glyph]] = defaultdict(list)
    for glyph in glyphs:
        if glyph.kind != "point":
            groups[(glyph.event.event_type, glyph.kind)].append(glyph)
    for (event_type, kind), members in groups.items():
        approximate = [g.event.date_precision is not DatePrecision.day for g in members]
        base_opacity = [
            style.approximate_opacity if approx or kind == "window" else style.marker_opacity
            for approx in approximate
        ]
        yield go.Bar(
            orientation="h",
            base=[g.start.isoformat() for g in members],
            x=[((g.end - g.start).days + 1) * _DAY_MS for g in members],
            y=[g.row for g in members],
            width=style.bar_height,
            customdata=[g.event.id for g in members],
            hovertext=[_hover_text(g.event, catalog) for g in members],
            hovertemplate="%{hovertext}<extra></extra>",
            name=event_type_label(event_type),
            legendgroup=event_type.value,
            showlegend=False,
            marker={
                "color": style.colour_for(event_type),
                "opacity": [
                    style.muted_opacity * 0.6 if g.event.id in muted else opacity
                    for g, opacity in zip(members, base_opacity, strict=True)
                ],
                "pattern": {
                    "shape": [style.approximate_pattern if a else "" for a in approximate],
                    "fgcolor": "#ffffff",
                    "fgopacity": 0.8,
                    "solidity": 0.35,
                },
                "line": {
                    "color": [
                        style.highlight_colour if g.event.id == highlight else style.colour_for(event_type)
                        for g in members
                    ],
                    "width": [
                        style.highlight_line_width if g.event.id == highlight else 1.0 for g in members
                    ],
                },
            },
            unselected={"marker": {"opacity": style.marker_opacity}},
            meta={"layer": "bars", "kind": kind, "event_type": event_type.value},
        )


def _bound_traces(glyphs: Sequence[_Glyph], muted: set[str], style: ChartStyle) -> Iterable[go.Scatter]:
    """A band fading out to the left before each "on or before" date (one trace
    each: a trace's fill gradient runs over its whole extent)."""
    for glyph in glyphs:
        if glyph.fade_start is None:
            continue
        colour = style.colour_for(glyph.event.event_type)
        strength = style.bound_fade_opacity * (style.muted_opacity if glyph.event.id in muted else 1.0)
        left, right = glyph.fade_start.isoformat(), glyph.start.isoformat()
        half = style.bar_height * 0.35
        yield go.Scatter(
            x=[left, right, right, left, left],
            y=[glyph.row - half, glyph.row - half, glyph.row + half, glyph.row + half, glyph.row - half],
            mode="lines",
            line={"width": 0},
            fill="toself",
            fillgradient=_fade_gradient(colour, strength),
            hoverinfo="skip",
            showlegend=False,
            legendgroup=glyph.event.event_type.value,
            meta={"layer": "bound-fades", "event": glyph.event.id},
        )


def _fade_gradient(colour: str, strength: float) -> dict:
    """Transparent on the left, ``colour`` at ``strength`` on the right."""
    return {
        "type": "horizontal",
        "colorscale": [[0.0, rgba(colour, 0.0)], [1.0, rgba(colour, strength)]],
    }


def _marker_symbol(glyph: _Glyph, style: ChartStyle) -> str:
    symbol = style.symbol_for(glyph.event.event_type)
    if glyph.event.date_precision is DatePrecision.day or symbol.endswith("-open"):
        return symbol
    return f"{symbol}-open"


def _marker_traces(
    glyphs: Sequence[_Glyph],
    catalog: Catalog,
    highlight: str | None,
    muted: set[str],
    style: ChartStyle,
) -> Iterable[go.Scatter]:
    by_type: dict[EventType, list[_Glyph]] = defaultdict(list)
    for glyph in glyphs:
        if glyph.event.id != highlight:
            by_type[glyph.event.event_type].append(glyph)
    for event_type in EventType:
        members = by_type.get(event_type)
        if not members:
            continue
        yield go.Scatter(
            x=[g.marker_date for g in members],
            y=[g.row for g in members],
            mode="markers",
            name=event_type_label(event_type),
            legendgroup=event_type.value,
            showlegend=False,  # the type's key is its own trace (_type_key)
            customdata=[g.event.id for g in members],
            hovertext=[_hover_text(g.event, catalog) for g in members],
            hovertemplate="%{hovertext}<extra></extra>",
            marker={
                "size": style.marker_min_size,
                "color": style.colour_for(event_type),
                "symbol": [_marker_symbol(g, style) for g in members],
                "opacity": [
                    style.muted_opacity if g.event.id in muted else style.marker_opacity for g in members
                ],
                "line": {"color": style.colour_for(event_type), "width": 2},
            },
            unselected={"marker": {"opacity": style.marker_opacity}},
            meta={"layer": "events", "event_type": event_type.value},
        )


def _type_key(event_type: EventType, style: ChartStyle) -> go.Scatter:
    """A legend-only entry for an event type (no points)."""
    colour = style.colour_for(event_type)
    return go.Scatter(
        x=[None],
        y=[None],
        mode="markers",
        name=event_type_label(event_type),
        legendgroup=event_type.value,
        marker={"size": style.marker_min_size, "color": colour, "symbol": style.symbol_for(event_type),
                "opacity": 1.0, "line": {"color": colour, "width": 2}},
        hoverinfo="skip",
        meta={"layer": "legend-key", "event_type": event_type.value},
    )


def _highlight_trace(
    glyphs: Sequence[_Glyph], catalog: Catalog, highlight: str | None, style: ChartStyle
) -> go.Scatter | None:
    chosen = [g for g in glyphs if g.event.id == highlight]
    if not chosen:
        return None
    glyph = chosen[0]
    return go.Scatter(
        x=[glyph.marker_date],
        y=[glyph.row],
        mode="markers",
        name="Selected",
        showlegend=False,
        customdata=[glyph.event.id],
        hovertext=[_hover_text(glyph.event, catalog)],
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


def _exchange_target(
    glyph: _Glyph, catalog: Catalog, lane_rows: dict[str, tuple[float, float, float]]
) -> float | None:
    """y where an exchange's line ends: the near edge of the recipient's lane, if
    the recipient is on another side."""
    target = _recipient_side(glyph.event, catalog)
    if target is None or target == glyph.lane or target not in lane_rows:
        return None
    top, _, bottom = lane_rows[target]
    return top + 0.15 if top > glyph.row else bottom - 0.15


def _exchange_lines(
    glyphs: Sequence[_Glyph],
    catalog: Catalog,
    lane_rows: dict[str, tuple[float, float, float]],
    muted: set[str],
    style: ChartStyle,
) -> go.Scatter | None:
    """Faint lines from each cross-side exchange to its recipient's lane, under the markers."""
    xs: list = []
    ys: list = []
    for glyph in glyphs:
        target = _exchange_target(glyph, catalog, lane_rows)
        if target is None or glyph.event.id in muted:
            continue
        xs += [glyph.marker_date, glyph.marker_date, None]
        ys += [glyph.row, target, None]
    if not xs:
        return None
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        line={"color": style.arrow_colour, "width": max(style.arrow_width * 0.7, 0.8)},
        opacity=0.3,
        hoverinfo="skip",
        showlegend=False,
        meta={"layer": "exchange-lines"},
    )


def _add_exchange_arrow(
    figure: go.Figure,
    glyphs: Sequence[_Glyph],
    catalog: Catalog,
    lane_rows: dict[str, tuple[float, float, float]],
    col: int,
    highlight: str | None,
    style: ChartStyle,
) -> None:
    """A clear arrow from the selected exchange's sender lane to its recipient's."""
    axis = "" if col == 1 else str(col)
    for glyph in glyphs:
        if glyph.event.id != highlight:
            continue
        target = _exchange_target(glyph, catalog, lane_rows)
        if target is None:
            continue
        figure.add_annotation(
            x=glyph.marker_date,
            y=target,
            ax=glyph.marker_date,
            ay=glyph.row,
            xref=f"x{axis}",
            yref="y",
            axref=f"x{axis}",
            ayref="y",
            text="",
            showarrow=True,
            arrowhead=2,
            arrowsize=1.3,
            arrowwidth=style.arrow_width * 1.8,
            arrowcolor=style.highlight_colour,
            standoff=1,
            startstandoff=style.marker_min_size * style.highlight_scale / 2 + 1,
            name=f"exchange:{glyph.event.id}",
        )


def _legend_key_traces(style: ChartStyle, *, bounds: bool = False) -> list[go.BaseTraceType]:
    """Legend entries explaining how precisely a date is known (the "on or
    before" band only when one is drawn)."""
    grey = "#6b6b6b"
    common = {"x": [None], "y": [None], "legendgroup": "precision", "legendrank": 2000, "hoverinfo": "skip"}
    keys: list[go.BaseTraceType] = [
        go.Scatter(mode="markers", name="Exact day", marker={"color": grey, "size": 10}, **common),
        go.Bar(
            orientation="h",
            name="Only a month/season/year: the window the source allows",
            marker={"color": grey, "opacity": style.approximate_opacity, "pattern": {"shape": "/"}},
            **common,
        ),
        go.Bar(orientation="h", name="Lasted from … to …", marker={"color": grey}, **common),
    ]
    if bounds:
        keys.append(
            go.Scatter(
                mode="lines",
                name=BOUND_LEGEND,
                fill="toself",
                fillgradient=_fade_gradient(grey, 1.0),
                line={"width": 0},
                meta={"layer": "legend-key", "key": "bound"},
                **common,
            )
        )
    return keys


def _style_layout(
    figure: go.Figure,
    eras: Sequence[Era],
    lane_rows: dict[str, tuple[float, float, float]],
    title: str | None,
    style: ChartStyle,
) -> None:
    rows_total = max(bottom for _, _, bottom in lane_rows.values()) + 0.5
    height = max(style.timeline_min_height, round(rows_total * style.timeline_height_per_row) + 170)
    figure.update_layout(
        **base_layout(style, title),
        plot_bgcolor=style.paper_colour,
        height=height,
        barmode="overlay",
        bargap=0,
        margin={"l": SIDE_MARGIN, "r": SIDE_MARGIN, "t": 70 if title else 36, "b": 10},
        legend={
            "orientation": "h",
            "yanchor": "top",
            "y": -0.12,
            "x": 0,
            "font": style.font(0.88),
            "traceorder": "grouped",
        },
        uirevision="timeline",
        showlegend=True,
    )
    figure.update_yaxes(
        autorange=False,
        range=[rows_total - 0.3, -0.8],
        tickvals=[centre for _, centre, _ in lane_rows.values()],
        ticktext=[f"<b>{escape_text(lane)}</b>" for lane in lane_rows],
        showgrid=False,
        zeroline=False,
        fixedrange=True,
        tickfont=style.font(0.95),
    )
    figure.update_xaxes(showgrid=True, gridcolor="#e6e6e6", tickfont=style.font(0.9), zeroline=False)
    for annotation in figure.layout.annotations:
        if annotation.name is None:  # the era titles (the labels added so far all have names)
            annotation.font = style.font(1.05, style.muted_text_colour)
    for index, (lane, (top, _, bottom)) in enumerate(lane_rows.items()):
        if index % 2 == 0:
            figure.add_hrect(
                y0=top, y1=bottom, fillcolor=style.lane_band_colour, line_width=0, layer="below", row=1, col="all"
            )
    # "//" marks where the axis is broken.
    domains = _domains(figure, len(eras))
    for (_, domain_end), (domain_next, _) in zip(domains, domains[1:]):
        figure.add_annotation(
            **paper_note(
                "//", (domain_end + domain_next) / 2, 0, style.font(1.2, style.muted_text_colour),
                yanchor="middle", name="axis-break",
            )
        )


def _hover_text(event: Event, catalog: Catalog) -> str:
    return hover_html(event, catalog, show_precision=True)


def _empty_figure(title: str | None, style: ChartStyle) -> go.Figure:
    figure = go.Figure()
    figure.add_annotation(**paper_note("No events match the filters.", 0.5, 0.5, style.font(1.2, style.muted_text_colour)))
    figure.update_layout(
        template=style.template,
        height=style.timeline_min_height // 2,
        xaxis={"visible": False},
        yaxis={"visible": False},
        title={"text": escape_text(title)} if title else None,
        margin={"l": 10, "r": 10, "t": 40 if title else 10, "b": 10},
    )
    return figure
