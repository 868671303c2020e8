"""Run every extractor over one pasted document: the single entry point of the ingester."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from exchanges.ingest.borders import find_borders
from exchanges.ingest.dates import DateMention, UnresolvedDate, scan_dates
from exchanges.ingest.document import LineRole, ParsedDocument, parse_document
from exchanges.ingest.figures import FigureMention, find_figures
from exchanges.ingest.lexicon import load_lexicon
from exchanges.ingest.places import (
    GazetteerLike,
    NameMatcher,
    NameMention,
    PlaceCandidate,
    PlaceLike,
    count_by_id,
    group_candidates,
    infer_seats,
    propose_candidates,
    propose_people,
)
from exchanges.ingest.text import Sentence, split_sentences


class GeocoderLike(Protocol):
    """What the ingester needs of ``exchanges.geocoder.Geocoder``."""

    def resolve_many(self, names: Sequence[str]) -> Any: ...


@dataclass(frozen=True)
class Located:
    """A name the geocoder placed outside the gazetteer (cache or live look-up)."""

    name: str
    lat: float
    lon: float
    provenance: str
    source: str
    kind_hint: str | None = None  # "city", "region" or "country", as the provider describes it


@dataclass(frozen=True)
class CandidateResolution:
    """What became of the place-like names that are not gazetteer names.

    ``resolved``: name -> gazetteer place id (usable in events). ``located``:
    names the geocoder found coordinates for outside the gazetteer (cache or
    live); events can only name gazetteer places, so these are shown with their
    coordinates and source, and the user may add them to their own places
    (``exchanges.user_places``). ``unresolved``:
    name -> why it could not be placed (every name, when there is no geocoder).
    """

    resolved: dict[str, str] = field(default_factory=dict)
    located: dict[str, Located] = field(default_factory=dict)
    unresolved: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Analysis:
    """Everything the extractors found in one document. Offsets are into ``document.text``."""

    document: ParsedDocument
    anchor: dt.date | None
    places: list[NameMention]
    candidates: list[PlaceCandidate]
    resolution: CandidateResolution
    dates: list[DateMention]
    figures: list[FigureMention]
    actors: list[NameMention]
    sentences: list[Sentence]
    people: list[PlaceCandidate] = field(default_factory=list)
    """Names of people who are not known actors ("Ambassador Ivanov"): new actors to review."""
    unresolved_dates: list[UnresolvedDate] = field(default_factory=list)
    """Days and months without a year that nothing in the text places (no document date)."""
    date_given: bool = False
    """True when the document's date was given (``--date``, the app's date field)."""

    @property
    def text(self) -> str:
        return self.document.text

    @property
    def document_date(self) -> dt.date | None:
        """The document's own date: given, or found in its header (``document.date_source`` says where)."""
        return self.anchor

    @property
    def date_source(self) -> str | None:
        if self.anchor is None:
            return None
        return "given" if self.date_given else self.document.date_source

    @property
    def needs_date(self) -> bool:
        """True when the document's date is unknown: the drafts' dates are then partly to be filled in."""
        return self.anchor is None

    @property
    def date_request(self) -> str | None:
        """What to tell the reader when the date is unknown (``None`` when it is known)."""
        if self.anchor is not None:
            return None
        message = ("No date of the document was found (no date line, archive date, file number or "
                   "[Received …] note): give the document's date.")
        if self.unresolved_dates:
            listed = ", ".join(repr(u.text.strip()) for u in self.unresolved_dates[:5])
            more = "…" if len(self.unresolved_dates) > 5 else ""
            message += f" Without it these dates have no year: {listed}{more}."
        return message + " The draft of the document itself has no date until then."

    def place_counts(self) -> dict[str, int]:
        """Mentions per place id (named, not inferred), most mentioned first."""
        return count_by_id(m for m in self.places if not m.inferred)

    def named_places(self) -> list[NameMention]:
        return [m for m in self.places if not m.inferred]

    def inferred_places(self) -> list[NameMention]:
        return [m for m in self.places if m.inferred]

    def candidate_groups(self) -> dict[str, list[PlaceCandidate]]:
        return group_candidates(self.candidates)

    def body_sentences(self) -> list[Sentence]:
        """Sentences of the body (not the title or the date line)."""
        body_lines = self.document.lines_with(LineRole.body)
        starts = [line.start for line in body_lines]
        kept = []
        for sentence in self.sentences:
            index = bisect.bisect_right(starts, sentence.start) - 1
            if index >= 0 and sentence.start <= body_lines[index].end:
                kept.append(sentence)
        return kept

    def title_spans(self) -> list[tuple[int, int]]:
        return [(line.start, line.end) for line in self.document.lines_with(LineRole.title)]


