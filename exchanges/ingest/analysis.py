"""Run every extractor over one pasted document: the single entry point of the ingester."""

from __future__ import annotations

import bisect
import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from exchanges.ingest.dates import DateMention, find_dates
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

    @property
    def text(self) -> str:
        return self.document.text

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

    ``anchor`` overrides the document date that partial dates are resolved
    from; by default it is the date in the document's header, else the first
    full date of the body. ``place_matcher`` may be passed to reuse one built
    from the gazetteer (building it is the costly part).
    """
    document = parse_document(text)
    analysed = document.analysed_text
    matcher = place_matcher or (NameMatcher.from_gazetteer(gazetteer) if gazetteer is not None else NameMatcher({}))
    places = matcher.find(analysed)
    places = sorted([*places, *infer_seats(analysed, places, _capital_names(gazetteer))], key=lambda m: m.start)
    actor_list = list(actors)
    actor_mentions = NameMatcher.from_items(actor_list).find(analysed) if actor_list else []

    if anchor is None:
        anchor = document.date or _first_full_date(analysed)
    dates = find_dates(analysed, anchor)
    figures = find_figures(analysed, exclude=[(d.start, d.end) for d in dates])

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


def _first_full_date(text: str) -> dt.date | None:
    for mention in find_dates(text, None, use_fallback=False):
        if mention.kind == "absolute" and not mention.is_span and mention.precision.value == "day":
            return mention.date
    return None


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
