"""The map: one mark per place at its true coordinates, names at their places, arrows, scale."""

from __future__ import annotations

import itertools
import math
import random
import sys
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import pytest
import yaml
from charts_drawn import (
    drawn_labels,
    drawn_markers,
    drawn_marks,
    names_clear_of_markers,
    names_nearest_their_marks,
    overlap,
    shared_spot,
    traces,
)
from charts_drawn import names as map_names  # the tests below have names of their own

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))

from synthetic import write_catalog  # noqa: E402  (bench/ is not a package)

from components.map_view import legend_html
from exchanges.charts.map_figure import META_KEY, SAME_SPOT_PX, SIZE_NOTE, build_map_figure, mark_size
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE
from exchanges.export.layout import map_frame
from exchanges.mapping import (
    FRONTIER_VIEW,
    MapView,
    Projector,
    fit_view,
    frame_locations,
    locate_events,
    with_aspect,
)
from exchanges.models import Event
from exchanges.tours import load_tours, step_state


def marks(figure: go.Figure) -> dict[str, tuple[float, float, list]]:
    """place id -> (lon, lat, customdata) of every mark."""
    (trace,) = traces(figure, "events")
    return {data[1]: (lon, lat, data) for lon, lat, data in zip(trace.lon, trace.lat, trace.customdata, strict=True)}


def label_points(figure: go.Figure) -> list[tuple[str, float, float]]:
    return [(name.text, name.lon, name.lat) for name in map_names(figure, "place-labels", "region-labels")]


def synthetic_events(catalog, gazetteer, count: int, seed: int = 7) -> list[Event]:
    """``count`` schema-valid events: the shipped ones copied with new ids, spread over the gazetteer."""
    rng = random.Random(seed)
    places = [place.id for place in gazetteer]
    weights = [rng.paretovariate(1.2) for _ in places]
    base = list(catalog.events)
    return [
        base[i % len(base)].model_copy(update={"id": f"syn-{i}", "places": rng.choices(places, weights, k=1)})
        for i in range(count)
    ]


# --------------------------------------------------------------------------- marks


def test_all_events_at_a_place_are_one_mark_at_its_coordinates(shipped_catalog, shipped_gazetteer):
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    drawn = marks(figure)
    locations = locate_events(shipped_catalog.events, shipped_gazetteer)
    assert set(figure.layout.meta[META_KEY]["places"]) == {group.place.id for group in locations.places}
    for place_id, (lon, lat, data) in drawn.items():
        place = shipped_gazetteer.get(place_id)
        assert (lon, lat) == (place.lon, place.lat)  # never moved
        assert data[0] in {e.id for e in locations.at(place_id).events}
    for group in locations.places:  # every place has a mark at its point (Beijing and the PRC share one)
        assert (group.place.lon, group.place.lat) in {(lon, lat) for lon, lat, _ in drawn.values()}
    assert len({(lon, lat) for lon, lat, _ in drawn.values()}) == len(drawn)  # no mark hides another
    assert not traces(figure, "leaders") and not traces(figure, "place-anchors")


def test_mark_size_grows_with_the_number_of_events():
    assert mark_size(1) == DEFAULT_STYLE.marker_min_size
    assert mark_size(1) < mark_size(10) < mark_size(100) < mark_size(1000) == mark_size(50_000)
    assert mark_size(50_000) == DEFAULT_STYLE.marker_max_size


def test_size_note_says_what_size_means_and_can_be_left_to_the_page(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    assert any(SIZE_NOTE in a.text for a in figure.layout.annotations if a.name == "size-note")
    bare = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, size_note=False)
    assert not [a for a in bare.layout.annotations if a.name == "size-note"]


def test_hover_lists_the_places_events_then_and_n_more(shipped_catalog, shipped_gazetteer):
    events = [e.model_copy(update={"id": f"b-{i}", "places": ["beijing"], "title": f"Letter <{i}>"})
              for i, e in enumerate(shipped_catalog.events[:10])]
    figure = build_map_figure(events, shipped_catalog, shipped_gazetteer)
    (trace,) = traces(figure, "events")
    (hover,) = trace.hovertext
    assert hover.startswith("<b>Beijing</b> · 10 events")
    assert "and 4 more" in hover
    assert "Letter &lt;0&gt;" in hover and "<0>" not in hover  # escaped


