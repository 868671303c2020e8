"""Search that explains: which place or actor a word was read as, and the nearest names when nothing matches."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from components.filters_sidebar import search_hint_lines
from exchanges.filters import SearchNames, matches_search, search_hints

pytestmark = pytest.mark.usefixtures("user_data")
EXPLORE = str(Path(__file__).resolve().parent.parent / "views" / "explore.py")


@pytest.fixture(scope="module")
def names(shipped_catalog, shipped_gazetteer) -> SearchNames:
    return SearchNames.build(shipped_gazetteer, shipped_catalog.actors.values())


def lines(query, catalog, gazetteer, names) -> list[str]:
    return [line.replace("\\", "") for line in search_hint_lines(query, catalog, gazetteer, names)]


def test_an_old_name_says_which_place_it_matched(shipped_catalog, shipped_gazetteer, names) -> None:
    assert sum(matches_search(e, "Tientsin", names) for e in shipped_catalog.events) > 0
    assert lines("Tientsin", shipped_catalog, shipped_gazetteer, names) == ["“Tientsin” → Tianjin"]


def test_a_name_the_events_do_not_use_is_placed_and_said(shipped_catalog, shipped_gazetteer, names) -> None:
    place = shipped_gazetteer.lookup("Kuldja")
    if place is None:
        pytest.skip("the gazetteer does not know Kuldja")
    shown = lines("Kuldja", shipped_catalog, shipped_gazetteer, names)
    assert shown[0] == f"“Kuldja” → {place.name}"
    assert any(f"No event is at or names {place.name}" in line for line in shown)


def test_no_results_suggest_the_nearest_names(shipped_catalog, shipped_gazetteer, names) -> None:
    shown = lines("repatriaton", shipped_catalog, shipped_gazetteer, names)
    assert shown and shown[-1].startswith("Nothing matches. Nearest names: “repatriation”")
    assert lines("xyzzy", shipped_catalog, shipped_gazetteer, names) == ["Nothing matches these words."]


def test_a_plain_word_or_the_name_itself_gives_no_hint(shipped_catalog, names) -> None:
    def display(kind: str, item_id: str) -> str:
        return shipped_catalog.actor_name(item_id) if kind == "actor" else item_id

    hints = search_hints("Gromyko border", shipped_catalog.events, names, display_name=display, found=3)
    assert hints.matched == () and hints.suggestions == ()


def test_the_explore_sidebar_shows_the_hint() -> None:
    at = AppTest.from_file(EXPLORE, default_timeout=90)
    at.query_params["q"] = "Tientsin"
    at.run()
    assert not at.exception, at.exception
    captions = [c.value.replace("\\", "") for c in at.sidebar.caption]
    assert "“Tientsin” → Tianjin" in captions
