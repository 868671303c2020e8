"""Document parsing (exchanges.ingest.document) on the corpus documents and on junk."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from exchanges.ingest.document import LineRole, parse_document
from exchanges.paths import DOCUMENTS_DIR

LETTER_1952 = DOCUMENTS_DIR / "1952-01-07_gromyko_to_stalin_repatriation.txt"
STATEMENT_1962 = DOCUMENTS_DIR / "1962-08-10_soviet_statement_xinjiang_exodus.txt"


def read(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def test_1952_letter_header() -> None:
    document = parse_document(read(LETTER_1952))
    assert document.date == dt.date(1952, 1, 7)
    assert document.title is not None
    assert document.title.startswith("Letter From the First Deputy Minister")
    assert "A.A. Gromyko to I.V. Stalin" in document.title  # the three title lines joined
    assert document.title.endswith("In 1952")
    assert document.classification == "Top Secret"
    assert document.record_id is None and document.archive_source is None
    assert document.body.startswith("According to reports from the USSR Ambassador")
    assert document.body.endswith("Please review it.")
    assert "Top Secret" not in document.body and "January 7, 1952" not in document.body


def test_1962_statement_header_and_archive_block() -> None:
    document = parse_document(read(STATEMENT_1962))
    assert document.date == dt.date(1962, 8, 10)
    assert document.title is not None and document.title.startswith("Statement of the Soviet Government")
    assert document.classification == "Confidential File No. 409"
    assert document.archive_source == "PRC FMA 118-01767-01, 7-11"
    assert document.translated_by == "7Brands"
    assert document.record_id == "118207"
    assert document.language is None  # the copy's Language field is empty
    assert document.metadata["Original Uploaded Date"] == "2013-10-10"
    assert document.metadata["Donors"].startswith("MacArthur Foundation")
    assert "Rights" in document.metadata


def test_1962_body_has_no_boilerplate() -> None:
    document = parse_document(read(STATEMENT_1962))
    body = document.body
    assert body.startswith("On 26 June, the Government of the Soviet Union received")
    for junk in ("Skip to content", "[…]", "This document was made possible", "Document Information",
                 "HAPP@wilsoncenter.org", "118207", "[Illegible brief handwritten note]"):
        assert junk not in body, junk
    # the repeated title above the body is not body text either
    assert "Statement of the Soviet Government concerning" not in body


def test_analysed_text_keeps_offsets_and_blanks_boilerplate() -> None:
    text = read(STATEMENT_1962)
    document = parse_document(text)
    analysed = document.analysed_text
    assert len(analysed) == len(document.text)
    assert "Skip to content" not in analysed and "Record ID" not in analysed
    start = document.text.index("On 26 June")
    assert analysed[start : start + 10] == "On 26 June"


def test_crlf_and_junk_lines() -> None:
    text = "Skip to content\r\n\r\nMarch 3, 1950\r\n\r\nA note on trade\r\n\r\n[...]\r\n\r\nWe met in Moscow.\r\n"
    document = parse_document(text)
    assert document.date == dt.date(1950, 3, 3)
    assert document.title == "A note on trade"
    assert document.body == "We met in Moscow."
    assert "\r" not in document.text
    roles = [line.role for line in document.lines if line.text.strip()]
    assert roles == [LineRole.junk, LineRole.date, LineRole.title, LineRole.junk, LineRole.body]


def test_text_without_header() -> None:
    document = parse_document("The delegation arrived in Beijing on 3 May 1950 and met the premier.")
    assert document.date is None
    assert document.title is None
    assert document.body.startswith("The delegation arrived")


@pytest.mark.parametrize("text", ["", "   \n\n  ", "Skip to content\n[…]\n"])
def test_empty_or_only_junk(text: str) -> None:
    document = parse_document(text)
    assert document.body == ""
    assert document.date is None


def test_inline_metadata_fields() -> None:
    text = "May 1, 1955\n\nTitle here\n\nBody text.\n\nDocument Information\n\nSource: Archive X, f. 1\nRecord ID: 42\n"
    document = parse_document(text)
    assert document.archive_source == "Archive X, f. 1"
    assert document.record_id == "42"