def test_events_without_places_are_reported_not_dropped(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    meta = figure.layout.meta[META_KEY]
    assert meta["unplaced"] == ["unplaced-report"]
    assert meta["unknown_places"] == [["lost-place", "atlantis"]]
    assert [a for a in figure.layout.annotations if a.name == "missing-places-note"]


def test_a_click_target_names_an_event_and_its_place(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, highlight="ministry-letter")
    drawn = marks(figure)
    assert drawn["harbin"][2] == ["ministry-letter", "harbin"]
    (ring,) = traces(figure, "highlight")
    assert {tuple(d) for d in ring.customdata} == {("ministry-letter", "harbin"), ("ministry-letter", "moscow")}
    # nothing else on the map takes a click: outlines and names skip hover and carry no customdata
    for trace in figure.data:
        layer = trace.meta.get("layer") if isinstance(trace.meta, dict) else None
        if layer in ("country", "region", "border", "names"):
            assert trace.hoverinfo == "skip" and trace.customdata is None


def test_a_place_whose_events_are_all_muted_is_faded(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, muted={"urumqi-talks"})
    (trace,) = traces(figure, "events")
    opacity = dict(zip([d[1] for d in trace.customdata], trace.marker.opacity, strict=True))
    assert opacity["urumqi"] == DEFAULT_STYLE.muted_opacity
    assert opacity["harbin"] == DEFAULT_STYLE.marker_opacity


# --------------------------------------------------------------------------- names


def _assert_names_at_places(figure: go.Figure, gazetteer, width: float = DEFAULT_STYLE.map_width_hint) -> None:
    """Every place name is drawn at the coordinates of the place it names: the label's first
    name exactly; a place named in a busier one's label (one blob on screen) within
    ``SAME_SPOT_PX`` of it at the map's width, or inside the first place's marker."""
    by_name = {}
    for place in gazetteer:
        for name in (place.name, *place.alt_names):
            by_name.setdefault(name, []).append(place)
    geo = figure.layout.geo
    projector = Projector.for_view(MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range)), width)
    marks = drawn_marks(figure, projector)
    for text, lon, lat in label_points(figure):
        plain = text.removeprefix("<b>").removesuffix("</b>").replace("&#x27;", "'").replace("&#39;", "'")
        plain = plain.replace("<br>", " ")
        label_px = projector.to_px(lon, lat)
        spot = shared_spot(marks, label_px, SAME_SPOT_PX)
        for position, name in enumerate(plain.split(" · ")):
            candidates = by_name.get(name) or by_name.get(name.split(" (")[0], [])
            if position == 0:
                assert any((round(p.lon, 2), round(p.lat, 2)) == (round(lon, 2), round(lat, 2))
                           for p in candidates), (name, lon, lat)
            else:
                assert any(math.dist(projector.to_px(p.lon, p.lat), label_px) <= spot + 0.01
                           for p in candidates), (name, lon, lat)


def test_every_name_sits_at_its_place_on_the_shipped_map(shipped_catalog, shipped_gazetteer):
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    _assert_names_at_places(figure, shipped_gazetteer)
    names_nearest_their_marks(figure, DEFAULT_STYLE.map_width_hint, SAME_SPOT_PX)
    names = {name for t, _, _ in label_points(figure) for name in t.split(" · ")}
    assert {"Beijing", "PRC", "Shanghai", "Tianjin", "Qingdao"} <= names


def _tour_step_maps(catalog, gazetteer, tour_id: str) -> Iterator[tuple[int, go.Figure]]:
    """(step number, map) of every step of a shipped tour, as the Present page draws it."""
    tours, _ = load_tours(catalog, gazetteer)
    tour = tours[tour_id]
    for number in range(1, len(tour.steps) + 1):
        state = step_state(tour, number, catalog, gazetteer)
        view = with_aspect(state.view, PROJECTOR_STYLE.map_aspect) if state.view is not None else None
        yield number, build_map_figure(state.shown, catalog, gazetteer, highlight=state.event.id,
                                       muted=state.muted, view=view, style=PROJECTOR_STYLE)


