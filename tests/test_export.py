"""Image export (Kaleido + system Chromium) and data export (CSV, JSON)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import struct

import pytest
from classroom_data import EVENTS, _event, catalog, gazetteer  # noqa: F401 - fixtures

from exchanges.export.data import events_from_json, events_to_csv, events_to_json, neutralise_formula
from exchanges.export.engine import ExportEngine, ExportUnavailable, export_status, find_browser
from exchanges.export.layout import decorate_for_export, source_line
from exchanges.export.options import ImageOptions, options_for_width
from exchanges.export.slides import build_figure, export_view, slide_figure
from exchanges.export.view import ExportView
from exchanges.filters import FilterState

needs_chromium = pytest.mark.skipif(not export_status()[0], reason="no Chromium to render with")


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height from the PNG signature and IHDR chunk."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def view_of(catalog, gazetteer, **filters) -> ExportView:
    return ExportView.from_filters(FilterState(**filters), catalog, gazetteer)


# --------------------------------------------------------------------------- images


@needs_chromium
def test_png_of_a_filtered_view_is_slide_sized(engine, catalog, gazetteer) -> None:
    view = view_of(catalog, gazetteer, date_from=dt.date(1962, 1, 1))
    images = export_view(view, catalog, gazetteer, charts=("map", "timeline"), engine=engine)
    assert set(images) == {"map", "timeline"}
    for data in images.values():
        assert png_size(data) == (1920, 1080)


@needs_chromium
def test_png_width_and_scale_options(engine, catalog, gazetteer) -> None:
    view = view_of(catalog, gazetteer)
    options = options_for_width("png", 1280, scale=2)
    [data] = export_view(view, catalog, gazetteer, charts=("timeline",), options=options, engine=engine).values()
    assert png_size(data) == (2560, 1440)


@needs_chromium
def test_svg_carries_title_and_source_line(engine, catalog, gazetteer) -> None:
    view = view_of(catalog, gazetteer, date_from=dt.date(1962, 1, 1), date_to=dt.date(1962, 12, 31))
    [svg] = export_view(
        view, catalog, gazetteer, charts=("map",), options=ImageOptions(format="svg"), engine=engine
    ).values()
    text = svg.decode("utf-8")
    assert text.lstrip().startswith("<svg")
    assert "Events, 1 January 1962 – 31 December 1962" in text
    assert "Source:" in text
    assert "Record ID 118207" in text and "Wilson Center Digital Archive" in text


@needs_chromium
def test_different_filters_give_different_images(engine, catalog, gazetteer) -> None:
    early = view_of(catalog, gazetteer, date_to=dt.date(1952, 12, 31))
    late = view_of(catalog, gazetteer, date_from=dt.date(1962, 1, 1))
    svg = ImageOptions(format="svg")
    early_svg = export_view(early, catalog, gazetteer, charts=("map",), options=svg, engine=engine)["map"]
    late_svg = export_view(late, catalog, gazetteer, charts=("map",), options=svg, engine=engine)["map"]
    # Place names are written only where events are: Tianjin is a 1952 place.
    assert b"Tianjin" in early_svg and b"Tianjin" not in late_svg
    early_png = export_view(early, catalog, gazetteer, charts=("map",), engine=engine)["map"]
    late_png = export_view(late, catalog, gazetteer, charts=("map",), engine=engine)["map"]
    assert early_png != late_png


@needs_chromium
def test_pdf_export(engine, catalog, gazetteer) -> None:
    [pdf] = export_view(
        view_of(catalog, gazetteer), catalog, gazetteer, charts=("timeline",),
        options=ImageOptions(format="pdf"), engine=engine,
    ).values()
    assert pdf.startswith(b"%PDF")


@needs_chromium
def test_engine_is_reused_and_restarts_after_close(catalog, gazetteer) -> None:
    view = view_of(catalog, gazetteer)
    small = options_for_width("png", 640)
    engine = ExportEngine()
    try:
        export_view(view, catalog, gazetteer, charts=("map", "timeline"), options=small, engine=engine)
        assert engine.running and engine.renders == 2
        engine.close()
        assert not engine.running
        export_view(view, catalog, gazetteer, charts=("timeline",), options=small, engine=engine)
        assert engine.running and engine.renders == 3
    finally:
        engine.close()


Box = tuple[float, float, float, float]  # left, top, right, bottom


def _translate(element) -> tuple[float, float]:
    import re

    found = re.search(r"translate\(([-\d.]+),\s*([-\d.]+)\)", element.get("transform", ""))
    return (float(found[1]), float(found[2])) if found else (0.0, 0.0)


def _rect_box(rect, dx: float = 0.0, dy: float = 0.0) -> Box:
    x, y = float(rect.get("x", 0)) + dx, float(rect.get("y", 0)) + dy
    return (x, y, x + float(rect.get("width")), y + float(rect.get("height")))


def _text_point_boxes(root) -> list[Box]:
    """The box of every text point's text (a timeline's names, era titles, axis breaks and lane
    names; a map's names), from where plotly put it and the font's own metrics."""
    from exchanges.text_metrics import text_width

    svg = "{http://www.w3.org/2000/svg}"
    parents = {child: parent for parent in root.iter() for child in parent}
    boxes = []
    for point in root.iter(f"{svg}g"):
        if point.get("class") != "textpoint":
            continue
        text = point.find(f"{svg}text")
        dx, dy, node = 0.0, 0.0, point
        while node is not None:  # the translations of the point and every group it is in
            x, y = _translate(node)
            dx, dy, node = dx + x, dy + y, parents.get(node)
        size = float(text.get("style").split("font-size: ")[1].split("px")[0])
        lines = [t.text or "" for t in text.iter(f"{svg}tspan") if t.text] or ["".join(text.itertext())]
        wide = max(text_width(line, size, bold=True) for line in lines)  # bold: the wider guess
        x, y = float(text.get("x")) + dx, float(text.get("y")) + dy
        left = {"start": x, "middle": x - wide / 2, "end": x - wide}[text.get("text-anchor", "start")]
        # capitals above the baseline, descenders below (as tests/charts_drawn.py)
        boxes.append((left, y - 0.72 * size, left + wide, y + (len(lines) - 1) * 1.3 * size + 0.2 * size))
    return boxes


def slide_boxes(svg: bytes) -> dict[str, list[Box]]:
    """Where plotly put the title block, the annotations, the legend, a map's plot area and the
    text points' texts.

    Annotation and legend boxes are the background rectangles plotly sized
    from the text it measured in Chromium.
    """
    import xml.etree.ElementTree as ET

    root = ET.fromstring(svg)
    groups = list(root.iter("{http://www.w3.org/2000/svg}g"))
    rects = "{http://www.w3.org/2000/svg}rect"
    boxes: dict[str, list[Box]] = {"title": [], "annotations": [], "legend": [], "map": [],
                                   "texts": _text_point_boxes(root)}
    for group in groups:
        kind = group.get("class", "")
        if kind == "g-gtitle":
            texts = list(group)
            lines = [(float(t.get("y")), float(t.get("style").split("font-size: ")[1].split("px")[0])) for t in texts]
            boxes["title"].append((0.0, 0.0, 1920.0, max(y + 1.3 * size for y, size in lines)))  # with its margin
            boxes["title ink"] = [(0.0, 0.0, 1920.0, max(y + 0.3 * size for y, size in lines))]  # to the descenders
        elif kind == "annotation":
            pointer = next(g for g in group.iter("{http://www.w3.org/2000/svg}g") if g.get("class") == "cursor-pointer")
            boxes["annotations"].append(_rect_box(pointer.find(rects), *_translate(pointer)))
        elif kind == "legend":
            boxes["legend"].append(_rect_box(group.find(rects), *_translate(group)))
        elif kind == "layer bg" and group.find(rects) is not None:
            boxes["map"].append(_rect_box(group.find(rects)))
    return boxes


def _overlap(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _clashes(boxes: dict[str, list[Box]]) -> list[tuple[Box, Box]]:
    """Pairs of title, annotation, legend and map boxes that overlap (a map's banner is on it by design),
    and text points under the title's text, an annotation or the legend."""
    texts = boxes["title"] + boxes["annotations"] + boxes["legend"]
    pairs = [(a, b) for i, a in enumerate(texts) for b in texts[i + 1:] if _overlap(a, b)]
    inked = boxes.get("title ink", []) + boxes["annotations"] + boxes["legend"]
    pairs += [(box, point) for point in boxes["texts"] for box in inked if _overlap(box, point)]
    for area in boxes["map"]:
        banner = [a for a in boxes["annotations"] if area[0] < a[0] and a[2] < area[2] and area[1] < a[1]
                  and a[3] < area[1] + 120]
        pairs += [(area, box) for box in texts if _overlap(area, box) and box not in banner]
    return pairs


@needs_chromium
@pytest.mark.parametrize(
    "which",
    ["filtered map", "filtered timeline", "tour step map", "tour step timeline"],
)
def test_nothing_overlaps_on_a_slide(engine, catalog, gazetteer, which) -> None:
    """Title, subtitle, era labels, legend, notes and source line each keep to their own space."""
    if which.startswith("filtered"):
        view = view_of(catalog, gazetteer, event_types=frozenset({"statement", "letter", "border_crossing"}))
    else:
        events = catalog.events
        view = ExportView.of(events, highlight="no-place", muted={"letter", "exodus"},
                             title="4/5 · A statement with no place", subtitle="Tour: a long tour title")
    chart = "map" if which.endswith("map") else "timeline"
    [svg] = export_view(view, catalog, gazetteer, charts=(chart,), options=ImageOptions(format="svg"),
                        engine=engine).values()
    boxes = slide_boxes(svg)
    assert boxes["title"] and len(boxes["annotations"]) >= 1 and boxes["legend"]
    if chart == "timeline":
        assert len(boxes["texts"]) >= 4  # era titles, the "//", lane names and event names: text points
        assert len(boxes["annotations"]) >= 1  # the source band
    else:
        assert boxes["map"]
    assert _clashes(boxes) == []
    assert all(box[0] >= 0 and box[2] <= 1920 and box[3] <= 1080 for group in boxes.values() for box in group)


def test_export_shows_the_screen_highlight_and_muting(catalog, gazetteer) -> None:
    view = ExportView.of(catalog.events, highlight="exodus", muted={"letter"}, title="On screen")
    figure = decorate_for_export(build_figure(view, "map", catalog, gazetteer), ImageOptions())
    highlighted = [t for t in figure.data if (t.meta or {}).get("layer") == "highlight"]
    assert highlighted and highlighted[0].meta["event"] == "exodus"
    assert "On screen" in figure.layout.title.text


def test_title_and_source_are_shown_literally(catalog, gazetteer) -> None:
    view = ExportView.of(catalog.events)
    figure = decorate_for_export(
        build_figure(view, "timeline", catalog, gazetteer),
        ImageOptions(),
        title="<b>bold?</b>",
        source="Source: <script>",
    )
    assert figure.layout.title.text == "&lt;b&gt;bold?&lt;/b&gt;"
    notes = [a.text for a in figure.layout.annotations if a.name == "export-source"]
    assert notes == ["Source: &lt;script&gt;"]
    assert figure.layout.width == 1920 and figure.layout.height == 1080


# --------------------------------------------------------------------------- no browser


def test_missing_chromium_says_what_to_install(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-such-chromium"))
    with pytest.raises(ExportUnavailable) as raised:
        find_browser()
    message = str(raised.value)
    assert "apt-get install chromium" in message and "BROWSER_PATH" in message
    ok, status = export_status()
    assert not ok and "apt-get install chromium" in status
    with pytest.raises(ExportUnavailable):
        ExportEngine()


def test_non_executable_browser_is_refused(tmp_path) -> None:
    fake = tmp_path / "chromium"
    fake.write_text("not a browser")
    with pytest.raises(ExportUnavailable, match="apt-get install chromium"):
        ExportEngine(browser=fake)


@pytest.mark.parametrize(
    ("options", "field"),
    [({"format": "gif"}, "format"), ({"width": 100}, "width"), ({"height": 99999}, "height"),
     ({"scale": 9}, "scale")],
)
def test_image_options_are_validated(options, field) -> None:
    with pytest.raises(ValueError, match=field):
        ImageOptions(**options)


def _mercator_aspect(lon_range, lat_range) -> float:
    import math

    def y(lat: float) -> float:
        return math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))

    return math.radians(lon_range[1] - lon_range[0]) / (y(lat_range[1]) - y(lat_range[0]))


