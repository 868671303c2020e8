"""What the review page needs that is not Streamlit: highlighted text and the editable table.

* ``highlight_markdown`` turns the document into Markdown for ``st.markdown``
  with the mentions marked in colour. The document's text is escaped by the
  app's one escaper, ``exchanges.markdown.escape_markdown`` (every Markdown
  character backslash-escaped, ``<``, ``>``, ``&`` as entities, web addresses
  kept from becoming links), so a
  ``<script>`` in a pasted text is shown, never run; only our own ``:color-
  background[…]`` markup is added. ``unsafe_allow_html`` is never needed.
* ``draft_rows`` / ``events_from_rows`` convert the drafts to the rows of the
  review table and the edited rows back to validated events, with an issue per
  row and field for what does not validate.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from exchanges.ingest.analysis import Analysis
from exchanges.ingest.document import LineRole
from exchanges.ingest.drafts import DraftSet
from exchanges.issues import Issue, validation_issues
from exchanges.loader import parse_simple_figures
from exchanges.markdown import escape_markdown
from exchanges.models import Event

TABLE_NAME = "proposed events"

# Streamlit colours (":blue-background[…]") per kind of mention, and which wins an overlap.
HIGHLIGHT_COLOURS = {"date": "orange", "figure": "green", "place": "blue", "actor": "violet"}
_PRIORITY = ("date", "figure", "place", "actor")


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    kind: str


def mention_spans(analysis: Analysis, kinds: Iterable[str] = _PRIORITY) -> list[Span]:
    """Non-overlapping spans of the mentions, the higher-priority kind winning overlaps."""
    wanted = set(kinds)
    candidates: list[Span] = []
    if "date" in wanted:
        candidates += [Span(m.start, m.end, "date") for m in analysis.dates]
    if "figure" in wanted:
        candidates += [Span(m.start, m.end, "figure") for m in analysis.figures]
    if "place" in wanted:
        candidates += [Span(m.start, m.end, "place") for m in analysis.named_places()]
        candidates += [Span(c.start, c.end, "place") for c in analysis.candidates]
    if "actor" in wanted:
        candidates += [Span(m.start, m.end, "actor") for m in analysis.actors]
    candidates.sort(key=lambda s: (_PRIORITY.index(s.kind), s.start))
    chosen: list[Span] = []
    for span in candidates:
        if all(span.end <= other.start or other.end <= span.start for other in chosen):
            chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)


def highlight_markdown(analysis: Analysis, kinds: Iterable[str] = _PRIORITY, max_chars: int | None = None) -> str:
    """The title and body as Markdown paragraphs, mentions in colour, user text escaped.

    ``max_chars``: stop after the paragraph that reaches this many characters of the text.
    """
    spans = mention_spans(analysis, kinds)
    text = analysis.text
    paragraphs: list[str] = []
    for line in analysis.document.lines:
        if line.role not in (LineRole.title, LineRole.date, LineRole.body) or not line.text.strip():
            continue
        if max_chars is not None and line.start > max_chars:
            paragraphs.append("*…(the rest of the text is not shown here)*")
            break
        pieces: list[str] = []
        position = line.start
        for span in spans:
            if span.start < line.start or span.end > line.end:
                continue
            pieces.append(escape_markdown(text[position : span.start]))
            colour = HIGHLIGHT_COLOURS[span.kind]
            pieces.append(f":{colour}-background[{escape_markdown(text[span.start : span.end])}]")
            position = span.end
        pieces.append(escape_markdown(text[position : line.end]))
        paragraph = " ".join("".join(pieces).split())
        paragraphs.append(f"**{paragraph}**" if line.role is not LineRole.body else paragraph)
    return "\n\n".join(paragraphs)


# --------------------------------------------------------------------------- the review table

COLUMNS = ("keep", "id", "title", "date", "date_precision", "end_date", "event_type", "sender", "recipient",
           "people", "places", "themes", "figures", "summary", "passage", "why")
EDITABLE = ("keep", "title", "date", "date_precision", "end_date", "event_type", "sender", "recipient", "people",
            "places", "themes", "figures", "summary")
# ``passage`` is editable too (a row the user adds needs one); saving checks that it is in the text.
#: Editable columns every event must have: an empty cell is reported as a missing field.
REQUIRED_FIELDS = tuple(name for name, field in Event.model_fields.items() if name in EDITABLE and field.is_required())
#: Columns a user types into (not the defaults of an added row): an added row with none of them is empty.
TYPED = ("title", "end_date", "sender", "recipient", "people", "places", "themes", "figures", "summary", "passage")
#: Columns holding lists of ids (actors, places, themes): a cell is a list, or text split at , or ;.
LIST_COLUMNS = ("sender", "recipient", "people", "places", "themes")

FIGURE_HELP = ("figures as in the CSV template, separated by ';': '[~]LOW[-HIGH] what | the source's words', "
               "e.g. ~2,500 unemployed Soviet citizens | approximately 2,500 (~: approximate)")


def figures_text(figures: Iterable[Any]) -> str:
    """Figures in the CSV template's form (``exchanges.loader.parse_simple_figures`` reads it back)."""
    items = []
    for figure in figures:
        number = f"{figure.low}" + (f"-{figure.high}" if figure.high is not None else "")
        items.append(f"{'~' if figure.approximate else ''}{number} {figure.what} | {figure.quote}")
    return "; ".join(items)


