"""The detail card of one event: what, when, who, where, and the source's words.

``detail_card_markdown`` builds the card as Markdown from escaped text (so the
passage of a user's event cannot inject markup); ``render_detail_card`` shows
it. Presentation mode and exports reuse both.
"""

from __future__ import annotations

import streamlit as st

from components.state import KEY_MAP_PERIOD_NAMES, map_switch
from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer
from exchanges.markdown import blockquote, escape_markdown
from exchanges.models import Event
from exchanges.wording import EventDetails, describe_event


def detail_card_markdown(details: EventDetails, *, heading_level: int = 3, show_title: bool = True) -> str:
    """The card as Markdown. Every piece of data is escaped; only our markup is live."""
    e = escape_markdown
    lines: list[str] = []
    if show_title:
        lines.append(f"{'#' * heading_level} {e(details.title)}")
    lines.append(f"**{e(details.date)}** · {e(details.event_type)}  \n:gray[{e(details.precision)}]")
    rows = []
    if details.senders:
        rows.append(("From", details.senders))
    if details.recipients:
        rows.append(("To", details.recipients))
    if details.people:
        rows.append(("Involving", details.people))
    rows.append(("Places", ", ".join(details.places) if details.places else "none given by the source"))
    if details.themes:
        rows.append(("Themes", ", ".join(details.themes)))
    lines.append("  \n".join(f"**{label}:** {e(value)}" for label, value in rows))
    if details.figures:
        lines.append("**Figures the source gives:**\n\n" + "\n".join(f"- {e(f)}" for f in details.figures))
    lines.append(e(details.summary))
    lines.append(blockquote(details.passage))
    source = f"**Source:** *{e(details.document_title)}*"
    if details.document_date:
        source += f", {e(details.document_date)}"
    extra = []
    if details.archive:
        extra.append(f"Archive: {e(details.archive)}")
    if details.record_id:
        extra.append(f"Record ID: {e(details.record_id)}")
    if extra:
        source += "  \n" + " · ".join(extra)
    lines.append(source)
    return "\n\n".join(lines)


def render_detail_card(
    event: Event,
    catalog: Catalog,
    gazetteer: Gazetteer,
    *,
    show_title: bool = True,
    heading_level: int = 3,
    period_names: bool | None = None,
) -> None:
    """Draw the card for ``event`` in the current container. ``period_names`` (by default the
    map's "Names of the time" switch) names places as in the event's year, today's name beside."""
    if period_names is None:
        period_names = map_switch(KEY_MAP_PERIOD_NAMES, False)
    details = describe_event(event, catalog, gazetteer, period_names=period_names)
    if catalog.is_user_event(event.id):
        st.caption(":material/person: An event you added")
    st.markdown(detail_card_markdown(details, heading_level=heading_level, show_title=show_title))
