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
import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, TypeVar

from exchanges.ingest.analysis import Analysis
from exchanges.ingest.dates import DateMention
from exchanges.ingest.document import LineRole
from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.places import NameMention
from exchanges.ingest.text import Sentence, fold_name
from exchanges.models import Citation, DatePrecision, Document, Event, EventType, Figure
from exchanges.paths import user_data_dir
from exchanges.reader import dump_yaml
from exchanges.text import slugify
from exchanges.userdata import save_draft, write_files

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
    """A proposed event and why it was proposed (for the review table).

    ``event.date`` is ``None`` when the date is to be filled in (the document's
    date is unknown and the sentence's date has no year, or the draft is the
    document itself): every other field is validated; the review must supply
    the date before the event can be saved.
    """

    event: Event
    trigger: str | None
    date_text: str | None
    sentence_start: int
    sentence_end: int

    @property
    def needs_date(self) -> bool:
        return self.event.date is None


@dataclass
class DraftSet:
    """The proposals for one document: its ``Document`` record and the draft events.

    When the document's date is unknown, ``document.date`` is ``None`` and
    ``date_request`` says what to ask the reader (see ``Analysis.date_request``).
    """

    document: Document
    text: str
    drafts: list[Draft] = field(default_factory=list)
    date_request: str | None = None

    @property
    def events(self) -> list[Event]:
        return [draft.event for draft in self.drafts]

    @property
    def needs_date(self) -> bool:
        return self.document.date is None or any(d.needs_date for d in self.drafts)


PLACEHOLDER_DATE = dt.date(2000, 1, 1)
"""Only to validate a draft whose date is to be filled in; it never leaves ``_undated``."""


def _undated(model: type[Event] | type[Document], record: dict) -> Event | Document:
    """``model`` validated with every field but the date, which is left empty (``None``)."""
    checked = model.model_validate({**record, "date": PLACEHOLDER_DATE})
    return checked.model_copy(update={"date": None})


def _model(model: type[Event] | type[Document], record: dict) -> Event | Document:
    return model.model_validate(record) if record.get("date") is not None else _undated(model, record)


def document_id_for(analysis: Analysis) -> str:
    """``<date>-<first words of the title>``: readable and stable for one document."""
    date = analysis.document.date or analysis.anchor
    words = " ".join((analysis.document.title or "untitled document").split()[:6])
    prefix = f"{date.isoformat()}-" if date else ""
    return f"user-{prefix}{slugify(words, 50) or 'document'}"


@dataclass(frozen=True)
class _Patterns:
    triggers: tuple[tuple[EventType, re.Pattern[str]], ...]
    actions: re.Pattern[str] | None
    deadline: re.Pattern[str] | None
    office: re.Pattern[str]


_COMPILED: dict[int, tuple[Lexicon, _Patterns]] = {}


def _patterns(lexicon: Lexicon) -> _Patterns:
    """The lexicon's word lists compiled once (per lexicon), not once per sentence."""
    cached = _COMPILED.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        if len(_COMPILED) > 8:
            _COMPILED.clear()
        deadline = "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in lexicon.deadline_words)
        offices = sorted({*lexicon.institution_words, *lexicon.office_words}, key=len, reverse=True)
        office = "|".join(re.escape(w) for w in offices)
        compiled = _Patterns(
            triggers=tuple((event_type, re.compile(r"(?i)\b(?:" + "|".join(words) + r")\b"))
                           for event_type, words in lexicon.event_triggers.items()),
            actions=re.compile(r"(?i)\b(?:" + "|".join(lexicon.action_verbs) + r")\b") if lexicon.action_verbs
            else None,
            deadline=re.compile(rf"(?i)\b(?:{deadline})\s+(?:the\s+)?(?:(?:early|late|mid|end\s+of|beginning\s+of)"
                                rf"\s+(?:the\s+)?)?$") if deadline else None,
            office=re.compile(rf"(?i)\b(?:{office})\b(?:\s+general)?(?:\s+of\s+[\w’'-]+(?:\s+[\w’'-]+){{0,2}})?"
                              rf"\s+of\s+(?:the\s+)?$"),
        )
        cached = (lexicon, compiled)
        _COMPILED[id(lexicon)] = cached
    return cached[1]