@pytest.mark.parametrize("tour_id", ["across-the-border-1947-1962", "xinjiang-1962", "repatriation-1952"])
def test_every_name_sits_at_its_place_on_every_tour_step(shipped_catalog, shipped_gazetteer, tour_id):
    for _, figure in _tour_step_maps(shipped_catalog, shipped_gazetteer, tour_id):
        _assert_names_at_places(figure, shipped_gazetteer, PROJECTOR_STYLE.map_width_hint)
        names_clear_of_markers(figure, [PROJECTOR_STYLE.map_width_hint])
        names_nearest_their_marks(figure, PROJECTOR_STYLE.map_width_hint, SAME_SPOT_PX)


def _outline_points(figure: go.Figure, projector: Projector, step_px: float = 2.0) -> np.ndarray:
    """Points every ``step_px`` at most along the countries' outlines as the figure draws them (px)."""
    points = []
    for trace in traces(figure, "country"):
        x, y = projector.to_px_array(np.array(trace.lon, dtype=float), np.array(trace.lat, dtype=float))
        for x0, y0, x1, y1 in zip(x[:-1], y[:-1], x[1:], y[1:], strict=True):
            if np.isfinite([x0, y0, x1, y1]).all():
                share = np.linspace(0, 1, max(int(math.hypot(x1 - x0, y1 - y0) // step_px), 1) + 1)
                points.append(np.column_stack([x0 + (x1 - x0) * share, y0 + (y1 - y0) * share]))
    return np.vstack(points)


def _neighbour_names_off_outlines(figure: go.Figure, width: float) -> list[str]:
    """The neighbours' names an outline runs through (it may touch a name's edge)."""
    projector = Projector.for_view(map_frame(figure), width)
    points = _outline_points(figure, projector)
    struck = []
    for text, (x0, y0, x1, y1) in drawn_labels(figure, projector, "context-labels"):
        inside = ((points[:, 0] > x0 + 1) & (points[:, 0] < x1 - 1)
                  & (points[:, 1] > y0 + 1) & (points[:, 1] < y1 - 1))
        if inside.any():
            struck.append(text)
    return struck


@pytest.mark.parametrize("tour_id", ["across-the-border-1947-1962", "xinjiang-1962", "repatriation-1952"])
def test_no_country_outline_runs_through_a_neighbours_name(shipped_catalog, shipped_gazetteer, tour_id):
    """The USSR's and the PRC's outlines keep off the neighbours' names ("Vietnam", "Mongolia"),
    on the explore page's map and on every step of the shipped tours."""
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    assert [text for text, _ in drawn_labels(figure, Projector(1.0), "context-labels")]  # there are some
    assert _neighbour_names_off_outlines(figure, DEFAULT_STYLE.map_width_hint) == []
    for number, figure in _tour_step_maps(shipped_catalog, shipped_gazetteer, tour_id):
        assert _neighbour_names_off_outlines(figure, PROJECTOR_STYLE.map_width_hint) == [], number


def test_names_do_not_overlap_marks_or_each_other(shipped_catalog, shipped_gazetteer):
    for highlight in (None, "soviet-statement-1962-08-10"):
        figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, highlight=highlight)
        names_clear_of_markers(figure, [DEFAULT_STYLE.map_width_hint])


def test_the_selected_place_is_named_first(shipped_catalog, shipped_gazetteer):
    events = synthetic_events(shipped_catalog, shipped_gazetteer, 400)
    groups = locate_events(events, shipped_gazetteer).places

    def alone(group) -> bool:  # no other mark within 3 degrees (a mark on it would leave no room)
        return all(abs(o.place.lon - group.place.lon) + abs(o.place.lat - group.place.lat) > 3
                   for o in groups if o is not group)

    quiet = min([g for g in groups if alone(g)], key=lambda g: g.count)
    plain = build_map_figure(events, shipped_catalog, shipped_gazetteer)
    crowded = [t for t, lon, lat in label_points(plain) if (lon, lat) == (quiet.place.lon, quiet.place.lat)]
    figure = build_map_figure(events, shipped_catalog, shipped_gazetteer, selected_place=quiet.place.id)
    assert quiet.place.id in [p for p in figure.layout.meta[META_KEY]["places"]]
    texts = [t for t, lon, lat in label_points(figure) if (lon, lat) == (quiet.place.lon, quiet.place.lat)]
    assert texts, (quiet.place.id, crowded)


def test_names_of_the_time_use_the_gazetteer_when_it_can_say(shipped_catalog, shipped_gazetteer):
    class WithPeriodNames:
        """The shipped gazetteer plus the agreed ``period_name`` API (Tientsin until 1958, say)."""

        def __init__(self, inner):
            self._inner = inner

        def __getattr__(self, name):
            return getattr(self._inner, name)

        def __iter__(self):
            return iter(self._inner)

        def period_name(self, place_id: str, year: int) -> str | None:
            return "Tientsin" if place_id == "tianjin" and year < 1958 else None

    gazetteer = WithPeriodNames(shipped_gazetteer)
    events = [e for e in shipped_catalog.events if "tianjin" in e.places]
    then = build_map_figure(events, shipped_catalog, gazetteer, names_year=1952)
    now = build_map_figure(events, shipped_catalog, gazetteer)
    def names(figure: go.Figure) -> set[str]:
        return {name for text, _, _ in label_points(figure) for name in text.replace("<br>", " ").split(" · ")}

    assert "Tientsin (Tianjin)" in names(then)
    assert "Tianjin" in names(now)


def test_neighbour_names_show_in_their_years(shipped_catalog, shipped_gazetteer):
    events_1962 = [e for e in shipped_catalog.events if e.date.year == 1962]
    figure = build_map_figure(events_1962, shipped_catalog, shipped_gazetteer, view=MapView((60, 110), (30, 55)))
    shown = [name.text.removeprefix("<i>").removesuffix("</i>") for name in map_names(figure, "context-labels")]
    assert "Kazakh SSR" in shown and "Mongolia" in shown
    assert "Korea" not in shown  # out of the view


# --------------------------------------------------------------------------- movements


def _mover(base: Event, **fields) -> Event:
    return base.model_copy(update={"id": "mover", **fields})


def test_an_event_with_from_and_to_draws_one_arrow(mini_catalog, mini_gazetteer):
    base = mini_catalog.event("crossings")
    mover = _mover(base, from_places=["urumqi"], to_places=["moscow"])
    figure = build_map_figure([mover], mini_catalog, mini_gazetteer)
    (line,) = traces(figure, "movements")
    (heads,) = traces(figure, "movement-heads")
    lons = [x for x in line.lon if x is not None]
    lats = [y for y in line.lat if y is not None]
    urumqi, moscow = mini_gazetteer.get("urumqi"), mini_gazetteer.get("moscow")
    assert (lons[0], lats[0]) == (round(urumqi.lon, 3), round(urumqi.lat, 3))
    assert (lons[-1], lats[-1]) == (round(moscow.lon, 3), round(moscow.lat, 3))
    assert len(heads.lon) == 1 and list(heads.customdata[0])[0] == "mover"
    assert heads.marker.angle[0] < 0  # Moscow is west (and north) of Urumqi: the head points west
    assert line.showlegend and "Movement" in line.name
    assert figure.layout.meta[META_KEY]["movements"] == [["mover", "urumqi", "moscow"]]
    off = build_map_figure([mover], mini_catalog, mini_gazetteer, movements=False)
    assert not traces(off, "movements")


def test_an_event_without_from_and_to_draws_no_arrow(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer)
    assert not traces(figure, "movements") and not traces(figure, "movement-heads")


def test_arrows_are_sized_by_the_figures(mini_catalog, mini_gazetteer):
    base = mini_catalog.event("crossings")  # 5,000 people
    big = _mover(base, from_places=["urumqi"], to_places=["moscow"])
    small = _mover(base, id="small", figures=[], from_places=["harbin"], to_places=["moscow"])
    figure = build_map_figure([big, small], mini_catalog, mini_gazetteer)
    widths = sorted(t.line.width for t in traces(figure, "movements"))
    assert len(widths) == 2 and widths[0] == DEFAULT_STYLE.movement_min_width < widths[1]
    (heads,) = traces(figure, "movement-heads")  # every head in one trace, sized by its line
    size = {row[0]: heads.marker.size[index] for index, row in enumerate(heads.customdata)}
    assert size["small"] < size["mover"]


def test_the_shipped_repatriation_moves_from_china_to_the_ussr(shipped_catalog, shipped_gazetteer):
    movers = [e for e in shipped_catalog.events if e.from_places and e.to_places]
    assert movers, "the shipped data names both ends of at least one movement"
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    assert traces(figure, "movements")


# --------------------------------------------------------------------------- framing and scale


def test_the_map_frames_the_filtered_events(shipped_catalog, shipped_gazetteer):
    events_1962 = [e for e in shipped_catalog.events if e.date.year == 1962]
    figure = build_map_figure(events_1962, shipped_catalog, shipped_gazetteer)
    geo = figure.layout.geo
    view = MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))
    for group in locate_events(events_1962, shipped_gazetteer).places:
        assert view.contains(group.place.lon, group.place.lat)
    assert view.lon_range[1] - view.lon_range[0] < 60  # Xinjiang, not the Caspian to Japan
    assert frame_locations(locate_events([], shipped_gazetteer), shipped_gazetteer) == fit_view([])


