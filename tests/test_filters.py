"""FilterState: applying filters, and the round trip through URL query parameters."""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.filters import FilterState
from exchanges.mentions import find_date_mentions, find_mentions, find_place_mentions
from exchanges.models import EventType


def ids(events) -> set[str]:
    return {e.id for e in events}


def read_url(params, catalog) -> tuple[FilterState, list[str]]:
    """A URL read against the small world (only Harbin and "diplomacy" known as place and theme)."""
    return FilterState.from_query_params(
        params,
        known_actors=set(catalog.actors),
        known_places={"harbin"},
        known_themes={"diplomacy"},
        known_events={e.id for e in catalog.events},
    )


def test_default_state_keeps_everything(mini_catalog):
    state = FilterState()
    assert state.is_default
    assert state.apply(mini_catalog.events) == list(mini_catalog.events)
    assert state.to_query_params() == {}


def test_date_range_keeps_events_overlapping_it(mini_catalog):
    state = FilterState(date_from=dt.date(1960, 7, 1), date_to=dt.date(1960, 7, 31))
    # the crossings span June-August 1960; the lost-place event is 1 July
    assert ids(state.apply(mini_catalog.events)) == {"crossings", "lost-place"}
    assert ids(FilterState(date_to=dt.date(1950, 12, 31)).apply(mini_catalog.events)) == {
        "ministry-letter",
        "embassy-answer",
    }


def test_actor_place_type_and_theme_filters(mini_catalog):
    events = mini_catalog.events
    assert ids(FilterState(actors={"local-officials"}).apply(events)) == {"urumqi-talks"}
    assert ids(FilterState(actors={"residents"}).apply(events)) == {"crossings"}  # people count too
    assert ids(FilterState(places={"harbin", "urumqi"}).apply(events)) == {"ministry-letter", "urumqi-talks"}
    assert ids(FilterState(event_types={EventType.reply}).apply(events)) == {"embassy-answer"}
    assert ids(FilterState(event_types={"talk"}).apply(events)) == {"urumqi-talks"}
    assert ids(FilterState(themes={"diplomacy"}).apply(events)) == {"embassy-answer", "urumqi-talks"}
    combined = FilterState(themes={"diplomacy"}, date_from=dt.date(1955, 1, 1))
    assert ids(combined.apply(events)) == {"urumqi-talks"}


def test_text_search_is_case_insensitive_over_title_summary_and_passage(mini_catalog):
    events = mini_catalog.events
    assert ids(FilterState(query="URUMQI").apply(events)) == {"urumqi-talks"}  # title and passage
    assert ids(FilterState(query="gazetteer lacks").apply(events)) == {"lost-place"}  # summary
    assert ids(FilterState(query="5,000 people").apply(events)) == {"crossings"}  # passage only
    assert ids(FilterState(query="wrote embassy").apply(events)) == {"ministry-letter"}  # all words
    assert FilterState(query="no such words").apply(events) == []


def test_query_params_round_trip(mini_catalog):
    state = FilterState(
        date_from=dt.date(1950, 1, 1),
        date_to=dt.date(1960, 12, 31),
        actors={"embassy", "ministry"},
        places={"harbin"},
        event_types={EventType.letter, EventType.border_crossing},
        themes={"diplomacy"},
        query="Harbin   families",
        selected="ministry-letter",
    )
    params = state.to_query_params()
    assert params["actor"] == ["embassy", "ministry"]  # sorted, repeated key
    assert params["q"] == ["Harbin families"]
    back, warnings = read_url(params, mini_catalog)
    assert warnings == []
    assert back == state


def test_query_params_accept_single_strings():
    state, warnings = FilterState.from_query_params({"type": "letter", "from": "1952-01-01", "event": "x"})
    assert warnings == []
    assert state.event_types == {EventType.letter}
    assert state.date_from == dt.date(1952, 1, 1)
    assert state.selected == "x"