def find_triggers(text: str, start: int, end: int, lexicon: Lexicon) -> list[Trigger]:
    """Trigger words in ``text[start:end]`` with the event type each signals."""
    triggers: list[Trigger] = []
    window = text[start:end]
    for event_type, pattern in _patterns(lexicon).triggers:
        for match in pattern.finditer(window):
            triggers.append(Trigger(start + match.start(), start + match.end(), match.group(), event_type))
    return sorted(triggers, key=lambda t: t.start)


def find_actions(text: str, start: int, end: int, lexicon: Lexicon) -> list[Trigger]:
    """Verbs of action (``action_verbs``) in ``text[start:end]``: a happening of type ``other``."""
    pattern = _patterns(lexicon).actions
    if pattern is None:
        return []
    return [Trigger(start + m.start(), start + m.end(), m.group(), EventType.other)
            for m in pattern.finditer(text[start:end])]


def _is_deadline(text: str, date: DateMention, lexicon: Lexicon) -> bool:
    """ "until the autumn of 1960": the date bounds another happening."""
    pattern = _patterns(lexicon).deadline
    return pattern is not None and pattern.search(text[max(0, date.start - 40) : date.start]) is not None


def is_office_country(text: str, mention: NameMention, lexicon: Lexicon) -> bool:
    """ "the Consulate General of the USSR", "the Ministry of Foreign Affairs of the USSR":
    the country an office belongs to, which is not a place where the event happens."""
    return _patterns(lexicon).office.search(text[max(0, mention.start - 60) : mention.start]) is not None


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


def _nearest_trigger(text: str, date: DateMention | _When, triggers: Sequence[Trigger],
                     order: list[EventType]) -> Trigger | None:
    if not triggers:
        return None
    return min(
        triggers,
        key=lambda t: (_word_distance(text, (date.start, date.end), (t.start, t.end)),
                       order.index(t.event_type) if t.event_type in order else len(order)),
    )


