"""An event in words: its date, date precision, type, actors, figures, title; one copy each.

The charts, the detail card, the tables, the exports, the slides and the
command line all word an event through these functions, so it reads the same
everywhere. Plain text only, drawing nothing: callers escape it for their
medium (``exchanges.charts.plotly_text.escape_text`` for Plotly labels,
``components.markdown.escape_markdown`` for Streamlit).
"""

from __future__ import annotations

import calendar
import datetime as dt
import textwrap
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from exchanges.mapping import display_name
from exchanges.models import SHORT_TITLE_LIMIT, DateBound, DatePrecision, Event, EventType, Figure

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer

PRECISION_LABELS: dict[DatePrecision, str] = {
    DatePrecision.day: "exact day",
    DatePrecision.half_month: "half a month",
    DatePrecision.month: "month only",
    DatePrecision.season: "season only",
    DatePrecision.year: "year only",
}


PRECISION_PHRASES: dict[DatePrecision, str] = {
    DatePrecision.day: "Dated to the day",
    DatePrecision.half_month: "Dated to half a month",
    DatePrecision.month: "Dated to the month",
    DatePrecision.season: "Dated to the season",
    DatePrecision.year: "Dated to the year",
}


_TYPE_LABELS: dict[EventType, str] = {
    EventType.border_crossing: "Border crossing",
    EventType.border_measure: "Border measure",
}


def event_type_label(event_type: EventType | str) -> str:
    """Human label for an event type: ``border_crossing`` -> ``Border crossing``."""
    kind = EventType(event_type)
    return _TYPE_LABELS.get(kind, kind.value.replace("_", " ").capitalize())


def precision_label(precision: DatePrecision | str) -> str:
    """Short: ``month only``."""
    return PRECISION_LABELS[DatePrecision(precision)]


def precision_phrase(precision: DatePrecision | str) -> str:
    """A sentence start: ``Dated to the month``."""
    return PRECISION_PHRASES[DatePrecision(precision)]


def format_day(day: dt.date) -> str:
    """``7 January 1952`` (no leading zero, no locale dependence)."""
    return _precision_label_for(day, DatePrecision.day)


def date_label(event: Event) -> str:
    """The date as the source puts it, else a label built from date, precision and bound.

    An event whose source gives only a latest date reads "On or before
    7 January 1952" (a span: "Began on or before 8 June 1962, lasted to
    10 August 1962").
    """
    if event.date_label:
        return event.date_label
    is_span = bool(event.end_date and event.end_date != event.date)
    end = _precision_label_for(event.end_date, event.date_precision) if is_span and event.end_date else None
    bound = bound_phrase(event)
    if bound is not None:
        return f"Began {bound}, lasted to {end}" if end else bound[0].upper() + bound[1:]
    start = _precision_label_for(event.date, event.date_precision)
    return f"{start} – {end}" if end else start


def short_date(event: Event) -> str:
    """A compact date for lists and menus: ``10 Aug 1962``, ``late Apr 1962``,
    ``by 7 Jan 1952``, ``Jun 1960 – Aug 1960``.

    Built from ``date``, ``end_date``, precision and bound only; the source's
    own wording (``date_label``) is for the card.
    """
    if is_latest_bound(event):
        start = f"by {_bound_label_for(event.date, event.date_precision, short=True)}"
    else:
        start = _precision_label_for(event.date, event.date_precision, short=True)
    if event.end_date and event.end_date != event.date:
        # A season's span is its months ("Mar 1952 – Aug 1952"): "from" belongs
        # to a season with no end only.
        end_precision = DatePrecision.month if event.date_precision is DatePrecision.season else event.date_precision
        if not is_latest_bound(event):
            start = _precision_label_for(event.date, end_precision, short=True)
        return f"{start} – {_precision_label_for(event.end_date, end_precision, short=True)}"
    return start


def is_latest_bound(event: Event) -> bool:
    """True when the source gives only a latest date: the event fell on or before ``date``."""
    return event.date_bound is DateBound.by


def bound_phrase(event: Event) -> str | None:
    """``on or before 7 January 1952`` for an event dated only by a latest date, else ``None``."""
    if not is_latest_bound(event):
        return None
    return f"on or before {_bound_label_for(event.date, event.date_precision)}"


def date_note(event: Event) -> str:
    """How well the source fixes the date, as a sentence for a card.

    ``Dated to the month``; or, when the source gives only a latest date,
    ``Only a latest date is known: on or before 7 January 1952``.
    """
    bound = bound_phrase(event)
    if bound is None:
        return precision_phrase(event.date_precision)
    if event.end_date and event.end_date != event.date:
        return f"Only a latest start is known: it began {bound}"
    return f"Only a latest date is known: {bound}"


def _precision_label_for(day: dt.date, precision: DatePrecision, *, short: bool = False) -> str:
    """``day`` as far as ``precision`` fixes it: ``second half of April 1962``,
    or ``short``: ``late Apr 1962``."""
    month = (calendar.month_abbr if short else calendar.month_name)[day.month]
    if precision is DatePrecision.day:
        return f"{day.day} {month} {day.year}"
    if precision is DatePrecision.half_month:
        first = day.day <= 15
        half = ("early" if first else "late") if short else f"{'first' if first else 'second'} half of"
        return f"{half} {month} {day.year}"
    if precision is DatePrecision.month:
        return f"{month} {day.year}"
    if precision is DatePrecision.season:
        return f"from {month} {day.year}"
    return str(day.year)