@pytest.mark.parametrize(
    ("params", "expected_warning"),
    [
        ({"from": "not-a-date"}, "start date"),
        ({"to": "1952-13-45"}, "end date"),
        ({"type": ["letter", "telegram"]}, "event type 'telegram'"),
        ({"actor": ["ghost"]}, "actor 'ghost'"),
        ({"place": ["<script>"]}, "place '<script>'"),
        ({"theme": ["nope"]}, "theme 'nope'"),
        ({"event": "no-such-event"}, "event 'no-such-event'"),
        ({"q": "x" * 500}, "cut"),
        ({"from": "1962-01-01", "to": "1950-01-01"}, "swapped"),
    ],
)
def test_junk_in_the_url_is_ignored_with_a_warning(mini_catalog, params, expected_warning):
    state, warnings = read_url(params, mini_catalog)
    assert any(expected_warning in w for w in warnings), warnings
    assert isinstance(state, FilterState)
    state.apply(mini_catalog.events)  # and the state still works


def test_junk_values_keep_the_good_ones_and_other_keys_are_left_alone(mini_catalog):
    state, warnings = FilterState.from_query_params(
        {"type": ["letter", "bogus"], "actor": ["embassy", "ghost"], "tour": "x", "step": "3"},
        known_actors=set(mini_catalog.actors),
    )
    assert state.event_types == {EventType.letter}
    assert state.actors == {"embassy"}
    assert len(warnings) == 2  # unknown keys (another page's) are not warned about


def test_swapped_dates_are_put_in_order():
    state, _ = FilterState.from_query_params({"from": "1962-01-01", "to": "1950-01-01"})
    assert state.date_from == dt.date(1950, 1, 1) and state.date_to == dt.date(1962, 1, 1)


def test_weird_mapping_values_never_crash():
    state, warnings = FilterState.from_query_params({"actor": 5, "type": None, "q": ["a", "b"]})
    assert state.query == "b" and state.event_types == frozenset()
    assert warnings == []


# --------------------------------------------------------------------------- mentions (documents page)


def test_place_mentions_use_gazetteer_names_on_word_boundaries(mini_gazetteer):
    text = "Letters from Tihwa (Ürümqi) and Harbin; Harbinger is not a place. The Frontier held."
    mentions = find_place_mentions(text, mini_gazetteer.name_index())
    assert [(m.text, m.place_id) for m in mentions] == [
        ("Tihwa", "urumqi"),
        ("Ürümqi", "urumqi"),
        ("Harbin", "harbin"),
        ("Frontier", "frontier"),
    ]


def test_date_mentions():
    text = "On January 7, 1952 and 26 June, in the second half of April, in spring and summer of 1952, in 1947."
    found = {m.text: (m.first_day, m.last_day) for m in find_date_mentions(text, default_year=1962)}
    assert found["January 7, 1952"] == (dt.date(1952, 1, 7), dt.date(1952, 1, 7))
    assert found["26 June"] == (dt.date(1962, 6, 26), dt.date(1962, 6, 26))
    assert found["second half of April"] == (dt.date(1962, 4, 16), dt.date(1962, 4, 30))
    assert found["spring and summer of 1952"] == (dt.date(1952, 3, 1), dt.date(1952, 8, 31))
    assert found["1947"] == (dt.date(1947, 1, 1), dt.date(1947, 12, 31))
    assert "1952" not in found  # inside a longer date


def test_mentions_link_to_their_events(mini_catalog, mini_gazetteer):
    text = mini_catalog.document_text("doc-a")
    events = mini_catalog.events_of_document("doc-a")
    mentions = find_mentions(text, mini_gazetteer.name_index(), events, 1950)
    by_text = {m.text: m for m in mentions}
    assert by_text["Harbin"].event_ids == ("ministry-letter",)
    assert by_text["3 March 1950"].event_ids == ("ministry-letter",)
    assert by_text["April 1950"].event_ids == ("embassy-answer",)


# --------------------------------------------------------------------------- search: accents, old names


@pytest.fixture(scope="module")
def shipped_names(shipped_catalog, shipped_gazetteer):
    from exchanges.filters import SearchNames

    return SearchNames.build(shipped_gazetteer, shipped_catalog.actors.values())


