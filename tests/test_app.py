"""The Streamlit pages, run headless with AppTest (no browser)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from sent_charts import sent_spec
from streamlit.testing.v1 import AppTest

import components.data
from components.page_style import PAGE_CSS
from components.state import KEY_EXPORT_BOX, KEY_MAP_CHART
from exchanges.catalog import Catalog
from exchanges.mapping import fit_view
from exchanges.markdown import escape_markdown
from exchanges.models import Document
from exchanges.timeline import find_eras

ROOT = Path(__file__).resolve().parent.parent
EXPLORE = str(ROOT / "views" / "explore.py")
DOCUMENTS = str(ROOT / "views" / "documents.py")
APP = str(ROOT / "app.py")
TIMEOUT = 60


def run(script: str, **query: str | list[str]) -> AppTest:
    at = AppTest.from_file(script, default_timeout=TIMEOUT)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_specs(at: AppTest) -> list[dict]:
    return [sent_spec(chart) for chart in at.get("plotly_chart")]


def map_click_data(at: AppTest) -> list[list[str]]:
    """``[event id, place id]`` of every mark on the map (the chart with a geo subplot) and its selection ring."""
    (spec,) = [s for s in chart_specs(at) if "geo" in s["layout"]]
    data = []
    for trace in spec["data"]:
        if (trace.get("meta") or {}).get("layer") in ("events", "highlight"):
            data += trace["customdata"]
    return data


def map_place_ids(at: AppTest) -> list[str]:
    """Place ids on the map (one mark per place; places at one spot share it: the figure's meta lists them all)."""
    (spec,) = [s for s in chart_specs(at) if "geo" in s["layout"]]
    return spec["layout"]["meta"]["exchanges_map"]["places"]


def table_rows(at: AppTest) -> int:
    return len(at.dataframe[0].value)


def all_markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


@pytest.fixture(autouse=True)
def _no_user_files(user_data: Path) -> None:
    """Nothing the developer saved in user_data/ leaks into these tests."""


# --------------------------------------------------------------------------- explore, shipped data


def test_explore_shows_all_events(shipped_catalog, shipped_gazetteer):
    at = run(EXPLORE)
    assert table_rows(at) == len(shipped_catalog.events)
    placed = {p for e in shipped_catalog.events for p in e.places if p in shipped_gazetteer}
    assert set(map_place_ids(at)) == placed
    specs = chart_specs(at)
    assert len(specs) == 2  # map and timeline
    config = json.loads(at.get("plotly_chart")[0].proto.config)
    assert config["topojsonURL"].endswith("app/static/topojson/")


def test_camera_button_saves_a_slide_sized_png():
    at = run(EXPLORE, **{"from": "1962-01-01"})
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    names = []
    for config in configs:
        options = config["toImageButtonOptions"]
        assert (options["format"], options["width"], options["height"], options["scale"]) == ("png", 1920, 1080, 1)
        names.append(options["filename"])
        assert config["topojsonURL"].endswith("app/static/topojson/")
    assert sorted(names) == ["explore_1962-01-01_map", "explore_1962-01-01_timeline"]


def test_moving_the_date_slider_filters_table_and_map(shipped_catalog):
    at = run(EXPLORE)
    before_rows, before_points = table_rows(at), len(map_place_ids(at))
    slider = at.select_slider(key="flt_dates")
    slider.set_range(dt.date(1962, 1, 1), dt.date(1962, 8, 1)).run()
    assert not at.exception
    expected = [e for e in shipped_catalog.events if e.last_date >= dt.date(1962, 1, 1)]
    assert table_rows(at) == len(expected) < before_rows
    assert len(map_place_ids(at)) < before_points
    assert at.query_params["from"] == "1962-01-01"


def test_event_type_filter_and_url(shipped_catalog):
    at = run(EXPLORE)
    at.multiselect(key="flt_types").set_value(["statement"]).run()
    statements = [e for e in shipped_catalog.events if e.event_type.value == "statement"]
    assert table_rows(at) == len(statements) > 0
    assert at.query_params["type"] == "statement"


def test_era_button_sets_the_date_range(shipped_catalog):
    at = run(EXPLORE)
    eras = find_eras(shipped_catalog.events)
    last = eras[-1]
    at.button(key=f"flt_era_{last.start.isoformat()}").click().run()
    start, end = at.select_slider(key="flt_dates").value
    assert start == last.start.replace(day=1) and end == last.end.replace(day=1)
    assert table_rows(at) < len(shipped_catalog.events)


def test_selecting_an_event_shows_passage_and_citation(shipped_catalog):
    event = next(e for e in shipped_catalog.events if e.places and e.event_type.value == "statement")
    document = shipped_catalog.documents[event.source.document]
    at = run(EXPLORE)
    at.selectbox(key="flt_event").set_value(event.id).run()
    assert not at.exception
    quote = "> " + escape_markdown(" ".join(event.source.passage.split()))
    assert any(quote in m.value for m in at.markdown)
    text = all_markdown(at)
    assert escape_markdown(document.title) in text
    assert f"Record ID: {escape_markdown(document.record_id)}" in text
    assert escape_markdown(document.archive_source) in text
    assert at.query_params["event"] == event.id
    # ...and it is highlighted on both charts
    assert event.id in [event_id for event_id, _ in map_click_data(at)]
    for spec in chart_specs(at):
        highlights = [t for t in spec["data"] if (t.get("meta") or {}).get("layer") == "highlight"]
        ids = {d[0] if isinstance(d, list) else d for d in highlights[0]["customdata"]} if highlights else set()
        assert ids == {event.id}


def test_query_params_set_the_view(shipped_catalog):
    event = next(e for e in shipped_catalog.events if e.event_type.value == "statement")
    at = run(EXPLORE, type="statement", event=event.id, q="")
    assert at.multiselect(key="flt_types").value == ["statement"]
    assert at.selectbox(key="flt_event").value == event.id
    statements = [e for e in shipped_catalog.events if e.event_type.value == "statement"]
    assert table_rows(at) == len(statements)


def test_junk_query_params_warn_and_do_not_crash(shipped_catalog):
    at = run(EXPLORE, type=["statement", "nonsense"], actor="nobody", **{"from": "yesterday"})
    warnings = " ".join(w.value for w in at.warning)
    assert "nonsense" in warnings and "nobody" in warnings and "yesterday" in warnings
    statements = [e for e in shipped_catalog.events if e.event_type.value == "statement"]
    assert table_rows(at) == len(statements)  # the good part of the link still applies
    assert at.query_params["type"] == "statement"  # and the junk left the URL


def test_events_without_place_are_listed(shipped_catalog, shipped_gazetteer):
    at = run(EXPLORE)
    unplaced = [e for e in shipped_catalog.events if not e.places]
    labels = [e.label for e in at.expander]
    assert any(f"{len(unplaced)} events not on the map" in label for label in labels)
    listed = " ".join(m.value for m in at.markdown)
    assert unplaced[0].title not in listed  # the list is made only when the reader opens the box
    at.session_state[f"{KEY_MAP_CHART}_missing_box"] = True
    at.run()
    listed = " ".join(m.value for m in at.markdown)
    assert all(escape_markdown(e.title) in listed for e in unplaced)


def test_app_navigation_runs():
    at = run(APP)
    assert table_rows(at) > 0  # the default page is the map & timeline


def test_latest_bound_event_card_says_on_or_before(shipped_catalog):
    event = next(e for e in shipped_catalog.events if e.date_bound.value == "by" and not e.end_date)
    at = run(EXPLORE, event=event.id)
    card = all_markdown(at)
    assert escape_markdown(f"on or before {event.date.day} ") in card
    assert "Only a latest date is known" in card


# --------------------------------------------------------------------------- export panel


@pytest.fixture
def served_files(monkeypatch: pytest.MonkeyPatch):
    """Returns ``fetch(url) -> (bytes, file name)`` for what st.download_button serves in AppTest."""
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    from streamlit.testing.v1 import app_test

    storages: list[MemoryMediaFileStorage] = []

    class Recording(MemoryMediaFileStorage):
        def __init__(self, media_endpoint: str) -> None:
            super().__init__(media_endpoint)
            storages.append(self)

    monkeypatch.setattr(app_test, "MemoryMediaFileStorage", Recording)

    def fetch(url: str) -> tuple[bytes, str | None]:
        served = storages[-1].get_file(url.rsplit("/", 1)[-1])  # the last run's files
        return served.content, served.filename

    return fetch


def test_export_panel_downloads_the_filtered_events(shipped_catalog, served_files):
    event = next(e for e in shipped_catalog.events if e.event_type.value == "statement")
    at = run(EXPLORE, type="statement", event=event.id, **{"from": "1962-01-01"})
    assert any(e.label.startswith("Export") for e in at.expander)
    assert not at.get("download_button")  # built only while the panel is open
    at.session_state[KEY_EXPORT_BOX] = True  # the reader opens it
    at.run()
    (csv_button,) = [b for b in at.get("download_button") if b.label == "CSV"]
    data, name = served_files(csv_button.proto.url)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    expected = [
        e.id for e in shipped_catalog.events
        if e.event_type.value == "statement" and e.last_date >= dt.date(1962, 1, 1)
    ]
    assert [row["id"] for row in rows] == expected
    assert 0 < len(expected) == table_rows(at) < len(shipped_catalog.events)
    assert name is not None and name.startswith("explore_1962-01-01") and name.endswith(".csv")


def test_export_panel_gets_the_screens_view(shipped_catalog, monkeypatch: pytest.MonkeyPatch):
    """Filters, highlighted event and map framing all reach the export."""
    import components.export_panel

    seen = []
    monkeypatch.setattr(components.export_panel, "render_export_panel", lambda view, *a, **k: seen.append(view))
    event = next(e for e in shipped_catalog.events if e.event_type.value == "statement")
    at = run(EXPLORE, type="statement", event=event.id)
    assert not seen  # a closed panel is not built
    at.session_state[KEY_EXPORT_BOX] = True
    at.run()
    (view,) = seen
    assert [e.id for e in view.events] == [e.id for e in shipped_catalog.events if e.event_type == event.event_type]
    assert view.highlight == event.id == at.query_params["event"]
    # the map frames the filtered events: the export frames them the same way
    assert view.view == components.data.get_events_frame([e.id for e in view.events])
    assert view.lanes == "side"


def test_export_timeline_uses_the_lanes_chosen_on_screen(monkeypatch: pytest.MonkeyPatch):
    """"Lanes by event type" on the page gives lanes by event type in the exported timeline."""
    import components.export_panel
    from exchanges.export.slides import build_figure

    seen = []
    monkeypatch.setattr(components.export_panel, "render_export_panel", lambda view, *a, **k: seen.append(view))
    at = run(EXPLORE)
    at.session_state[KEY_EXPORT_BOX] = True
    at.button_group(key="timeline_lanes").set_value("type").run()
    assert not at.exception
    screen = next(s for s in chart_specs(at) if "geo" not in s["layout"])
    view = seen[-1]
    assert view.lanes == "type"
    exported = build_figure(view, "timeline", components.data.get_catalog(), components.data.get_gazetteer())
    lanes = exported.layout.meta["exchanges_timeline"]["lanes"]
    assert lanes == screen["layout"]["meta"]["exchanges_timeline"]["lanes"]
    assert "Letter" in lanes and "Soviet side" not in lanes


def test_scrolling_over_a_chart_scrolls_the_page():
    """The wheel never zooms the timeline on the way down the page; it zooms the map (issue 7),
    whose modebar resets the view."""
    at = run(EXPLORE)
    configs = [json.loads(chart.proto.config) for chart in at.get("plotly_chart")]
    assert len(configs) == 2
    assert sorted(str(config["scrollZoom"]) for config in configs) == ["False", "geo"]


# --------------------------------------------------------------------------- small world, patched in


@pytest.fixture
def patched_data(monkeypatch: pytest.MonkeyPatch, mini_catalog: Catalog, mini_gazetteer):
    """The pages see the small hand-built world instead of the shipped data."""
    holder = {"catalog": mini_catalog}
    monkeypatch.setattr(components.data, "get_catalog", lambda: holder["catalog"])
    monkeypatch.setattr(components.data, "get_gazetteer", lambda: mini_gazetteer)
    monkeypatch.setattr(
        components.data,
        "get_map_view",
        lambda: fit_view([(p.lon, p.lat) for p in mini_gazetteer if p.kind == "city"], aspect=2.0),
    )
    monkeypatch.setattr(components.data, "get_eras", lambda: find_eras(holder["catalog"].events))
    return holder


def test_unknown_places_are_reported_on_the_page(patched_data):
    at = run(EXPLORE)
    warnings = " ".join(w.value for w in at.warning)
    assert "atlantis" in warnings
    assert table_rows(at) == len(patched_data["catalog"].events)
    assert "atlantis" not in map_place_ids(at)


def test_text_search_filters(patched_data):
    at = run(EXPLORE)
    at.text_input(key="flt_query").set_value("urumqi").run()
    assert table_rows(at) == 1
    assert map_click_data(at) == [["urumqi-talks", "urumqi"]]


def test_documents_page_highlights_and_links(patched_data):
    at = run(DOCUMENTS)
    text = all_markdown(at)
    assert ":blue-background[Harbin]" in text
    assert "(./?event=ministry-letter)" in text
    assert ":orange-background[3 March 1950]" in text


def test_documents_page_never_renders_document_html(patched_data, mini_catalog):
    payload = "<script>alert('x')</script> **bold** :red[red] in Harbin $x$"
    document = mini_catalog.documents["doc-a"]
    patched_data["catalog"] = Catalog(
        documents={"doc-a": document, "doc-x": Document(id="doc-x", title="<b>Evil</b>", date=dt.date(1949, 1, 1),
                                                        file="x.txt")},
        actors=mini_catalog.actors,
        events=mini_catalog.events,
        texts={**mini_catalog.texts, "doc-x": payload},
    )
    at = AppTest.from_file(DOCUMENTS, default_timeout=TIMEOUT)
    at.run()
    at.selectbox(key="doc").set_value("doc-x").run()
    assert not at.exception
    text = all_markdown(at)
    assert "<script" not in text and "&lt;script&gt;" in text
    assert "\\*\\*bold\\*\\*" in text and "\\:red\\[red\\]" in text and "\\$x\\$" in text
    assert ":blue-background[Harbin]" in text  # our own markup still works
    assert not any(getattr(m.proto, "allow_html", False) for m in at.markdown)
    # the only raw HTML is the page's own constant CSS
    assert [h.proto.body.strip() for h in at.get("html")] == [PAGE_CSS.strip()]


def test_detail_card_escapes_user_text(patched_data, mini_catalog):
    evil = mini_catalog.event("urumqi-talks").model_copy(
        update={"title": "<img src=x onerror=alert(1)>", "summary": "[click](javascript:alert(1))"}
    )
    patched_data["catalog"] = Catalog(
        documents=mini_catalog.documents,
        actors=mini_catalog.actors,
        events=tuple(e if e.id != evil.id else evil for e in mini_catalog.events),
        texts=mini_catalog.texts,
    )
    at = run(EXPLORE, event=evil.id)
    text = all_markdown(at)
    assert "<img" not in text and "&lt;img" in text
    assert "[click](javascript" not in text


def test_problems_in_user_files_are_shown_not_fatal(user_data: Path, shipped_catalog):
    events = user_data / "events"
    events.mkdir()
    (events / "mine.yaml").write_text(
        "- id: my-event\n  title: Mine\n  date: 1952-02-30\n  date_precision: day\n"
        "  event_type: letter\n  summary: s\n"
        "  source: {document: gromyko-to-stalin-1952-01-07, passage: Top Secret}\n",
        encoding="utf-8",
    )
    at = run(EXPLORE)
    assert any("problems in your own files" in e.label for e in at.expander)
    assert "events\\/mine, row 1, field date" in all_markdown(at)  # escaped for Markdown; imported into the store
    assert table_rows(at) == len(shipped_catalog.events)


# --------------------------------------------------------------------------- pure helpers


def test_event_ids_from_a_plotly_selection():
    from components.selection import event_ids_from_selection

    state = {"selection": {"points": [{"customdata": "a"}, {"customdata": ["b"]}, {"x": 1}, {"customdata": "a"}]}}
    assert event_ids_from_selection(state) == ["a", "b"]
    assert event_ids_from_selection(None) == []
    assert event_ids_from_selection({"selection": {}}) == []


def test_escape_markdown_neutralises_markup():
    text = "<script>x</script> *b* _i_ `c` [l](u) $m$ :red[r] # h \\ |t| ~s~"
    escaped = escape_markdown(text)
    assert "<" not in escaped and ">" not in escaped
    for token in ["\\*b\\*", "\\_i\\_", "\\`c\\`", "\\[l\\]\\(u\\)", "\\$m\\$", "\\:red\\[r\\]", "\\# h", "\\\\"]:
        assert token in escaped, token
    assert escape_markdown("a\n    b") == "a  \nb"  # no accidental code block


def test_explore_copes_with_no_events(patched_data, mini_catalog):
    patched_data["catalog"] = Catalog(documents=mini_catalog.documents, actors=mini_catalog.actors, events=())
    at = run(EXPLORE)
    assert table_rows(at) == 0
    assert map_place_ids(at) == []


def test_the_event_chooser_lists_every_event_only_when_they_are_few(shipped_catalog, monkeypatch):
    """The chooser lists every event, whatever the filters (it is outside the charts fragment,
    so a date change does not redraw it). Past ``CHOOSER_LIMIT`` events it holds only the
    selected one and says how to find the others (a list of thousands was 274 KB sent on every
    rerun)."""
    import components.selection

    at = run(EXPLORE, type="statement")
    statements = [e for e in shipped_catalog.events if e.event_type.value == "statement"]
    assert len(statements) < len(shipped_catalog.events)
    assert table_rows(at) == len(statements)  # the filter applies to the charts and the table
    chooser = at.selectbox(key="flt_event")
    assert len(chooser.options) == len(shipped_catalog.events) + 1  # and "choose"
    # With nothing selected it reads as its "no event" option, not Streamlit's "Choose an option".
    assert chooser.value is None and chooser.proto.placeholder == chooser.options[0] == "— choose an event —"
    assert not any("too many to list" in c.value for c in at.caption)
    monkeypatch.setattr(components.selection, "CHOOSER_LIMIT", 5)
    event = shipped_catalog.events[0]
    at = run(EXPLORE, event=event.id)
    options = at.selectbox(key="flt_event").options
    assert len(options) == 2 and any(event.title[:30] in option for option in options)
    assert any("too many to list here (at most 5)" in c.value for c in at.caption)


def test_the_summary_says_when_the_selected_event_is_outside_the_filters(shipped_catalog):
    other = next(e for e in shipped_catalog.events if e.event_type.value != "statement")
    at = run(EXPLORE, type="statement", event=other.id)
    assert "The selected event is outside the filters" in all_markdown(at)
    assert other.title[:30] in all_markdown(at)  # its card is still open
    at = run(EXPLORE, event=other.id)
    assert "outside the filters" not in all_markdown(at)