def parse_figures(text: str | None) -> tuple[list[dict[str, Any]], str | None]:
    """The figures of a table cell, and what is wrong with it (``None``: nothing)."""
    try:
        return parse_simple_figures(text or ""), None
    except ValueError as bad:
        return [], str(bad)


def draft_rows(draft_set: DraftSet) -> list[dict[str, Any]]:
    """One row per draft, for ``st.data_editor`` (``keep`` unticked discards the draft)."""
    rows = []
    for draft in draft_set.drafts:
        event = draft.event
        why = "the document itself" if event.is_document else f"{draft.trigger!r} near {draft.date_text!r}"
        rows.append({
            "keep": True,
            "id": event.id,
            "title": event.title,
            "date": event.date,
            "date_precision": event.date_precision.value,
            "end_date": event.end_date,
            "event_type": event.event_type.value,
            "sender": list(event.sender),
            "recipient": list(event.recipient),
            "people": list(event.people),
            "places": list(event.places),
            "themes": list(event.themes),
            "figures": figures_text(event.figures),
            "summary": event.summary,
            "passage": event.source.passage,
            "why": why,
        })
    return rows


def events_from_rows(
    rows: Sequence[Mapping[str, Any]], draft_set: DraftSet
) -> tuple[list[Event], list[Issue]]:
    """The kept rows as events: each draft with the edits of its row, validated.

    Rows are numbered from 1 as in the table; an issue names the row and field.
    """
    by_id = {draft.event.id: draft.event for draft in draft_set.drafts}
    taken = set(by_id)
    events: list[Event] = []
    issues: list[Issue] = []
    for number, row in enumerate(rows, start=1):
        if not _kept(row):
            continue
        row_id = _clean(row.get("id"), "id")
        if not row_id:  # a row the user added to the table
            record, problem = _added_record(row, draft_set, taken)
            if problem is not None:
                issues.append(Issue(TABLE_NAME, number, "passage", problem))
            taken.add(record["id"])
        elif (original := by_id.get(str(row_id))) is None:
            issues.append(Issue(TABLE_NAME, number, "id", f"unknown draft {row.get('id')!r}"))
            continue
        else:
            record = original.model_dump(mode="python")
        issues += _apply_edits(record, row, number, added=not row_id)
        if _clean(row.get("passage"), "passage"):  # the save checks that it occurs in the text
            record["source"] = {"document": draft_set.document.id, "passage": _clean(row["passage"], "passage")}
        try:
            events.append(Event.model_validate(record))
        except ValidationError as exc:
            issues += validation_issues(exc, TABLE_NAME, number, model=Event)
    return events, issues


def _apply_edits(record: dict[str, Any], row: Mapping[str, Any], number: int, *, added: bool) -> list[Issue]:
    """Put the row's cells into ``record``; the problems of its figures cell.

    An empty cell of an added row keeps its default (the document's date, …);
    an empty cell of a field every event needs (title, summary, …) is left
    out, so that validation names it: "required field is missing".
    """
    issues: list[Issue] = []
    for column in EDITABLE:
        if column == "keep" or column not in row:
            continue
        value = _clean(row[column], column)
        if column == "figures":
            value, problem = parse_figures(value)
            if problem is not None:
                issues.append(Issue(TABLE_NAME, number, "figures", problem))
                value = record.get("figures", [])
        if value in (None, "") and added and record.get(column) is not None:
            continue
        if value in (None, "") and column in REQUIRED_FIELDS:
            record.pop(column, None)
            continue
        record[column] = value
    return issues


def new_row_defaults(draft_set: DraftSet) -> dict[str, Any]:
    """What a row added to the review table starts with: kept, the document's date, a plain type."""
    return {"keep": True, "date": draft_set.document.date, "date_precision": "day", "event_type": "other",
            "sender": [], "recipient": [], "people": [], "places": [], "themes": [], "figures": "",
            "why": "added by you"}


def typed_row(draft_set: DraftSet) -> dict[str, Any]:
    """A row for an event the user adds (the page's "Add an event" form fills it in): every column,
    the defaults of an added row, no id (one is given when it is saved)."""
    defaults = new_row_defaults(draft_set)
    return {column: defaults.get(column) for column in COLUMNS}


