"""Documents: read each source in full, with its places and dates highlighted.

The chosen document is kept in the URL by its id (``?doc=<id>``). Every highlighted
mention links to its event on the map page.

Runs inside the app's navigation or alone (``streamlit run views/documents.py``).
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog, get_gazetteer
from components.document_reader import render_document
from components.markdown import escape_markdown
from components.page_style import compact_page
from exchanges.charts.labels import format_day

DOC_KEY = "doc"
_KEY_LAST_URL = "_doc_last_url"

catalog = get_catalog()
gazetteer = get_gazetteer()

compact_page()
st.title("Documents")
documents = sorted(catalog.documents.values(), key=lambda d: (d.date, d.title))
if not documents:
    st.info("There are no documents yet.")
    st.stop()

ids = [d.id for d in documents]
# The link holds the document's id (not its title): read it when it changed
# since this session wrote it, then write the choice back.
wanted = st.query_params.get(DOC_KEY)
if wanted is not None and wanted != st.session_state.get(_KEY_LAST_URL):
    if wanted in ids:
        st.session_state[DOC_KEY] = wanted
    else:
        st.warning(escape_markdown(f"There is no document {wanted[:40]!r} (from the link); showing another."),
                   icon=":material/link_off:")
if st.session_state.get(DOC_KEY) not in ids:
    st.session_state[DOC_KEY] = ids[0]
document_id = st.selectbox(
    "Document",
    options=ids,
    format_func=lambda doc_id: f"{format_day(catalog.documents[doc_id].date)} — {catalog.documents[doc_id].title}",
    key=DOC_KEY,
)
if st.query_params.get(DOC_KEY) != document_id:
    st.query_params[DOC_KEY] = document_id
st.session_state[_KEY_LAST_URL] = document_id
render_document(catalog.documents[document_id], catalog, gazetteer)
