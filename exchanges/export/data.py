"""Data export: the filtered events as CSV (for spreadsheets) and JSON (lossless).

Every row carries its citation — document title, archive source, record id and
the quoted passage — so a class hand-out made from the file stays sourced —
and every field of its event: ``date_bound`` is ``by`` when the source gives
only a latest date, and ``date_text`` says so in words ("by 7 Jan 1952"), so
"on or before" is not lost in a spreadsheet.

CSV cells that a spreadsheet would run as a formula (starting with ``=``, ``+``,
``-``, ``@`` or their full-width forms, also after leading white space or
control characters, or starting with a tab, carriage return or line feed) are
prefixed with a single quote, the OWASP rule against CSV injection: passages and
user-added events are untrusted text. :func:`neutralise_formula` (and
:func:`neutralise_frame` for a whole table) is the one place this is done, for
every CSV the app offers, the events table's own "Download as CSV" included.
"""

from __future__ import annotations

import datetime as dt
import json
import unicodedata
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

import pandas as pd

from exchanges import __version__
from exchanges.loader import EXPORT_CSV_COLUMNS
from exchanges.models import Event
from exchanges.wording import short_date

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n", "\uff1d", "\uff0b", "\uff0d", "\uff20")
"""What a cell may not start with (``＝ ＋ － ＠`` are the full-width forms)."""
_IGNORED_CATEGORIES = frozenset({"Cc", "Cf", "Zs", "Zl", "Zp"})  # controls, format characters, spaces
LIST_SEPARATOR = "; "
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read accents and Cyrillic correctly
JSON_FORMAT_VERSION = 1

ID_COLUMNS = tuple(EXPORT_CSV_COLUMNS)
"""``sender_ids``, ``place_ids``, ``figures_json``…: the event's own values, for re-import."""

CSV_COLUMNS = (
    "id",
    "title",
    "date_text",
    "date",
    "end_date",
    "date_precision",
    "date_bound",
    "date_label",
    "event_type",
    "is_document",
    "senders",
    "recipients",
    "people",
    "places",
    "figures",
    "summary",
    "themes",
    "document_id",
    "document_title",
    "document_date",
    "archive_source",
    "record_id",
    "collection",
    "passage",
    "short_title",
    "from_places",
    "to_places",
    *ID_COLUMNS,
)
"""The readable columns first; then the ids and figures as data (``ID_COLUMNS``), so the
file uploads back as the same events (``exchanges.loader`` knows this layout)."""


def _first_visible(text: str) -> str:
    """The first character that is not white space, a control or a format character."""
    for char in text:
        if not (char.isspace() or unicodedata.category(char) in _IGNORED_CATEGORIES):
            return char
    return ""