def _listed_with_previous(text: str, previous: DateMention | _When | None, date: DateMention | _When) -> bool:
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

    Never refuses a readable document: without a date the document record and
    the drafts whose date has no year carry ``date=None`` (to be filled in) and
    ``DraftSet.date_request`` says so. ``resolved_places`` maps place-like
    names the geocoder placed to gazetteer ids (defaults to
    ``analysis.resolution.resolved``); those count as places of the sentences
    they occur in.
    """
    lexicon = lexicon or load_lexicon()
    doc_id = document_id or document_id_for(analysis)
    document = make_document(analysis, doc_id)
    builder = _Builder(analysis, doc_id, lexicon, resolved_places)
    builder.drafts.append(_document_draft(analysis, document, builder.places, lexicon))
    for sentence in analysis.body_sentences():
        builder.add_sentence(sentence)
    builder.attach_loose_figures()
    return DraftSet(document=document, text=analysis.text, drafts=builder.drafts, date_request=analysis.date_request)


@dataclass(frozen=True)
class _When:
    """The date of a draft: a stated date, or a phrase without a year (``date`` is ``None``)."""

    text: str
    start: int
    end: int
    mention: DateMention | None

    @property
    def key(self) -> tuple:
        m = self.mention
        return (m.date, m.end_date, m.precision) if m is not None else (self.text.strip().lower(),)


class _Builder:
    """Drafts one sentence at a time; the same exchange referred to again is merged."""

    def __init__(self, analysis: Analysis, doc_id: str, lexicon: Lexicon,
                 resolved_places: dict[str, str] | None) -> None:
        self.analysis, self.doc_id, self.lexicon = analysis, doc_id, lexicon
        self.text = analysis.text
        self.order = list(lexicon.event_triggers)
        resolved = resolved_places if resolved_places is not None else analysis.resolution.resolved
        extra = [NameMention(c.name, c.start, c.end, resolved[c.name], c.name)
                 for c in analysis.candidates if c.name in resolved]
        mentions = sorted([*analysis.places, *extra], key=lambda m: m.start)
        self.places = [m for m in mentions if not is_office_country(self.text, m, lexicon)]
        self.drafts: list[Draft] = []
        self.ids: set[str] = set()  # the drafts' event ids (each new one is made unique among them)
        self.analysed = analysis.document.analysed_text
        self.by_key: dict[tuple, int] = {}
        self.dates, self.figures = _ByStart(analysis.dates), _ByStart(analysis.figures)
        self.unresolved = _ByStart(analysis.unresolved_dates)
        self.places_by_start, self.actors_by_start = _ByStart(self.places), _ByStart(analysis.actors)
        self.attached: set[int] = set()  # ids of the figure mentions that some draft carries

    def _whens(self, sentence: Sentence) -> list[_When]:
        dates = [d for d in self.dates.within(sentence.start, sentence.end)
                 if not _archive_date(self.text, d.start, self.lexicon)]
        stated = [d for d in dates if d.kind != "relative"]
        usable = stated or dates
        if len(usable) > 1:  # "delay departures until the autumn": a deadline, not a happening
            usable = [d for d in usable if not _is_deadline(self.text, d, self.lexicon)] or usable
        whens = [_When(d.text, d.start, d.end, d) for d in usable]
        if not stated:  # "On 21 [January]" in a text without a date: the date is to be filled in
            whens += [_When(u.text, u.start, u.end, None) for u in self.unresolved.within(sentence.start, sentence.end)]
        return sorted(whens, key=lambda w: w.start)

    def add_sentence(self, sentence: Sentence) -> None:
        whens = self._whens(sentence)
        if not whens:
            return
        triggers = find_triggers(self.text, sentence.start, sentence.end, self.lexicon)
        actions = find_actions(self.text, sentence.start, sentence.end, self.lexicon)
        if not triggers and not actions:
            return
        sentence_figures = self.figures.within(sentence.start, sentence.end)
        figures = [f.to_figure() for f in sentence_figures]
        attached = {id(when): _attached_trigger(self.text, when, triggers) for when in whens}
        used = {id(t) for t in attached.values() if t is not None}
        # a date without an exchange of its own takes the nearest trigger word no other date has
        # taken, else a verb of action ("… the note of 15 May; the property was transferred on …")
        free = [t for t in triggers if id(t) not in used] or actions or triggers
        previous: _When | None = None
        previous_trigger: Trigger | None = None
        for when in whens:
            if (previous is not None and previous_trigger is not None
                    and _listed_with_previous(self.text, previous, when)):
                trigger = previous_trigger
            else:
                trigger = attached[id(when)] or _nearest_trigger(self.text, when, free, self.order)
            previous, previous_trigger = when, trigger
            if trigger is None:
                continue
            self.attached.update(id(f) for f in sentence_figures)
            self._add(sentence, when, trigger, figures)

    def _add(self, sentence: Sentence, when: _When, trigger: Trigger, figures: list[Figure]) -> None:
        key = (_SAME_EXCHANGE.get(trigger.event_type, trigger.event_type), *when.key)
        places = _ids_within(self.places_by_start, sentence.start, sentence.end)
        if key in self.by_key:
            merged = self.drafts[self.by_key[key]]
            event = merged.event.model_copy(
                update={"places": list(dict.fromkeys([*merged.event.places, *places])),
                        "figures": _merge_figures(merged.event.figures, figures)}
            )
            self.drafts[self.by_key[key]] = Draft(event, merged.trigger, merged.date_text, merged.sentence_start,
                                                  merged.sentence_end)
            return
        date = when.mention
        sender, recipient, people = _parties(self.text, self.actors_by_start.within(sentence.start, sentence.end),
                                             trigger)
        day = date.date.isoformat() if date is not None else "undated"
        record = {
            "id": _unique_id(f"{self.doc_id}-{day}-{trigger.event_type.value.replace('_', '-')}", self.ids),
            "title": f"{_type_label(trigger, self.lexicon)}, {_date_label(date) if date else when.text.strip()}",
            "date": date.date if date is not None else None,
            "date_precision": date.precision if date is not None else DatePrecision.day,
            "end_date": _end_date(date) if date is not None else None,
            "date_label": when.text.strip().rstrip(".,;:"),
            "event_type": trigger.event_type,
            "sender": sender, "recipient": recipient, "people": people,
            "places": places,
            "figures": figures,
            "summary": _summary(sentence),
            "source": Citation(document=self.doc_id, passage=sentence.text),
        }
        self.by_key[key] = len(self.drafts)
        self.ids.add(record["id"])
        self.drafts.append(Draft(_model(Event, record), trigger.text, when.text, sentence.start, sentence.end))

    def attach_loose_figures(self) -> None:
        """A figure no dated event carries (an undated sentence, the title) belongs to the document."""
        loose = [f.to_figure() for f in self.analysis.figures
                 if id(f) not in self.attached and self._in_document(f.start)]
        if loose:
            first = self.drafts[0]
            event = first.event.model_copy(update={"figures": _merge_figures(first.event.figures, loose)})
            self.drafts[0] = Draft(event, first.trigger, first.date_text, first.sentence_start, first.sentence_end)

    def _in_document(self, offset: int) -> bool:
        """Is ``offset`` in the title, date line or body (not in archive metadata or a citation)?"""
        return self.analysed[offset : offset + 1].strip() != ""


def _archive_date(text: str, start: int, lexicon: Lexicon) -> bool:
    """ "Approved For Release 2009/09/21": the archive's date, never an event of the document."""
    before = fold_name(text[max(0, start - 40) : start])
    return any(fold_name(phrase) in before for phrase in lexicon.never_document_date)