def test_outlines_are_simplified_for_the_screen_and_finer_for_export(shipped_catalog, shipped_gazetteer):
    screen = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    slide = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, style=PROJECTOR_STYLE)
    points = lambda f: sum(len(t.lon) for t in f.data if t.meta.get("layer") in ("country", "region"))  # noqa: E731
    assert points(screen) < points(slide)
    assert len(screen.to_json()) < 150_000


def test_same_styled_outlines_are_one_trace(shipped_catalog, shipped_gazetteer):
    """Regions share one trace, and so do the border lines (plotly.js pays per trace on every draw);
    the trace still lists every place it draws."""
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    (regions,) = traces(figure, "region")
    (border,) = traces(figure, "border")
    assert set(regions.meta["places"]) == {"manchuria", "xinjiang"}
    assert {"sino-soviet-border", "sino-soviet-border-xinjiang"} <= set(border.meta["places"])
    assert border.showlegend and border.name == "Sino-Soviet border"
    for trace in (regions, border):  # the outlines are apart: a gap between them, not a line across
        gaps = [index for index, lon in enumerate(trace.lon) if lon is None]
        assert len(gaps) >= len(trace.meta["places"]) - 1
        assert all((trace.lon[i] is None) == (trace.lat[i] is None) for i in range(len(trace.lon)))