def analyse_document(
    text: str,
    gazetteer: GazetteerLike | None = None,
    *,
    actors: Iterable[PlaceLike] = (),
    geocoder: GeocoderLike | None = None,
    anchor: dt.date | None = None,
    place_matcher: NameMatcher | None = None,
) -> Analysis:
    """Parse ``text`` and find its places, dates, figures and actors.

    ``anchor`` is the document's date when it is given (``--date``, the app's
    date field); by default it is the date the document's header gives
    (``ParsedDocument.date``). Without one the document is still analysed:
    dates without a year take the year of the nearest full date in the text or
    are listed in ``unresolved_dates``, and ``needs_date``/``date_request`` say
    so. ``place_matcher`` may be passed to reuse one built from the gazetteer
    (building it is the costly part).

    Places, dates and figures are read in the whole text as published except
    web-page residue (archive metadata and citations included); actors win
    over place names at the same words; draft events come only from the
    title, date line and body (``Analysis.body_sentences``).
    """
    document = parse_document(text)
    analysed = document.analysed_text
    content = document.content_text  # archive metadata and citations too: read, but no events from them
    matcher = place_matcher or (NameMatcher.for_gazetteer(gazetteer) if gazetteer is not None else NameMatcher({}))
    actor_list = list(actors)
    actor_mentions = NameMatcher.from_items(actor_list).find(content) if actor_list else []
    people = {actor.id for actor in actor_list if getattr(actor, "kind", None) == "person"}
    # a person's name is no place ("Mao"); an office's name may hold one ("Soviet Embassy in China")
    places = matcher.find(content, taken=[(m.start, m.end) for m in actor_mentions if m.id in people])
    date_given = anchor is not None
    if anchor is None:
        anchor = document.date
    seats = infer_seats(content, places, _capital_names(gazetteer), year=anchor.year if anchor else None)
    title = " ".join(line.text for line in document.lines_with(LineRole.title))
    borders = find_borders(content, gazetteer, places, title=title) if gazetteer is not None else []
    places = sorted([*places, *seats, *borders], key=lambda m: m.start)
    dates, unresolved = scan_dates(content, anchor)
    figures = find_figures(content, exclude=[(d.start, d.end) for d in dates],
                           unread=[(u.start, u.end) for u in unresolved])

    actor_names = [name for actor in actor_list for name in (actor.name, *actor.alt_names)]
    candidates = propose_candidates(
        analysed,
        known=[(m.start, m.end) for m in places] + [(m.start, m.end) for m in actor_mentions],
        exclude_names=actor_names,
    )
    resolution = resolve_candidates(list(group_candidates(candidates)), geocoder)
    return Analysis(
        document=document,
        anchor=anchor,
        places=places,
        candidates=candidates,
        resolution=resolution,
        dates=dates,
        figures=figures,
        actors=actor_mentions,
        sentences=split_sentences(analysed),
        people=propose_people(analysed, known=[(m.start, m.end) for m in [*actor_mentions, *places]]),
        unresolved_dates=unresolved,
        date_given=date_given,
    )


def _capital_names(gazetteer: GazetteerLike | None) -> dict[str, str]:
    """Gazetteer id -> name of the capitals ``lexicon.yaml`` knows, if the gazetteer has them."""
    get = getattr(gazetteer, "get", None)
    if get is None:
        return {}
    names = {}
    for capital in load_lexicon().capitals.values():
        place = get(capital)
        if place is not None:
            names[capital] = place.name
    return names


def resolve_candidates(names: Sequence[str], geocoder: GeocoderLike | None) -> CandidateResolution:
    """Ask the geocoder (gazetteer first, then its cache, live only if enabled) to place ``names``.

    Without a geocoder every name is reported unresolved: nothing is dropped.
    """
    if not names:
        return CandidateResolution()
    if geocoder is None:
        return CandidateResolution(unresolved={name: "not looked up (no geocoder)" for name in names})
    report = geocoder.resolve_many(list(names))
    resolved: dict[str, str] = {}
    located: dict[str, Located] = {}
    unresolved: dict[str, str] = {}
    for item in getattr(report, "resolved", []):
        if getattr(item, "place_id", None):
            resolved[item.query] = item.place_id
        else:
            located[item.query] = Located(item.name, item.lat, item.lon, item.provenance, item.source,
                                          getattr(item, "kind_hint", None))
    for item in getattr(report, "unresolved", []):
        unresolved[item.query] = item.reason
    for name in names:  # a name the report forgot is still reported
        if name not in resolved and name not in located and name not in unresolved:
            unresolved[name] = "no answer from the geocoder"
    return CandidateResolution(resolved=resolved, located=located, unresolved=unresolved)
