"""The timeline figure: eras and lanes, glyphs for how a date is known, legend, built in bulk."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import replace

import plotly.graph_objects as go
import pytest
from timeline_drawn import date_at, event_labels, frame_texts, panels, x_of

from exchanges.charts.date_ticks import panel_ticks
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.charts.timeline_figure import SIDE_MARGIN, build_timeline_figure
from exchanges.models import Citation, Event
from exchanges.text_metrics import lines_width
from exchanges.timeline import CHINESE_SIDE, SOVIET_SIDE, find_eras, lane_of, uncertainty_end
from exchanges.wording import bound_phrase, date_label, describe_event, short_date


def traces(figure: go.Figure, layer: str) -> list:
    return [t for t in figure.data if isinstance(t.meta, dict) and t.meta.get("layer") == layer]


# --------------------------------------------------------------------------- timeline


def test_eras_come_from_gaps_in_the_data(mini_catalog, shipped_catalog):
    eras = find_eras(mini_catalog.events)
    assert len(eras) == 2
    assert eras[0].start.year == 1950 and eras[1].start.year == 1960
    assert set(eras[0].event_ids) == {"ministry-letter", "embassy-answer"}
    shipped = find_eras(shipped_catalog.events)
    years = [(era.start.year, era.end.year) for era in shipped]
    assert any(start <= 1952 <= end for start, end in years)
    assert any(start <= 1962 <= end for start, end in years)
    assert not any(start <= 1952 and end >= 1962 for start, end in years)  # never one long axis


def test_one_era_when_there_is_no_gap(mini_catalog):
    events = [e for e in mini_catalog.events if e.date.year == 1960]
    assert len(find_eras(events)) == 1


def test_timeline_breaks_the_axis_into_panels(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    first, second = panels(figure)
    assert first.end.year == 1950 and second.start.year == 1960
    assert first.right < second.left  # a gap between them, on one x axis
    assert [name for name in figure.layout if name.startswith("xaxis")] == ["xaxis"]
    (mark,) = frame_texts(figure, "axis-break")  # centred in the gap
    assert mark.text == "//" and abs(mark.x - (first.right + second.left) / 2) < 0.01


def test_shipped_timeline_has_a_panel_per_cluster(shipped_catalog):
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog)
    assert len(panels(figure)) >= 2
    assert len(panels(figure)) == len(figure.layout.meta["exchanges_timeline"]["eras"])


def _panel_ticks(figure: go.Figure) -> list[tuple[list[float], list[str]]]:
    """(tick x, labels) of each panel: the ticks of the one x axis, shared out by where they are."""
    axis = figure.layout.xaxis
    found = []
    for panel in panels(figure):
        ticks = [(x, label) for x, label in zip(axis.tickvals or (), axis.ticktext or (), strict=True)
                 if panel.left - 0.01 <= x <= panel.right + 0.01]
        found.append(([x for x, _ in ticks], [label for _, label in ticks]))
    return found


def _check_date_ticks(figure: go.Figure, width: float, style) -> None:
    """Every panel's tick labels differ, and fit side by side at ``width`` px for the figure."""
    font = style.font(0.9)["size"]
    axis = figure.layout.xaxis
    assert axis.tickmode == "array"  # a narrow panel may have none: its era's title names it
    assert axis.range[1] <= width - 2 * SIDE_MARGIN + 0.01  # x is px across the plot at this width
    assert sum(len(xs) for xs, _ in _panel_ticks(figure)) == len(axis.tickvals or ())  # each in a panel
    for xs, labels in _panel_ticks(figure):
        assert len(set(labels)) == len(labels), labels
        for x, label in zip(xs, labels, strict=True):  # each tick is on its date
            day = (date_at(figure, x) + dt.timedelta(hours=12)).date()  # x is rounded to 0.01 px
            assert str(day.year) in label and abs(x - x_of(figure, day)) < 0.02, (label, day)
        lines = [line for label in labels for line in label.split("<br>")]
        widest = lines_width(lines, font)
        for a, b in itertools.pairwise(xs):
            assert b - a >= widest, (labels, width)


@pytest.mark.parametrize(
    ("style", "width"),
    [(DEFAULT_STYLE, w) for w in (420, 560, 700, 900, 1400)] + [(PROJECTOR_STYLE, w) for w in (700, 930, 1400, 1920)],
    ids=lambda v: getattr(v, "name", v),
)
@pytest.mark.parametrize("years", [(1947, 1962), (1962, 1962), (1951, 1952)], ids=str)
def test_date_labels_never_repeat_and_fit_the_panel(shipped_catalog, width, years, style):
    """A narrow timeline (the present page's or the explore page's, ~700 px) gets
    fewer ticks, never "Apr 1962, Apr 1962, May 1962" or labels on top of each other."""
    events = [e for e in shipped_catalog.events if years[0] <= e.date.year <= years[1]]
    figure = build_timeline_figure(events, shipped_catalog, style=replace(style, timeline_width_hint=width))
    _check_date_ticks(figure, width, style)
    assert len(figure.layout.xaxis.tickvals) >= 2