@pytest.mark.parametrize("events", [("exodus",), ("letter", "statement")], ids=["tall", "wide"])
def test_the_map_is_widened_to_fill_its_area(catalog, gazetteer, events) -> None:
    """A slide's map has fixed margins, and its view has the shape of the area they leave."""
    view = ExportView.of([catalog.event(e) for e in events], title="A map")
    on_screen = build_figure(view, "map", catalog, gazetteer)
    figure = decorate_for_export(on_screen, ImageOptions(), source="Source: somewhere")
    layout, geo = figure.layout, figure.layout.geo
    assert layout.margin.autoexpand is False
    area = (1920 - layout.margin.l - layout.margin.r) / (1080 - layout.margin.t - layout.margin.b)
    assert _mercator_aspect(geo.lonaxis.range, geo.lataxis.range) == pytest.approx(area, rel=2e-3)
    # Widened, never narrowed: everything the screen framed is still in view.
    assert geo.lonaxis.range[0] <= on_screen.layout.geo.lonaxis.range[0]
    assert geo.lataxis.range[0] <= on_screen.layout.geo.lataxis.range[0]
    assert geo.lonaxis.range[1] >= on_screen.layout.geo.lonaxis.range[1]


def test_a_long_title_wraps_onto_two_lines(catalog, gazetteer) -> None:
    words = "The Soviet Government asks China to send representatives to persuade the border crossers"
    view = ExportView.of(catalog.events, title=f"{words} to return home before the end of summer")
    title = slide_figure(view, "timeline", catalog, gazetteer).layout.title.text
    assert title.count("<br>") == 1 and "…" not in title
    assert title.replace("<br>", " ") == view.title
    endless = ExportView.of(catalog.events, title=" ".join([words] * 6))
    lines = slide_figure(endless, "timeline", catalog, gazetteer).layout.title.text.split("<br>")
    assert len(lines) == 2 and lines[1].endswith("…")


