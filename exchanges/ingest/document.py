"""Parse a pasted archival document: header (date, title, classification), body, archive block.

Texts copied from an online archive carry web-page residue ("Skip to content",
"[…]"), a header (the date on a line of its own, the title before or after it,
a security marking) and, at the end, the archive's "Document Information" block
(Source, Rights, Original Uploaded Date, Language, Record ID, Donors, …). The
parser gives each line a role instead of cutting the text apart, so every
offset the extractors report is an offset into the text as pasted (with line
endings normalised to ``\\n``): ``analysed_text`` is the same text with
everything but the title, the date line and the body blanked out.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from enum import Enum

from exchanges.ingest.dates import parse_date_line
from exchanges.ingest.lexicon import Lexicon, load_lexicon
from exchanges.ingest.text import fold_name

HEADER_WINDOW = 10
"""The date and title are looked for among the first this-many content lines."""

MAX_TITLE_LINES = 4
MAX_TITLE_LENGTH = 400


class LineRole(str, Enum):
    blank = "blank"
    junk = "junk"  # web-page residue
    editorial = "editorial"  # "[Illegible brief handwritten note]"
    date = "date"
    title = "title"
    classification = "classification"
    body = "body"
    metadata = "metadata"  # the archive's blocks (Document Information, a reading room's header), summaries
    citation = "citation"  # a bibliographic citation or source note: read for dates and places, no events


@dataclass(frozen=True)
class Line:
    start: int
    end: int
    text: str
    role: LineRole


@dataclass(frozen=True)
class ParsedDocument:
    """A pasted document: its text, the role of each line and the metadata found."""

    text: str
    lines: tuple[Line, ...]
    title: str | None = None
    date: dt.date | None = None
    classification: str | None = None
    archive_source: str | None = None
    translated_by: str | None = None
    record_id: str | None = None
    language: str | None = None
    collection: str | None = None
    metadata: dict[str, str] = field(default_factory=dict)
    """Every field of the archive block, by its heading as written (values joined by spaces)."""
    date_source: str | None = None
    """Where ``date`` comes from: "date line", "archive metadata (Publication Date)",
    "file number 761.93/3–1450", "[Received …] note"; ``None`` when there is no date."""

    def lines_with(self, *roles: LineRole) -> list[Line]:
        return [line for line in self.lines if line.role in roles]

    @property
    def body(self) -> str:
        """The document's own text: body paragraphs, without header and archive boilerplate."""
        return "\n\n".join(line.text.strip() for line in self.lines_with(LineRole.body))

    @property
    def content_text(self) -> str:
        """``text`` with only web-page residue and editorial lines blanked (same length).

        Dates, places and figures are read in it: archive metadata and citations are
        part of the text as published; draft events come only from ``analysed_text``.
        """
        return self._blanked((LineRole.junk, LineRole.editorial), keep=False)

    @property
    def analysed_text(self) -> str:
        """``text`` with every line that is not title, date or body replaced by blanks.

        Same length as ``text``, so offsets found in it are offsets into ``text``.
        """
        return self._blanked((LineRole.title, LineRole.date, LineRole.body), keep=True)

    def _blanked(self, roles: tuple[LineRole, ...], *, keep: bool) -> str:
        chars = list(self.text)
        for line in self.lines:
            if (line.role in roles) != keep:
                chars[line.start : line.end] = " " * (line.end - line.start)
        return "".join(chars)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(text: str, lexicon: Lexicon | None = None) -> ParsedDocument:
    """Split ``text`` into header, body and archive blocks and read the metadata and the date.

    The document's date comes from, in order: a date line in the header (a line
    that is only a date, or a heading ending with one: "Agreement on … . December
    30, 1954"); a field of an archive metadata block (``document_date_fields``:
    "Publication Date", never "Document Creation Date" or a release date); a US
    decimal file number ("761.93/3–1450" is 14 March 1950); a "[Received March
    15 …]" note with a year the header gives. Otherwise ``date`` is ``None``.
    """
    lexicon = lexicon or load_lexicon()
    text = normalise_newlines(text)
    raw_lines = _split_lines(text)
    # each line folded once (a line of 2,000 characters or more is a paragraph: never a heading or citation)
    folded = [fold_name(line) if len(line) < 2000 else "" for _, _, line in raw_lines]
    roles = [_base_role(line, lexicon, folded[i]) for i, (_, _, line) in enumerate(raw_lines)]

    # The archive block: from its heading to the end.
    heading = fold_name(lexicon.metadata_heading)
    metadata_at = next((i for i, folded_line in enumerate(folded) if folded_line == heading), None)
    if metadata_at is not None:
        for i in range(metadata_at, len(raw_lines)):
            roles[i] = LineRole.metadata if roles[i] is not LineRole.blank else roles[i]
    top_fields = _top_archive_block(raw_lines, roles, lexicon)
    _mark_citations(raw_lines, roles, lexicon, folded)
    file_number = _mark_file_number(raw_lines, roles)

    content = [i for i, role in enumerate(roles) if role is LineRole.body]
    header = content[:HEADER_WINDOW]
    date: dt.date | None = None
    date_source: str | None = None
    date_index = None
    heading_title: str | None = None
    for i in header:
        parsed = parse_date_line(raw_lines[i][2])
        if parsed is not None:
            date, date_index, date_source = parsed, i, "date line"
            roles[i] = LineRole.date
            break
        titled = _title_with_date(raw_lines[i][2])
        if titled is not None:
            heading_title, date = titled
            date_index, date_source = i, "date at the end of the heading"
            roles[i] = LineRole.title
            break

    if heading_title is not None:
        title_lines: list[int] = []
        title: str | None = heading_title
    else:
        title_lines = _title_lines(raw_lines, roles, content, date_index)
        for i in title_lines:
            roles[i] = LineRole.title
        title = " ".join(raw_lines[i][2].strip() for i in title_lines) or None
    if title:
        title = re.sub(r"\s+", " ", title).rstrip(".").strip() or None

    # Security marking: the first classification line before the body starts.
    last_header = max([date_index if date_index is not None else -1, *title_lines], default=-1)
    first_body = next((i for i in range(last_header + 1, len(roles)) if roles[i] is LineRole.body), None)
    classification = next(
        (raw_lines[i][2].strip() for i in range(0, first_body if first_body is not None else len(roles))
         if roles[i] is LineRole.classification),
        None,
    )
    # A title repeated above the body (as archive pages do) is still the title.
    if title and first_body is not None and fold_name(raw_lines[first_body][2]).rstrip(".") == fold_name(title):
        roles[first_body] = LineRole.title

    metadata = _metadata(raw_lines, metadata_at, lexicon) if metadata_at is not None else {}
    metadata = {**top_fields, **metadata}
    if date is None:
        date, date_source = _date_from_fields(top_fields, lexicon)
    if date is None and file_number is not None:
        date, date_source = file_number
    if date is None:
        date, date_source = _received_date(raw_lines, roles)
    fields = _document_fields(metadata, lexicon)
    lines = tuple(Line(start, end, line, role) for (start, end, line), role in zip(raw_lines, roles, strict=True))
    return ParsedDocument(
        text=text,
        lines=lines,
        title=title,
        date=date,
        classification=classification,
        metadata=metadata,
        date_source=date_source,
        **fields,
    )


