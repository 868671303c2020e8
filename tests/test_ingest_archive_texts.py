"""Rules for real archive texts (issue 9): document date and metadata, dates, figures, places, drafts.

Every phrase here is written for these tests in the style of archive copies
(reading-room metadata blocks, FRUS telegrams, archive citations); none is
copied from a real document.
"""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.gazetteer import Gazetteer, Place
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.dates import find_dates, scan_dates
from exchanges.ingest.document import LineRole, file_number_date, parse_document
from exchanges.ingest.drafts import propose_events
from exchanges.ingest.figures import find_figures
from exchanges.ingest.places import NameMatcher
from exchanges.models import DatePrecision, EventType

D = dt.date
DOCUMENT_1969 = dt.date(1969, 9, 11)
DOCUMENT_1960 = dt.date(1960, 8, 1)


# --------------------------------------------------------------------------- document date and metadata

READING_ROOM = """REPORT ON RAILWAY TRAFFIC AT THE FRONTIER

Document Type:
Collection:
Document Page Count:
7
Document Creation Date:
November 3, 2017
Document Release Date:
June 1, 2008
Publication Date:
September 9, 1957
Content Type:
REPORT
Body:
Approved For Release 2008/06/01 : CIA-RDP00-00000 SECRET The traffic resumed on 4 August.
"""


def test_reading_room_block_gives_the_publication_date_never_the_creation_date() -> None:
    document = parse_document(READING_ROOM)
    assert document.date == D(1957, 9, 9)
    assert document.date_source == "archive metadata (Publication Date)"
    assert document.title == "REPORT ON RAILWAY TRAFFIC AT THE FRONTIER"
    roles = {line.text.strip(): line.role for line in document.lines if line.text.strip()}
    assert roles["November 3, 2017"] is LineRole.metadata
    assert roles["Content Type:"] is LineRole.metadata
    assert "The traffic resumed" in document.body
    assert document.metadata["Content Type"] == "REPORT"


def test_archive_dates_are_read_but_never_drafted() -> None:
    analysis = analyse_document(READING_ROOM)
    found = {(m.date, m.precision) for m in analysis.dates}
    assert (D(2017, 11, 3), DatePrecision.day) in found  # in the text, so reported
    assert (D(1957, 8, 4), DatePrecision.day) in found  # "4 August" takes the document's year
    drafts = propose_events(analysis)
    assert {d.event.date for d in drafts.drafts} == {D(1957, 9, 9), D(1957, 8, 4)}  # not 2008, not 2017
    assert drafts.drafts[0].event.event_type is EventType.report  # the document's type from "Content Type"


@pytest.mark.parametrize(
    ("number", "day"),
    [("761.93/3–1450", D(1950, 3, 14)), ("693.0023/4–2047", D(1947, 4, 20)), ("611.93/12–3149", D(1949, 12, 31)),
     ("740.00119 P.W./8–2945", D(1945, 8, 29))],
)
def test_decimal_file_number_dates(number: str, day: dt.date) -> None:
    found = file_number_date(f"{number}: Telegram")
    assert found is not None and found[0] == day


def test_file_number_line_dates_a_telegram_and_is_not_its_title() -> None:
    text = ("611.61/5–852: Telegram\n\nThe Ambassador in the Soviet Union to the Secretary of State\n\n"
            "212. The note of May 2 was handed to the Foreign Ministry.\n")
    document = parse_document(text)
    assert document.date == D(1952, 5, 8) and document.date_source == "file number 611.61/5–852"
    assert document.title == "The Ambassador in the Soviet Union to the Secretary of State"
    analysis = analyse_document(text)
    assert any(m.date == D(1952, 5, 2) for m in analysis.dates)  # the year from the file number
    assert propose_events(analysis).drafts[0].event.event_type is EventType.letter  # "…: Telegram"


def test_received_note_with_a_year_dates_the_document() -> None:
    document = parse_document("Consul at Tihwa to the Secretary\n\n[Received June 3, 1950—4 p.m.]\n\nNothing new.\n")
    assert document.date == D(1950, 6, 3) and document.date_source == "[Received …] note"


def test_heading_ending_with_its_date() -> None:
    document = parse_document("Protocol on the exchange of goods between the two governments. March 3, 1956\n\n"
                              "The parties agreed as follows.\n")
    assert document.date == D(1956, 3, 3)
    assert document.title == "Protocol on the exchange of goods between the two governments"


def test_an_older_date_near_the_top_is_not_the_document_date() -> None:
    document = parse_document("Notes on the railway\n\nAccording to the treaty of February 14, 1950, the line "
                              "passes to the Chinese side.\n")
    assert document.date is None