_ATTACHED_BEFORE = re.compile(r"[^.;:!?\d]{0,120}?\b(?:of|dated|from|on)\s+(?:the\s+)?$", re.IGNORECASE)
_ATTACHED_AFTER = re.compile(r"\s+(?:[\w’'-]+\s+){0,2}$")
_FUNCTION_WORDS = frozenset({"and", "or", "but", "the", "a", "an", "of", "to", "in", "on", "at", "by", "for", "with",
                             "from", "as", "that", "which", "was", "were", "is", "are"})


def _attached_trigger(text: str, when: _When, triggers: Sequence[Trigger]) -> Trigger | None:
    """The exchange a date belongs to by its wording: "the note dated 3 May", "the agreement
    of 2 March 1955", "the 26 June statement", "the 5 May border incident"."""
    before = [t for t in triggers if t.end <= when.start and _ATTACHED_BEFORE.fullmatch(text[t.end : when.start])]
    if before:
        return before[-1]
    after = [t for t in triggers if t.start >= when.end and _ATTACHED_AFTER.fullmatch(text[when.end : t.start] + " ")
             and "\n" not in text[when.end : t.start]
             and not _FUNCTION_WORDS & set(text[when.end : t.start].lower().split())]
    return after[0] if after else None


def _type_label(trigger: Trigger, lexicon: Lexicon) -> str:
    word = trigger.text.lower()
    titled = {fold_name(w) for w in lexicon.titled_triggers}
    for candidate in (word, word.removesuffix("s"), word.removesuffix("es")):
        if fold_name(candidate) in titled:
            return candidate.capitalize()
    if trigger.event_type is EventType.other:
        return trigger.text.capitalize()
    return trigger.event_type.value.replace("_", " ").capitalize()


_COMMUNICATIONS = {EventType.letter, EventType.statement, EventType.reply, EventType.report, EventType.proposal}
_TO_BEFORE = re.compile(r"(?i)\b(?:to|for)\s+(?:the\s+)?(?:comrade\s+|president\s+|premier\s+)?$")