def test_search_ignores_accents_and_case(shipped_catalog) -> None:
    accented = [e for e in shipped_catalog.events if "émigrés" in e.source.passage]
    assert accented, "the corpus has 'émigrés'"
    for query in ("emigres", "EMIGRES", "Émigrés"):
        assert ids(accented) <= ids(FilterState(query=query).apply(shipped_catalog.events)), query


@pytest.mark.parametrize(("query", "place"), [("Peking", "beijing"), ("Tientsin", "tianjin")])
def test_an_old_place_name_finds_the_place(shipped_catalog, shipped_gazetteer, shipped_names, query, place) -> None:
    assert query in shipped_gazetteer.get(place).alt_names
    found = FilterState(query=query, names=shipped_names).apply(shipped_catalog.events)
    at_place = [e for e in shipped_catalog.events if place in e.places]
    assert at_place and ids(at_place) <= ids(found)
    name = shipped_gazetteer.get(place).name.casefold()
    assert all(place in e.places or name in (e.title + e.summary + e.source.passage).casefold() for e in found)


def test_an_actors_other_name_finds_the_actor(shipped_catalog, shipped_names) -> None:
    actor = next(a for a in shipped_catalog.actors.values() if "Chi Peng-fei" in a.alt_names)
    found = FilterState(query="Chi Peng-fei", names=shipped_names).apply(shipped_catalog.events)
    theirs = [e for e in shipped_catalog.events if actor.id in e.actors or actor.name in e.source.passage]
    assert theirs and ids(theirs) <= ids(found)


def test_a_name_in_a_longer_query_still_needs_the_other_words(shipped_catalog, shipped_names) -> None:
    assert FilterState(query="Peking zzzz", names=shipped_names).apply(shipped_catalog.events) == []


# --------------------------------------------------------------------------- lanes in the URL


def test_lanes_round_trip_through_the_url() -> None:
    state = FilterState(lanes="type")
    assert state.to_query_params() == {"lanes": ["type"]}
    assert FilterState.from_query_params(state.to_query_params()) == (state, [])
    assert FilterState(lanes="side").to_query_params() == {}  # the default is left out
    assert FilterState(lanes="type").is_default


def test_unknown_lanes_in_the_link_are_reported() -> None:
    state, warnings = FilterState.from_query_params({"lanes": "sideways"})
    assert state.lanes is None and len(warnings) == 1 and "sideways" in warnings[0]


# --------------------------------------------------------------------------- the explore page's link


def _explore(**params: str):  # type: ignore[no-untyped-def]
    from pathlib import Path

    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(Path(__file__).resolve().parent.parent / "views" / "explore.py"), default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_swapped_dates_in_a_link_are_said(user_data) -> None:  # type: ignore[no-untyped-def]
    at = _explore(**{"from": "1962-08-01", "to": "1952-01-01"})
    assert any("swapped" in w.value for w in at.warning), [w.value for w in at.warning]


def test_the_lanes_choice_is_kept_in_the_link(user_data) -> None:  # type: ignore[no-untyped-def]
    at = _explore(lanes="type")
    assert at.session_state["timeline_lanes"] == "type"
    assert at.query_params["lanes"] == "type"
    at.get("button_group")[0].set_value("side").run()
    assert "lanes" not in at.query_params
    at.get("button_group")[0].set_value("type").run()
    assert at.query_params["lanes"] == "type"


def test_preset_tooltips_count_events_in_good_english() -> None:
    from components.filters_sidebar import events_count

    assert events_count(1) == "1 event"
    assert events_count(0) == "0 events" and events_count(12) == "12 events"


def test_search_via_the_sidebar_understands_old_names(user_data, shipped_catalog) -> None:  # type: ignore[no-untyped-def]
    at = _explore(q="Peking")
    summary = next(m.value for m in at.markdown if "events" in m.value and "of" in m.value)
    assert summary.startswith("**") and not summary.startswith("**0**"), summary
