"""Properties of the shipped data in data/: it loads, every event is sourced
verbatim, and the events the two documents state are all there."""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from collections.abc import Callable

import pytest

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.loader import load_catalog, read_event_records, validate_event_records
from exchanges.models import DateBound, DatePrecision, Event, EventType
from exchanges.paths import DATA_DIR

LETTER = "gromyko-to-stalin-1952-01-07"
STATEMENT = "soviet-statement-1962-08-10"


def shipped_places() -> Gazetteer:
    return Gazetteer.load()


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return load_catalog(DATA_DIR, gazetteer=shipped_places())


def squash(text: str) -> str:
    """Independent of the loader: fold ’‘“”–— and collapse whitespace."""
    for fancy, plain in (("’", "'"), ("‘", "'"), ("“", '"'), ("”", '"'), ("–", "-"), ("—", "-")):
        text = text.replace(fancy, plain)
    return re.sub(r"\s+", " ", text).strip()


def find(catalog: Catalog, pred: Callable[[Event], bool]) -> list[Event]:
    return [event for event in catalog.events if pred(event)]


def the(catalog: Catalog, pred: Callable[[Event], bool]) -> Event:
    found = find(catalog, pred)
    assert len(found) == 1, [e.id for e in found]
    return found[0]


def has_figure(event: Event, low: int, high: int | None = None, approximate: bool | None = None) -> bool:
    return any(f.low == low and f.high == high and (approximate is None or f.approximate == approximate)
               for f in event.figures)


# --- the data as a whole ------------------------------------------------------


def test_shipped_data_has_both_documents_and_many_events(catalog: Catalog) -> None:
    assert set(catalog.documents) == {LETTER, STATEMENT}
    counts = Counter(event.source.document for event in catalog.events)
    assert counts[LETTER] >= 12 and counts[STATEMENT] >= 12


def test_every_passage_and_quote_is_verbatim(catalog: Catalog) -> None:
    for event in catalog.events:
        text = squash(catalog.document_text(event.source.document))
        assert squash(event.source.passage) in text, event.id
        for figure in event.figures:
            assert squash(figure.quote) in text, (event.id, figure.quote)


def test_every_document_has_exactly_one_is_document_event(catalog: Catalog) -> None:
    for doc_id, document in catalog.documents.items():
        own = [e for e in catalog.events_of_document(doc_id) if e.is_document]
        assert len(own) == 1, doc_id
        assert own[0].date == document.date
        assert set(document.author) <= set(own[0].sender)


def test_dates_are_honest(catalog: Catalog) -> None:
    for event in catalog.events:
        inside = catalog.documents[event.source.document].date
        # nothing happens after the document that states it, unless it is a plan
        planned = "propos" in event.title.lower() or "announce" in event.title.lower()
        if not planned:
            assert event.date <= inside, event.id
        # a date that is not one exact day, or a span, says so in words
        if event.date_precision is not DatePrecision.day or event.end_date is not None:
            assert event.date_label, event.id


def test_every_actor_and_theme_is_used(catalog: Catalog) -> None:
    used_actors = {a for e in catalog.events for a in e.actors}
    used_actors |= {a for d in catalog.documents.values() for a in (*d.author, *d.recipient)}
    assert set(catalog.actors) == used_actors
    assert set(catalog.themes) == {t for e in catalog.events for t in e.themes}
    assert all(event.themes for event in catalog.events)


def test_documents_metadata_as_the_copies_give_it(catalog: Catalog) -> None:
    letter, statement = catalog.documents[LETTER], catalog.documents[STATEMENT]
    assert letter.classification == "Top Secret"
    assert letter.archive_source is None and letter.record_id is None
    assert "no archive block" in (letter.notes or "")
    assert statement.archive_source == "PRC FMA 118-01767-01, 7-11"
    assert statement.record_id == "118207"
    assert statement.translated_by == "7Brands"
    # the copy names "the History and Public Policy Program" and its "Digital Archive", no institution
    assert statement.collection == "History and Public Policy Program Digital Archive"
    assert "HAPP@wilsoncenter.org" in (statement.notes or "")
    assert "Confidential File No. 409" in (statement.classification or "")
    for needle in ("MacArthur Foundation", "Henry Luce Foundation", "2013-10-10"):
        assert needle in (statement.notes or "")