def test_map_notes_go_under_the_map_not_on_it(catalog, gazetteer) -> None:
    """Marker sizes and events without a place are said in the band with the source line."""
    view = ExportView.of(catalog.events, highlight="letter", title="All")
    figure = slide_figure(view, "map", catalog, gazetteer)
    names = [a.name for a in figure.layout.annotations]
    assert "missing-places-note" not in names and "size-note" not in names
    [band] = [a.text for a in figure.layout.annotations if a.name == "export-source"]
    assert "Marker size" in band and "A statement with no place" in band
    assert band.index("Not on the map") < band.index("Sources:")
    assert "export-banner" not in names  # the highlighted event is on the map


def test_a_highlighted_event_without_a_place_gets_a_banner(catalog, gazetteer) -> None:
    view = ExportView.of(catalog.events, highlight="no-place", title="Step")
    figure = slide_figure(view, "map", catalog, gazetteer)
    [banner] = [a.text for a in figure.layout.annotations if a.name == "export-banner"]
    assert "names no place" in banner
    [band] = [a.text for a in figure.layout.annotations if a.name == "export-source"]
    assert "A statement with no place" not in band  # said once, in the banner
    timeline = slide_figure(view, "timeline", catalog, gazetteer)
    assert "export-banner" not in [a.name for a in timeline.layout.annotations]