def test_page_banners_and_navigation_are_never_the_title() -> None:
    text = ("Skip to content\n\nDigital Archive International History Declassified\n\n"
            "Home | Documents | Collections | About\n\nJune 5, 1958\n\nLetter on the fishing agreement\n\n"
            "The letter was sent on 4 June.\n")
    document = parse_document(text)
    assert document.title == "Letter on the fishing agreement" and document.date == D(1958, 6, 5)


def test_citation_lines_are_read_but_give_no_drafts() -> None:
    text = ("June 5, 1958\n\nLetter on the fishing agreement\n\nThe letter was sent on 4 June.\n\n"
            '"Letter on the fishing agreement," June 5, 1958, History and Public Policy Program Digital Archive, '
            "a ministry archive; translated in 1997 and reported on March 1, 1997.\n")
    document = parse_document(text)
    assert [line.role for line in document.lines if line.text.startswith('"')] == [LineRole.citation]
    analysis = analyse_document(text)
    assert any(m.date == D(1997, 3, 1) for m in analysis.dates)
    assert {d.event.date for d in propose_events(analysis).drafts} == {D(1958, 6, 5), D(1958, 6, 4)}


def test_archive_summary_above_the_date_line_is_not_the_title() -> None:
    summary = ("The consul reports on the talks with the local authorities about the return of the refugees, "
               "and on the number of people who crossed the river.")
    document = parse_document(f"{summary}\n\nApril 2, 1962\n\nReport of the Consul\n\nThe talks went on.\n")
    assert document.title == "Report of the Consul"
    assert document.lines[0].role is LineRole.metadata


def test_a_document_without_any_date_is_drafted_with_the_date_to_fill_in() -> None:
    text = "Notes of the delegation\n\nOn 21 [April] the delegation met the governor. A letter was sent on 22 April.\n"
    analysis = analyse_document(text)
    assert analysis.needs_date and analysis.document_date is None
    assert [u.text for u in analysis.unresolved_dates] == ["21 [April]", "22 April"]
    assert "give the document's date" in (analysis.date_request or "")
    drafts = propose_events(analysis)  # never refused
    assert drafts.needs_date and drafts.document.date is None
    assert [d.event.date for d in drafts.drafts] == [None, None, None]
    assert [d.event.event_type for d in drafts.drafts[1:]] == [EventType.meeting, EventType.letter]
    assert drafts.drafts[1].event.date_label == "21 [April]"
    given = propose_events(analyse_document(text, anchor=D(1951, 5, 1)))
    assert [d.event.date for d in given.drafts] == [D(1951, 5, 1), D(1951, 4, 21), D(1951, 4, 22)]


# --------------------------------------------------------------------------- dates


def dates_of(text: str, anchor: dt.date | None = DOCUMENT_1969) -> list[tuple[str, dt.date, dt.date, str]]:
    return [(m.text, m.date, m.end_date, m.precision.value) for m in find_dates(text, anchor)]


def test_span_of_days_is_one_span() -> None:
    assert dates_of("the guards were reinforced from 5 May through 12 May 1958") == [
        ("5 May through 12 May 1958", D(1958, 5, 5), D(1958, 5, 12), "day")]


def test_two_months_are_one_span() -> None:
    assert dates_of("the March/April 1969 incidents") == [("March/April 1969", D(1969, 3, 1), D(1969, 4, 30), "month")]


def test_span_of_years() -> None:
    assert dates_of("Documents on trade, 1949-1957, volume two") == [
        ("1949-1957", D(1949, 1, 1), D(1957, 12, 31), "year")]


def test_editorial_brackets() -> None:
    assert dates_of("On 14 [October] the train left; the note dated May 3 [4] was answered.",
                    D(1958, 10, 20)) == [("14 [October]", D(1958, 10, 14), D(1958, 10, 14), "day"),
                                         ("May 3 [4]", D(1958, 5, 3), D(1958, 5, 3), "day")]


def test_slashed_and_year_first_dates() -> None:
    assert dates_of("Declassified 1999/04/30. Izvestia, 1954. Oct 12", None) == [
        ("1999/04/30", D(1999, 4, 30), D(1999, 4, 30), "day"),
        ("1954. Oct 12", D(1954, 10, 12), D(1954, 10, 12), "day")]


def test_date_with_this_year_is_one_date() -> None:
    assert dates_of("the statements of April 2 and of May 8 of this year") == [
        ("April 2", D(1969, 4, 2), D(1969, 4, 2), "day"), ("May 8 of this year", D(1969, 5, 8), D(1969, 5, 8), "day")]


