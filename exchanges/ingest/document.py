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
    metadata = "metadata"  # the archive's Document Information block


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

    def lines_with(self, *roles: LineRole) -> list[Line]:
        return [line for line in self.lines if line.role in roles]

    @property
    def body(self) -> str:
        """The document's own text: body paragraphs, without header and archive boilerplate."""
        return "\n\n".join(line.text.strip() for line in self.lines_with(LineRole.body))

    @property
    def analysed_text(self) -> str:
        """``text`` with every line that is not title, date or body replaced by blanks.

        Same length as ``text``, so offsets found in it are offsets into ``text``.
        """
        keep = (LineRole.title, LineRole.date, LineRole.body)
        chars = list(self.text)
        for line in self.lines:
            if line.role not in keep:
                for index in range(line.start, line.end):
                    chars[index] = " "
        return "".join(chars)


def normalise_newlines(text: str) -> str:
    return text.replace("\r\n", "\n").replace("\r", "\n")


def parse_document(text: str, lexicon: Lexicon | None = None) -> ParsedDocument:
    """Split ``text`` into header, body and archive block and read the metadata."""
    lexicon = lexicon or load_lexicon()
    text = normalise_newlines(text)
    raw_lines = _split_lines(text)
    roles = [_base_role(line, lexicon) for _, _, line in raw_lines]

    # The archive block: from its heading to the end.
    heading = fold_name(lexicon.metadata_heading)
    metadata_at = next(
        (i for i, (_, _, line) in enumerate(raw_lines) if fold_name(line) == heading), None
    )
    if metadata_at is not None:
        for i in range(metadata_at, len(raw_lines)):
            roles[i] = LineRole.metadata if roles[i] is not LineRole.blank else roles[i]

    content = [i for i, role in enumerate(roles) if role is LineRole.body]
    header = content[:HEADER_WINDOW]
    date: dt.date | None = None
    date_index = None
    for i in header:
        parsed = parse_date_line(raw_lines[i][2])
        if parsed is not None:
            date, date_index = parsed, i
            roles[i] = LineRole.date
            break

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
    fields = _document_fields(metadata, lexicon)
    lines = tuple(Line(start, end, line, role) for (start, end, line), role in zip(raw_lines, roles))
    return ParsedDocument(
        text=text,
        lines=lines,
        title=title,
        date=date,
        classification=classification,
        metadata=metadata,
        **fields,
    )


def _split_lines(text: str) -> list[tuple[int, int, str]]:
    lines = []
    position = 0
    for line in text.split("\n"):
        lines.append((position, position + len(line), line))
        position += len(line) + 1
    return lines


def _base_role(line: str, lexicon: Lexicon) -> LineRole:
    stripped = line.strip()
    if not stripped:
        return LineRole.blank
    folded = fold_name(stripped)
    if any(re.fullmatch(p, folded) for p in lexicon.junk_lines):
        return LineRole.junk
    if any(re.fullmatch(p, stripped) for p in lexicon.editorial_lines):
        return LineRole.editorial
    if _is_classification(folded, lexicon):
        return LineRole.classification
    return LineRole.body


def _is_classification(folded: str, lexicon: Lexicon) -> bool:
    """ "Top Secret", "Confidential File No. 409", "SECRET. Copy No. 3"."""
    for marking in sorted(lexicon.classifications, key=len, reverse=True):
        if re.fullmatch(rf"{re.escape(marking)}(?:[\s.,;:-]+(?:file|copy|no|nr|#)\b.*)?\.?", folded):
            return True
    return False


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
