"""Safe Markdown for ``st.markdown``: text from documents and users shows literally.

Streamlit's Markdown knows more than CommonMark: ``$…$`` is LaTeX,
``:red[…]`` colours text, ``:material/icon:`` draws icons. Every character
that could start markup is escaped with a backslash, and ``<``, ``>``, ``&``
become HTML entities, so a ``<script>`` in a document is shown as text, never
parsed as HTML (``unsafe_allow_html`` is never used with such text anyway).
Our own markup is added around the escaped text. This is the one Markdown
escaper of the app: the pages (``components/``, ``views/``) and the reports
``exchanges`` writes as Markdown (the review table's save report, a document
with its mentions highlighted) all use it.

Web addresses stay text too: Streamlit's GitHub-flavoured Markdown turns a
bare ``https://…``, ``www.…`` or e-mail address into a link even when its
punctuation is escaped (the link is found in the text after escapes are
read), so an invisible WORD JOINER (U+2060) is put inside each such pattern
(``https:⁠//``, ``www⁠.``, ``@⁠``): the text reads the same, nothing matches.

A heading (``heading``) is one line of escaped text, so a title with line
breaks cannot end the heading early and start markup of its own.
"""

from __future__ import annotations

import re
from urllib.parse import urlencode

_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~$:^=@/])")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
WORD_JOINER = "\u2060"
_AUTOLINKS = re.compile(r"(?i)\b(?:https?|ftp):(?=/)|\bwww(?=\.)|@")
_ENTITY = re.compile(r"[&<>]")


def escape_markdown(text: str) -> str:
    """Text that ``st.markdown`` renders exactly as written, on one line or many.

    Line breaks are kept as hard breaks (two spaces before the newline), so the
    text's own line structure survives inside our markup; indentation after a
    break is dropped (it would make a code block). Spaces at the ends are kept,
    so escaped pieces can be joined around our own markup.
    """
    escaped = _SPECIAL.sub(r"\\\1", _AUTOLINKS.sub(lambda m: m.group() + WORD_JOINER, text))
    escaped = _ENTITY.sub(lambda m: _ENTITIES[m.group()], escaped)
    first, *rest = escaped.split("\n")
    return "  \n".join([first, *(line.lstrip() for line in rest)])


def escape_line(text: str) -> str:
    """``text`` on one line (runs of white space, line breaks included, become one
    space), escaped: for headings, table cells, list items and link labels."""
    return escape_markdown(" ".join(text.split()))


def heading(text: str, level: int = 3) -> str:
    """A Markdown heading (``#`` × ``level``) showing ``text`` literally, on one line."""
    return f"{'#' * max(1, min(level, 6))} {escape_line(text)}"


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
