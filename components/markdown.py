"""Safe Markdown for ``st.markdown``: text from documents and users shows literally.

Streamlit's Markdown knows more than CommonMark: ``$…$`` is LaTeX,
``:red[…]`` colours text, ``:material/icon:`` draws icons. Every character
that could start markup is escaped with a backslash, and ``<``, ``>``, ``&``
become HTML entities, so a ``<script>`` in a document is shown as text, never
parsed as HTML (``unsafe_allow_html`` is never used with such text anyway).
Our own markup is added around the escaped text.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:^=])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_ENTITY = re.compile(r"[&<>]")


def escape_markdown(text: str) -> str:
    """Text that ``st.markdown`` renders exactly as written, on one line or many.

    Line breaks are kept as hard breaks (two spaces before the newline), so the
    text's own line structure survives inside our markup; indentation after a
    break is dropped (it would make a code block). Spaces at the ends are kept,
    so escaped pieces can be joined around our own markup.
    """
    escaped = _SPECIAL.sub(r"\\\1", text)
    escaped = _ENTITY.sub(lambda m: _ENTITIES[m.group()], escaped)
    first, *rest = escaped.split("\n")
    return "  \n".join([first, *(line.lstrip() for line in rest)])


def blockquote(text: str) -> str:
    """A Markdown block quote of plain text (escaped; paragraphs kept)."""
    paragraphs = [p for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return "\n>\n".join("> " + escape_markdown(" ".join(p.split())) for p in paragraphs)


def query_link(label_markdown: str, params: dict[str, str], page: str = "./") -> str:
    """A Markdown link to an app page with query parameters.

    ``label_markdown`` must already be escaped. ``page`` is relative to the
    current page's URL (``./`` is the default page, the explore view).
    """
    return f"[{label_markdown}]({page}?{urlencode(params)})"
