"""Escaping text for Plotly's HTML-ish labels (hover, annotations, titles, ticks).

Plotly renders a small subset of HTML in text and decodes only a few named
entities (``&lt;``, ``&gt;``, ``&amp;`` among them, but *not* ``&quot;`` or
``&#x27;`` in every place), so ``html.escape``'s default quoting shows
``&quot;`` literally. Only ``&``, ``<`` and ``>`` need escaping for the text
to be shown as written.
"""

from __future__ import annotations


def escape_text(text: str) -> str:
    """``text`` as Plotly should show it literally: ``&``, ``<`` and ``>`` escaped, quotes kept."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
