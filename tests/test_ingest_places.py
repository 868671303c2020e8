"""Place matching and place-name candidates (exchanges.ingest.places, analysis.resolve_candidates)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pytest

from exchanges.gazetteer import Gazetteer
from exchanges.geocoder import Geocoder
from exchanges.ingest.analysis import analyse_document, resolve_candidates
from exchanges.ingest.places import NameMatcher, infer_seats, propose_candidates


@pytest.fixture(scope="module")
def matcher(shipped_gazetteer: Gazetteer) -> NameMatcher:
    return NameMatcher.from_gazetteer(shipped_gazetteer)


def ids(mentions) -> list[str]:  # type: ignore[no-untyped-def]
    return [m.id for m in mentions]


def test_longest_name_is_one_mention(matcher: NameMatcher) -> None:
    text = "the mass exodus of residents from China’s Xinjiang Uyghur Autonomous Region across the border"
    mentions = matcher.find(text)
    assert ids(mentions) == ["prc", "xinjiang"]
    xinjiang = mentions[1]
    assert xinjiang.text == "Xinjiang Uyghur Autonomous Region"
    assert text[xinjiang.start : xinjiang.end] == xinjiang.text


def test_case_diacritics_and_apostrophes(matcher: NameMatcher) -> None:
    text = "From URUMQI and Ürümqi to the People’s Republic of China and the people's republic of china"
    assert ids(matcher.find(text)) == ["urumqi", "urumqi", "prc", "prc"]


def test_historical_names(matcher: NameMatcher) -> None:
    assert ids(matcher.find("from Peking via Tientsin to Kuldja and Alma Ata")) == ["beijing", "tianjin", "yining", "alma-ata"]


def test_word_boundaries(matcher: NameMatcher) -> None:
    # a place name inside a longer word is not a mention
    assert matcher.find("a harbinger, Shanghaied, Pekingese") == []
    assert ids(matcher.find("Harbin, Shanghai and Peking")) == ["harbin", "shanghai", "beijing"]


def test_acronyms_only_in_capitals(matcher: NameMatcher) -> None:
    assert ids(matcher.find("entry into the USSR and the PRC")) == ["ussr", "prc"]
    assert matcher.find("the prc of a word, and ussr in lower case") == []


def test_hyphenated_border_names(matcher: NameMatcher) -> None:
    assert "sino-soviet-border" in ids(matcher.find("crossed the Soviet-China border not from"))
    assert "sino-soviet-border" in ids(matcher.find("crossed the Soviet–China border"))  # en dash


def test_embassy_in_a_country_implies_its_capital(shipped_gazetteer: Gazetteer, matcher: NameMatcher) -> None:
    text = "Mesyatsev, Chargé d’affaires Ad Interim of the Soviet Embassy in China"
    mentions = matcher.find(text)
    inferred = infer_seats(text, mentions, {"beijing": "Beijing", "moscow": "Moscow"})
    assert ids(inferred) == ["beijing"]
    assert inferred[0].inferred and "Beijing" in inferred[0].inferred
    assert infer_seats("trade with China", matcher.find("trade with China"), {"beijing": "Beijing"}) == []


@dataclass
class _Actor:
    id: str
    name: str
    alt_names: list[str] = field(default_factory=list)


def test_candidates_are_place_like_phrases_only() -> None:
    text = ("The delegation travelled from Lanzhou to Jiuquan, Hami and Turfan, met Comrade Li Xiannian "
            "and sent word to I.V. Stalin, to the International Relief Organization and to the Chinese "
            "authorities in March, near Sary-Ozek.")
    names = [c.name for c in propose_candidates(text, exclude_names=["Li Xiannian"])]
    assert names == ["Lanzhou", "Jiuquan", "Hami", "Turfan", "Sary-Ozek"]


def test_candidates_skip_known_spans_and_actor_names() -> None:
    text = "a note to Roshchin and a trip to Khorgos"
    assert [c.name for c in propose_candidates(text, exclude_names=["Roshchin"])] == ["Khorgos"]
    start = text.index("Khorgos")
    assert propose_candidates(text, known=[(start, start + 7)], exclude_names=["Roshchin"]) == []


def test_unknown_places_are_reported_unresolved_offline(shipped_gazetteer: Gazetteer, tmp_path: Path) -> None:
    geocoder = Geocoder(shipped_gazetteer, live=False, cache_path=tmp_path / "cache.json")
    resolution = resolve_candidates(["Zarnovka", "Kulja"], geocoder)
    assert resolution.resolved == {"Kulja": "yining"}  # the geocoder asks the shipped_gazetteer first
    assert list(resolution.unresolved) == ["Zarnovka"]
    assert "live geocoding is off" in resolution.unresolved["Zarnovka"]


def test_without_geocoder_nothing_is_dropped() -> None:
    resolution = resolve_candidates(["Zarnovka", "Hami"], None)
    assert list(resolution.unresolved) == ["Zarnovka", "Hami"]


def test_live_geocoder_result_outside_gazetteer_is_located_not_resolved(
    shipped_gazetteer: Gazetteer, tmp_path: Path
) -> None:
    class FakeLocation:
        latitude, longitude, address, raw = 36.06, 103.83, "Zarnovka, Gansu, China", {}

    class FakeProvider:
        def geocode(self, query: str, **_: object) -> FakeLocation | None:
            return FakeLocation() if query == "Zarnovka" else None

    geocoder = Geocoder(shipped_gazetteer, live=True, cache_path=tmp_path / "cache.json", geocoder=FakeProvider(),
                        min_delay_seconds=0)
    resolution = resolve_candidates(["Zarnovka", "Nowhereville"], geocoder)
    assert resolution.resolved == {}
    assert resolution.located["Zarnovka"].lat == pytest.approx(36.06)
    assert list(resolution.unresolved) == ["Nowhereville"]


def test_analysis_reports_unknown_places(shipped_gazetteer: Gazetteer) -> None:
    text = "May 3, 1962\n\nReport\n\nOn 1 May crowds gathered near Zarnovka and crossed into the USSR at Khorgos."
    analysis = analyse_document(text, shipped_gazetteer, actors=[_Actor("x", "Comrade X")])
    assert analysis.place_counts() == {"khorgos": 1, "ussr": 1}
    assert list(analysis.resolution.unresolved) == ["Zarnovka"]


def test_a_gazetteer_is_turned_into_a_matcher_once() -> None:
    """Every analysis reuses its gazetteer's matcher; another gazetteer object gets its own,
    which knows that gazetteer's places (a user place added makes a new gazetteer)."""
    first, second = Gazetteer.load(), Gazetteer.load(regional=None)
    matcher = NameMatcher.for_gazetteer(first)
    assert NameMatcher.for_gazetteer(first) is matcher
    other = NameMatcher.for_gazetteer(second)
    assert other is not matcher
    text = "The consul travelled from Harbin to Khabarovsk."
    assert {m.id for m in matcher.find(text)} >= {"harbin", "khabarovsk"}
    assert "khabarovsk" not in {m.id for m in other.find(text)}  # no regional layer: not known