_HEADING_DATE = re.compile(
    r"^(?P<title>\S.{9,}?)[.,;:]?\s+(?P<date>(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2},?\s+|\d{1,2}\s+[A-Z][a-z]{2,8}\.?,?\s+)"
    r"(?:1[89]|20)\d\d)\.?\s*$"
)


def _title_with_date(line: str) -> tuple[str, dt.date] | None:
    """ "Agreement between … the USSR and the PRC. December 30, 1954": a heading ending with its date."""
    stripped = line.strip()
    if len(stripped) > MAX_TITLE_LENGTH + 40:
        return None
    match = _HEADING_DATE.match(stripped)
    if match is None or match["title"].rstrip().endswith((",", " of", " on", " from", " dated")):
        return None  # "… the letter of December 3, 1951" is a sentence, not a heading
    date = parse_date_line(match["date"])
    if date is None or len(match["title"].split()) < 3:
        return None
    return match["title"].strip().rstrip(".,;:").strip(), date


def _top_archive_block(raw_lines: list[tuple[int, int, str]], roles: list[LineRole],
                       lexicon: Lexicon) -> dict[str, str]:
    """A reading room's metadata block near the top ("Document Type: … Publication Date: … Body:").

    Its lines become ``metadata``; returns its fields (heading as written -> value).
    The block needs three known headings; it ends at "Body:" or after the last
    heading's value.
    """
    known = {fold_name(h) for h in lexicon.archive_fields}
    if not known:
        return {}

    def heading_of(line: str) -> tuple[str, str] | None:
        match = re.match(r"^\s*([^:]{2,60}?)\s*:\s*(.*)$", line)
        if match and fold_name(match[1]) in known:
            return match[1].strip(), match[2].strip()
        if fold_name(line) in known:  # "AttachmentSize" has no colon
            return line.strip(), ""
        return None

    headings = [(i, h) for i, (_, _, line) in enumerate(raw_lines[:200]) if (h := heading_of(line))]
    if len(headings) < 3:
        return {}
    first = headings[0][0]
    fields: dict[str, list[str]] = {}
    current: str | None = None
    end = first
    for i in range(first, len(raw_lines)):
        line = raw_lines[i][2]
        found = heading_of(line)
        if found is not None:
            current, value = found
            fields.setdefault(current, [])
            if value:
                fields[current].append(value)
            end = i
            if fold_name(current) == "body":
                break
            continue
        if not line.strip():
            continue
        if current is None or len(fields[current]) >= 3 or len(line.strip()) > 120:
            break
        fields[current].append(line.strip())
        end = i
    for i in range(first, end + 1):
        if roles[i] is not LineRole.blank:
            roles[i] = LineRole.metadata
    return {key: " ".join(values).strip() for key, values in fields.items()}


