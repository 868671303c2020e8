"""What the reader has chosen to see, and how that choice lives in a URL.

``FilterState`` is pure data: the dashboard builds one from its widgets,
applies it to the catalog's events, and writes it to the page's query
parameters, so a link reopens the same view. Reading a URL never fails: values
that make no sense (a malformed date, an actor that does not exist) are
dropped, and each drop is described in the returned warnings so the page can
say what it ignored.

Search ignores case and accents ("emigres" finds "émigrés") and, given the
names the data knows (:class:`SearchNames`, built from the gazetteer and the
actors), reads a place's or an actor's other names as that place or actor:
"Peking" finds the events at Beijing or whose text names it under any of its
names, "Chi Peng-fei" those of Ji Pengfei.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
import string
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import get_args

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer, Place, normalize_name
from exchanges.models import Actor, Event, EventType
from exchanges.text import strip_accents
from exchanges.timeline import LaneMode
from exchanges.wording import event_type_label, format_day

#: Query-parameter names. Repeated keys hold several values (``actor=a&actor=b``).
PARAM_FROM = "from"
PARAM_TO = "to"
PARAM_ACTOR = "actor"
PARAM_PLACE = "place"
PARAM_TYPE = "type"
PARAM_THEME = "theme"
PARAM_QUERY = "q"
PARAM_EVENT = "event"
PARAM_LANES = "lanes"
LANE_MODES: tuple[str, ...] = get_args(LaneMode)
"""The timeline's lane modes; the first is the default (left out of the URL)."""
FILTER_PARAMS = (
    PARAM_FROM,
    PARAM_TO,
    PARAM_ACTOR,
    PARAM_PLACE,
    PARAM_TYPE,
    PARAM_THEME,
    PARAM_QUERY,
    PARAM_EVENT,
    PARAM_LANES,
)

MAX_QUERY_LENGTH = 200
"""Longer search text in a URL is cut (and the cut reported)."""

QueryParams = Mapping[str, "str | Sequence[str]"]


