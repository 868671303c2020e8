"""The analyser's shortcuts for long texts find exactly what a pass over the whole text finds.

Each date rule reads only the windows around its trigger words (``dates._TRIGGERS``,
``text.near_token``) and the figure finder tries its pattern only where a number can
start (``figures._FigureFinder._number_starts``); these tests compare both with the
plain whole-text pass on a text made of phrases written for the tests. Timings are
measured in bench/bench_ingest.py --speed, never asserted here.
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pytest

from exchanges.ingest import dates as dates_module
from exchanges.ingest.figures import _FigureFinder
from exchanges.ingest.lexicon import load_lexicon
from exchanges.ingest.text import near_token, words_before

PHRASES = (
    "On 4 and 9 February the consul wrote twice.",
    "Between 12-15 October 1958 the talks went on; from 3 May through 9 May 1957 nothing moved.",
    "In the second half of November 1956 and early in 1957 the traffic grew.",
    "The winter of 1955 and the spring and summer of 1956 were hard.",
    "A telegram of Sept 30.55 and another of 1954-11-02 arrived during the 1950s.",
    "The years 1953–55 and the period 1949-1952 saw two thousand crossings.",
    "Within two weeks, over the past three years, and two months ago: all counted.",
    "Yesterday and this morning the guards counted forty-two carts and several hundred sheep.",
    "About 1,\n200 herdsmen and a few thousand horses crossed in March/April 1959.",
    "Some 4–5,000 technicians, twenty to thirty trucks and one hundred tons of grain left.",
    "Of note: telegram No. 214 at 6:00 p.m., Route 66, page 3 and the 2000 people of Heihe.",
    "Someone often wrote that ten or eleven Kazakh families, a couple of dozen, went.",
    "In late 1962, in mid-August and by the end of December of the same year it stopped.",
    "The Ambassador met him on August 12th, 1960 and on the 8th of June 1962.",
)


def _text(seed: int) -> str:
    rng = random.Random(seed)
    return "\n".join(" ".join(rng.choice(PHRASES) for _ in range(rng.randint(1, 4))) for _ in range(60))


@pytest.mark.parametrize("seed", range(4))
@pytest.mark.parametrize("anchor", [dt.date(1962, 9, 1), None])
def test_date_rules_near_their_triggers_find_what_a_whole_pass_finds(
        seed: int, anchor: dt.date | None, monkeypatch: pytest.MonkeyPatch) -> None:
    text = _text(seed)
    windowed = dates_module.scan_dates(text, anchor)
    monkeypatch.setattr(dates_module, "near_token", lambda text, token, before, after: [(0, len(text))])
    whole = dates_module.scan_dates(text, anchor)
    assert windowed == whole
    assert len(windowed[0]) > 100


@pytest.mark.parametrize("seed", range(4))
def test_numbers_tried_where_they_can_start_match_a_whole_pass(seed: int) -> None:
    text = _text(seed) + " İstanbul had ſeven, ıt sayş fıve? Five. Kelvin: Kilo-ten."
    for sample in (text, text.replace("İstanbul", "Istanbul")):  # with and without a letter that lengthens
        finder = _FigureFinder(sample, [], load_lexicon())
        pattern = finder.number_pattern()
        spans = [m.span() for m in finder._matches_at(pattern, finder._number_starts())]
        assert spans == [m.span() for m in pattern.finditer(finder.scan)]
        assert len(spans) > 50


def test_near_token_windows_cover_each_token_and_cut_no_word() -> None:
    text = "alpha beta 1952 gamma delta epsilon 1953 zeta " + "x" * 200 + " eta 1954 theta"
    ranges = near_token(text, re.compile(r"\d{4}"), 15, 3)
    for year in re.finditer(r"\d{4}", text):
        assert any(start <= max(0, year.start() - 15) and year.end() + 3 <= end for start, end in ranges)
    assert all(end == len(text) or text[end].isspace() for _, end in ranges)
    assert len(ranges) == 2  # the first two windows merge, the third stands apart


def test_words_before_finds_the_longest_phrase_ending_before_a_name() -> None:
    phrases = frozenset({"in", "in the", "the towns of", "near"})
    text = "Troops moved into the towns of  Heihe and near Aigun."
    assert text[words_before(text, text.index("Heihe"), phrases):].startswith("the towns of  Heihe")
    assert text[words_before(text, text.index("Aigun"), phrases):].startswith("near Aigun")
    assert words_before(text, text.index("Troops"), phrases) is None
    assert words_before("at Heihe", 3, phrases) is None
