"""The hover label of an event marker, shared by the map and the timeline.

Plotly renders hover text as (a subset of) HTML, so every piece of data is
escaped here; only the ``<b>``/``<i>``/``<br>`` markup is ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from exchanges.charts.plotly_text import escape_text
from exchanges.wording import (
    bound_phrase,
    date_label,
    event_type_label,
    exchange_label,
    figure_text,
    largest_figure,
    precision_label,
    shorten,
)

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.models import Event

LINE_LIMIT = 70
"""Characters per hover line before it is shortened with "…"."""


def hover_html(
    event: Event, catalog: Catalog, *, place_name: str | None = None, show_precision: bool = False
) -> str:
    """Date, title, type (and place), who wrote to whom, the largest figure.

    ``show_precision`` adds "(month only)" and the like after the date. An
    event whose source gives only a latest date always says so on a line of
    its own ("on or before 7 January 1952 — only a latest date is known"),
    since its date alone would look exact.
    """
    head = f"<b>{escape_text(date_label(event))}</b>"
    bound = bound_phrase(event)
    if bound is None and show_precision:
        head += f" ({escape_text(precision_label(event.date_precision))})"
    lines = [head]
    if bound is not None:
        lines.append(f"<i>{escape_text(bound)} — only a latest date is known</i>")
    kind = event_type_label(event.event_type)
    if place_name is not None:
        kind = f"{kind} · {place_name}"
    lines += [escape_text(shorten(event.title, LINE_LIMIT)), escape_text(kind)]
    exchange = exchange_label(event, catalog)
    if exchange:
        lines.append(escape_text(shorten(exchange, LINE_LIMIT)))
    figure = largest_figure(event)
    if figure is not None:
        lines.append(escape_text(shorten(figure_text(figure), LINE_LIMIT)))
    return "<br>".join(lines)