def neutralise_formula(value: Any) -> Any:
    """Prefix text a spreadsheet would evaluate with ``'``; other values pass unchanged.

    The text is looked at after its leading white space and control characters
    (spreadsheets skip some of them), so ``" =1+1"`` or ``"\v@SUM(…)"`` is caught.
    """
    if not isinstance(value, str) or not value:
        return value
    if value.startswith(FORMULA_TRIGGERS) or _first_visible(value).startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` with every cell (and column name) passed through :func:`neutralise_formula`."""
    safe = frame.map(neutralise_formula)
    safe.columns = [neutralise_formula(name) for name in frame.columns]
    return safe


def _names(ids: Iterable[str], name_of: Any) -> str:
    return LIST_SEPARATOR.join(name_of(i) for i in ids)


def _place_name(gazetteer: Gazetteer | None) -> Any:
    def name(place_id: str) -> str:
        place = gazetteer.get(place_id) if gazetteer is not None else None
        return place.name if place is not None else place_id

    return name


def _citation(event: Event, catalog: Catalog) -> dict[str, Any]:
    document = catalog.documents.get(event.source.document)
    return {
        "document_id": event.source.document,
        "document_title": document.title if document else None,
        "document_date": document.date.isoformat() if document else None,
        "archive_source": document.archive_source if document else None,
        "record_id": document.record_id if document else None,
        "collection": document.collection if document else None,
        "passage": event.source.passage,
    }


def _id_columns(event: Event) -> dict[str, str | None]:
    """The event's ids (``;``-separated) and figures (JSON) in the loader's CSV form."""
    columns: dict[str, str | None] = {}
    for column, field_name in EXPORT_CSV_COLUMNS.items():
        value = getattr(event, field_name, None)
        if field_name == "figures":
            columns[column] = json.dumps([f.model_dump(mode="json", exclude_defaults=True) for f in value],
                                         ensure_ascii=False) if value else None
        else:
            columns[column] = LIST_SEPARATOR.join(value) if value else None
    return columns


def events_frame(
    events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer | None = None
) -> pd.DataFrame:
    """One row per event, names resolved, citation columns included (not yet neutralised)."""
    rows = []
    for event in events:
        rows.append(
            {
                "id": event.id,
                "title": event.title,
                "date_text": short_date(event),
                "date": event.date.isoformat(),
                "end_date": event.end_date.isoformat() if event.end_date else None,
                "date_precision": event.date_precision.value,
                "date_bound": event.date_bound.value,
                "date_label": event.date_label,
                "event_type": event.event_type.value,
                "is_document": "yes" if event.is_document else "no",
                "senders": _names(event.sender, catalog.actor_name),
                "recipients": _names(event.recipient, catalog.actor_name),
                "people": _names(event.people, catalog.actor_name),
                "places": _names(event.places, _place_name(gazetteer)),
                "figures": LIST_SEPARATOR.join(f"{f.quote} ({f.what})" for f in event.figures),
                "summary": event.summary,
                "themes": LIST_SEPARATOR.join(event.themes),
                **_citation(event, catalog),
                "short_title": getattr(event, "short_title", None),
                "from_places": _names(getattr(event, "from_places", ()), _place_name(gazetteer)),
                "to_places": _names(getattr(event, "to_places", ()), _place_name(gazetteer)),
                **_id_columns(event),
            }
        )
    return pd.DataFrame(rows, columns=list(CSV_COLUMNS), dtype=object)


def events_to_csv(
    events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer | None = None
) -> bytes:
    """CSV bytes (UTF-8 with BOM), formula-injection safe."""
    frame = neutralise_frame(events_frame(events, catalog, gazetteer))
    return frame.to_csv(index=False, lineterminator="\r\n").encode(CSV_ENCODING)


def events_to_json(
    events: Sequence[Event],
    catalog: Catalog,
    *,
    description: str | None = None,
    exported_at: dt.datetime | None = None,
) -> bytes:
    """JSON bytes: every event exactly as the data model holds it, plus its citation.

    :func:`events_from_json` reads the events back unchanged.
    """
    payload = {
        "format": "exchanges-events",
        "version": JSON_FORMAT_VERSION,
        "generator": f"exchanges {__version__}",
        "exported_at": (exported_at or dt.datetime.now(dt.timezone.utc)).isoformat(
            timespec="seconds"
        ),
        "description": description,
        "count": len(events),
        "events": [
            {"event": event.model_dump(mode="json"), "citation": _citation(event, catalog)}
            for event in events
        ],
    }
    return json.dumps(payload, ensure_ascii=False, indent=2).encode("utf-8")


def events_from_json(data: bytes | str) -> list[Event]:
    """The events of a :func:`events_to_json` export, validated by the data model."""
    payload = json.loads(data)
    if not isinstance(payload, dict) or payload.get("format") != "exchanges-events":
        raise ValueError("not an exchanges events export (missing format: exchanges-events)")
    events = []
    for index, record in enumerate(payload.get("events", []), start=1):
        try:
            events.append(Event.model_validate(record["event"]))
        except (KeyError, TypeError, ValueError) as bad:
            raise ValueError(f"events[{index}]: {bad}") from bad
    return events
