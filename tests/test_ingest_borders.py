"""Border phrases naming a gazetteer border by its two sides (exchanges/ingest/borders.py).

The phrases are written for these tests."""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest

from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.borders import border_places, find_borders


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load(regional=None)


@pytest.mark.parametrize(
    ("text", "phrase"),
    [
        ("Firing was heard all night on the Soviet-Chinese border near the river.", "Soviet-Chinese border"),
        ("Reinforcements went to the Sino-Soviet frontier that spring.", "Sino-Soviet frontier"),
        ("Both notes speak of the Chinese–Soviet boundary.", "Chinese–Soviet boundary"),
        ("The maps of the USSR/PRC border differ.", "USSR/PRC border"),
        ("The Russo-Chinese frontier was drawn in the last century.", "Russo-Chinese frontier"),
        ("Talks on the border between China and the Soviet Union resumed.",
         "border between China and the Soviet Union"),
        ("a dispute over the frontier between the USSR and Communist China",
         "frontier between the USSR and Communist China"),
    ],
)
def test_a_phrase_naming_both_sides_is_their_border(gazetteer: Gazetteer, text: str, phrase: str) -> None:
    found = find_borders(text, gazetteer)
    assert [(m.text, m.id, m.inferred) for m in found] == [(phrase, "sino-soviet-border", None)]
    assert text[found[0].start : found[0].end] == phrase


@pytest.mark.parametrize(
    "text",
    [
        "Two herdsmen from the collective farm crossed the Soviet-Finnish border.",  # no such border place
        "The Sino-Indian border was quiet.",  # "Indian" names no side of a gazetteer border
        "Indian patrols approached the Chinese border in the west.",  # one side, the other not named
        "The border with China was closed to trade.",  # one side, whose text is not said
        "Fine china was shipped to the border town.",
    ],
)
def test_no_border_where_the_phrase_does_not_say_which(gazetteer: Gazetteer, text: str) -> None:
    assert find_borders(text, gazetteer) == []


def test_one_side_in_a_text_by_the_other_side_is_an_inference(gazetteer: Gazetteer) -> None:
    text = "Eleven Soviet herdsmen were detained after they crossed the Chinese border with their flock."
    (mention,) = find_borders(text, gazetteer)
    assert (mention.text, mention.id) == ("Chinese border", "sino-soviet-border")
    assert mention.inferred and "Soviet Union" in mention.inferred

    titled = find_borders("The column reached the border with the Soviet Union on the third day.", gazetteer,
                          title="Report of the Chinese Ministry of Public Security")
    assert [(m.text, m.id) for m in titled] == [("border with the Soviet Union", "sino-soviet-border")]


def test_a_border_already_named_is_left_to_the_name(gazetteer: Gazetteer) -> None:
    text = "Incidents on the Sino-Soviet border were listed."
    named = [m for m in analyse_document(text, gazetteer).places if m.id == "sino-soviet-border"]
    assert len(named) == 1 and named[0].inferred is None
    assert find_borders(text, gazetteer, named) == []


def test_the_analysis_puts_border_phrases_on_the_map(gazetteer: Gazetteer) -> None:
    text = "On 3 March 1969 fighting broke out on the Soviet-Chinese frontier, the embassy reported."
    places = analyse_document(text, gazetteer).places
    assert ("Soviet-Chinese frontier", "sino-soviet-border") in [(m.text, m.id) for m in places]


@dataclass
class _Place:
    id: str
    name: str
    kind: str
    country: str
    alt_names: list[str] = field(default_factory=list)


def _gazetteer(*borders: _Place) -> list[_Place]:
    return [
        _Place("prc", "China", "country", "PRC"),
        _Place("ussr", "Soviet Union", "country", "USSR", ["USSR"]),
        _Place("mpr", "Mongolia", "country", "MPR"),
        *borders,
    ]


def test_one_side_with_several_borders_is_ambiguous() -> None:
    places = _gazetteer(_Place("sb", "China-USSR border", "border", "PRC/USSR"),
                        _Place("mb", "Mongolia-USSR border", "border", "MPR/USSR"))
    text = "Chinese guards watched the border with the Soviet Union."
    assert find_borders(text, places) == []  # the USSR has two borders here: which one is not said
    both = find_borders("Soviet guards watched the Soviet-Chinese border.", places)
    assert [m.id for m in both] == ["sb"]
    assert [m.id for m in find_borders("the border between Mongolia and the USSR", places)] == ["mb"]


def test_a_pair_with_a_whole_border_and_a_section_means_the_whole() -> None:
    places = _gazetteer(_Place("section", "China-USSR border in the west", "border", "PRC/USSR"),
                        _Place("whole", "China-USSR border", "border", "PRC/USSR"))
    assert border_places(places)[frozenset({"prc", "ussr"})].id == "whole"
    assert [m.id for m in find_borders("on the Sino-Soviet frontier", places)] == ["whole"]
