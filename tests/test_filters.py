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