def test_3000_events_every_name_at_its_place_and_one_mark_per_place(shipped_catalog, shipped_gazetteer):
    events = synthetic_events(shipped_catalog, shipped_gazetteer, 3000)
    figure = build_map_figure(events, shipped_catalog, shipped_gazetteer)
    drawn = marks(figure)
    spots = {(round(g.place.lon, 2), round(g.place.lat, 2)) for g in locate_events(events, shipped_gazetteer).places}
    assert len(drawn) == len(spots)  # one mark per place (places at one spot share it)
    _assert_names_at_places(figure, shipped_gazetteer)
    names_clear_of_markers(figure, [DEFAULT_STYLE.map_width_hint])
    projector = Projector.for_view(MapView(tuple(figure.layout.geo.lonaxis.range),
                                           tuple(figure.layout.geo.lataxis.range)), DEFAULT_STYLE.map_width_hint)
    labels = drawn_labels(figure, projector)
    for (a, box_a), (b, box_b) in itertools.combinations(labels, 2):
        assert not overlap(box_a, box_b), (a, b)
    assert drawn_markers(figure, projector)


def test_a_placeless_tour_step_keeps_the_last_frame(shipped_catalog, shipped_gazetteer):
    tours, _ = load_tours(shipped_catalog, shipped_gazetteer)
    seen = 0
    for tour in tours.values():
        last = None
        for number in range(1, len(tour.steps) + 1):
            state = step_state(tour, number, shipped_catalog, shipped_gazetteer)
            if state.kept_frame:
                assert not state.event_on_map and state.step.view is None and state.view == last
                seen += 1
            elif not state.event_on_map:
                assert state.step.view is not None or last is None  # the tour frames it itself
            if state.view is not None:
                last = state.view
    assert seen, "a shipped tour has a step whose event names no place"