def test_beijing_is_only_used_with_an_explanation(catalog: Catalog) -> None:
    """The 1962 statement names no city; placing it in Beijing must be said to be
    inferred, quoting the words the inference rests on."""
    placed = find(catalog, lambda e: e.source.document == STATEMENT and "beijing" in e.places)
    assert placed, "the statement itself is placed in Beijing"
    for event in placed:
        summary = squash(event.summary)
        assert "inferred" in summary, event.id
        assert "Chargé d'affaires Ad Interim of the Soviet Embassy in China" in summary, event.id
        assert "Delivered to Comrade Huang Zhen" in summary, event.id


def test_quoted_words_in_summaries_and_labels_are_the_documents(catalog: Catalog) -> None:
    """Whatever a summary, title or date label puts in double quotes is the source's
    own words (case aside: a quote may start a sentence)."""
    for event in catalog.events:
        text = squash(catalog.document_text(event.source.document)).lower()
        for field in ("title", "date_label", "summary"):
            for quoted in re.findall(r'"([^"]+)"', squash(getattr(event, field) or "")):
                assert quoted.lower().rstrip(".,;") in text, (event.id, field, quoted)


def test_averages_are_not_approximate_counts(catalog: Catalog) -> None:
    averages = [f for e in catalog.events for f in e.figures if "on average" in f.quote]
    assert averages, "the 1962 statement gives an average rate of crossings"
    assert all(not f.approximate and "on average" in f.what for f in averages)


def test_undated_spans_of_1962_say_their_window_is_inferred(catalog: Catalog) -> None:
    """Only the exodus itself is dated "since the second half of April"; the other
    spans from 16 April 1962 take that window by inference and must say so."""
    spans = find(catalog, lambda e: e.date == dt.date(1962, 4, 16) and e.end_date is not None)
    undated = [e for e in spans if "second half of April" not in e.source.passage]
    assert len(undated) >= 4
    for event in undated:
        assert "inferred" in (event.date_label or "") and "inference" in event.summary, event.id
    demands = catalog.event("chinese-demands-1962")
    assert "except the reply of 26 June" in (demands.date_label or "")


# --- 1952: Gromyko to Stalin ----------------------------------------------------


def test_1947_repatriation(catalog: Catalog) -> None:
    event = the(catalog, lambda e: e.date == dt.date(1947, 1, 1))
    assert event.date_precision is DatePrecision.year
    assert event.event_type is EventType.repatriation
    assert has_figure(event, 3000)


def test_reports_of_roshchin_and_the_consuls(catalog: Catalog) -> None:
    reports = find(catalog, lambda e: e.event_type is EventType.report and e.source.document == LETTER)
    senders = {s for e in reports for s in e.sender}
    assert {"roshchin", "consul-general-shanghai", "consul-general-tianjin"} <= senders


def test_consular_requests_and_chinese_refusals(catalog: Catalog) -> None:
    the(catalog, lambda e: e.sender == ["soviet-consuls-china"] and "chinese-authorities" in e.recipient)
    refusal = the(catalog, lambda e: "chinese-authorities" in e.sender and e.source.document == LETTER)
    assert refusal.event_type is EventType.reply


def test_about_2500_unemployed(catalog: Catalog) -> None:
    event = the(catalog, lambda e: has_figure(e, 2500, approximate=True) and e.source.document == LETTER)
    assert {"beijing", "shanghai", "tianjin", "qingdao", "manchuria"} <= set(event.places)


def test_iro_and_consular_recruitment(catalog: Catalog) -> None:
    recruiting = find(catalog, lambda e: e.event_type is EventType.recruitment)
    senders = {s for e in recruiting for s in e.sender}
    assert {"iro", "canadian-consular-representatives", "israeli-consular-representatives"} <= senders