def _parties(text: str, actors: Sequence[NameMention], trigger: Trigger) -> tuple[list[str], list[str], list[str]]:
    """Sender, recipient and other people of a sentence's draft, from the actors it names.

    A communication's sender is the actor named last before its trigger word,
    its recipient an actor after "to" ("the consul sent the Minister a note …" has
    no "to": the first actor after the trigger then). Meetings and happenings
    list everyone as people.
    """
    ids = list(dict.fromkeys(m.id for m in actors))
    if trigger.event_type not in _COMMUNICATIONS:
        return [], [], ids
    before = [m for m in actors if m.end <= trigger.start]
    after = [m for m in actors if m.start >= trigger.end]
    sender = [before[-1].id] if before else []
    addressed = [m for m in actors if m.id not in sender and _TO_BEFORE.search(text[max(0, m.start - 30) : m.start])]
    recipient = [addressed[0].id] if addressed else ([after[0].id] if after and sender and after[0].id not in sender
                                                     else [])
    people = [i for i in ids if i not in sender and i not in recipient]
    return sender, recipient, people


def _unique_id(base: str, taken: set[str]) -> str:
    base = base[:110]
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate


def make_document(analysis: Analysis, doc_id: str) -> Document:
    """The ``Document`` record of a pasted text (its file is ``<id>.txt``); ``date`` is ``None``
    when the document's date is unknown (``analysis.date_request`` says what to ask)."""
    parsed = analysis.document
    return _model(Document, {
        "id": doc_id,
        "title": parsed.title or "Untitled document",
        "date": analysis.document_date,
        "file": f"{doc_id}.txt",
        "archive_source": parsed.archive_source,
        "record_id": parsed.record_id,
        "collection": parsed.collection,
        "classification": parsed.classification,
        "translated_by": parsed.translated_by,
        "language": parsed.language,
    })


def _document_draft(analysis: Analysis, document: Document, places: Sequence[NameMention], lexicon: Lexicon) -> Draft:
    """The event that the document itself is: dated by its header, typed by its title.

    The type is the first trigger word of the title; else of the header's
    reference lines and archive fields ("693.0023/4–2047: Telegram", "Content
    Type: REPORT"); else of the opening of the body, archive release notes
    left out; else a title "<someone> to <someone>" is a letter; else ``other``.
    """
    title_spans = analysis.title_spans()
    title_start = title_spans[0][0] if title_spans else 0
    title_end = title_spans[-1][1] if title_spans else 0
    trigger = _document_trigger(analysis, title_spans, lexicon)
    event_type = trigger.event_type if trigger else EventType.other
    body = analysis.body_sentences()
    first = body[0] if body else (analysis.sentences[0] if analysis.sentences else None)
    if first is None and not title_spans:
        raise ValueError("the document has no text to quote")
    # The passage is the title as the text gives it (the loader compares it with
    # whitespace collapsed, so a title over several lines still matches).
    passage = document.title if title_spans else first.text  # type: ignore[union-attr]
    place_ids = _ids_within(places, title_start, title_end) if title_spans else []
    if not place_ids and first is not None:
        place_ids = _ids_within(places, first.start, first.end)
    sender, recipient = _sender_recipient(analysis, title_start, title_end)
    people = [a for a in _ids_within(analysis.actors, title_start, title_end) if a not in sender + recipient]
    record = {
        "id": document.id,
        "title": document.title,
        "date": document.date,
        "date_precision": DatePrecision.day,
        "event_type": event_type,
        "sender": sender,
        "recipient": recipient,
        "people": people,
        "places": place_ids,
        "summary": _summary(first) if first is not None else document.title,
        "source": Citation(document=document.id, passage=passage),
        "is_document": True,
    }
    span = (title_start, title_end) if title_spans or first is None else (first.start, first.end)
    return Draft(_model(Event, record), trigger.text if trigger else None, None, *span)


