"""The loaded, validated corpus: documents, actors, themes and events.

A ``Catalog`` is what ``exchanges.loader.load_catalog`` returns. It is an
immutable value: views and charts read from it, nothing writes to it. Build one
with the loader; building one by hand (tests, stand-ins) needs only
``documents``, ``actors`` and ``events``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from exchanges.issues import Issue
from exchanges.models import Actor, Document, Event, Theme
from exchanges.paths import DOCUMENTS_DIR

SHIPPED = "shipped"
"""Origin recorded in ``Catalog.event_origins`` for events of ``data/events.yaml``."""


def _event_sort_key(event: Event) -> tuple:
    return (event.date, event.last_date, event.id)


@dataclass(frozen=True, eq=False)
class Catalog:
    """Documents, actors, themes and events, cross-checked against each other.

    ``events`` is sorted by date (then end date, then id) whatever order it is
    given in. ``texts`` maps a document id to its full text; a document missing
    from it is read from ``documents_dir`` on demand. ``event_origins`` maps an
    event id to ``"shipped"`` or to the user file it came from. ``issues`` holds
    problems with the user's files that were tolerated (see
    ``load_catalog(skip_invalid_extra=True)``), so the app can show them.
    """

    documents: Mapping[str, Document]
    actors: Mapping[str, Actor]
    events: tuple[Event, ...]
    themes: Mapping[str, Theme] = field(default_factory=dict)
    texts: Mapping[str, str] = field(default_factory=dict)
    event_origins: Mapping[str, str] = field(default_factory=dict)
    issues: tuple[Issue, ...] = ()
    store_revision: int = 0
    """The revision of the user's store (``exchanges.store``) the user's records were read at;
    0 for a catalog that did not come from the store. A save refuses to overwrite newer writes."""
    documents_dir: Path = DOCUMENTS_DIR

    def __post_init__(self) -> None:
        # Frozen: normalise through object.__setattr__ (own copies, sorted events).
        # Plain dicts, not MappingProxyType, so a Catalog pickles (st.cache_data).
        object.__setattr__(self, "events", tuple(sorted(self.events, key=_event_sort_key)))
        for name in ("documents", "actors", "themes", "texts", "event_origins"):
            object.__setattr__(self, name, dict(getattr(self, name)))
        object.__setattr__(self, "issues", tuple(self.issues))
        object.__setattr__(self, "_by_id", {event.id: event for event in self.events})

    # -- events -------------------------------------------------------------

    def event(self, event_id: str) -> Event:
        """The event with this id; ``KeyError`` if there is none."""
        try:
            return self._by_id[event_id]  # type: ignore[attr-defined]
        except KeyError:
            raise KeyError(f"no event with id {event_id!r}") from None

    def has_event(self, event_id: str) -> bool:
        return event_id in self._by_id  # type: ignore[attr-defined]

    def events_of_document(self, doc_id: str) -> tuple[Event, ...]:
        """Events whose source is this document, in date order."""
        return tuple(e for e in self.events if e.source.document == doc_id)

    def document_event(self, doc_id: str) -> Event | None:
        """The event that the document itself is (``is_document: true``), if any."""
        return next((e for e in self.events_of_document(doc_id) if e.is_document), None)

    def is_user_event(self, event_id: str) -> bool:
        """True for events that came from the user's own files, not the shipped data."""
        return self.event_origins.get(event_id, SHIPPED) != SHIPPED

    # -- documents, actors, themes ------------------------------------------

    def document_text(self, doc_id: str) -> str:
        """Full text of a document; ``KeyError`` for an unknown id."""
        if doc_id in self.texts:
            return self.texts[doc_id]
        try:
            document = self.documents[doc_id]
        except KeyError:
            raise KeyError(f"no document with id {doc_id!r}") from None
        return (self.documents_dir / document.file).read_text(encoding="utf-8")

    def actor_name(self, actor_id: str) -> str:
        """Display name of an actor; the id itself if the actor is unknown."""
        actor = self.actors.get(actor_id)
        return actor.name if actor is not None else actor_id

    def theme_label(self, theme_id: str) -> str:
        """Display label of a theme; the id itself if the theme is unknown."""
        theme = self.themes.get(theme_id)
        return theme.label if theme is not None else theme_id