def _added_record(row: Mapping[str, Any], draft_set: DraftSet, taken: set[str]) -> tuple[dict[str, Any], str | None]:
    """The event record of a row the user added, and why its passage is missing, if it is.

    The row gets a fresh id under the document's; its citation is the document,
    its passage the ``passage`` cell, or the summary when that is quoted from
    the text (the save then checks it occurs in the text, like every passage).
    """
    doc_id = draft_set.document.id
    number = 1
    while f"{doc_id}-added-{number}" in taken:
        number += 1
    passage = _clean(row.get("passage"), "passage") or ""
    summary = _clean(row.get("summary"), "summary") or ""
    if not passage and summary and " ".join(summary.split()) in " ".join(draft_set.text.split()):
        passage = summary
    record: dict[str, Any] = {"id": f"{doc_id}-added-{number}", **new_row_defaults(draft_set),
                              "source": {"document": doc_id, "passage": passage or "-"}}
    del record["keep"], record["why"]
    problem = None if passage else ("an added event needs a passage: paste the sentence of the document "
                                    "that states it")
    return record, problem


def kept_row_numbers(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """Table row numbers (from 1) of the kept rows, in order: the n-th event saved is row ``[n-1]``."""
    return [number for number, row in enumerate(rows, start=1) if _kept(row)]


def issues_as_table_rows(issues: Iterable[Issue], kept_rows: Sequence[int]) -> list[Issue]:
    """Issues of a save (numbered by position among the kept events) renumbered as table rows."""
    renumbered = []
    for issue in issues:
        row = issue.row
        if row is not None and 1 <= row <= len(kept_rows):
            row = kept_rows[row - 1]
        renumbered.append(Issue(TABLE_NAME, row, issue.field, issue.message))
    return renumbered


def save_report(rows: Sequence[dict], kept_ids: Sequence[str], issues: Sequence[Issue],
                saved: set[str] | None = None) -> list[str]:
    """Row by row, what was saved and what was not, and why (Markdown lines, user text escaped).

    ``kept_ids`` are the ids of the kept rows' events, in table order; ``saved``
    the ids the store kept (default: all of them).
    """
    saved = set(kept_ids) if saved is None else saved
    problems: dict[int, list[str]] = {}
    for issue in issues:
        if issue.row is not None:
            problems.setdefault(issue.row, []).append(f"{issue.field or 'row'}: {issue.message}")
    kept_rows = set(kept_row_numbers(rows))
    lines = []
    ids = iter(kept_ids)
    for number, row in enumerate(rows, start=1):
        title = escape_markdown(str(_clean(row.get("title"), "title") or "(no title)"))
        if number in problems:  # the row's own problems: in bold, like a row the store did not keep
            verdict = "**not saved** — " + escape_markdown("; ".join(problems[number]))
        elif blank_added_row(row):
            verdict = "not saved — an added row with nothing typed in it (ignored)"
        elif number not in kept_rows:
            verdict = "not saved — *keep* is unticked"
        elif problems:
            verdict = "not saved — nothing is saved while another row has a problem: fix it, then save again"
        elif (event_id := next(ids, None)) is not None and event_id in saved:
            verdict = f"saved as `{event_id}`"
        else:
            verdict = "**not saved** — the store did not keep it"
        lines.append(f"- row {number}, {title}: {verdict}")
    return lines


def _kept(row: Mapping[str, Any]) -> bool:
    """A row is saved unless ``keep`` is unticked; a row the user added with ``keep`` empty is kept,
    unless nothing was typed in it (clicking the table's empty last row adds one)."""
    if blank_added_row(row):
        return False
    keep = row.get("keep", True)
    if keep is None or (isinstance(keep, float) and math.isnan(keep)):
        return not _clean(row.get("id"), "id")
    return _truthy(keep)


def blank_added_row(row: Mapping[str, Any]) -> bool:
    """A row the user added to the table and typed nothing in (it has only the defaults)."""
    return not _clean(row.get("id"), "id") and not any(_clean(row.get(column), column) for column in TYPED)


def _truthy(value: Any) -> bool:
    if isinstance(value, float) and math.isnan(value):
        return False
    return bool(value)


def _clean(value: Any, column: str) -> Any:
    """A cell as the model wants it: NaN/NaT -> None, Timestamp -> date, arrays -> lists."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return [] if column in LIST_COLUMNS else None
    if column in ("date", "end_date"):
        if hasattr(value, "to_pydatetime"):
            try:
                return value.to_pydatetime().date()
            except (ValueError, AttributeError):
                return None
        if isinstance(value, dt.datetime):
            return value.date()
        if str(value) in ("NaT", ""):
            return None
        return value
    if column in LIST_COLUMNS:
        if isinstance(value, str):
            return [part.strip() for part in re.split(r"[;,]", value) if part.strip()]
        return [str(item) for item in list(value)]
    if isinstance(value, str):
        return value.strip()
    return value