def _document_trigger(analysis: Analysis, title_spans: list[tuple[int, int]], lexicon: Lexicon) -> Trigger | None:
    text = analysis.text
    for start, end in [*title_spans, *_header_reference_spans(analysis, lexicon)]:
        found = find_triggers(text, start, end, lexicon)
        if found:
            return found[0]
    body = analysis.body_sentences()
    if body:
        opening_end = min(body[0].start + 300, body[-1].end)
        found = [t for t in find_triggers(text, body[0].start, opening_end, lexicon)
                 if not _in_archive_note(text, t, lexicon)]
        if found:
            return found[0]
    if title_spans and re.search(r"\S\s+to\s+(?:the\s+)?\S", text[title_spans[0][0] : title_spans[-1][1]]):
        start = title_spans[0][0]
        return Trigger(start, start, "to", EventType.letter)  # "The Ambassador in China (Stuart) to the Secretary"
    return None


def _header_reference_spans(analysis: Analysis, lexicon: Lexicon) -> list[tuple[int, int]]:
    """What the archive says the document is: the value of its "Content Type" or "Document
    Type" field ("REPORT"), then reference lines above the body ("693.0023/4–2047: Telegram");
    never the archive block's own headings ("Release Decision:")."""
    spans = []
    kinds = {fold_name(f) for f in ("content type", "document type", "type")}
    for heading, value in analysis.document.metadata.items():
        at = analysis.text.find(value) if fold_name(heading) in kinds and value else -1
        if at >= 0:
            spans.append((at, at + len(value)))
    headings = {fold_name(h) for h in lexicon.archive_fields}
    for line in analysis.document.lines:
        if line.role is LineRole.body:
            break
        stripped = line.text.strip()
        if (line.role is LineRole.metadata and len(stripped) <= 120
                and fold_name(stripped.split(":")[0]) not in headings):
            spans.append((line.start, line.end))
    return spans


def _in_archive_note(text: str, trigger: Trigger, lexicon: Lexicon) -> bool:
    """ "Approved For Release": an archive's note, which says nothing of what the document is."""
    around = fold_name(text[max(0, trigger.start - 40) : trigger.end + 25])
    return any(fold_name(phrase) in around for phrase in lexicon.never_document_date)

def _sender_recipient(analysis: Analysis, start: int, end: int) -> tuple[list[str], list[str]]:
    """ "A.A. Gromyko to I.V. Stalin" and "delivered to Huang Zhen by Mesyatsev" in the title."""
    actors = [m for m in analysis.actors if start <= m.start < end]
    text = analysis.text
    for first, second in itertools.pairwise(actors):
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

    ``path`` defaults to ``user_data_dir()/drafts/<doc-id>.yaml``. Returns it. The three
    files are written all or nothing (``exchanges.userdata.write_files``); ``OSError`` or
    ``UserDataError`` says why when they cannot be.
    """
    path = Path(path) if path is not None else drafts_dir() / f"{draft_set.document.id}.yaml"
    text_path = path.parent / "documents" / draft_set.document.file
    # all three or none: a failed write (a full disk) puts back the ones written before it
    write_files({
        text_path: draft_set.text,
        document_file_for(path): dump_yaml([draft_set.document.model_dump(mode="json", exclude_defaults=True)],
                                           header="Draft document record (review before saving)."),
        path: dump_yaml(event_records(draft_set.events),
                        header=f"Draft events proposed from {draft_set.document.id}; review before saving."),
    })
    return path


def store_draft(draft_set: DraftSet) -> str:
    """Keep the draft (document record, text, draft events) in the user's store, where the app's
    "Add a document" page lists it for review; one transaction, replacing a draft of the same
    document id. Returns ``drafts/<doc-id>``; ``UserDataError`` says why when it cannot be kept."""
    document = draft_set.document.model_dump(mode="json", exclude_defaults=True)
    return save_draft(draft_set.document.id, document, draft_set.text, event_records(draft_set.events))


def document_file_for(events_path: Path) -> Path:
    return events_path.with_name(f"{events_path.stem}.documents.yaml")
