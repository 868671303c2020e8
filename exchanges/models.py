"""The data model: documents, actors, events and their parts.

These pydantic models are the single definition of the schema described in
``data/SCHEMA.md``. Files are validated against them on load (see
``exchanges.loader``), and so are user-supplied events and drafts made by the
document ingester, so every path into the app obeys the same rules.

Cross-file rules (an event's places must exist in the gazetteer, its actors in
``actors.yaml``, its passage in its document's text) need the other files and
are checked in ``exchanges.loader``, not here.
"""

from __future__ import annotations

import datetime as dt
import re
from enum import Enum
from typing import Annotated

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    model_validator,
)

Identifier = Annotated[
    str, StringConstraints(pattern=r"^[a-z0-9][a-z0-9._-]*$", min_length=1, max_length=120)
]
"""Lower-case slug used for every id (events, documents, actors, places)."""

NonEmptyText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]

# -- limits on what a record may hold (documented in data/SCHEMA.md) ---------------------

FIRST_YEAR, LAST_YEAR = 1800, 2100
"""Dates outside these years are refused: the app's date pickers and charts stop there."""
TITLE_LIMIT = 300
SUMMARY_LIMIT = 5_000
PASSAGE_LIMIT = 20_000
LABEL_LIMIT = 500
"""Longest ``date_label``, figure ``what`` and ``quote``, actor and place names."""
FIGURE_LIMIT = 10_000_000_000
"""Largest figure: ten billion, more than any count of people."""

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _iso_date_only(value: object) -> object:
    """Accept a date or text ``YYYY-MM-DD`` only: not a timestamp text, a number of seconds, a
    datetime with a time of day (a midnight ``datetime`` object, e.g. a table cell, is its date)."""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0) and value.tzinfo is None:
            return value.date()
    elif isinstance(value, dt.date):
        return value
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        return value.strip()
    shown = repr(value) if isinstance(value, str) and len(value) <= 40 else type(value).__name__
    raise ValueError(f"write a date as YYYY-MM-DD, e.g. 1962-06-26 (got {shown})")


def _supported_year(value: dt.date) -> dt.date:
    if not FIRST_YEAR <= value.year <= LAST_YEAR:
        raise ValueError(f"{value.isoformat()} is outside the years {FIRST_YEAR}-{LAST_YEAR} the app supports")
    return value


SupportedDate = Annotated[dt.date, BeforeValidator(_iso_date_only), AfterValidator(_supported_year)]
"""An ISO date (``YYYY-MM-DD``) between 1800 and 2100."""


def _text(limit: int) -> object:
    return StringConstraints(strip_whitespace=True, min_length=1, max_length=limit)


Title = Annotated[str, _text(TITLE_LIMIT)]
Summary = Annotated[str, _text(SUMMARY_LIMIT)]
Passage = Annotated[str, _text(PASSAGE_LIMIT)]
Label = Annotated[str, _text(LABEL_LIMIT)]
Count = Annotated[StrictInt, Field(ge=0, le=FIGURE_LIMIT)]
"""A figure: an integer (not a bool, text or float) from 0 to ten billion."""

SHORT_TITLE_LIMIT = 40
"""Longest ``short_title``, in characters: a name the timeline shows whole beside its event."""
ShortTitle = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=SHORT_TITLE_LIMIT)]