def _date_from_fields(fields: dict[str, str], lexicon: Lexicon) -> tuple[dt.date | None, str | None]:
    by_heading = {fold_name(k): (k, v) for k, v in fields.items()}
    for wanted in lexicon.document_date_fields:
        heading, value = by_heading.get(fold_name(wanted), (None, ""))
        date = parse_date_line(value) if value else None
        if date is not None:
            return date, f"archive metadata ({heading})"
    return None, None


def _mark_citations(raw_lines: list[tuple[int, int, str]], roles: list[LineRole], lexicon: Lexicon,
                    folded: list[str]) -> None:
    pattern = _line_patterns(lexicon).citation
    for i, (_, _, line) in enumerate(raw_lines):
        if roles[i] is LineRole.body and len(line) < 2000 and pattern.search(folded[i]):
            roles[i] = LineRole.citation


FILE_NUMBER = re.compile(
    r"(?<![\w.])\d{3}\.[\w.]*(?:\s+[A-Z][\w.]*)?/(?P<month>\d{1,2})\s*[–—-]\s*(?P<day>\d{1,2})(?P<year>\d{2})(?!\d)"
)
"""A US State Department decimal file number: "761.93/3–1450" (14 March 1950), "693.0023/4–2047"."""


def file_number_date(text: str) -> tuple[dt.date, str] | None:
    """The date a decimal file number ends with, in 19xx, and the number as written."""
    match = FILE_NUMBER.search(text)
    if match is None:
        return None
    try:
        day = dt.date(1900 + int(match["year"]), int(match["month"]), int(match["day"]))
    except ValueError:
        return None
    return day, match.group()


def _mark_file_number(raw_lines: list[tuple[int, int, str]], roles: list[LineRole]) -> tuple[dt.date, str] | None:
    """A file-number line at the top ("761.93/3–1450: Telegram") is a reference, not the title."""
    content = [i for i, role in enumerate(roles) if role is LineRole.body][:3]
    for i in content:
        line = raw_lines[i][2].strip()
        found = file_number_date(line)
        if found is not None and line.startswith(found[1]) and len(line) < 120:
            roles[i] = LineRole.metadata
            return found[0], f"file number {found[1]}"
    return None


_RECEIVED = re.compile(r"\[Received\s+(?P<date>[A-Z][a-z]+\.?\s+\d{1,2}(?:,?\s+(?:1[89]|20)\d\d)?)")


def _received_date(raw_lines: list[tuple[int, int, str]], roles: list[LineRole]) -> tuple[dt.date | None, str | None]:
    """ "[Received March 15, 1950—10 a.m.]" near the top (a telegram's date of receipt)."""
    content = [i for i, role in enumerate(roles) if role is not LineRole.blank][:HEADER_WINDOW]
    for i in content:
        match = _RECEIVED.search(raw_lines[i][2])
        if match is None:
            continue
        date = parse_date_line(match["date"])
        if date is not None:
            return date, "[Received …] note"
    return None, None


def _split_lines(text: str) -> list[tuple[int, int, str]]:
    lines = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line), line))
        position += len(line) + 1
    return lines


def _base_role(line: str, lexicon: Lexicon, folded: str) -> LineRole:
    """The role of a line on its own; ``folded`` is ``fold_name(line)``."""
    stripped = line.strip()
    if not stripped:
        return LineRole.blank
    patterns = _line_patterns(lexicon)
    if len(stripped) > 300:  # no boilerplate line is that long: a paragraph of the body
        return LineRole.body
    if patterns.junk.fullmatch(folded):
        return LineRole.junk
    if patterns.editorial.fullmatch(stripped):
        return LineRole.editorial
    if patterns.classification.fullmatch(folded):  # "Top Secret", "Confidential File No. 409"
        return LineRole.classification
    return LineRole.body