def _bound_label_for(day: dt.date, precision: DatePrecision, *, short: bool = False) -> str:
    """A latest date at its precision, to follow "on or before" or "by"."""
    if precision is DatePrecision.season:
        month = (calendar.month_abbr if short else calendar.month_name)[day.month]
        return f"the season beginning {month} {day.year}"
    label = _precision_label_for(day, precision, short=short)
    return f"the {label}" if precision is DatePrecision.half_month and not short else label


def figure_value(figure: Figure) -> int:
    """The largest number a figure states (the top of a range)."""
    return figure.high if figure.high is not None else figure.low


def largest_figure(event: Event) -> Figure | None:
    return max(event.figures, key=figure_value, default=None)


def figure_text(figure: Figure) -> str:
    """``approximately 2,500 — unemployed Soviet citizens``."""
    return f"{figure.quote} — {figure.what}"


def actor_names(ids: Iterable[str], catalog: Catalog) -> str:
    """Comma-separated actor names (ids the catalog does not know stay as ids)."""
    names = []
    for actor_id in ids:
        try:
            names.append(catalog.actor_name(actor_id))
        except KeyError:
            names.append(actor_id)
    return ", ".join(names)


def exchange_label(event: Event, catalog: Catalog) -> str:
    """``Sender → Recipient``, or whichever side is known, or an empty string."""
    sender = actor_names(event.sender, catalog)
    recipient = actor_names(event.recipient, catalog)
    if sender and recipient:
        return f"{sender} → {recipient}"
    if sender:
        return f"from {sender}"
    if recipient:
        return f"to {recipient}"
    return ""


def shorten(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def short_title(event: Event, limit: int = SHORT_TITLE_LIMIT) -> str:
    """The event's name on the timeline, whole: its ``short_title`` if it has one,
    else made from its title (:func:`shorten_title`)."""
    if event.short_title and len(event.short_title) <= limit:
        return event.short_title
    return shorten_title(event.title, limit)


#: Where a title's first phrase ends, in order of preference.
_PHRASE_ENDS = (": ", " — ", " – ", "; ", " (", ", ")
#: A first phrase shorter than this says too little to stand for the title.
_SHORTEST_PHRASE = 12


def shorten_title(title: str, limit: int = SHORT_TITLE_LIMIT) -> str:
    """``title`` in at most ``limit`` characters, never cut inside a word.

    A title that fits is kept; else its first phrase (up to a colon, a dash, a
    semicolon, a bracket or a comma) if that fits and says something; else
    the words that fit, followed by "…" (only then is the name visibly cut:
    a ``short_title`` in the data avoids it).
    """
    title = " ".join(title.split())
    if len(title) <= limit:
        return title
    for end in _PHRASE_ENDS:
        head = title.split(end, 1)[0].strip()
        if end in title and _SHORTEST_PHRASE <= len(head) <= limit:
            return head
    cut = textwrap.shorten(title, limit, placeholder="…")
    return cut.removesuffix("…").rstrip(" ,;:–—-") + "…"


@dataclass(frozen=True)
class EventDetails:
    """Everything a detail card shows about an event, as plain text."""

    title: str
    date: str
    precision: str
    """"Dated to the month" and so on, or "Only a latest date is known: on or before …"."""
    event_type: str
    exchange: str
    senders: str
    recipients: str
    people: str
    places: tuple[str, ...]
    figures: tuple[str, ...]
    themes: tuple[str, ...]
    summary: str
    passage: str
    document_title: str
    document_date: str
    archive: str | None
    record_id: str | None
    citation: str
    bound: str | None = None
    """"on or before 7 January 1952" when the source gives only a latest date."""


def describe_event(
    event: Event, catalog: Catalog, gazetteer: Gazetteer | None = None, *, period_names: bool = False
) -> EventDetails:
    """The event in words, for a detail card, a slide or an export.

    Place names come from the gazetteer (ids it does not know are kept, marked
    "not in the gazetteer", never dropped); with ``period_names``, as the place
    was called in the event's year, today's name beside ("Tientsin (Tianjin)").
    """
    document = catalog.documents.get(event.source.document)
    places = []
    year = event.date.year if period_names else None
    for place_id in event.places:
        place = gazetteer.get(place_id) if gazetteer is not None else None
        places.append(display_name(gazetteer, place, year) if place is not None
                      else f"{place_id} (not in the gazetteer)")
    document_title = document.title if document else event.source.document
    parts = [document_title]
    if document is not None:
        parts.append(format_day(document.date))
        if document.archive_source:
            parts.append(document.archive_source)
        if document.record_id:
            parts.append(f"record {document.record_id}")
    theme_label = getattr(catalog, "theme_label", None)
    return EventDetails(
        title=event.title,
        date=date_label(event),
        precision=date_note(event),
        event_type=event_type_label(event.event_type),
        exchange=exchange_label(event, catalog),
        senders=actor_names(event.sender, catalog),
        recipients=actor_names(event.recipient, catalog),
        people=actor_names(event.people, catalog),
        places=tuple(places),
        figures=tuple(figure_text(f) for f in event.figures),
        themes=tuple(theme_label(t) if theme_label else t for t in event.themes),
        summary=event.summary,
        passage=event.source.passage,
        document_title=document_title,
        document_date=format_day(document.date) if document else "",
        archive=document.archive_source if document else None,
        record_id=document.record_id if document else None,
        citation=", ".join(parts),
        bound=bound_phrase(event),
    )

