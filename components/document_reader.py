"""A document's full text with the places and dates it mentions highlighted.

Each highlighted mention links to its event on the map page
(``./?event=<id>``: the map page reads the event from the URL) when an event
cites it (see ``exchanges.mentions.link_mentions``); a mention no event cites
is highlighted without a link. Under the text, every mention is listed with
all the events it belongs to, or :data:`UNLINKED_NOTE`.

The text is never rendered as HTML: paragraphs are escaped
(``exchanges.markdown``) and only our own markup (background colour, links)
is added around the escaped pieces.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence

import streamlit as st

from exchanges.catalog import Catalog
from exchanges.filters import PARAM_EVENT
from exchanges.gazetteer import Gazetteer
from exchanges.markdown import escape_markdown, query_link
from exchanges.mentions import Mention, find_mentions
from exchanges.models import Document
from exchanges.wording import format_day, short_date, shorten

PLACE_COLOUR = "blue"
DATE_COLOUR = "orange"
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
UNLINKED_NOTE = "mentioned; no event cites this passage"


def event_link(label_markdown: str, event_id: str) -> str:
    """A Markdown link opening the map page with this event selected."""
    return query_link(label_markdown, {PARAM_EVENT: event_id})


def _mention_markdown(text: str, mention: Mention) -> str:
    colour = PLACE_COLOUR if mention.kind == "place" else DATE_COLOUR
    marked = f":{colour}-background[{escape_markdown(text)}]"
    if mention.event_ids:
        return event_link(marked, mention.event_ids[0])
    return marked


def highlighted_paragraphs(text: str, mentions: Sequence[Mention]) -> list[str]:
    """The text as Markdown paragraphs, mentions highlighted and linked, all else escaped."""
    paragraphs: list[str] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        inside = [m for m in mentions if position <= m.start and m.end <= end]
        pieces: list[str] = []
        cursor = position
        for mention in inside:
            pieces.append(escape_markdown(text[cursor : mention.start]))
            pieces.append(_mention_markdown(text[mention.start : mention.end], mention))
            cursor = mention.end
        pieces.append(escape_markdown(text[cursor:end]))
        paragraph = "".join(pieces).strip()
        if paragraph and text[position:end].strip():
            paragraphs.append(paragraph)
        position = match.end() if match else len(text)
    return paragraphs


def document_mentions(document: Document, catalog: Catalog, gazetteer: Gazetteer) -> list[Mention]:
    text = catalog.document_text(document.id)
    return find_mentions(
        text, gazetteer.name_index(), catalog.events_of_document(document.id), document.date.year
    )


def mention_index_markdown(mentions: Sequence[Mention], catalog: Catalog, gazetteer: Gazetteer) -> str:
    """A list of the distinct mentions, each with every event it belongs to."""
    groups: dict[tuple[str, str], list[Mention]] = defaultdict(list)
    for mention in mentions:
        key = mention.place_id if mention.kind == "place" else " ".join(mention.text.split())
        groups[(mention.kind, key or "")].append(mention)
    lines = []
    for (kind, key), members in sorted(groups.items(), key=lambda item: item[1][0].start):
        if kind == "place":
            place = gazetteer.get(key)
            name = place.name if place else key
            colour = PLACE_COLOUR
        else:
            name = members[0].text
            colour = DATE_COLOUR
        event_ids = list(dict.fromkeys(e for m in members for e in m.event_ids))
        times = f" ×{len(members)}" if len(members) > 1 else ""
        head = f"- :{colour}-background[{escape_markdown(name)}]{times}"
        if not event_ids:
            lines.append(head + f" — :gray[{UNLINKED_NOTE}]")
            continue
        links = [
            event_link(escape_markdown(shorten(catalog.event(e).title, 70)), e) for e in event_ids[:6]
        ]
        more = f" and {len(event_ids) - 6} more" if len(event_ids) > 6 else ""
        lines.append(head + " — " + "; ".join(links) + more)
    return "\n".join(lines)


def render_document_metadata(document: Document, catalog: Catalog) -> None:
    e = escape_markdown
    rows = [("Date", format_day(document.date))]
    if document.author:
        rows.append(("From", ", ".join(catalog.actor_name(a) for a in document.author)))
    if document.recipient:
        rows.append(("To", ", ".join(catalog.actor_name(a) for a in document.recipient)))
    for label, value in (
        ("Archive", document.archive_source),
        ("Record ID", document.record_id),
        ("Collection", document.collection),
        ("Classification", document.classification),
        ("Language", document.language),
        ("Translated by", document.translated_by),
    ):
        if value:
            rows.append((label, value))
    st.markdown("  \n".join(f"**{label}:** {e(value)}" for label, value in rows))
    if document.notes:
        st.caption(e(document.notes))


def render_document(document: Document, catalog: Catalog, gazetteer: Gazetteer) -> None:
    """The document: metadata, highlighted text, its mentions and its events."""
    text = catalog.document_text(document.id)
    mentions = document_mentions(document, catalog, gazetteer)
    render_document_metadata(document, catalog)
    st.caption(
        f":{PLACE_COLOUR}-background[place] :{DATE_COLOUR}-background[date] — "
        "a linked mention opens the event that cites it on the map (in a new tab); "
        f"one without a link is {UNLINKED_NOTE}."
    )
    text_column, side_column = st.columns([3, 2], gap="large")
    with text_column, st.container(border=True, key="document_text"):
        for paragraph in highlighted_paragraphs(text, mentions):
            st.markdown(paragraph)
    with side_column:
        events = catalog.events_of_document(document.id)
        st.markdown(f"#### Events in this document ({len(events)})")
        st.markdown(
            "\n".join(
                f"- {escape_markdown(short_date(e))}: {event_link(escape_markdown(e.title), e.id)}"
                for e in events
            )
            or ":gray[None recorded yet.]"
        )
        st.markdown("#### Places and dates mentioned")
        st.markdown(mention_index_markdown(mentions, catalog, gazetteer) or ":gray[None found.]")