def test_repatriation_of_peoples_democracies(catalog: Catalog) -> None:
    the(catalog, lambda e: e.event_type is EventType.repatriation
        and "citizens-peoples-democracies" in e.people)


def test_embassy_proposals(catalog: Catalog) -> None:
    proposals = find(catalog, lambda e: e.event_type is EventType.proposal and "ussr-embassy-prc" in e.sender)
    assert any("consulate-general-shanghai" in e.sender for e in proposals)
    families = the(catalog, lambda e: e in proposals and has_figure(e, 100, 150))
    assert "1951" in families.source.passage and "1951" in families.summary  # kept, and pointed out
    season = the(catalog, lambda e: e.date_precision is DatePrecision.season)
    assert (season.date, season.end_date) == (dt.date(1952, 3, 1), dt.date(1952, 8, 31))
    assert "spring and summer of 1952" in season.source.passage


def test_politburo_meeting(catalog: Catalog) -> None:
    meeting = the(catalog, lambda e: e.date == dt.date(1951, 12, 20))
    assert meeting.event_type is EventType.meeting
    assert meeting.date_precision is DatePrecision.day
    assert "politburo" in meeting.actors
    assert "within a week" in meeting.source.passage


def test_ministry_of_finance_agreed(catalog: Catalog) -> None:
    the(catalog, lambda e: {"ussr-ministry-of-finance", "zverev"} <= set(e.actors))
    # "The USSR Ministry of Finance (Comrade Zverev)": no office is given, none invented
    role = catalog.actors["zverev"].role or ""
    assert "no title given" in role and "Minister " not in role


def test_entry_refusals_are_the_letters_we(catalog: Catalog) -> None:
    """The letter names no Soviet body: the sender is the side its "we" speaks for."""
    refusal = catalog.event("soviet-entry-applications-denied")
    assert refusal.sender == ["soviet-side-1952"]
    assert '"we"' in catalog.actors["soviet-side-1952"].name
    assert "our refusal to allow entry" in refusal.source.passage
    assert "names no Soviet body" in refusal.summary


def test_the_letter_itself(catalog: Catalog) -> None:
    letter = catalog.document_event(LETTER)
    assert letter is not None
    assert (letter.date, letter.event_type) == (dt.date(1952, 1, 7), EventType.letter)
    assert (letter.sender, letter.recipient) == (["gromyko"], ["stalin"])
    assert has_figure(letter, 2500) and has_figure(letter, 100, 150)
    assert "ussr-mgb" in letter.actors and "commission" in letter.summary


# --- 1962: the Soviet statement ---------------------------------------------------


def test_xinjiang_exodus_is_an_honest_span(catalog: Catalog) -> None:
    exodus = the(catalog, lambda e: e.date == dt.date(1962, 4, 16) and e.event_type is EventType.border_crossing)
    assert exodus.date_precision is DatePrecision.half_month
    assert exodus.end_date == dt.date(1962, 8, 10)
    assert "largely ceased" in (exodus.date_label or "")
    assert {"xinjiang", "sino-soviet-border-xinjiang"} <= set(exodus.places)
    assert has_figure(exodus, 10000, approximate=True)


def test_crossings_over_three_years(catalog: Catalog) -> None:
    crossings = the(catalog, lambda e: has_figure(e, 7))
    # both figures and the contrast with the exodus are in the one cited stretch
    for words in ("on average", "merely seven persons", "since the second half of April"):
        assert words in crossings.source.passage
    assert has_figure(crossings, 1, approximate=False)
    # the three years end when the exodus began (second half of April 1962), not on 10 August
    assert crossings.end_date is not None and crossings.end_date < dt.date(1962, 4, 16)
    assert crossings.date.year == 1959 and crossings.date < dt.date(1959, 4, 16)
    assert "inferred" in (crossings.date_label or "")
    assert crossings.places == ["sino-soviet-border"] and "names no section" in crossings.summary


@pytest.mark.parametrize("day", [8, 11])
def test_soviet_statements_of_june(catalog: Catalog, day: int) -> None:
    the(catalog, lambda e: e.date == dt.date(1962, 6, day) and e.event_type is EventType.statement
        and e.sender == ["soviet-government"])