@pytest.mark.parametrize("width", [1920, 1280])
def test_names_on_a_slide_stay_clear_of_the_markers(shipped_catalog, shipped_gazetteer, width) -> None:
    """Every step of the Xinjiang tour as a slide: its names and markers laid out for the
    exact width the slide gives its map, so "Sino-Soviet border in Xinjiang" and "Xinjiang"
    keep off the enlarged ✕ of the step's event."""
    from charts_drawn import drawn_labels, names_clear_of_markers, traces

    from exchanges.export.layout import chart_width, map_frame
    from exchanges.mapping import Projector
    from exchanges.tours import load_tours, step_state

    tours, _ = load_tours(shipped_catalog, shipped_gazetteer)
    tour = tours["xinjiang-1962"]
    options = options_for_width("png", width)
    named = set()
    for number in range(1, len(tour.steps) + 1):
        state = step_state(tour, number, shipped_catalog, shipped_gazetteer)
        view = ExportView.of(state.shown, highlight=state.event.id, muted=state.muted, view=state.view,
                             title=state.title, subtitle=tour.title)
        slide = slide_figure(view, "map", shipped_catalog, shipped_gazetteer, options)
        frame = chart_width(slide)
        names_clear_of_markers(slide, [frame])
        assert traces(slide, "highlight") or state.event.places == []
        named |= {name for name, _ in drawn_labels(slide, Projector.for_view(map_frame(slide), frame))}
    assert {"Xinjiang", "Sino-Soviet border in Xinjiang"} <= named