@pytest.mark.parametrize("phrase", ["late 1951", "mid-1951", "the second half of 1951", "the end of 1951"])
def test_parts_of_a_year_start_on_1_january(phrase: str) -> None:
    [(_, first, last, precision)] = dates_of(f"In {phrase} the Embassy reported")
    assert (first, last, precision) == (D(1951, 1, 1), D(1951, 12, 31), "year")


def test_without_a_document_date_the_year_comes_from_a_full_date_nearby() -> None:
    text = "On June 3, 1966, the guards fired. On June 9 the talks resumed. On July 2 they ended."
    found, unresolved = scan_dates(text, None)
    assert [(m.text, m.date) for m in found] == [("June 3, 1966", D(1966, 6, 3)), ("June 9", D(1966, 6, 9)),
                                                 ("July 2", D(1966, 7, 2))]
    assert unresolved == []


def test_relative_days_count_from_the_document_date() -> None:
    [(text, day, _, _)] = dates_of("The delegations met last night.", D(1955, 2, 10))
    assert (text, day) == ("last night", D(1955, 2, 9))


def test_footnote_digit_glued_to_a_year_is_no_year() -> None:
    assert dates_of("the volume of 19571 pages and the Annex0 note", None) == []


# --------------------------------------------------------------------------- figures


def figures_of(text: str, anchor: dt.date | None = DOCUMENT_1960) -> list[tuple[int, int | None, bool]]:
    found, unresolved = scan_dates(text, anchor)
    return [(f.low, f.high, f.approximate) for f in find_figures(
        text, exclude=[(d.start, d.end) for d in found], unread=[(u.start, u.end) for u in unresolved])]


