"""A compact page top for the reading pages (map & timeline, documents).

Streamlit leaves about 6rem above a page's title; on a 1280x720 classroom
screen that pushes the map half out of view. This is our own constant CSS
(never user text), injected with ``st.html``, which takes no room on the page.
"""

from __future__ import annotations

import streamlit as st

PAGE_CSS = """
<style>
[data-testid="stMainBlockContainer"] { padding-top: 3.25rem; padding-bottom: 3rem; }
[data-testid="stMainBlockContainer"] h1 { font-size: 2.1rem; padding-top: 0; padding-bottom: 0.5rem; }
</style>
"""


def compact_page() -> None:
    """Call once near the top of a page script."""
    st.html(PAGE_CSS)
