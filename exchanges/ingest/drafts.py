"""Propose draft events from an analysed document, and write them for review.

One draft per referenced exchange or happening: a body sentence that states a
date and has a trigger word (``event_triggers`` in ``lexicon.yaml``: statement,
letter, reply, talk, meeting, decided, repatriated, crossed, …) gives one
event per date, typed by the trigger nearest to the date in words (dates listed
together, "8 June and 11 June", share the trigger of the first). A dated
sentence without a trigger but with a verb of action (``action_verbs``: left,
arrived, sent, …) is a happening of type ``other``; a date after "until"
(``deadline_words``) is a deadline, not an event, when the sentence has another
date. The same exchange referred to again (same type and dates) is merged into
the first draft. The document itself is one more event, with ``is_document: true``.

Every figure is attached to an event: a sentence's figures to that sentence's
events, the others (undated sentences, the title) to the document's event. A
place that is only an office's country ("the Consulate General of the USSR in
Kuldja") is not a place of the event. A season ("in the spring of 1960") is a
span to its last day.

Drafts are ``exchanges.models.Event`` objects, so they obey the same schema as
the shipped data; places are gazetteer ids, actors the catalog's. Nothing
here is saved into the user's events: ``write_draft`` writes a reviewable
draft, ``exchanges.userdata`` saves what the user keeps.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

import yaml

from exchanges.ingest.analysis import Analysis
from exchanges.ingest.dates import DateMention
from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.places import NameMention
from exchanges.ingest.text import Sentence
from exchanges.models import Citation, DatePrecision, Document, Event, EventType, Figure
from exchanges.paths import user_data_dir

T = TypeVar("T")
SUMMARY_LENGTH = 400
DRAFTS_SUBDIR = "drafts"


# A reply is also called a statement ("the reply of 26 June" = "the 26 June statement"):
# the same date with either word is one exchange.
_SAME_EXCHANGE = {EventType.reply: EventType.statement}


@dataclass(frozen=True)
class Trigger:
    start: int
    end: int
    text: str
    event_type: EventType


@dataclass(frozen=True)
class Draft:
    """A proposed event and why it was proposed (for the review table)."""

    event: Event
    trigger: str | None
    date_text: str | None
    sentence_start: int
    sentence_end: int


@dataclass
class DraftSet:
    """The proposals for one document: its ``Document`` record and the draft events."""

    document: Document
    text: str
    drafts: list[Draft] = field(default_factory=list)

    @property
    def events(self) -> list[Event]:
        return [draft.event for draft in self.drafts]


def slugify(text: str, max_length: int = 60) -> str:
    """A lower-case id made of ``text`` (ASCII letters, digits and hyphens)."""
    decomposed = unicodedata.normalize("NFKD", text)
    # accents go, other non-ASCII characters (’, 中) separate words
    ascii_text = "".join(c if c.isascii() else "" if unicodedata.combining(c) else "-" for c in decomposed)
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "document"


def document_id_for(analysis: Analysis) -> str:
    """``<date>-<first words of the title>``: readable and stable for one document."""
    date = analysis.document.date or analysis.anchor
    words = " ".join((analysis.document.title or "untitled document").split()[:6])
    prefix = f"{date.isoformat()}-" if date else ""
    return f"user-{prefix}{slugify(words, 50)}"


def find_triggers(text: str, start: int, end: int, lexicon: Lexicon) -> list[Trigger]:
    """Trigger words in ``text[start:end]`` with the event type each signals."""
    triggers: list[Trigger] = []
    window = text[start:end]
    for event_type, words in lexicon.event_triggers.items():
        pattern = re.compile(r"(?i)\b(?:" + "|".join(words) + r")\b")
        for match in pattern.finditer(window):
            triggers.append(Trigger(start + match.start(), start + match.end(), match.group(), event_type))
    return sorted(triggers, key=lambda t: t.start)


def find_actions(text: str, start: int, end: int, lexicon: Lexicon) -> list[Trigger]:
    """Verbs of action (``action_verbs``) in ``text[start:end]``: a happening of type ``other``."""
    if not lexicon.action_verbs:
        return []
    pattern = re.compile(r"(?i)\b(?:" + "|".join(lexicon.action_verbs) + r")\b")
    return [Trigger(start + m.start(), start + m.end(), m.group(), EventType.other)
            for m in pattern.finditer(text[start:end])]


def _is_deadline(text: str, date: DateMention, lexicon: Lexicon) -> bool:
    """ "until the autumn of 1960": the date bounds another happening."""
    words = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in lexicon.deadline_words)
    if not words:
        return False
    before = text[max(0, date.start - 40) : date.start]
    return re.search(rf"(?i)\b(?:{words})\s+(?:the\s+)?(?:(?:early|late|mid|end\s+of|beginning\s+of)\s+(?:the\s+)?)?$",
                     before) is not None


def is_office_country(text: str, mention: NameMention, lexicon: Lexicon) -> bool:
    """ "the Consulate General of the USSR", "the Ministry of Foreign Affairs of the USSR":
    the country an office belongs to, which is not a place where the event happens."""
    offices = sorted({*lexicon.institution_words, *lexicon.office_words}, key=len, reverse=True)
    words = "|".join(re.escape(w) for w in offices)
    before = text[max(0, mention.start - 60) : mention.start]
    return re.search(rf"(?i)\b(?:{words})\b(?:\s+general)?(?:\s+of\s+[\w’'-]+(?:\s+[\w’'-]+){{0,2}})?"
                     rf"\s+of\s+(?:the\s+)?$", before) is not None


def _end_date(date: DateMention) -> dt.date | None:
    """The last day of a span, or of a season ("in the spring of 1960" ends on 31 May)."""
    if date.is_span or date.precision is DatePrecision.season:
        return date.end_date
    return None


def _merge_figures(kept: Sequence[Figure], more: Sequence[Figure]) -> list[Figure]:
    return list({(f.low, f.high, f.quote): f for f in [*kept, *more]}.values())


def _word_distance(text: str, a: tuple[int, int], b: tuple[int, int]) -> int:
    lo, hi = (a[1], b[0]) if a[1] <= b[0] else (b[1], a[0])
    return len(re.findall(r"\w+", text[lo:hi])) if hi > lo else 0


def _nearest_trigger(text: str, date: DateMention, triggers: Sequence[Trigger], order: list[EventType]) -> Trigger | None:
    if not triggers:
        return None
    return min(
        triggers,
        key=lambda t: (_word_distance(text, (date.start, date.end), (t.start, t.end)),
                       order.index(t.event_type) if t.event_type in order else len(order)),
    )


def _listed_with_previous(text: str, previous: DateMention | None, date: DateMention) -> bool:
    """ "8 June and 11 June": the second date continues a list started by the first."""
    if previous is None:
        return False
    return re.fullmatch(r"\s*(?:,|and|or|,\s*and)\s*", text[previous.end : date.start]) is not None


def _date_label(date: DateMention) -> str:
    if date.precision is DatePrecision.day and not date.is_span:
        return f"{date.date.day} {date.date:%B %Y}"
    if date.precision is DatePrecision.month and not date.is_span:
        return f"{date.date:%B %Y}"
    if date.precision is DatePrecision.year and not date.is_span:
        return str(date.date.year)
    return date.label


def _summary(sentence: Sentence) -> str:
    text = re.sub(r"\s+", " ", sentence.text).strip()
    if len(text) <= SUMMARY_LENGTH:
        return text
    return text[: SUMMARY_LENGTH - 1].rsplit(" ", 1)[0] + "…"


class _ByStart(Generic[T]):
    """Mentions sorted by start, to take those of one sentence without scanning them all."""

    def __init__(self, items: Iterable[T]) -> None:
        self.items = sorted(items, key=lambda item: item.start)  # type: ignore[attr-defined]
        self.starts = [item.start for item in self.items]  # type: ignore[attr-defined]

    def within(self, start: int, end: int) -> list[T]:
        return self.items[bisect.bisect_left(self.starts, start) : bisect.bisect_left(self.starts, end)]


def _ids_within(mentions: Iterable[NameMention] | _ByStart[NameMention], start: int, end: int) -> list[str]:
    chosen = mentions.within(start, end) if isinstance(mentions, _ByStart) else [
        m for m in mentions if start <= m.start < end]
    return list(dict.fromkeys(m.id for m in chosen))


def propose_events(
    analysis: Analysis,
    document_id: str | None = None,
    *,
    resolved_places: dict[str, str] | None = None,
    lexicon: Lexicon | None = None,
) -> DraftSet:
    """The document record and the draft events for ``analysis``.

    ``resolved_places`` maps place-like names the geocoder placed to gazetteer
    ids (defaults to ``analysis.resolution.resolved``); those count as places
    of the sentences they occur in.
    """
    lexicon = lexicon or load_lexicon()
    order = list(lexicon.event_triggers)
    text = analysis.text
    doc_id = document_id or document_id_for(analysis)
    document = make_document(analysis, doc_id)
    resolved = resolved_places if resolved_places is not None else analysis.resolution.resolved
    extra_places = [
        NameMention(c.name, c.start, c.end, resolved[c.name], c.name) for c in analysis.candidates if c.name in resolved
    ]
    place_mentions = sorted([*analysis.places, *extra_places], key=lambda m: m.start)

    place_mentions = [m for m in place_mentions if not is_office_country(text, m, lexicon)]

    drafts: list[Draft] = [_document_draft(analysis, document, place_mentions, order, lexicon)]
    by_key: dict[tuple, int] = {}
    all_dates, all_figures = _ByStart(analysis.dates), _ByStart(analysis.figures)
    places_by_start, actors_by_start = _ByStart(place_mentions), _ByStart(analysis.actors)
    attached: set[int] = set()  # ids of the figure mentions that some draft carries
    for sentence in analysis.body_sentences():
        dates = all_dates.within(sentence.start, sentence.end)
        if not dates:
            continue
        stated = [d for d in dates if d.kind != "relative"]
        usable = stated or dates
        if len(usable) > 1:  # "delay departures until the autumn": a deadline, not a happening
            happenings = [d for d in usable if not _is_deadline(text, d, lexicon)]
            usable = happenings or usable
        triggers = find_triggers(text, sentence.start, sentence.end, lexicon) or find_actions(
            text, sentence.start, sentence.end, lexicon)
        if not triggers:
            continue
        sentence_figures = all_figures.within(sentence.start, sentence.end)
        figures = [f.to_figure() for f in sentence_figures]
        previous: DateMention | None = None
        previous_trigger: Trigger | None = None
        for date in usable:
            if _listed_with_previous(text, previous, date) and previous_trigger is not None:
                trigger = previous_trigger
            else:
                trigger = _nearest_trigger(text, date, triggers, order)
            previous, previous_trigger = date, trigger
            if trigger is None:
                continue
            attached.update(id(f) for f in sentence_figures)
            key = (_SAME_EXCHANGE.get(trigger.event_type, trigger.event_type), date.date, date.end_date, date.precision)
            places = _ids_within(places_by_start, sentence.start, sentence.end)
            if key in by_key:
                merged = drafts[by_key[key]]
                event = merged.event.model_copy(
                    update={"places": list(dict.fromkeys([*merged.event.places, *places])),
                            "figures": _merge_figures(merged.event.figures, figures)}
                )
                drafts[by_key[key]] = Draft(event, merged.trigger, merged.date_text, merged.sentence_start, merged.sentence_end)
                continue
            label = _date_label(date)
            type_label = (trigger.text.capitalize() if trigger.event_type is EventType.other
                          else trigger.event_type.value.replace("_", " ").capitalize())
            event = Event(
                id=_unique_id(f"{doc_id}-{date.date.isoformat()}-{trigger.event_type.value.replace('_', '-')}", drafts),
                title=f"{type_label}, {label}",
                date=date.date,
                date_precision=date.precision,
                end_date=_end_date(date),
                date_label=date.text.strip().rstrip(".,;:"),
                event_type=trigger.event_type,
                people=_ids_within(actors_by_start, sentence.start, sentence.end),
                places=places,
                figures=figures,
                summary=_summary(sentence),
                source=Citation(document=doc_id, passage=sentence.text),
            )
            by_key[key] = len(drafts)
            drafts.append(Draft(event, trigger.text, date.text, sentence.start, sentence.end))
    # A figure no dated event carries (an undated sentence, the title) belongs to the document.
    loose = [f.to_figure() for f in analysis.figures if id(f) not in attached]
    if loose:
        first = drafts[0]
        event = first.event.model_copy(update={"figures": _merge_figures(first.event.figures, loose)})
        drafts[0] = Draft(event, first.trigger, first.date_text, first.sentence_start, first.sentence_end)
    return DraftSet(document=document, text=text, drafts=drafts)


def _unique_id(base: str, drafts: Sequence[Draft]) -> str:
    base = base[:110]
    taken = {d.event.id for d in drafts}
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def make_document(analysis: Analysis, doc_id: str) -> Document:
    """The ``Document`` record of a pasted text (its file is ``<id>.txt``)."""
    parsed = analysis.document
    date = parsed.date or analysis.anchor
    if date is None:
        raise ValueError("the document has no date: add a date line (e.g. 'January 7, 1952') at the top")
    return Document(
        id=doc_id,
        title=parsed.title or "Untitled document",
        date=date,
        file=f"{doc_id}.txt",
        archive_source=parsed.archive_source,
        record_id=parsed.record_id,
        collection=parsed.collection,
        classification=parsed.classification,
        translated_by=parsed.translated_by,
        language=parsed.language,
    )


def _document_draft(
    analysis: Analysis, document: Document, places: Sequence[NameMention], order: list[EventType], lexicon: Lexicon
) -> Draft:
    """The event that the document itself is: dated by its header, typed by its title."""
    title_spans = analysis.title_spans()
    title_start = title_spans[0][0] if title_spans else 0
    title_end = title_spans[-1][1] if title_spans else 0
    triggers = find_triggers(analysis.text, title_start, title_end, lexicon) if title_spans else []
    event_type = triggers[0].event_type if triggers else EventType.other
    body = analysis.body_sentences()
    first = body[0] if body else (analysis.sentences[0] if analysis.sentences else None)
    if first is None:
        raise ValueError("the document has no text to quote")
    # The passage is the title as the text gives it (the loader compares it with
    # whitespace collapsed, so a title over several lines still matches).
    passage = document.title if title_spans else first.text
    place_ids = _ids_within(places, title_start, title_end) if title_spans else []
    if not place_ids:
        place_ids = _ids_within(places, first.start, first.end)
    sender, recipient = _sender_recipient(analysis, title_start, title_end)
    people = [a for a in _ids_within(analysis.actors, title_start, title_end) if a not in sender + recipient]
    event = Event(
        id=document.id,
        title=document.title,
        date=document.date,
        date_precision=DatePrecision.day,
        event_type=event_type,
        sender=sender,
        recipient=recipient,
        people=people,
        places=place_ids,
        summary=_summary(first),
        source=Citation(document=document.id, passage=passage),
        is_document=True,
    )
    span = (title_start, title_end) if title_spans else (first.start, first.end)
    return Draft(event, triggers[0].text if triggers else None, None, *span)


def _sender_recipient(analysis: Analysis, start: int, end: int) -> tuple[list[str], list[str]]:
    """ "A.A. Gromyko to I.V. Stalin" and "delivered to Huang Zhen by Mesyatsev" in the title."""
    actors = [m for m in analysis.actors if start <= m.start < end]
    text = analysis.text
    for first, second in zip(actors, actors[1:]):
        between = text[first.end : second.start]
        if re.fullmatch(r"\s+to\s+(?:comrade\s+)?", between, flags=re.IGNORECASE):
            return [first.id], [second.id]
        if re.fullmatch(r"\s+by\s+", between, flags=re.IGNORECASE) and re.search(
            r"\bto\s+(?:comrade\s+)?$", text[max(0, first.start - 20) : first.start], flags=re.IGNORECASE
        ):
            return [second.id], [first.id]
    return [], []


# -- writing drafts -------------------------------------------------------------


def drafts_dir() -> Path:
    return user_data_dir() / DRAFTS_SUBDIR


def event_records(events: Iterable[Event]) -> list[dict]:
    return [event.model_dump(mode="json", exclude_defaults=True) for event in events]


def write_draft(draft_set: DraftSet, path: Path | None = None) -> Path:
    """Write the draft events (events schema) and, beside them, the document record and text.

    Layout (readable by ``exchanges.loader.load_catalog`` as extra files)::

        <stem>.yaml                  the draft events (a YAML list)
        <stem>.documents.yaml        the document record (a one-item list)
        documents/<doc-id>.txt       the document's text

    ``path`` defaults to ``user_data_dir()/drafts/<doc-id>.yaml``. Returns it.
    """
    from exchanges.userdata import atomic_write_text  # noqa: PLC0415 - avoid an import cycle

    path = Path(path) if path is not None else drafts_dir() / f"{draft_set.document.id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text_path = path.parent / "documents" / draft_set.document.file
    text_path.parent.mkdir(parents=True, exist_ok=True)
    atomic_write_text(text_path, draft_set.text)
    atomic_write_text(document_file_for(path), dump_yaml([draft_set.document.model_dump(mode="json", exclude_defaults=True)],
                                                          header="Draft document record (review before saving)."))
    atomic_write_text(path, dump_yaml(event_records(draft_set.events),
                                      header=f"Draft events proposed from {draft_set.document.id}; review before saving."))
    return path


def document_file_for(events_path: Path) -> Path:
    return events_path.with_name(f"{events_path.stem}.documents.yaml")


def dump_yaml(data: object, header: str = "") -> str:
    body = yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)
    comment = "".join(f"# {line}\n" for line in header.splitlines()) if header else ""
    return comment + body