def test_a_slides_chart_is_laid_out_for_the_room_it_gets(catalog, gazetteer) -> None:
    """The map is framed as the slide frames it and spread for its exact width; the timeline's dates for its."""
    from exchanges.export.layout import chart_width
    from exchanges.export.slides import fitted_to_slide

    view = ExportView.of(catalog.events, title="All")
    for width in (1280, 1920, 3840):
        options = options_for_width("png", width)
        first = decorate_for_export(build_figure(view, "map", catalog, gazetteer), options)
        fitted = fitted_to_slide(view, "map", first)
        frame = chart_width(first)
        assert fitted.style.map_width_range == (round(frame), round(frame))
        assert 0.6 * width < frame < width
        slide = slide_figure(view, "map", catalog, gazetteer, options)
        assert list(slide.layout.geo.lonaxis.range) == pytest.approx(list(fitted.view.lon_range), abs=0.01)
        timeline = decorate_for_export(build_figure(view, "timeline", catalog, gazetteer), options)
        hint = fitted_to_slide(view, "timeline", timeline).style.timeline_width_hint
        assert 0.5 * width < hint < width  # the slide less its margins and the legend beside the plot


def test_the_exported_timeline_has_the_screens_lanes(catalog, gazetteer) -> None:
    by_type = ExportView.of(catalog.events, lanes="type")
    lanes = build_figure(by_type, "timeline", catalog, gazetteer).layout.meta["exchanges_timeline"]["lanes"]
    assert "Letter" in lanes and "Statement" in lanes and "Soviet side" not in lanes
    by_side = build_figure(ExportView.of(catalog.events), "timeline", catalog, gazetteer)
    assert "Soviet side" in by_side.layout.meta["exchanges_timeline"]["lanes"]
    assert by_type.cache_key() != ExportView.of(catalog.events).cache_key()
    state = FilterState(date_from=dt.date(1962, 1, 1))
    assert ExportView.from_filters(state, catalog, gazetteer, lanes="type").lanes == "type"


def test_source_line_cites_the_documents_shown(catalog) -> None:
    letter_only = source_line([catalog.event("letter")], catalog)
    assert letter_only == "Source: Gromyko to Stalin, 7 Jan 1952"
    both = source_line(catalog.events, catalog, highlight="statement")
    assert both.startswith("Sources: Soviet Government to Government of the PRC, 10 Aug 1962")
    assert "PRC FMA 118-01767-01, 7-11; Record ID 118207 — Wilson Center Digital Archive" in both
    assert both.index("Soviet Government") < both.index("Gromyko")
    assert source_line([], catalog) == ""


# --------------------------------------------------------------------------- data


def _rows(data: bytes) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_has_one_row_per_event_with_citations(catalog, gazetteer) -> None:
    rows = _rows(events_to_csv(catalog.events, catalog, gazetteer))
    assert [r["id"] for r in rows] == [e.id for e in catalog.events]
    statement = next(r for r in rows if r["id"] == "statement")
    assert statement["document_title"] == "Statement of the Soviet Government on the border"
    assert statement["archive_source"] == "PRC FMA 118-01767-01, 7-11"
    assert statement["record_id"] == "118207"
    assert statement["passage"] == "Passage of statement."
    assert statement["senders"] == "Soviet Government"
    letter = next(r for r in rows if r["id"] == "letter")
    assert letter["places"] == "Beijing; Shanghai"
    assert "approximately 2,500" in letter["figures"]


@pytest.mark.parametrize("text", ["=HYPERLINK(\"http://example.com\",\"x\")", "+SUM(A1:A9)", "-2+3",
                                  "@cmd", "\tindented", "\rreturn"])