class StrictModel(BaseModel):
    """Base: unknown fields are an error, so a typo in a data file is reported."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class DatePrecision(str, Enum):
    """How precisely a source fixes a date. ``date`` is the first day it allows."""

    day = "day"
    half_month = "half_month"  # "the second half of April" -> date = 16 April
    month = "month"
    season = "season"  # "in the spring and summer of 1952"
    year = "year"


class DateBound(str, Enum):
    """Whether ``date`` is when the event happened or only the latest it can have."""

    on = "on"  # the event falls at ``date`` (to its precision)
    by = "by"  # the source fixes only a latest date: on or before ``date``


class EventType(str, Enum):
    letter = "letter"
    statement = "statement"
    reply = "reply"
    meeting = "meeting"
    talk = "talk"
    report = "report"
    proposal = "proposal"
    decision = "decision"
    recruitment = "recruitment"
    border_crossing = "border_crossing"
    border_measure = "border_measure"
    repatriation = "repatriation"
    other = "other"


class ActorKind(str, Enum):
    person = "person"
    office = "office"
    government = "government"
    organization = "organization"
    group = "group"


class Actor(StrictModel):
    """A person, office, government or organisation that sends, receives or takes part."""

    id: Identifier
    name: NonEmptyText
    kind: ActorKind
    country: str | None = Field(None, description="USSR, PRC, … at the time of the events")
    role: str | None = Field(None, description="Office held, as the documents give it")
    alt_names: list[NonEmptyText] = Field(default_factory=list)


class Figure(StrictModel):
    """A number stated by a source: "approximately 2,500", "100-150 families", "tens of thousands"."""

    low: Count = Field(description="Lower (or only) value")
    high: Count | None = Field(None, description="Upper value of a range, if any")
    approximate: bool = False
    what: Label = Field(description="What is counted, e.g. 'unemployed Soviet citizens'")
    quote: Label = Field(description="The words of the source, e.g. 'approximately 2,500'")

    @model_validator(mode="after")
    def _range_is_ordered(self) -> Figure:
        if self.high is not None and self.high < self.low:
            raise ValueError(f"high ({self.high}) is below low ({self.low})")
        return self


class Citation(StrictModel):
    """Where in which document the event is stated. ``passage`` is quoted verbatim."""

    document: Identifier
    passage: Passage


class Event(StrictModel):
    """One exchange or happening, stated in or referred to by a document."""

    id: Identifier
    title: Title
    short_title: ShortTitle | None = Field(
        None, description="The title in at most 40 characters, for the timeline (else made from the title)"
    )
    date: SupportedDate = Field(description="First day the source allows")
    date_precision: DatePrecision
    date_bound: DateBound = Field(
        DateBound.on, description="'by' when the source gives only a latest date"
    )
    end_date: SupportedDate | None = Field(None, description="Last day, for spans")
    date_label: Annotated[str, StringConstraints(max_length=LABEL_LIMIT)] | None = Field(
        None, description="The date as the source puts it, e.g. 'second half of April 1962'"
    )
    event_type: EventType
    sender: list[Identifier] = Field(default_factory=list, description="Actor ids")
    recipient: list[Identifier] = Field(default_factory=list, description="Actor ids")
    people: list[Identifier] = Field(default_factory=list, description="Other actor ids involved")
    places: list[Identifier] = Field(default_factory=list, description="Gazetteer ids")
    from_places: list[Identifier] = Field(
        default_factory=list, description="Gazetteer ids people moved from (only where the source says)"
    )
    to_places: list[Identifier] = Field(
        default_factory=list, description="Gazetteer ids people moved to (only where the source says)"
    )
    figures: list[Figure] = Field(default_factory=list)
    summary: Summary
    themes: list[Identifier] = Field(default_factory=list)
    source: Citation
    is_document: bool = Field(
        False, description="True for the exchange the source document itself is"
    )

    @model_validator(mode="after")
    def _end_not_before_start(self) -> Event:
        if self.end_date is not None and self.end_date < self.date:
            raise ValueError(f"end_date {self.end_date} is before date {self.date}")
        return self

    @property
    def last_date(self) -> dt.date:
        """The end of the span, or the date itself."""
        return self.end_date or self.date

    @property
    def actors(self) -> list[str]:
        """Every actor id the event names, senders first, without repeats."""
        return list(dict.fromkeys([*self.sender, *self.recipient, *self.people]))


class Document(StrictModel):
    """An archival document of the corpus, with its archive metadata."""

    id: Identifier
    title: Label
    date: SupportedDate
    file: NonEmptyText = Field(description="Text file, relative to data/documents/")
    author: list[Identifier] = Field(default_factory=list, description="Actor ids")
    recipient: list[Identifier] = Field(default_factory=list, description="Actor ids")
    archive_source: str | None = Field(None, description="Archive and file, as the copy gives it")
    record_id: str | None = None
    collection: str | None = None
    classification: str | None = Field(None, description="e.g. 'Top Secret'")
    translated_by: str | None = None
    language: str | None = None
    notes: str | None = None


class Theme(StrictModel):
    """An entry of the controlled vocabulary that events are tagged with (``data/themes.yaml``)."""

    id: Identifier
    label: NonEmptyText
    description: NonEmptyText