def test_date_ticks_for_a_few_months():
    start, end = dt.date(1962, 4, 1), dt.date(1962, 8, 31)
    days, labels = panel_ticks(start, end, 700, 12)
    assert labels[:2] == ["15 Apr<br>1962", "1 May<br>1962"]  # days: more than one a month
    assert len(set(labels)) == len(labels) == len(days) > 5
    months, month_labels = panel_ticks(start, end, 250, 12)
    assert month_labels == ["May<br>1962", "Jun<br>1962", "Jul<br>1962", "Aug<br>1962"]
    assert all(d.day == 1 for d in months)
    # A label is centred on its tick: none sticks out of the panel (1 April is on its left edge).
    assert panel_ticks(start, end, 250, 12, overhang=(20, 0))[1][0] == "Apr<br>1962"
    years, year_labels = panel_ticks(dt.date(1940, 1, 1), dt.date(1970, 1, 1), 300, 12)
    assert year_labels == ["1945", "1950", "1955", "1960", "1965"]


def test_span_bars_cover_their_dates(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    bars = {}
    for trace in traces(figure, "bars"):
        for event_id, base, width in zip(trace.customdata, trace.base, trace.x, strict=True):
            bars[event_id] = (base, base + width)
    start, end = bars["crossings"]  # from its first day to the end of its last
    assert abs(start - x_of(figure, dt.date(1960, 6, 1))) < 0.01
    assert abs(end - x_of(figure, dt.date(1960, 9, 1))) < 0.02
    # a month-precision date is drawn over its month
    start, end = bars["embassy-answer"]
    assert abs(start - x_of(figure, dt.date(1950, 4, 1))) < 0.01
    assert abs(end - x_of(figure, dt.date(1950, 5, 1))) < 0.02
    # a day-precision event is a marker, not a bar
    assert "urumqi-talks" not in bars


def test_imprecise_dates_are_hatched_and_explained(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    for trace in traces(figure, "bars"):
        shapes = list(trace.marker.pattern.shape)
        for event_id, shape in zip(trace.customdata, shapes, strict=True):
            precise = mini_catalog.event(event_id).date_precision.value == "day"
            assert (shape == "") == precise, event_id
    legend = [t.name for t in figure.data if t.legendgroup == "precision"]
    assert any("window" in name for name in legend)


def test_every_timeline_event_is_clickable(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog)
    ids = set()
    for trace in figure.data:
        if isinstance(trace.meta, dict) and trace.meta.get("layer") in ("events", "bars", "highlight"):
            ids |= set(trace.customdata)
    assert ids == {e.id for e in mini_catalog.events}


def test_timeline_highlight_and_arrow(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog, highlight="urumqi-talks")
    (highlight,) = traces(figure, "highlight")
    assert list(highlight.customdata) == ["urumqi-talks"]
    assert highlight.marker.line.width == DEFAULT_STYLE.highlight_line_width
    arrows = [a for a in figure.layout.annotations if (a.name or "").startswith("exchange:")]
    assert [a.name for a in arrows] == ["exchange:urumqi-talks"]  # Soviet sender, Chinese recipient
    assert arrows[0].ay != arrows[0].y
    assert traces(figure, "exchange-lines")


def test_timeline_muted_opacity(mini_catalog):
    figure = build_timeline_figure(mini_catalog.events, mini_catalog, muted={"urumqi-talks"})
    for trace in traces(figure, "events"):
        for event_id, opacity in zip(trace.customdata, trace.marker.opacity, strict=True):
            assert (opacity == pytest.approx(DEFAULT_STYLE.muted_opacity)) == (event_id == "urumqi-talks")


def test_lanes_by_side_and_by_type(mini_catalog):
    assert lane_of(mini_catalog.event("ministry-letter"), mini_catalog) == SOVIET_SIDE
    assert lane_of(mini_catalog.event("crossings"), mini_catalog) == CHINESE_SIDE  # from the people involved
    by_type = build_timeline_figure(mini_catalog.events, mini_catalog, lanes="type")
    assert "Talk" in by_type.layout.meta["exchanges_timeline"]["lanes"]
    assert not traces(by_type, "exchange-lines")


def test_empty_timeline_says_so(mini_catalog):
    figure = build_timeline_figure([], mini_catalog)
    assert "No events" in figure.layout.annotations[0].text


def test_long_span_counts_by_its_end_and_enters_from_the_left(mini_catalog):
    long = Event(
        id="long-span", title="Three years of crossings", date=dt.date(1957, 1, 1), end_date=dt.date(1960, 7, 1),
        date_precision="month", event_type="border_crossing", summary="s.",
        source=Citation(document="doc-b", passage="crossed the border"),
    )
    events = [*mini_catalog.events, long]
    eras = find_eras(events)
    assert len(eras) == 2 and "long-span" in eras[1].event_ids
    figure = build_timeline_figure(events, mini_catalog)
    label = event_labels(figure)["long-span"]
    assert label.text.startswith("◂ from January 1957: ")


# --------------------------------------------------------------------------- labels


def test_labels_and_uncertainty_windows(mini_catalog, mini_gazetteer):
    answer = mini_catalog.event("embassy-answer")
    assert uncertainty_end(answer) == dt.date(1950, 4, 30)
    assert date_label(answer) == "April 1950"
    details = describe_event(mini_catalog.event("lost-place"), mini_catalog, mini_gazetteer)
    assert details.places == ("atlantis (not in the gazetteer)",)
    letter = describe_event(mini_catalog.event("ministry-letter"), mini_catalog, mini_gazetteer)
    assert letter.exchange == "The Ministry → The Embassy"
    assert "Archive A, file 1" in letter.citation and "A-1" in letter.citation


# --------------------------------------------------------------------------- "on or before" dates


def _latest_bound(event: Event, **changes) -> Event:
    """``event`` as dated only by a latest date (validated like a data file's row)."""
    return Event.model_validate({**event.model_dump(), "date_bound": "by", "date_label": None, **changes})


def test_a_latest_bound_is_worded_on_or_before(mini_catalog, mini_gazetteer):
    talks = _latest_bound(mini_catalog.event("urumqi-talks"))
    assert date_label(talks) == "On or before 2 May 1960"
    assert bound_phrase(talks) == "on or before 2 May 1960"
    details = describe_event(talks, mini_catalog, mini_gazetteer)
    assert details.bound == "on or before 2 May 1960"
    assert "latest date" in details.precision and "on or before 2 May 1960" in details.precision
    assert "Dated to the day" not in details.precision
    # a span whose start is only bounded
    crossings = _latest_bound(mini_catalog.event("crossings"))
    assert date_label(crossings) == "Began on or before June 1960, lasted to August 1960"
    assert "latest start" in describe_event(crossings, mini_catalog, mini_gazetteer).precision
    # the source's own wording wins, but the card still says it is a bound
    worded = _latest_bound(mini_catalog.event("urumqi-talks"), date_label="By 2 May 1960 (no date given)")
    assert date_label(worded) == "By 2 May 1960 (no date given)"
    assert describe_event(worded, mini_catalog, mini_gazetteer).bound == "on or before 2 May 1960"
    # an ordinary event has no bound
    plain = describe_event(mini_catalog.event("urumqi-talks"), mini_catalog, mini_gazetteer)
    assert plain.bound is None and plain.precision == "Dated to the day"


def test_detail_card_says_on_or_before(mini_catalog, mini_gazetteer):
    from components.detail_card import detail_card_markdown

    talks = _latest_bound(mini_catalog.event("urumqi-talks"), date_label="By 2 May 1960")
    card = detail_card_markdown(describe_event(talks, mini_catalog, mini_gazetteer))
    assert "on or before 2 May 1960" in card


def test_timeline_draws_a_latest_bound_fading_out_to_the_left(mini_catalog):
    bounded = _latest_bound(mini_catalog.event("urumqi-talks"))
    events = [bounded if e.id == bounded.id else e for e in mini_catalog.events]
    figure = build_timeline_figure(events, mini_catalog)
    (fade,) = traces(figure, "bound-fades")
    assert fade.meta["events"] == ["urumqi-talks"]
    starts = [date_at(figure, x) for x in fade.base]
    ends = [date_at(figure, x + length) for x, length in zip(fade.base, fade.x, strict=True)]
    assert max(ends).date() == bounded.date and min(starts).date() < bounded.date  # ends at the bound, reaches back
    alphas = [float(colour.rsplit(",", 1)[1].rstrip(")")) for colour in fade.marker.color]
    assert alphas == sorted(alphas) and alphas[0] < alphas[-1]  # fainter on the left
    legend = [t.name for t in figure.data if t.legendgroup == "precision"]
    assert any("On or before" in name for name in legend)
    # its marker says so on hover
    hovers = {
        event_id: text
        for trace in traces(figure, "events")
        for event_id, text in zip(trace.customdata, trace.hovertext, strict=True)
    }
    assert "on or before 2 May 1960" in hovers["urumqi-talks"]
    assert "on or before" not in hovers["ministry-letter"]
    # without such events, no fade and no legend entry
    plain = build_timeline_figure(mini_catalog.events, mini_catalog)
    assert not traces(plain, "bound-fades")
    assert not any("On or before" in (t.name or "") for t in plain.data)


def test_fading_band_takes_room_in_its_row(mini_catalog):
    """An "on or before" event's band must not run under a neighbour's marker."""
    letter = mini_catalog.event("ministry-letter")
    late = _latest_bound(letter, id="late-letter", date=letter.date + dt.timedelta(days=12))
    figure = build_timeline_figure([letter, late], mini_catalog)
    rows = {}
    for trace in traces(figure, "events"):
        rows.update(zip(trace.customdata, trace.y, strict=True))
    assert rows["late-letter"] != rows["ministry-letter"]


def test_shipped_latest_bounds_are_drawn(shipped_catalog):
    bounded = {e.id for e in shipped_catalog.events if e.date_bound.value == "by"}
    assert bounded  # the data marks some
    style = replace(DEFAULT_STYLE, timeline_width_hint=900)  # every event named (not counted) at this width
    figure = build_timeline_figure(shipped_catalog.events, shipped_catalog, style=style)
    assert {i for t in traces(figure, "bound-fades") for i in t.meta["events"]} == bounded
    assert len(traces(figure, "bound-fades")) <= len(figure.layout.meta["exchanges_timeline"]["eras"])


# --------------------------------------------------------------------------- legends


def _legend_types(figure: go.Figure) -> set[str]:
    return {
        t.meta["event_type"]
        for t in figure.data
        if isinstance(t.meta, dict) and "event_type" in t.meta and t.showlegend is not False
    }


def test_legend_names_the_type_of_a_highlighted_event_alone_in_its_type(mini_catalog):
    """urumqi-talks is the only talk: selecting it must not drop "Talk" from the legend."""
    def build(highlight):
        return build_timeline_figure(mini_catalog.events, mini_catalog, highlight=highlight)

    assert [e.id for e in mini_catalog.events if e.event_type.value == "talk"] == ["urumqi-talks"]
    plain, selected = build(None), build("urumqi-talks")
    assert "talk" in _legend_types(plain)
    assert _legend_types(selected) == _legend_types(plain)
    (key,) = [t for t in selected.data if (t.meta or {}).get("layer") == "legend-key"
              and (t.meta or {}).get("event_type") == "talk"]
    assert key.name == "Talk" and not [v for v in key.x if v is not None]


def _legend_entries(figure: go.Figure) -> dict[str, list]:
    """Event type -> the traces drawn in the legend for it."""
    entries: dict[str, list] = {}
    for trace in figure.data:
        meta = trace.meta if isinstance(trace.meta, dict) else {}
        if "event_type" in meta and trace.showlegend is not False:
            entries.setdefault(meta["event_type"], []).append(trace)
    return entries


def test_a_muted_event_does_not_fade_its_types_legend_key(mini_catalog):
    """The legend's key of a type is a trace of its own, at full opacity, even when every event is faded."""
    muted = {e.id for e in mini_catalog.events}
    figure = build_timeline_figure(mini_catalog.events, mini_catalog, muted=muted, highlight="urumqi-talks")
    entries = _legend_entries(figure)
    assert set(entries) == {e.event_type.value for e in mini_catalog.events}
    for event_type, keys in entries.items():
        (key,) = keys  # one entry a type
        assert key.marker.opacity == 1.0, event_type
        assert not [v for v in key.x if v is not None]  # no point of its own
    faded = [t for t in figure.data if (t.meta or {}).get("layer") == "events"]
    assert faded and all(t.showlegend is False for t in faded)


def test_short_dates_for_lists(mini_catalog):
    assert short_date(mini_catalog.event("urumqi-talks")) == "2 May 1960"
    assert short_date(mini_catalog.event("embassy-answer")) == "Apr 1950"
    assert short_date(mini_catalog.event("crossings")) == "Jun 1960 – Aug 1960"
    assert short_date(_latest_bound(mini_catalog.event("urumqi-talks"))) == "by 2 May 1960"
    late = _latest_bound(mini_catalog.event("urumqi-talks"), date=dt.date(1960, 4, 16), date_precision="half_month")
    assert short_date(late) == "by late Apr 1960"
    season = Event.model_validate(
        {**mini_catalog.event("crossings").model_dump(), "date_precision": "season",
         "date": dt.date(1952, 3, 1), "end_date": dt.date(1952, 8, 31)}
    )
    assert short_date(season) == "Mar 1952 – Aug 1952"
    assert short_date(season.model_copy(update={"end_date": None})) == "from Mar 1952"