@dataclass(frozen=True)
class FilterState:
    """The dashboard's filters and selected event.

    Empty collections mean "no restriction". ``date_from``/``date_to`` are
    inclusive; an event is kept if any part of its span falls inside them.
    """

    date_from: dt.date | None = None
    date_to: dt.date | None = None
    actors: frozenset[str] = field(default_factory=frozenset)
    places: frozenset[str] = field(default_factory=frozenset)
    event_types: frozenset[EventType] = field(default_factory=frozenset)
    themes: frozenset[str] = field(default_factory=frozenset)
    query: str = ""
    selected: str | None = None
    lanes: str | None = None
    """The timeline's lanes (one of :data:`LANE_MODES`); ``None`` is the default."""
    names: SearchNames | None = field(default=None, compare=False, repr=False)
    """Other names of places and actors the search understands; not part of the URL."""

    def __post_init__(self) -> None:
        # Accept any iterable (lists from widgets) but store frozensets, so states compare.
        for name in ("actors", "places", "themes"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        object.__setattr__(self, "event_types", frozenset(EventType(t) for t in self.event_types))
        object.__setattr__(self, "query", " ".join(self.query.split()))
        if self.lanes == LANE_MODES[0]:
            object.__setattr__(self, "lanes", None)
        elif self.lanes is not None and self.lanes not in LANE_MODES:
            raise ValueError(f"lanes must be one of {LANE_MODES}, not {self.lanes!r}")

    # -- applying -----------------------------------------------------------

    def matches(self, event: Event) -> bool:
        """True if the event passes every filter (the selection is not a filter)."""
        if self.date_from is not None and event.last_date < self.date_from:
            return False
        if self.date_to is not None and event.date > self.date_to:
            return False
        if self.actors and self.actors.isdisjoint(event.actors):
            return False
        if self.places and self.places.isdisjoint(event.places):
            return False
        if self.event_types and event.event_type not in self.event_types:
            return False
        if self.themes and self.themes.isdisjoint(event.themes):
            return False
        return not (self.query and not matches_search(event, self.query, self.names))

    def apply(self, events: Iterable[Event]) -> list[Event]:
        """The events that pass, in their original order."""
        return [event for event in events if self.matches(event)]

    @property
    def is_default(self) -> bool:
        """True when nothing is filtered (the selection does not count)."""
        return replace(self, selected=None, lanes=None) == FilterState()

    def with_selected(self, event_id: str | None) -> FilterState:
        return replace(self, selected=event_id)

    # -- URL ----------------------------------------------------------------

    def to_query_params(self) -> dict[str, list[str]]:
        """Query parameters for this state; unset filters are left out.

        Values are lists (repeated keys) in a stable, sorted order, so the same
        state always gives the same URL.
        """
        params: dict[str, list[str]] = {}
        if self.date_from is not None:
            params[PARAM_FROM] = [self.date_from.isoformat()]
        if self.date_to is not None:
            params[PARAM_TO] = [self.date_to.isoformat()]
        if self.actors:
            params[PARAM_ACTOR] = sorted(self.actors)
        if self.places:
            params[PARAM_PLACE] = sorted(self.places)
        if self.event_types:
            params[PARAM_TYPE] = sorted(t.value for t in self.event_types)
        if self.themes:
            params[PARAM_THEME] = sorted(self.themes)
        if self.query:
            params[PARAM_QUERY] = [self.query]
        if self.selected:
            params[PARAM_EVENT] = [self.selected]
        if self.lanes:
            params[PARAM_LANES] = [self.lanes]
        return params

    @classmethod
    def from_query_params(
        cls,
        params: QueryParams,
        *,
        known_actors: Collection[str] | None = None,
        known_places: Collection[str] | None = None,
        known_themes: Collection[str] | None = None,
        known_events: Collection[str] | None = None,
    ) -> tuple[FilterState, list[str]]:
        """Read a state from query parameters; never raises.

        ``known_*`` are the ids that exist; values outside them are ignored
        (``None`` accepts any value). Returns the state and a list of warnings,
        one per ignored value, written for the reader ("Ignored unknown actor
        'x' in the link."). Keys that are not filter keys are left alone: other
        parts of the app may use them.
        """
        warnings: list[str] = []
        date_from = _read_date(params, PARAM_FROM, "start date", warnings)
        date_to = _read_date(params, PARAM_TO, "end date", warnings)
        if date_from and date_to and date_from > date_to:
            warnings.append(
                f"The link's start date {date_from.isoformat()} is after its end date "
                f"{date_to.isoformat()}; they were swapped."
            )
            date_from, date_to = date_to, date_from

        types: set[EventType] = set()
        for value in _values(params, PARAM_TYPE):
            try:
                types.add(EventType(value.strip().lower()))
            except ValueError:
                warnings.append(f"Ignored unknown event type {_quote(value)} in the link.")

        query = " ".join(_last(params, PARAM_QUERY, "").split())
        if len(query) > MAX_QUERY_LENGTH:
            warnings.append(f"The search text in the link was cut to {MAX_QUERY_LENGTH} characters.")
            query = query[:MAX_QUERY_LENGTH]

        selected = _last(params, PARAM_EVENT, "").strip() or None
        if selected is not None and known_events is not None and selected not in known_events:
            warnings.append(f"Ignored unknown event {_quote(selected)} in the link.")
            selected = None

        lanes = _last(params, PARAM_LANES, "").strip().lower() or None
        if lanes is not None and lanes not in LANE_MODES:
            warnings.append(
                f"Ignored the link's timeline lanes {_quote(lanes)}: expected one of {', '.join(LANE_MODES)}."
            )
            lanes = None

        state = cls(
            date_from=date_from,
            date_to=date_to,
            actors=_known(params, PARAM_ACTOR, known_actors, "actor", warnings),
            places=_known(params, PARAM_PLACE, known_places, "place", warnings),
            event_types=frozenset(types),
            themes=_known(params, PARAM_THEME, known_themes, "theme", warnings),
            query=query,
            selected=selected,
            lanes=lanes,
        )
        return state, warnings


# --------------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class _Named:
    """A place or an actor a search may name: its id and all its names, folded."""

    kind: str  # "place" | "actor"
    id: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class SearchNames:
    """The names of places and actors, so a search reads any of them as the thing named.

    Keys are :func:`exchanges.gazetteer.normalize_name` forms of every name
    and alternative name; build with :meth:`build`.
    """

    by_name: Mapping[str, _Named]
    longest: int = 1
    """Most words in one name (how far a query is scanned for one)."""

    @classmethod
    def build(cls, places: Iterable[Place], actors: Iterable[Actor]) -> SearchNames:
        by_name: dict[str, _Named] = {}
        longest = 1
        entries = [("place", p.id, [p.name, *p.alt_names]) for p in places]
        entries += [("actor", a.id, [a.name, *a.alt_names]) for a in actors]
        for kind, item_id, names in entries:
            named = _Named(kind, item_id, tuple(dict.fromkeys(f for f in map(fold_text, names) if f)))
            for name in names:
                key = normalize_name(name)
                if key:
                    by_name.setdefault(key, named)  # places first: a name means one thing
                    longest = max(longest, len(fold_text(name).split()))
        return cls(by_name, longest)

    def terms(self, query: str) -> list[tuple[_Named | None, tuple[str, ...]]]:
        """The query's words, runs of words naming a place or actor (longest first) grouped
        with it: ``(named or None, words)``."""
        words = fold_text(query).split()
        terms: list[tuple[_Named | None, tuple[str, ...]]] = []
        i = 0
        while i < len(words):
            for length in range(min(self.longest, len(words) - i), 0, -1):
                named = self.by_name.get(normalize_name(" ".join(words[i : i + length])))
                if named is not None:
                    terms.append((named, tuple(words[i : i + length])))
                    i += length
                    break
            else:
                terms.append((None, (words[i],)))
                i += 1
        return terms


_NOT_WORD = re.compile(r"[^\w]+")


def fold_text(text: str) -> str:
    """Text as search compares it: no accents, no case, punctuation as spaces.

    "Émigrés," → "emigres"; "Peng-fei" → "peng fei".
    """
    return " ".join(_NOT_WORD.sub(" ", strip_accents(text).casefold()).split())


def matches_search(event: Event, query: str, names: SearchNames | None = None) -> bool:
    """Every word of the query occurs in the title, summary or quoted passage.

    Case and accents do not matter. With ``names``, a place or actor named in
    the query (under any of its names) also matches the events at that place
    or with that actor, and those whose text gives it any of its names.
    """
    haystack = f" {fold_text(' '.join((event.title, event.summary, event.source.passage)))} "
    if names is None:
        return all(word in haystack for word in fold_text(query).split())
    for named, words in names.terms(query):
        if all(word in haystack for word in words):
            continue
        if named is None:
            return False
        ids = event.places if named.kind == "place" else event.actors
        if named.id not in ids and not any(f" {name} " in haystack for name in named.names):
            return False
    return True


# --------------------------------------------------------------------------- search that explains


@dataclass(frozen=True)
class SearchHints:
    """What a search read its words as, and what to try when nothing matched.

    ``matched``: ("Tientsin", "Tianjin") for a word read as another name of a
    place or actor, or for a name the collection's events do not use but the
    gazetteer knows ("Kuldja", "Yining"); ``suggestions``: the nearest names and
    words of the events, when the search finds nothing.
    """

    matched: tuple[tuple[str, str], ...] = ()
    unused: tuple[str, ...] = ()
    """Names (as the gazetteer spells them) no event is at or names."""
    suggestions: tuple[str, ...] = ()


#: How close a word must be to a known name to be suggested (difflib ratio).
SUGGEST_CUTOFF = 0.72


def search_hints(
    query: str,
    events: Sequence[Event],
    names: SearchNames,
    *,
    display_name: Callable[[str, str], str],
    lookup: Callable[[str], tuple[str, str] | None] | None = None,
    found: int | None = None,
) -> SearchHints:
    """Explain a search: which words named a place or an actor under another name,
    and, when no event matched (``found == 0``), the nearest names to try.

    ``display_name(kind, id)`` names a place or actor as the app shows it;
    ``lookup(text)`` finds a place the events do not use (the whole gazetteer,
    any name) as ``(id, name)``. Linear in the events (their words are the
    vocabulary for suggestions).
    """
    matched: list[tuple[str, str]] = []
    unused: list[str] = []
    unnamed: list[str] = []
    for named, words in names.terms(query):
        typed = " ".join(words)
        if named is not None:
            shown = display_name(named.kind, named.id)
            if not set(words) <= set(fold_text(shown).split()):  # "Gromyko" is A.A. Gromyko: no hint
                matched.append((string.capwords(typed), shown))
            ids = (lambda e: e.places) if named.kind == "place" else (lambda e: e.actors)
            if not any(named.id in ids(event) for event in events):
                unused.append(shown)
            continue
        place = lookup(typed) if lookup is not None else None
        if place is not None:
            if fold_text(place[1]) != typed:
                matched.append((string.capwords(typed), place[1]))
            unused.append(place[1])
        else:
            unnamed.append(typed)
    suggestions: list[str] = []
    if found == 0 and unnamed:
        vocabulary = {name for name in names.by_name}
        vocabulary |= {word for event in events for word in fold_text(event.title).split() if len(word) > 3}
        for word in unnamed:
            suggestions += difflib.get_close_matches(word, sorted(vocabulary), n=3, cutoff=SUGGEST_CUTOFF)
    return SearchHints(tuple(matched), tuple(unused), tuple(dict.fromkeys(suggestions)))


def _values(params: QueryParams, key: str) -> list[str]:
    """All values of a key, whether the mapping holds a string or a list."""
    raw = params.get(key)
    if raw is None:
        return []
    if isinstance(raw, str):
        return [raw]
    try:
        return [str(value) for value in raw]
    except TypeError:
        return [str(raw)]


def _last(params: QueryParams, key: str, default: str) -> str:
    values = _values(params, key)
    return values[-1] if values else default


def _read_date(params: QueryParams, key: str, what: str, warnings: list[str]) -> dt.date | None:
    value = _last(params, key, "").strip()
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        warnings.append(f"Ignored the link's {what} {_quote(value)}: expected a date like 1952-01-07.")
        return None


def _known(
    params: QueryParams,
    key: str,
    known: Collection[str] | None,
    what: str,
    warnings: list[str],
) -> frozenset[str]:
    chosen: set[str] = set()
    for value in _values(params, key):
        value = value.strip()
        if not value:
            continue
        if known is not None and value not in known:
            warnings.append(f"Ignored unknown {what} {_quote(value)} in the link.")
            continue
        chosen.add(value)
    return frozenset(chosen)


def _quote(value: str, limit: int = 40) -> str:
    """A value from the URL, shortened and quoted for a warning."""
    value = value if len(value) <= limit else value[: limit - 1] + "…"
    return repr(value)


# --------------------------------------------------------------------------- the filter in words


def describe_dates(date_from: dt.date | None, date_to: dt.date | None) -> str:
    """The date range in words: '1 April 1962 – 31 August 1962', 'from …', 'until …', 'all dates'."""
    if date_from and date_to:
        return f"{format_day(date_from)} – {format_day(date_to)}"
    if date_from:
        return f"from {format_day(date_from)}"
    if date_to:
        return f"until {format_day(date_to)}"
    return "all dates"


def filter_title_parts(
    state: FilterState, catalog: Catalog, gazetteer: Gazetteer | None = None
) -> tuple[str, str | None]:
    """The filter state as a title and a subtitle (the one wording of a filter: slides,
    exports and the command line's messages).

    ('Events, 1 April 1962 – 31 August 1962', 'Actors: … · Types: …' or None).
    """

    def place_name(place_id: str) -> str:
        place = gazetteer.get(place_id) if gazetteer is not None else None
        return place.name if place is not None else place_id

    named = (
        ("Actors", [catalog.actor_name(a) for a in state.actors]),
        ("Places", [place_name(p) for p in state.places]),
        ("Types", [event_type_label(t) for t in state.event_types]),
        ("Themes", [catalog.theme_label(t) for t in state.themes]),
    )
    parts = [f"{label}: {', '.join(sorted(names))}" for label, names in named if names]
    if state.query:
        parts.append(f"Search: “{state.query}”")
    return f"Events, {describe_dates(state.date_from, state.date_to)}", (" · ".join(parts) or None)


def describe_filters(state: FilterState, catalog: Catalog, gazetteer: Gazetteer | None = None) -> str:
    """The filter state in one line: 'Events, 1 April 1962 – 31 August 1962 · Actors: …'."""
    title, subtitle = filter_title_parts(state, catalog, gazetteer)
    return f"{title} · {subtitle}" if subtitle else title
