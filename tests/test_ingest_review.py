"""Review findings on the ingester: every dated happening becomes a draft, figures are never
left unattached, areas and offices are not mistaken for places of an event."""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import DraftSet, propose_events
from exchanges.ingest.places import NameMatcher, propose_candidates

D = dt.date

SHORT_NOTE = """May 20, 1960

Note from the Consulate in Chuguchak on the Departure of Soviet Citizens

According to the Consulate in Chuguchak, about 300 Soviet citizens left Tacheng for the Soviet Union on 2 May.

On 10 May, the local authorities in Tihwa asked the Consulate to delay further departures until the autumn of 1960.
"""

CONSULATE_NOTE = """March 3, 1960

Note from the Consulate General of the USSR in Kuldja to the Ministry of Foreign Affairs of the USSR on the Return of Soviet Citizens from the Ili Region

Secret

According to reports from the Consulate in Kuldja, about 500 families of Soviet citizens living in the Ili region have applied for permission to return to the Soviet Union. The local authorities in Tihwa informed our consul on 12 February that they would not object to the departure of these families.

The Consulate proposes that the families travel by road through Khorgos to Alma-Ata in the spring of 1960, in groups of approximately 50 families.

The Consulate General requests that the Ministry instruct the authorities of the Kazakh SSR in Alma-Ata to receive them.
"""


def drafts(text: str, gazetteer: Gazetteer, catalog: Catalog) -> DraftSet:
    return propose_events(analyse_document(text, gazetteer, actors=catalog.actors.values()))


@pytest.fixture(scope="module")
def short_note(shipped_gazetteer: Gazetteer, shipped_catalog: Catalog) -> DraftSet:
    return drafts(SHORT_NOTE, shipped_gazetteer, shipped_catalog)


@pytest.fixture(scope="module")
def consulate_note(shipped_gazetteer: Gazetteer, shipped_catalog: Catalog) -> DraftSet:
    return drafts(CONSULATE_NOTE, shipped_gazetteer, shipped_catalog)


def test_dated_sentences_with_a_verb_of_action_become_drafts(short_note: DraftSet) -> None:
    dated = {e.date: e for e in short_note.events if not e.is_document}
    assert D(1960, 5, 2) in dated, "the departure of 2 May was dropped"
    assert D(1960, 5, 10) in dated, "the request of 10 May was dropped"
    assert "tacheng" in dated[D(1960, 5, 2)].places
    assert "urumqi" in dated[D(1960, 5, 10)].places  # Tihwa


def test_a_deadline_is_not_an_event_of_its_own(short_note: DraftSet) -> None:
    # "delay further departures until the autumn of 1960": the request is of 10 May
    assert not any(e.date.month == 9 for e in short_note.events)


def test_figures_attach_to_their_sentence_event(short_note: DraftSet) -> None:
    departure = next(e for e in short_note.events if e.date == D(1960, 5, 2))
    assert [f.low for f in departure.figures] == [300]
    assert "left" not in departure.figures[0].what


def test_every_figure_is_attached_to_some_event(consulate_note: DraftSet, short_note: DraftSet) -> None:
    for draft_set in (consulate_note, short_note):
        analysis_quotes = {f.quote for e in draft_set.events for f in e.figures}
        assert analysis_quotes, "no figures attached"
    document = next(e for e in consulate_note.events if e.is_document)
    assert 500 in [f.low for f in document.figures]  # an undated sentence: the document's figure


def test_season_proposal_has_its_span_end(consulate_note: DraftSet) -> None:
    proposal = next(e for e in consulate_note.events if e.date_precision.value == "season")
    assert proposal.date == D(1960, 3, 1)
    assert proposal.end_date == D(1960, 5, 31)


def test_an_offices_country_is_not_a_place_of_the_event(consulate_note: DraftSet) -> None:
    document = next(e for e in consulate_note.events if e.is_document)
    assert "ussr" not in document.places  # "Consulate General of the USSR", "Ministry … of the USSR"
    assert "yining" in document.places  # "… in Kuldja"


def test_a_city_name_followed_by_region_is_not_the_city(shipped_gazetteer: Gazetteer) -> None:
    matcher = NameMatcher.from_gazetteer(shipped_gazetteer)
    assert [m.id for m in matcher.find("families living in the Kuldja region")] == []
    assert [m.id for m in matcher.find("families living in Kuldja")] == ["yining"]


def test_area_names_are_proposed_as_candidates() -> None:
    text = "the authorities of the Kazakh SSR in Alma-Ata, and people of the Ili region and Gansu Province"
    names = {c.name for c in propose_candidates(text)}
    assert {"Kazakh SSR", "Ili region", "Gansu Province"} <= names


def test_consulate_note_lists_its_areas_as_unresolved(shipped_catalog: Catalog) -> None:
    curated = Gazetteer.load(regional=None)  # the regional gazetteer knows the Kazakh SSR
    analysis = analyse_document(CONSULATE_NOTE, curated, actors=shipped_catalog.actors.values())
    groups = {name.casefold() for name in analysis.candidate_groups()}
    assert "kazakh ssr" in groups and "ili region" in groups
