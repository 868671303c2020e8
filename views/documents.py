"""Documents: read each source in full, with its places and dates highlighted.

The chosen document is kept in the URL (``?doc=<id>``). Every highlighted
mention links to its event on the map page.

Runs inside the app's navigation or alone (``streamlit run views/documents.py``).
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog, get_gazetteer
from components.document_reader import render_document
from components.page_style import compact_page
from exchanges.charts.labels import format_day

DOC_KEY = "doc"

catalog = get_catalog()
gazetteer = get_gazetteer()

compact_page()
st.title("Documents")
documents = sorted(catalog.documents.values(), key=lambda d: (d.date, d.title))
if not documents:
    st.info("There are no documents yet.")
    st.stop()

ids = [d.id for d in documents]
if st.session_state.get(DOC_KEY) not in ids:
    st.session_state.pop(DOC_KEY, None)
document_id = st.selectbox(
    "Document",
    options=ids,
    format_func=lambda doc_id: f"{format_day(catalog.documents[doc_id].date)} — {catalog.documents[doc_id].title}",
    key=DOC_KEY,
    bind="query-params",
)
render_document(catalog.documents[document_id], catalog, gazetteer)
