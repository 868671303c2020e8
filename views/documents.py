"""Documents: read each source in full, with its places and dates highlighted.

The chosen document is kept in the URL by its id (``?doc=<id>``). Every highlighted
mention links to its event on the map page.

Runs inside the app's navigation or alone (``streamlit run views/documents.py``).
"""

from __future__ import annotations

import streamlit as st

from components.data import get_catalog, get_gazetteer
from components.document_reader import render_document
from components.page_style import compact_page
from components.state import KEY_DOCUMENT, document_from_url, get, put, write_document_to_url
from exchanges.markdown import escape_markdown
from exchanges.wording import format_day

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
wanted = document_from_url()
if wanted is not None:
    if wanted in ids:
        put(KEY_DOCUMENT, wanted)
    else:
        st.warning(escape_markdown(f"There is no document {wanted[:40]!r} (from the link); showing another."),
                   icon=":material/link_off:")
if get(KEY_DOCUMENT) not in ids:
    put(KEY_DOCUMENT, ids[0])
document_id = st.selectbox(
    "Document",
    options=ids,
    format_func=lambda doc_id: f"{format_day(catalog.documents[doc_id].date)} — {catalog.documents[doc_id].title}",
    key=KEY_DOCUMENT,
)
write_document_to_url(document_id)
render_document(catalog.documents[document_id], catalog, gazetteer)