@dataclass(frozen=True)
class _LinePatterns:
    junk: re.Pattern[str]
    editorial: re.Pattern[str]
    classification: re.Pattern[str]
    citation: re.Pattern[str]


_COMPILED: dict[int, tuple[Lexicon, _LinePatterns]] = {}


def _line_patterns(lexicon: Lexicon) -> _LinePatterns:
    """The lexicon's line patterns, each list compiled once (per lexicon) as one alternation."""
    cached = _COMPILED.get(id(lexicon))
    if cached is None or cached[0] is not lexicon:
        cached = (lexicon, _compile_line_patterns(lexicon))
        _COMPILED[id(lexicon)] = cached
    return cached[1]


def _compile_line_patterns(lexicon: Lexicon) -> _LinePatterns:
    def either(patterns: list[str]) -> re.Pattern[str]:
        return re.compile("|".join(f"(?:{p})" for p in patterns) or r"(?!)")
    markings = "|".join(re.escape(m) for m in sorted(lexicon.classifications, key=len, reverse=True))
    return _LinePatterns(
        junk=either(lexicon.junk_lines),
        editorial=either(lexicon.editorial_lines),
        classification=re.compile(rf"(?:{markings})(?:[\s.,;:-]+(?:file|copy|no|nr|#)\b.*)?\.?"),
        citation=either(lexicon.citation_lines),
    )


def _title_lines(
    raw_lines: list[tuple[int, int, str]], roles: list[LineRole], content: list[int], date_index: int | None
) -> list[int]:
    """Lines of the title: the short lines before the date line, else the line after it.

    Without a date line the first content line is the title if it is short and
    does not read like a sentence of the body.
    """
    def short(i: int) -> bool:
        return len(raw_lines[i][2].strip()) <= MAX_TITLE_LENGTH

    if date_index is not None:
        before = [i for i in content if i < date_index]
        for i in before:  # an archive's summary above the date line is not the title
            line = raw_lines[i][2].strip()
            if re.search(r"[.!?]$", line) and (len(line) > 150 or len(line.split()) > 15):
                roles[i] = LineRole.metadata
        before = [i for i in before if roles[i] is LineRole.body]
        if before and len(before) <= MAX_TITLE_LINES and all(short(i) for i in before):
            return before
        after = [i for i in content if i > date_index and roles[i] is LineRole.body]
        return after[:1] if after and short(after[0]) else []
    if not content:
        return []
    first = raw_lines[content[0]][2].strip()
    if len(first) <= 150 and not re.search(r"[.;:,]$", first) and len(first.split()) <= 25:
        return [content[0]]
    return []


def _metadata(raw_lines: list[tuple[int, int, str]], metadata_at: int, lexicon: Lexicon) -> dict[str, str]:
    """Fields of the archive block: a heading line, then its value lines (or "Heading: value")."""
    headings = {fold_name(h): h for h in lexicon.metadata_fields}
    metadata: dict[str, list[str]] = {}
    current: str | None = None
    for _, _, line in raw_lines[metadata_at + 1 :]:
        stripped = line.strip().replace("\u00a0", " ")
        if not stripped:
            continue
        folded = fold_name(stripped)
        if folded in headings:
            current = stripped
            metadata.setdefault(current, [])
            continue
        inline = re.match(r"^([^:]{2,40}):\s*(.+)$", stripped)
        if inline and fold_name(inline.group(1)) in headings:
            current = inline.group(1).strip()
            metadata.setdefault(current, []).append(inline.group(2).strip())
            continue
        if current is not None:
            metadata[current].append(stripped)
    return {key: re.sub(r"\s+", " ", " ".join(values)).strip() for key, values in metadata.items()}


def _document_fields(metadata: dict[str, str], lexicon: Lexicon) -> dict[str, str | None]:
    """Map the archive block onto ``Document`` fields (archive_source, record_id, …)."""
    fields: dict[str, str | None] = {}
    mapping = {fold_name(k): v for k, v in lexicon.metadata_fields.items()}
    for heading, value in metadata.items():
        target = mapping.get(fold_name(heading))
        if target in {"archive_source", "translated_by", "record_id", "language", "collection"} and value:
            fields.setdefault(target, value)
    source = fields.get("archive_source")
    if source:
        translated = re.search(r"\s*Translated by\s+(.+?)\.?\s*$", source, flags=re.IGNORECASE)
        if translated:
            fields.setdefault("translated_by", translated.group(1).strip())
            source = source[: translated.start()]
        fields["archive_source"] = source.strip().rstrip(".").strip() or None
    return fields
