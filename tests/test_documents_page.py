"""The Documents page (views/documents.py) as a teacher uses it: links and highlights."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from components.document_reader import UNLINKED_NOTE

PAGE = str(Path(__file__).resolve().parent.parent / "views" / "documents.py")
LETTER_1952 = "gromyko-to-stalin-1952-01-07"
STATEMENT_1962 = "soviet-statement-1962-08-10"


def open_page(user_data, **params: str) -> AppTest:  # type: ignore[no-untyped-def]
    at = AppTest.from_file(PAGE, default_timeout=60)
    at.query_params.update(params)
    at.run()
    assert not at.exception, at.exception
    return at


def test_the_link_names_the_document_by_its_id(user_data, shipped_catalog) -> None:  # type: ignore[no-untyped-def]
    at = open_page(user_data, doc=STATEMENT_1962)
    assert at.selectbox[0].value == STATEMENT_1962
    assert at.query_params["doc"] == STATEMENT_1962
    at.selectbox[0].select(LETTER_1952).run()
    assert at.query_params["doc"] == LETTER_1952


def test_an_unknown_document_in_the_link_is_said(user_data) -> None:  # type: ignore[no-untyped-def]
    at = open_page(user_data, doc="no-such-document")
    assert any("no-such-document" in w.value.replace("\\", "") for w in at.warning)
    assert at.query_params["doc"] in (LETTER_1952, STATEMENT_1962)


def test_mentions_no_event_cites_are_listed_as_such(user_data, shipped_catalog) -> None:  # type: ignore[no-untyped-def]
    at = open_page(user_data, doc=LETTER_1952)
    markdown = "\n".join(m.value for m in at.markdown)
    assert UNLINKED_NOTE in markdown
    # "USSR Ambassador": highlighted, but no link around it.
    paragraph = next(m.value for m in at.markdown if "Ambassador to the" in m.value)
    before = paragraph[: paragraph.index("Ambassador")]
    assert before.rstrip().endswith("[USSR]"), before[-60:]