@pytest.mark.parametrize(
    "text",
    [
        "The train left at 6:00 p.m. for the border.",
        "They met at 9 o'clock in the morning.",
        "See Peking telegram 214 to the Department.",
        "Copy No. 31 of 40; 3 Copies sent; Document Page Count: 12 pages",
        "[less than 1 line of source text not declassified] and [Page 311]",
        "the two delegations met, and the two countries agreed",
        "On August 12 a series of reports arrived.",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures_of(text, None) == []


@pytest.mark.parametrize(
    ("text", "figure"),
    [
        ("forty-two Soviet citizens crossed", (42, None, False)),
        ("several hundred refugees waited", (200, 900, True)),
        ("there are 4–5,000 advisers in the country", (4000, 5000, False)),
        ("the eastern 1,800-mile sector of the frontier", (1800, None, False)),
        ("at least two occasions", (2, None, True)),
        ("the two commissions will meet", (2, None, False)),
        ("the eleven of us took part", (11, None, False)),
        ("approximately 1,\n200 specialists", (1200, None, True)),
    ],
)
def test_figures(text: str, figure: tuple[int, int | None, bool]) -> None:
    assert figures_of(text) == [figure]


# --------------------------------------------------------------------------- places


def _place(place_id: str, name: str, kind: str = "city", alt: tuple[str, ...] = (), country: str = "PRC") -> Place:
    return Place(id=place_id, name=name, kind=kind, lat=40.0, lon=120.0, alt_names=list(alt), country=country,
                 source="test fixture")


class _TwoLayers(Gazetteer):
    """A curated layer plus names that stand for a generated (regional) layer."""

    def __init__(self) -> None:
        super().__init__([
            _place("moscow", "Moscow", country="USSR"),
            _place("ussr", "Soviet Union", "country", ("USSR", "U.S.S.R."), "USSR"),
            _place("prc", "People's Republic of China", "country", ("PRC", "China")),
            _place("ili", "Ili", "region"),
            _place("border", "Sino-Soviet border", "border", ("China-USSR border",)),
        ])
        self.extra = {"heihe": _place("heihe", "Heihe"), "blagoveshchensk": _place("blagoveshchensk", "Blagoveshchensk",
                                                                                     country="USSR"),
                      "tobe": _place("tobe", "Tobe"), "ming": _place("ming", "Ming"),
                      "aigun": _place("aigun", "Aigun"), "date": _place("date", "Date")}

    def matcher_names(self):  # type: ignore[no-untyped-def]
        yield from super().matcher_names()
        for place_id, place in self.extra.items():
            yield place.name.lower(), place_id

    def get(self, place_id: str) -> Place | None:
        return self.extra.get(place_id) or super().get(place_id)


@pytest.fixture(scope="module")
def names() -> NameMatcher:
    return NameMatcher.from_gazetteer(_TwoLayers())


def found(matcher: NameMatcher, text: str) -> list[tuple[str, str]]:
    return [(m.id, m.text) for m in matcher.find(text)]


def test_every_gazetteer_name_is_found_without_a_preposition(names: NameMatcher) -> None:
    assert found(names, "the towns of Blagoveshchensk and Heihe were shelled; troops moved toward Aigun") == [
        ("blagoveshchensk", "Blagoveshchensk"), ("heihe", "Heihe"), ("aigun", "Aigun")]


def test_spacing_and_punctuation_of_names_do_not_matter(names: NameMatcher) -> None:
    assert found(names, "the China - USSR boundary and the U.S.S.R.") == [
        ("border", "China - USSR boundary"), ("ussr", "U.S.S.R.")]


def test_generated_names_only_as_proper_names(names: NameMatcher) -> None:
    assert found(names, "To be sure, it was in a date line. Date") == []  # Tobe, Date: words of English prose
    assert found(names, "the people's republic of china") == [("prc", "people's republic of china")]  # curated


def test_person_names_are_not_places(names: NameMatcher) -> None:
    assert found(names, "Wang [Ming] and Li Heihe arrived; Heihe is on the river") == [("heihe", "Heihe")]


def test_time_zones_and_archive_references_are_not_places(names: NameMatcher) -> None:
    assert found(names, "at 5:00 Moscow time; PRC FMA 109-01234-05; the Ili region") == [("ili", "Ili")]


def test_organisations_are_not_places(names: NameMatcher) -> None:
    assert found(names, "the Communist Party of China and the Heihe Railway Co. reported from Moscow") == [
        ("moscow", "Moscow")]


def test_a_direction_before_a_region_is_part_of_its_mention(names: NameMatcher) -> None:
    assert found(names, "conditions in Southern Ili") == [("ili", "Southern Ili")]


def test_initials_are_not_towns(names: NameMatcher) -> None:
    assert found(names, "signed: DATE") == []


def test_capitalised_phrases_where_places_stand_are_candidates() -> None:
    analysis = analyse_document("May 2, 1969\n\nNotes\n\nThe villages of Nizhnyaya Poima and Krasny Yar were "
                                "evacuated; patrols went toward Zhelezny (N 45-10, E 82-30) and Damansky Island.",
                                Gazetteer([]))
    assert [c.name for c in analysis.candidates] == ["Nizhnyaya Poima", "Krasny Yar", "Zhelezny", "Damansky Island"]


# --------------------------------------------------------------------------- drafts


def test_a_date_attached_to_an_exchange_takes_its_type() -> None:
    text = ("March 1, 1953\n\nCommuniqué on the railway\n\nIn accordance with the agreement of March 2, 1951 "
            "and the note dated September 15, 1952, the property was transferred on December 31, 1952.\n")
    drafts = propose_events(analyse_document(text))
    assert [(d.event.date, d.event.title) for d in drafts.drafts[1:]] == [
        (D(1951, 3, 2), "Agreement, 2 March 1951"), (D(1952, 9, 15), "Note, 15 September 1952"),
        (D(1952, 12, 31), "Transferred, 31 December 1952")]


def test_sender_and_recipient_of_a_communication_from_known_actors() -> None:
    class Actor:
        def __init__(self, actor_id: str, name: str) -> None:
            self.id, self.name, self.alt_names, self.kind = actor_id, name, [], "person"

    text = "May 3, 1962\n\nNotes\n\nOn 2 May Gromyko sent a letter to Zhou Enlai about the border.\n"
    analysis = analyse_document(text, actors=[Actor("gromyko", "Gromyko"), Actor("zhou", "Zhou Enlai")])
    letter = propose_events(analysis).drafts[1].event
    assert (letter.event_type, letter.sender, letter.recipient) == (EventType.letter, ["gromyko"], ["zhou"])


def test_people_who_are_not_known_actors_are_proposed() -> None:
    class Actor:
        def __init__(self, actor_id: str, name: str) -> None:
            self.id, self.name, self.alt_names, self.kind = actor_id, name, [], "person"

    text = ("May 3, 1962\n\nNotes\n\nAmbassador Ivanov and P.K. Sidorenko met Comrade Zhou Enlai in Moscow; "
            "Premier Zhou Enlai spoke.\n")
    analysis = analyse_document(text, actors=[Actor("zhou", "Zhou Enlai")])
    assert [p.name for p in analysis.people] == ["Ivanov", "P.K. Sidorenko"]


def test_two_digit_year_after_a_dot() -> None:
    assert dates_of("the note of March 14.50 was received", None) == [
        ("March 14.50", D(1950, 3, 14), D(1950, 3, 14), "day")]
