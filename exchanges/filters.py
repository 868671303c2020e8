"""What the reader has chosen to see, and how that choice lives in a URL.

``FilterState`` is pure data: the dashboard builds one from its widgets,
applies it to the catalog's events, and writes it to the page's query
parameters, so a link reopens the same view. Reading a URL never fails: values
that make no sense (a malformed date, an actor that does not exist) are
dropped, and each drop is described in the returned warnings so the page can
say what it ignored.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from exchanges.models import Event, EventType

#: Query-parameter names. Repeated keys hold several values (``actor=a&actor=b``).
PARAM_FROM = "from"
PARAM_TO = "to"
PARAM_ACTOR = "actor"
PARAM_PLACE = "place"
PARAM_TYPE = "type"
PARAM_THEME = "theme"
PARAM_QUERY = "q"
PARAM_EVENT = "event"
FILTER_PARAMS = (
    PARAM_FROM,
    PARAM_TO,
    PARAM_ACTOR,
    PARAM_PLACE,
    PARAM_TYPE,
    PARAM_THEME,
    PARAM_QUERY,
    PARAM_EVENT,
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

    def __post_init__(self) -> None:
        # Accept any iterable (lists from widgets) but store frozensets, so states compare.
        for name in ("actors", "places", "themes"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        object.__setattr__(self, "event_types", frozenset(EventType(t) for t in self.event_types))
        object.__setattr__(self, "query", " ".join(self.query.split()))

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
        if self.query and not _matches_text(event, self.query):
            return False
        return True

    def apply(self, events: Iterable[Event]) -> list[Event]:
        """The events that pass, in their original order."""
        return [event for event in events if self.matches(event)]

    @property
    def is_default(self) -> bool:
        """True when nothing is filtered (the selection does not count)."""
        return replace(self, selected=None) == FilterState()

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

        state = cls(
            date_from=date_from,
            date_to=date_to,
            actors=_known(params, PARAM_ACTOR, known_actors, "actor", warnings),
            places=_known(params, PARAM_PLACE, known_places, "place", warnings),
            event_types=frozenset(types),
            themes=_known(params, PARAM_THEME, known_themes, "theme", warnings),
            query=query,
            selected=selected,
        )
        return state, warnings


# --------------------------------------------------------------------------- helpers


def _matches_text(event: Event, query: str) -> bool:
    """Every word of the query occurs in the title, summary or quoted passage."""
    haystack = " ".join((event.title, event.summary, event.source.passage)).casefold()
    return all(word in haystack for word in query.casefold().split())


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