def test_csv_formula_injection_is_neutralised(catalog, text) -> None:
    from exchanges.models import Citation

    visible = text.strip()  # text fields of the model drop leading white space
    event = _event(
        "evil", dt.date(1962, 1, 1), "letter-1952", title=visible, summary=visible,
        date_label=text,  # kept as given
        source=Citation(document="letter-1952", passage=visible),
    )
    [row] = _rows(events_to_csv([event], catalog))
    for column, value in (("title", visible), ("summary", visible), ("passage", visible),
                          ("date_label", text)):
        if value.startswith(("=", "+", "-", "@", "\t", "\r")):
            assert row[column] == "'" + value, column
    assert row["date_label"].startswith("'")
    assert row["date"] == "1962-01-01"  # harmless cells are left alone
    assert row["document_title"] == "Letter from A to B about repatriation"


def test_neutralise_formula_leaves_other_values() -> None:
    assert neutralise_formula("plain") == "plain"
    assert neutralise_formula("a=b") == "a=b"
    assert neutralise_formula(None) is None
    assert neutralise_formula(-3) == -3


#: Event fields and the CSV columns that carry them (names for ids, the citation for the source).
CSV_COLUMNS_OF_FIELDS = {"sender": "senders", "recipient": "recipients", "source": "document_id"}


def test_csv_carries_every_field_of_an_event(catalog, gazetteer) -> None:
    from exchanges.models import Event

    [row] = _rows(events_to_csv([catalog.event("letter")], catalog, gazetteer))
    for name in Event.model_fields:
        assert CSV_COLUMNS_OF_FIELDS.get(name, name) in row, name


def test_csv_says_on_or_before(catalog, gazetteer) -> None:
    """A date the source gives only as a latest date keeps its "on or before" in a spreadsheet."""
    bound = _event("bound", dt.date(1952, 1, 7), "letter-1952", date_bound="by", date_label="by early January")
    span = _event("span", dt.date(1962, 4, 16), "statement-1962", date_precision="half_month",
                  end_date=dt.date(1962, 8, 10))
    rows = {r["id"]: r for r in _rows(events_to_csv([bound, span, catalog.event("letter")], catalog, gazetteer))}
    assert rows["bound"]["date_bound"] == "by" and rows["bound"]["date"] == "1952-01-07"
    assert rows["bound"]["date_text"] == "by 7 Jan 1952"
    assert rows["bound"]["date_label"] == "by early January"
    assert rows["letter"]["date_bound"] == "on" and rows["letter"]["date_text"] == "7 Jan 1952"
    assert rows["letter"]["is_document"] == "yes" and rows["bound"]["is_document"] == "no"
    assert rows["span"]["end_date"] == "1962-08-10" and rows["span"]["date_precision"] == "half_month"


def test_json_round_trips_every_kind_of_event(shipped_catalog) -> None:
    """Every shipped event (latest bounds, spans, figures, labels) reads back identical."""
    kinds = {(e.date_bound, e.end_date is not None, bool(e.figures), e.date_label is not None)
             for e in shipped_catalog.events}
    assert len(kinds) > 3 and any(bound.value == "by" for bound, *_ in kinds)
    again = events_from_json(events_to_json(shipped_catalog.events, shipped_catalog))
    assert again == list(shipped_catalog.events)
    assert [e.model_dump() for e in again] == [e.model_dump() for e in shipped_catalog.events]


def test_json_round_trip_keeps_every_field(catalog) -> None:
    data = events_to_json(catalog.events, catalog, description="All of them")
    assert events_from_json(data) == list(catalog.events)
    import json

    payload = json.loads(data)
    assert payload["count"] == len(EVENTS)
    citation = next(r["citation"] for r in payload["events"] if r["event"]["id"] == "statement")
    assert citation["record_id"] == "118207" and citation["passage"] == "Passage of statement."


def test_json_import_rejects_foreign_files() -> None:
    with pytest.raises(ValueError, match="not an exchanges events export"):
        events_from_json(b'{"events": []}')
    with pytest.raises(ValueError, match=r"events\[1\]"):
        events_from_json(b'{"format": "exchanges-events", "events": [{"event": {"id": "x"}}]}')
