"""Date extraction (exchanges.ingest.dates): the phrases of the two corpus documents and traps."""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.ingest.dates import DateMention, find_dates, natural_end, parse_date_line
from exchanges.models import DatePrecision

D = dt.date
DOC_1962 = D(1962, 8, 10)
DOC_1952 = D(1952, 1, 7)


def only(text: str, anchor: dt.date | None = DOC_1962) -> DateMention:
    found = find_dates(text, anchor)
    assert len(found) == 1, found
    return found[0]


def test_day_month_without_year_takes_the_document_year() -> None:
    mention = only("On 26 June, the Government of the Soviet Union received the reply")
    assert (mention.date, mention.precision, mention.kind) == (D(1962, 6, 26), DatePrecision.day, "partial")
    assert mention.text == "26 June"


def test_offsets_point_into_the_text() -> None:
    text = "On 26 June, the Government received"
    mention = only(text)
    assert text[mention.start : mention.end] == mention.text


def test_two_dates_in_one_phrase() -> None:
    found = find_dates("to our statements of 8 June and 11 June on the mass exodus", DOC_1962)
    assert [m.date for m in found] == [D(1962, 6, 8), D(1962, 6, 11)]
    assert all(m.precision is DatePrecision.day for m in found)


def test_day_list_sharing_one_month() -> None:
    found = find_dates("the statements of 8 and 11 June", DOC_1962)
    assert [m.date for m in found] == [D(1962, 6, 8), D(1962, 6, 11)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("December 20, 1951", D(1951, 12, 20)),
        ("January 7, 1952", D(1952, 1, 7)),
        ("August 10, 1962", D(1962, 8, 10)),
        ("20 December 1951", D(1951, 12, 20)),
        ("the 8th of June 1962", D(1962, 6, 8)),
    ],
)
def test_full_dates(text: str, expected: dt.date) -> None:
    mention = only(f"it happened on {text}, as reported", None)
    assert (mention.date, mention.precision, mention.kind) == (expected, DatePrecision.day, "absolute")


def test_second_half_of_april_this_year_is_a_half_month() -> None:
    mention = only("In contrast, since the second half of April this year, there has been a mass exodus")
    assert (mention.date, mention.end_date) == (D(1962, 4, 16), D(1962, 4, 30))
    assert mention.precision is DatePrecision.half_month
    assert not mention.is_span  # exactly one half-month


def test_first_half_of_a_month() -> None:
    mention = only("in the first half of March 1953", None)
    assert (mention.date, mention.end_date, mention.precision) == (D(1953, 3, 1), D(1953, 3, 15), DatePrecision.half_month)


def test_spring_and_summer_is_one_season_span() -> None:
    mention = only("propose repatriating unemployed Soviet citizens in the spring and summer of 1952 under", DOC_1952)
    assert (mention.date, mention.end_date) == (D(1952, 3, 1), D(1952, 8, 31))
    assert mention.precision is DatePrecision.season
    assert mention.is_span  # two seasons


def test_a_year() -> None:
    mention = only("those imposed in 1947 on the 3,000 Soviet citizens", DOC_1952)
    assert (mention.date, mention.end_date, mention.precision) == (D(1947, 1, 1), D(1947, 12, 31), DatePrecision.year)


def test_early_year_is_year_precision_narrowed_to_its_first_months() -> None:
    mention = only("entry visas to the USSR in early 1952 to 100-150 Soviet citizens", DOC_1952)
    assert mention.precision is DatePrecision.year
    assert mention.date == D(1952, 1, 1)
    assert D(1952, 1, 1) < mention.end_date < D(1952, 12, 31)
    assert mention.contains(D(1952, 2, 15)) and not mention.contains(D(1952, 11, 1))


def test_within_a_week_is_relative_to_the_date_before_it() -> None:
    text = ("This issue was discussed at a meeting on December 20, 1951, and it was decided "
            "to return to its consideration within a week.")
    stated, relative = find_dates(text, DOC_1952)
    assert stated.date == D(1951, 12, 20)
    assert relative.text == "within a week"
    assert relative.kind == "relative"
    assert (relative.date, relative.end_date) == (D(1951, 12, 20), D(1951, 12, 27))


def test_over_the_past_three_years_counts_back_from_the_document_date() -> None:
    mention = only("over the past three years, on average, there has been one crossing")
    assert mention.kind == "relative"
    assert mention.end_date == DOC_1962
    assert mention.date == D(1959, 8, 1)


def test_relative_phrase_without_any_anchor_is_left_out() -> None:
    assert find_dates("within a week", None) == []
    assert find_dates("On 26 June, the Government", None) == []


@pytest.mark.parametrize(
    "text",
    [
        "there are currently approximately 2,500 unemployed Soviet citizens",
        "Source: PRC FMA 118-01767-01, 7-11. Translated by 7Brands.",
        "Confidential File No. 409",
        "Record ID 118207",
        "to 100-150 families of Soviet citizens",
        "we may go, and the army will march on",
        "we believe that we should",
    ],
)
def test_no_false_dates(text: str) -> None:
    assert find_dates(text, DOC_1962) == []


def test_a_four_digit_count_is_not_a_year() -> None:
    assert find_dates("about 2000 people crossed", DOC_1962) == []
    assert [m.date.year for m in find_dates("in 2000 people crossed", DOC_1962)] == [2000]


def test_impossible_day_is_rejected() -> None:
    found = find_dates("on 31 June 1962", None)
    assert all(m.precision is not DatePrecision.day for m in found)  # at most "June 1962"


def test_partial_date_after_the_document_falls_in_the_year_before() -> None:
    # A document of 10 August 1962 reporting "on 20 November" means November 1961.
    assert only("on 20 November the talks resumed").date == D(1961, 11, 20)


def test_month_names_need_a_capital_only_when_ambiguous() -> None:
    assert [m.date for m in find_dates("since April this year", DOC_1962)] == [D(1962, 4, 1)]
    assert find_dates("they may come", DOC_1962) == []
    assert [m.date for m in find_dates("in May 1962", None)] == [D(1962, 5, 1)]


@pytest.mark.parametrize(
    ("day", "precision", "end"),
    [
        (D(1962, 4, 16), DatePrecision.half_month, D(1962, 4, 30)),
        (D(1962, 2, 1), DatePrecision.month, D(1962, 2, 28)),
        (D(1952, 3, 1), DatePrecision.season, D(1952, 5, 31)),
        (D(1947, 1, 1), DatePrecision.year, D(1947, 12, 31)),
    ],
)
def test_natural_end(day: dt.date, precision: DatePrecision, end: dt.date) -> None:
    assert natural_end(day, precision) == end


def test_date_line() -> None:
    assert parse_date_line("  January 7, 1952 ") == D(1952, 1, 7)
    assert parse_date_line("Top Secret") is None
    assert parse_date_line("On 26 June, the Government received the reply") is None