def test_a_notice_is_written_on_the_map(mini_catalog, mini_gazetteer):
    figure = build_map_figure(mini_catalog.events, mini_catalog, mini_gazetteer, notice="This step names no place.")
    (note,) = [a for a in figure.layout.annotations if a.name == "map-notice"]
    assert "names no place" in note.text and note.yref == "paper"


def test_names_of_the_time_from_the_shipped_gazetteer(shipped_catalog, shipped_gazetteer):
    """The real ``Gazetteer.period_name`` (geodata/period_names.csv): 1952 names on the map."""
    if not callable(getattr(shipped_gazetteer, "period_name", None)):
        pytest.skip("the gazetteer records no names of the time")
    events = [e for e in shipped_catalog.events if e.date.year == 1952]
    names = {t for t, _, _ in label_points(build_map_figure(events, shipped_catalog, shipped_gazetteer,
                                                            names_year=1952))}
    expected = shipped_gazetteer.period_name("tianjin", 1952)
    assert expected and any(f"{expected} (Tianjin)" in name for name in names), names


@pytest.fixture(scope="module")
def synthetic_3000(tmp_path_factory: pytest.TempPathFactory) -> list[Event]:
    """The 3,000-event catalog of ``bench/synthetic.py`` (the benchmarks' and the browser test's), read back."""
    folder = write_catalog(3000, tmp_path_factory.mktemp("synthetic-3000"))
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    return [Event.model_validate(record) for path in sorted((folder / "events").glob("*.yaml"))
            for record in yaml.load(path.read_text("utf-8"), Loader=loader)]


@pytest.mark.parametrize(("style", "at_least"), [(DEFAULT_STYLE, 1.0), (PROJECTOR_STYLE, 0.6)],
                         ids=["screen", "projector"])
@pytest.mark.parametrize(("whole_region", "busiest_count"), [(False, 10), (True, 12)], ids=["framed", "whole-region"])
def test_the_busiest_places_are_named_at_their_places(
    shipped_catalog, shipped_gazetteer, synthetic_3000, style, at_least, whole_region, busiest_count
):
    """Harbin beside Manchuria's point, Dalian on Lüshun's spot, Yining among the Xinjiang marks:
    the busiest places in view have a name, at their own coordinates, each nearer its own mark
    than any other (the synthetic catalog reaches the USA: framed, the map shows the world).
    On the explore page's map all of them. The Present page's marks and names are larger on a
    map of the same size: at the scale of the world the Xinjiang marks are one blob, and a name
    that would sit nearer another place's mark than its own is left out rather than misread —
    so there, most of them."""
    events = [*shipped_catalog.events, *synthetic_3000]
    view = with_aspect(FRONTIER_VIEW, style.map_aspect) if whole_region else None
    figure = build_map_figure(events, shipped_catalog, shipped_gazetteer, style=style, view=view)
    geo = figure.layout.geo
    view = MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range))
    projector = Projector.for_view(view, style.map_width_hint)
    busiest = [g.place for g in locate_events(events, shipped_gazetteer).places
               if view.contains(g.place.lon, g.place.lat)][:busiest_count]
    assert len(busiest) == busiest_count
    named = {}  # place name -> (lon, lat) of the label naming it
    for text, lon, lat in label_points(figure):
        plain = text.removeprefix("<b>").removesuffix("</b>").replace("<br>", " ")
        named.update({name: (lon, lat) for name in plain.split(" · ")})
    marks = drawn_marks(figure, projector)
    unnamed = []
    for place in busiest:
        names = [n for n in (place.name, *place.alt_names) if n in named]
        if not names:
            unnamed.append(place.name)
            continue
        label_px = projector.to_px(*named[names[0]])
        spot = shared_spot(marks, label_px, SAME_SPOT_PX)
        assert math.dist(label_px, projector.to_px(place.lon, place.lat)) <= spot + 0.01
    assert len(busiest) - len(unnamed) >= at_least * len(busiest), f"not named: {unnamed}"
    _assert_names_at_places(figure, shipped_gazetteer, style.map_width_hint)
    names_clear_of_markers(figure, [style.map_width_hint])
    names_nearest_their_marks(figure, style.map_width_hint, SAME_SPOT_PX)


