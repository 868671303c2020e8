"""Figure extraction (exchanges.ingest.figures)."""

from __future__ import annotations

import datetime as dt

import pytest

from exchanges.ingest.dates import find_dates
from exchanges.ingest.figures import FigureMention, find_figures


def figures_of(text: str, anchor: dt.date = dt.date(1962, 8, 10)) -> list[FigureMention]:
    dates = find_dates(text, anchor)
    return find_figures(text, exclude=[(d.start, d.end) for d in dates])


def only(text: str) -> FigureMention:
    found = figures_of(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    ("text", "low", "high", "approximate", "what", "quote"),
    [
        pytest.param("there are currently approximately 2,500 unemployed Soviet citizens in Beijing",
                     2500, None, True, "unemployed Soviet citizens", "approximately 2,500", id="approximately"),
        pytest.param("imposed in 1947 on the 3,000 Soviet citizens repatriated from China to the USSR",
                     3000, None, False, "Soviet citizens", "3,000", id="plain count stops before the verb"),
        pytest.param("granting entry permits to the USSR in 1951 to 100-150 families of Soviet citizens in dire need",
                     100, 150, False, "families of Soviet citizens", "100-150", id="range"),
        pytest.param("It is an undisputed fact that the tens of thousands of people unexpectedly crossed the border",
                     10_000, None, True, "people", "tens of thousands", id="tens of thousands"),
        pytest.param("on certain days during this period, thousands of people crossed the border.",
                     1000, None, True, "people", "thousands", id="thousands"),
        pytest.param("there were merely seven persons crossing the border into Chinese territory",
                     7, None, False, "persons", "seven", id="number in words"),
    ],
)
def test_one_figure(text: str, low: int, high: int | None, approximate: bool, what: str, quote: str) -> None:
    figure = only(text)
    assert (figure.low, figure.high, figure.approximate, figure.what) == (low, high, approximate, what)
    assert figure.quote == quote


def test_rate_is_one_figure_with_its_period() -> None:
    figure = only("over the past three years, on average, there has been one illegal border crossing "
                  "into the Soviet Union every two days.")
    assert figure.low == 1
    assert not figure.approximate  # an average is not an inexact count (data/SCHEMA.md)
    assert figure.what == "illegal border crossing into the Soviet Union every two days, on average"


def test_offsets_cover_number_and_noun() -> None:
    text = "there are approximately 2,500 unemployed Soviet citizens in Beijing"
    figure = only(text)
    assert text[figure.start : figure.end] == "approximately 2,500 unemployed Soviet citizens"


@pytest.mark.parametrize(
    "text",
    [
        "PRC FMA 118-01767-01, 7-11. Translated by 7Brands.",
        "Confidential File No. 409",
        "On 26 June, the Government",
        "over the past three years",
        "on one hand, we will continue; for our two nations",
        "in 1952 the matter was discussed",
    ],
)
def test_not_figures(text: str) -> None:
    assert figures_of(text) == []


def test_to_figure_model() -> None:
    figure = only("to 100-150 families of Soviet citizens").to_figure()
    assert (figure.low, figure.high) == (100, 150)


def test_corpus_figures() -> None:
    from exchanges.ingest.analysis import analyse_document
    from exchanges.paths import DOCUMENTS_DIR

    statement = analyse_document((DOCUMENTS_DIR / "1962-08-10_soviet_statement_xinjiang_exodus.txt").read_text("utf-8"))
    assert sorted(f.low for f in statement.figures) == [1, 7, 1000, 10_000, 10_000]
    letter = analyse_document((DOCUMENTS_DIR / "1952-01-07_gromyko_to_stalin_repatriation.txt").read_text("utf-8"))
    # "approximately 2,500 unemployed …", "the 3,000 …", "100-150 families …", "in 1952 to 2,500 Soviet
    # citizens" (1952 is a year, not the start of a range), "100-150 Soviet citizens"
    assert sorted((f.low, f.high) for f in letter.figures) == [
        (100, 150), (100, 150), (2500, None), (2500, None), (3000, None)]
    assert [f.what for f in letter.figures if f.low == 2500 and not f.approximate] == ["Soviet citizens"]
