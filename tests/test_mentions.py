"""Which events a document's highlighted places and dates open (exchanges.mentions).

Run against the shipped documents: the cases are the ones a teacher met on the
Documents page, and each expectation is read from the events' own data (dates,
passages, ``is_document``), not copied from the code.
"""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.mentions import Mention, find_mentions, passage_spans

LETTER_1952 = "gromyko-to-stalin-1952-01-07"
STATEMENT_1962 = "soviet-statement-1962-08-10"


@pytest.fixture(scope="module")
def linked(shipped_catalog, shipped_gazetteer):
    """document id -> its mentions, linked to its events."""
    out = {}
    for doc_id, document in shipped_catalog.documents.items():
        text = shipped_catalog.document_text(doc_id)
        events = shipped_catalog.events_of_document(doc_id)
        out[doc_id] = find_mentions(text, shipped_gazetteer.name_index(), events, document.date.year)
    return out


def _first(mentions: list[Mention], text: str, words: str, after: str) -> Mention:
    """The first mention reading ``words`` that the words ``after`` shortly precede."""
    return next(
        m for m in mentions if m.text == words and after in text[max(0, m.start - 80) : m.start]
    )


def test_a_day_opens_the_event_of_that_day_not_the_passage_around_it(linked, shipped_catalog) -> None:
    text = shipped_catalog.document_text(STATEMENT_1962)
    mention = _first(linked[STATEMENT_1962], text, "8 June", after="our statements of")
    assert mention.event_ids, "8 June is linked"
    for event_id in mention.event_ids:
        event = shipped_catalog.event(event_id)
        assert dt.date(1962, 6, 8) in (event.date, event.last_date), event_id
    # The 11 June statement's passage contains "8 June", yet it is not the 8 June event.
    eleventh = _first(linked[STATEMENT_1962], text, "11 June", after="8 June and")
    assert set(mention.event_ids).isdisjoint(eleventh.event_ids)


@pytest.mark.parametrize("doc_id", [LETTER_1952, STATEMENT_1962])
def test_the_header_date_opens_the_documents_own_event(linked, shipped_catalog, doc_id) -> None:
    document = shipped_catalog.documents[doc_id]
    own = next(e for e in shipped_catalog.events_of_document(doc_id) if e.is_document)
    header = min(
        (m for m in linked[doc_id] if m.kind == "date" and m.first_day == m.last_day == document.date),
        key=lambda m: m.start,
    )
    assert header.event_ids[0] == own.id


def test_a_place_opens_only_events_whose_passage_holds_it(linked, shipped_catalog) -> None:
    for doc_id, mentions in linked.items():
        text = shipped_catalog.document_text(doc_id)
        events = shipped_catalog.events_of_document(doc_id)
        spans = passage_spans(text, events)
        for mention in (m for m in mentions if m.kind == "place"):
            for event_id in mention.event_ids:
                event = shipped_catalog.event(event_id)
                assert mention.place_id in event.places
                start, end = spans[event_id]
                # the passage holds the mention, or at least reaches its sentence
                near = text[min(start, mention.start) : max(end, mention.end)]
                assert start <= mention.start < end or near.count(". ") <= 1, (doc_id, mention.text, event_id)


def test_ussr_ambassador_is_highlighted_but_not_linked(linked, shipped_catalog) -> None:
    text = shipped_catalog.document_text(LETTER_1952)
    start = text.index("USSR Ambassador")
    mention = next(m for m in linked[LETTER_1952] if m.start == start)
    assert mention.kind == "place" and mention.event_ids == ()


def test_soviet_china_border_names_no_event_there(linked, shipped_catalog) -> None:
    text = shipped_catalog.document_text(STATEMENT_1962)
    start = text.index("Soviet-China border")
    mention = next(m for m in linked[STATEMENT_1962] if m.start == start)
    assert mention.place_id and mention.event_ids == ()


def test_every_date_link_matches_the_events_date(linked, shipped_catalog) -> None:
    for mentions in linked.values():
        for mention in (m for m in mentions if m.kind == "date"):
            for event_id in mention.event_ids:
                event = shipped_catalog.event(event_id)
                if mention.first_day == mention.last_day:
                    assert mention.first_day in (event.date, event.last_date), (mention.text, event_id)
                else:
                    assert mention.first_day <= event.date <= mention.last_day, (mention.text, event_id)