def test_zhang_hanfu_talk(catalog: Catalog) -> None:
    talk = the(catalog, lambda e: e.event_type is EventType.talk)
    assert talk.date == dt.date(1962, 6, 11)
    assert talk.sender == ["zhang-hanfu"] and talk.recipient == ["soviet-ambassador-prc-1962"]
    # the passage carries his words, and the copy's second rendering is not attributed
    assert "the Soviet Union has the responsibility to block them" in talk.source.passage
    assert "actually said" in talk.source.passage
    assert "quotes his words twice" not in talk.summary


def test_chinese_reply_via_ji_pengfei(catalog: Catalog) -> None:
    reply = the(catalog, lambda e: e.date == dt.date(1962, 6, 26))
    assert reply.event_type is EventType.reply and "ji-pengfei" in reply.actors


def test_border_closed_and_reopening_announced(catalog: Catalog) -> None:
    measures = find(catalog, lambda e: e.event_type is EventType.border_measure and "soviet-government" in e.sender)
    assert any("closing the border" in e.source.passage and e.end_date for e in measures)
    closure = catalog.event("soviet-border-closure-1962")
    # the 8 June bound and the Xinjiang place both rest on the cited stretch
    assert "8 June statement" in closure.source.passage
    assert "closing the border with the Xinjiang Uyghur Autonomous Region" in squash(closure.source.passage)
    assert (closure.date, closure.date_bound) == (dt.date(1962, 6, 8), DateBound.by)
    assert "inferred" in (closure.date_label or "") and "inference" in closure.summary
    # "some actions" is not a border measure
    assert catalog.event("chinese-authorities-measures-1962").event_type is EventType.other
    reopening = the(catalog, lambda e: e in measures and "restore the normal practices" in e.source.passage)
    assert "in the coming days" in reopening.source.passage
    assert reopening.places == ["sino-soviet-border-xinjiang"]


def test_representatives_requested_and_rejected(catalog: Catalog) -> None:
    request = the(catalog, lambda e: "dispatch representatives" in e.source.passage)
    rejection = the(catalog, lambda e: "rejected this suggestion" in e.source.passage)
    assert request.event_type is EventType.proposal and rejection.event_type is EventType.reply
    assert request.sender == rejection.recipient == ["soviet-government"]


def test_the_statement_itself(catalog: Catalog) -> None:
    statement = catalog.document_event(STATEMENT)
    assert statement is not None
    assert statement.date == dt.date(1962, 8, 10) and statement.event_type is EventType.statement
    assert "huang-zhen" in statement.recipient and "mesyatsev" in statement.actors


def test_schema_csv_example_reads_against_the_shipped_data(catalog: Catalog, tmp_path) -> None:
    """The CSV example in data/SCHEMA.md must stay a valid user file."""
    schema = (DATA_DIR / "SCHEMA.md").read_text(encoding="utf-8")
    example = re.search(r"```csv\n(.*?)```", schema, re.S)
    assert example is not None
    path = tmp_path / "example.csv"
    path.write_text(example.group(1), encoding="utf-8")
    events, issues = read_event_records(path, catalog, shipped_places())
    assert issues == [] and len(events) == 1


def test_unknown_place_suggests_a_gazetteer_id(catalog: Catalog) -> None:
    record = catalog.event("chinese-reply-1962-06-26").model_dump(mode="json")
    record |= {"id": "typo", "places": ["bejing"], "is_document": False}
    events, issues = validate_event_records([record], catalog, shipped_places())
    assert events == []
    assert [(i.field, "did you mean 'beijing'" in i.message) for i in issues] == [("places[0]", True)]


def test_latest_date_only_events_are_marked_by(catalog: Catalog) -> None:
    """A "By …" label means the source gives only a latest date: date_bound must say so."""
    labelled_by = [e for e in catalog.events if (e.date_label or "").startswith("By ")]
    assert labelled_by, "the corpus has events known only by a latest date"
    for event in catalog.events:
        assert (event.date_bound == DateBound.by) == (event in labelled_by), event.id