def test_the_page_can_draw_the_legend_the_figure_lists(shipped_catalog, shipped_gazetteer):
    """``legend=False``: no plotly legend, and ``layout.meta`` lists the entries plotly would show."""
    shown = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer)
    bare = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, legend=False)
    in_plotly = {t.name for t in shown.data if t.showlegend is not False}
    listed = [entry["name"] for entry in bare.layout.meta[META_KEY]["legend"]]
    assert set(listed) == in_plotly and len(listed) == len(in_plotly)
    assert bare.layout.showlegend is False and not traces(bare, "legend-key")
    assert len(bare.data) < len(shown.data)
    html = legend_html(bare.layout.meta[META_KEY]["legend"])
    assert html.count("<img") == len(listed) and "Border crossing" in html


def test_a_legend_strip_keeps_the_legend_off_the_map(shipped_catalog, shipped_gazetteer):
    figure = build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer, legend_strip=0.14)
    assert tuple(figure.layout.geo.domain.y) == (0.14, 1)
    assert figure.layout.legend.y < 0.14 and figure.layout.legend.yanchor == "top"
    assert (figure.layout.margin.t, figure.layout.margin.b) == (0, 0)


def _name_sides(figure: go.Figure, width: float) -> list[tuple[str, tuple[float, float], tuple[float, float], str]]:
    """(name, place px, label direction unit vector, textposition) of every place's name."""
    geo = figure.layout.geo
    projector = Projector.for_view(MapView(tuple(geo.lonaxis.range), tuple(geo.lataxis.range)), width)
    unit = {"right": 1, "left": -1, "center": 0, "top": 1, "bottom": -1, "middle": 0}
    out = []
    for name in map_names(figure, "place-labels"):
        vertical, horizontal = name.position.split()
        out.append((name.text, projector.to_px(name.lon, name.lat), (unit[horizontal], unit[vertical]), name.position))
    return out


def test_names_of_crowded_places_never_swap_sides(shipped_catalog, shipped_gazetteer, synthetic_3000):
    """Two places a few pixels apart (Beijing and Tianjin at the scale of Asia): each name lies on
    its own place's side of the pair, so a reader cannot take one place for the other — on the
    explore page's map, on every step of every shipped tour, and with 3,000 events."""
    figures = [(build_map_figure(shipped_catalog.events, shipped_catalog, shipped_gazetteer), DEFAULT_STYLE),
               (build_map_figure([*shipped_catalog.events, *synthetic_3000], shipped_catalog, shipped_gazetteer),
                DEFAULT_STYLE)]
    tours, _ = load_tours(shipped_catalog, shipped_gazetteer)
    for tour_id in tours:
        figures += [(figure, PROJECTOR_STYLE)
                    for _, figure in _tour_step_maps(shipped_catalog, shipped_gazetteer, tour_id)]
    crowded = 0
    for figure, style in figures:
        sides = _name_sides(figure, style.map_width_hint)
        for (name, (x, y), (dx, dy), position), (other, (ox, oy), _, _) in itertools.permutations(sides, 2):
            if 0 < math.dist((x, y), (ox, oy)) <= 20:
                crowded += 1
                assert dx * (x - ox) + dy * (y - oy) >= 0, (name, position, "is on the side of", other)
        names_nearest_their_marks(figure, style.map_width_hint, SAME_SPOT_PX)
    assert crowded, "no crowded pair of names to check"
