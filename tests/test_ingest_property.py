"""What "Add a document" proposes always passes the save's own validation (issue 13, item 8).

A property test over generated documents (hypothesis, bounded examples so the
suite stays fast): whatever mix of date phrases, exchanges, figures and places
a document holds, every draft the analyser proposes validates exactly as the
save validates it (``exchanges.userdata.validate_events`` against the catalog
plus the new document), once the document's date is known.
"""

from __future__ import annotations

import dataclasses
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.ingest.analysis import analyse_document
from exchanges.ingest.drafts import propose_events
from exchanges.ingest.places import NameMatcher
from exchanges.userdata import validate_events

MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
YEARS = st.integers(1946, 1975)
DAYS = st.integers(1, 28)
MONTH = st.sampled_from(MONTHS)

DATE_PHRASES = st.one_of(
    st.builds("In late {}".format, YEARS),
    st.builds("In mid-{}".format, YEARS),
    st.builds("In the second half of {}".format, YEARS),
    st.builds("At the end of {}".format, YEARS),
    st.builds("In early {}".format, YEARS),
    st.builds("On {} {} {}".format, DAYS, MONTH, YEARS),
    st.builds("On {} {}".format, MONTH, DAYS),
    st.builds("In the spring of {}".format, YEARS),
    st.builds("In the winter of {}".format, YEARS),
    st.builds("From {} {} through {} {} {}".format, DAYS, MONTH, DAYS, MONTH, YEARS),
    st.builds("In {}/{} {}".format, MONTH, MONTH, YEARS),
    st.builds("In the first half of {}".format, MONTH),
    st.builds("Late in {}".format, MONTH),
    st.builds("Between {}-{}".format, YEARS, YEARS),
    st.builds("In the {}s".format, st.sampled_from((1940, 1950, 1960))),
    st.just("Last night"),
    st.just("This year"),
    st.just("Within a week"),
    st.builds("On {} [{}]".format, DAYS, MONTH),
)
HAPPENINGS = st.sampled_from((
    "the Embassy reported to the Ministry", "a letter was sent to the consul", "talks were held",
    "about 300 people crossed the border", "several hundred refugees fled", "the two commissions met",
    "forty-two citizens were repatriated", "the agreement was signed", "a note of protest was handed over",
    "4–5,000 workers left", "the guards fired on a patrol", "nothing happened",
))
PLACES = st.sampled_from(("", " in Harbin", " near Kulja", " at the Sino-Soviet border", " in Moscow", " in Tacheng"))
SENTENCE = st.builds(lambda when, what, where: f"{when} {what}{where}.", DATE_PHRASES, HAPPENINGS, PLACES)
HEADER = st.sampled_from((
    "{date}\n\nReport of the Consul General\n\n",
    "Letter to the Ministry. {date}\n\n",
    "611.93/{month}–{day}{yy}: Telegram\n\nThe Ambassador to the Secretary of State\n\n",
    "Notes of a conversation\n\n",
))


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, dt.date]:
    day = draw(st.dates(dt.date(1946, 1, 1), dt.date(1975, 12, 31)))
    header = draw(HEADER).format(date=f"{MONTHS[day.month - 1]} {day.day}, {day.year}", month=day.month,
                                 day=day.day, yy=f"{day.year % 100:02d}")
    body = " ".join(draw(st.lists(SENTENCE, min_size=1, max_size=6)))
    return header + body + "\n", day


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(documents())
def test_every_draft_passes_the_save_validation(shipped_catalog: Catalog, shipped_gazetteer: Gazetteer,
                                                document: tuple[str, dt.date]) -> None:
    text, day = document
    analysis = analyse_document(text, shipped_gazetteer, actors=shipped_catalog.actors.values(),
                                place_matcher=_matcher(shipped_gazetteer))
    if analysis.needs_date:  # the reader gives the date, as the app asks
        analysis = analyse_document(text, shipped_gazetteer, actors=shipped_catalog.actors.values(), anchor=day,
                                    place_matcher=_matcher(shipped_gazetteer))
    draft_set = propose_events(analysis, "user-generated-document")
    assert not draft_set.needs_date
    catalog = dataclasses.replace(
        shipped_catalog,
        documents={**shipped_catalog.documents, draft_set.document.id: draft_set.document},
        texts={**shipped_catalog.texts, draft_set.document.id: text},
    )
    valid, issues = validate_events(draft_set.events, catalog, shipped_gazetteer, file="generated.yaml")
    assert issues == [], (text, [str(i) for i in issues])
    assert len(valid) == len(draft_set.events)


_MATCHERS: dict[int, NameMatcher] = {}


def _matcher(gazetteer: Gazetteer) -> NameMatcher:
    if id(gazetteer) not in _MATCHERS:
        _MATCHERS[id(gazetteer)] = NameMatcher.from_gazetteer(gazetteer)
    return _MATCHERS[id(gazetteer)]
