"""The Streamlit app: ``streamlit run app.py``.

Pages are Streamlit scripts in ``views/``; this file only sets the page up and
lists them. Each page also runs alone (``streamlit run views/explore.py``),
which is how the tests drive them.
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from components.heap import freeze_start_up

ROOT = Path(__file__).resolve().parent

st.set_page_config(
    page_title="Cold-War exchanges",
    # No page_icon: a Material or emoji favicon is fetched from a CDN (offline first).
    layout="wide",
    initial_sidebar_state="expanded",
)

# (script, title, url path). The first is the default page (at "/").
# No icons: Streamlit fetches a page's Material icon for the favicon from a CDN.
PAGES: list[tuple[str, str, str]] = [
    ("views/explore.py", "Map & timeline", "explore"),
    ("views/present.py", "Present", "present"),
    ("views/tour_builder.py", "Build a tour", "build-tour"),
    ("views/documents.py", "Documents", "documents"),
    ("views/add_document.py", "Add a document", "add-document"),
]


def _page(script: str, title: str, url_path: str, default: bool) -> st.Page:
    return st.Page(ROOT / script, title=title, url_path=None if default else url_path, default=default)


navigation = st.navigation(
    [_page(*spec, default=index == 0) for index, spec in enumerate(PAGES)]
)
navigation.run()
# After the first page is drawn, what it loaded is left out of garbage collections (see the module).
freeze_start_up()
