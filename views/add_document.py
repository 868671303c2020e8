"""Add a document: paste or upload an archival text, review what was found, save events.

Tab 1 reads a document (pasted, or a UTF-8 .txt upload): its archive metadata,
the text with places, dates, figures and people highlighted, place names not in
the gazetteer, and the proposed events in an editable table (untick "keep" to
discard one, or delete its row). A missing event is typed in the "Add an event"
form below the table, which has every field of the table: plain widgets keep
every key typed, where the grid's own new row could drop the first keys typed
while it drew the row, so the table offers no new row of its own.
The table and its save button are one form: edits reach the app with the save.
Saving validates the kept events with the same rules as the shipped data and
writes them, with the document, to the user's folder (``exchanges.userdata``):
they appear on the map and timeline at once (the catalog cache is keyed by the
user's files). The save report says, row by row, what was saved and what was
not, and why (each missing field named).

A place name the gazetteer lacks shows what the geocoder found for it (its
cache; online only when ``EXCHANGES_LIVE_GEOCODING=1`` and the user asks). A
name it found can be added to the user's own places (``places.csv``, with the
geocoder's answer as its source; ``exchanges.user_places``): the gazetteer
reloads, the name is then a place of the proposed events, and they validate.

A draft kept by ``python -m exchanges ingest`` (in the user's store) can be opened
from "Open a saved draft": its text, document id and date are put back and
analysed as if pasted (the same analysis, offline), for review and saving.

Tab 2 imports a CSV, JSON or YAML file of events: valid rows are shown and can
be saved, each bad row is listed with its field and problem. Templates can be
downloaded there.

User text is never rendered as HTML: Markdown gets escaped text only
(``exchanges.markdown.escape_markdown``), tables show it as data.

Runs inside the app's navigation or alone (``streamlit run views/add_document.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd
import streamlit as st

from components.data import get_catalog, get_gazetteer
from components.plotly_config import plotly_config
from components.state import (
    ADD_DOC_ADD_FORM,
    ADD_DOC_ADDED,
    ADD_DOC_ANALYSIS,
    ADD_DOC_BASE_ROWS,
    ADD_DOC_DATE,
    ADD_DOC_DOC_ID,
    ADD_DOC_DRAFT_DATE,
    ADD_DOC_EDITOR,
    ADD_DOC_IMPORT,
    ADD_DOC_LOOKUP,
    ADD_DOC_MANUAL,
    ADD_DOC_PLACE,
    ADD_DOC_PLACE_ADDED,
    ADD_DOC_REVIEW_FORM,
    ADD_DOC_SAVED_DRAFT,
    ADD_DOC_SUBMITTED,
    ADD_DOC_TEXT,
    ADD_DOC_TITLE,
    ADD_DOC_UPLOAD,
    drop,
    get,
    put,
    put_default,
)
from exchanges.charts.place_picker import click_grid_figure, clicked_point
from exchanges.geocoder import LIVE_ENV_VAR, Geocoder, live_geocoding_enabled
from exchanges.ingest.analysis import Analysis, Located, analyse_document
from exchanges.ingest.document import parse_document
from exchanges.ingest.drafts import DraftSet, document_id_for, event_records, propose_events
from exchanges.ingest.review import (
    COLUMNS,
    FIGURE_HELP,
    HIGHLIGHT_COLOURS,
    blank_added_row,
    draft_rows,
    events_from_rows,
    highlight_markdown,
    issues_as_table_rows,
    kept_row_numbers,
    new_row_defaults,
    save_report,
    typed_row,
)
from exchanges.ingest.upload import DocumentUpload, prepare_upload
from exchanges.issues import Issue
from exchanges.markdown import escape_markdown
from exchanges.models import DatePrecision, EventType
from exchanges.paths import DATA_DIR
from exchanges.reader import dump_yaml
from exchanges.user_places import KINDS, add_user_place, propose_place
from exchanges.userdata import (
    MAX_UPLOAD_BYTES,
    UserDataError,
    check_document_id,
    decode_upload,
    read_events_upload,
    save_document,
    save_imported,
    saved_draft,
    saved_drafts,
    shipped_document_ids,
    store_revision,
)

TEMPLATES = DATA_DIR / "templates"
UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2100, 12, 31)
HIGHLIGHT_MAX_CHARS = 200_000  # a longer text is highlighted up to here (the browser stays responsive)


def _places_stamp() -> int:
    """The user's store's revision: the analysis is redone when a place or a cached answer is saved."""
    return store_revision()


@st.cache_data(show_spinner="Reading the document…", max_entries=16)
def _analyse(text: str, anchor: dt.date | None, stamp: int) -> Analysis:
    """Extract everything (gazetteer and cached geocoder answers only: no network)."""
    del stamp  # only the cache key
    gazetteer = get_gazetteer()
    geocoder = Geocoder(gazetteer, live=False)
    return analyse_document(text, gazetteer, actors=get_catalog().actors.values(), geocoder=geocoder, anchor=anchor)


def _issues_frame(issues: Sequence[Issue]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": i.file, "row": i.row, "field": i.field or "", "problem": i.message} for i in issues],
        columns=["file", "row", "field", "problem"],
    )


def _render_issues(issues: Sequence[Issue]) -> None:
    """The problems as a table (to sort and scan) and, below it, each message in full."""
    st.dataframe(_issues_frame(issues), hide_index=True, width="stretch",
                 column_config={"problem": st.column_config.TextColumn("problem", width="large")})
    with st.expander(f"All {len(issues)} problem(s) in full", expanded=True):
        st.markdown("\n".join(f"- {escape_markdown(str(issue))}" for issue in issues))


def _reset_review() -> None:
    for key in (ADD_DOC_DOC_ID, ADD_DOC_DATE, ADD_DOC_TITLE, ADD_DOC_EDITOR, ADD_DOC_LOOKUP, ADD_DOC_BASE_ROWS,
                ADD_DOC_ADDED):
        drop(key)


# --------------------------------------------------------------------------- tab 1: a document


def _open_saved_draft() -> None:
    """Put a saved draft's text, id and date back in the page (a callback: before the widgets)."""
    draft = saved_draft(get(ADD_DOC_SAVED_DRAFT) or "")
    if draft is None:
        return
    _reset_review()
    put(ADD_DOC_TEXT, draft.text)
    put(ADD_DOC_SUBMITTED, draft.text)
    put(ADD_DOC_DOC_ID, draft.name)
    date = draft.document.get("date")
    put(ADD_DOC_DRAFT_DATE, dt.date.fromisoformat(date) if isinstance(date, str) else None)


def _render_saved_drafts() -> None:
    """A chooser of the drafts ``python -m exchanges ingest`` kept in the user's store."""
    names = saved_drafts()
    if not names:
        return
    with st.expander(f"Open a saved draft ({len(names)})", icon=":material/draft:"):
        st.selectbox("Draft (its document id)", names, key=ADD_DOC_SAVED_DRAFT)
        st.button("Open it for review", key="add_doc_open_draft", on_click=_open_saved_draft)


def _read_input() -> None:
    """The text box, the .txt upload and the button that starts the review."""
    _render_saved_drafts()
    st.markdown(
        "Paste the text of an archival document (for example copied from an online archive, "
        "with its *Document Information* block), or upload it as a UTF-8 `.txt` file."
    )
    uploaded = st.file_uploader("Upload a .txt file", type=["txt"], key=ADD_DOC_UPLOAD, max_upload_size=UPLOAD_MB)
    text = st.text_area("Document text", key=ADD_DOC_TEXT, height=220,
                        placeholder="August 10, 1962\n\nStatement of …\n\nOn 26 June, …")
    if not st.button("Find places, dates and events", type="primary", key="add_doc_analyse"):
        return
    source = text or ""
    if uploaded is not None:
        try:
            source = decode_upload(uploaded.getvalue(), uploaded.name)
        except UserDataError as error:
            st.error(escape_markdown(error.message))
            return
    if not source.strip():
        st.warning("Paste a document's text or upload a .txt file first.")
        return
    put(ADD_DOC_SUBMITTED, source)
    drop(ADD_DOC_DRAFT_DATE)
    _reset_review()


def _render_metadata(analysis: Analysis) -> tuple[str, dt.date | None]:
    """The document's metadata; returns the title and date as the user confirms them."""
    document = analysis.document
    st.subheader("The document")
    title = st.text_input("Title", value=document.title or "", key=ADD_DOC_TITLE)
    date = st.date_input("Date of the document", value=document.date or analysis.anchor, key=ADD_DOC_DATE,
                         min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD")
    if document.date is None:
        # With no date given either, the analysis says what it needs (and lists the dates it could not place).
        request = analysis.date_request or "No date line was found at the top of the text. Check the date above."
        st.warning(escape_markdown(request) + " Dates without a year (\"26 June\") are read relative to "
                   "the date above.")
    details = [
        ("Classification", document.classification),
        ("Archive source", document.archive_source),
        ("Record ID", document.record_id),
        ("Translated by", document.translated_by),
        ("Language", document.language),
    ]
    shown = [f"**{label}:** {escape_markdown(value)}" for label, value in details if value]
    if shown:
        st.markdown("  \n".join(shown))
    other = {k: v for k, v in document.metadata.items() if k not in ("Source", "Record ID", "Language") and v}
    if other:
        with st.expander("Other archive information"):
            st.markdown("  \n".join(f"**{escape_markdown(k)}:** {escape_markdown(v)}" for k, v in other.items()))
    return title.strip(), date if isinstance(date, dt.date) else None


def _render_mentions(analysis: Analysis) -> None:
    gazetteer = get_gazetteer()
    st.subheader("What was found")
    legend = " ".join(f":{colour}-background[{kind}s]" for kind, colour in HIGHLIGHT_COLOURS.items())
    st.markdown(f"Highlighted: {legend}")
    with st.container(height=380, border=True):
        st.markdown(highlight_markdown(analysis, max_chars=HIGHLIGHT_MAX_CHARS))

    places, dates, figures = st.tabs(["Places", "Dates", "Figures"])
    with places:
        counts = analysis.place_counts()
        rows = [{"place": (gazetteer.get(pid).name if gazetteer.get(pid) else pid), "id": pid, "mentions": n}
                for pid, n in counts.items()]
        for mention in {m.id: m for m in analysis.inferred_places()}.values():
            rows.append({"place": mention.name, "id": mention.id, "mentions": 0})
        st.dataframe(pd.DataFrame(rows, columns=["place", "id", "mentions"]), hide_index=True)
        for mention in {m.id: m for m in analysis.inferred_places()}.values():
            st.caption(f"{escape_markdown(mention.name)} is implied: {escape_markdown(mention.inferred or '')}")
    with dates:
        st.dataframe(pd.DataFrame(
            [{"text": d.text, "date": d.date, "until": d.end_date if d.is_span else None,
              "precision": d.precision.value, "kind": d.kind} for d in analysis.dates],
            columns=["text", "date", "until", "precision", "kind"]), hide_index=True)
    with figures:
        st.dataframe(pd.DataFrame(
            [{"quote": f.quote, "low": f.low, "high": f.high, "approximate": f.approximate, "what": f.what}
             for f in analysis.figures],
            columns=["quote", "low", "high", "approximate", "what"]), hide_index=True)
    _render_unresolved(analysis)


def _render_unresolved(analysis: Analysis) -> None:
    """Place names the gazetteer lacks: what the geocoder says, and adding a found one as a place."""
    resolution = analysis.resolution
    if resolution.resolved:
        st.markdown("**Place names found in the gazetteer under another spelling:** " + ", ".join(
            f"{escape_markdown(name)} → `{place_id}`" for name, place_id in resolution.resolved.items()))
    added = drop(ADD_DOC_PLACE_ADDED)
    if added:
        st.success(added)
    if not resolution.unresolved and not resolution.located:
        st.markdown("**Place names not in the gazetteer:** none")
        return
    live = live_geocoding_enabled()
    looked_up: dict[str, str] = get(ADD_DOC_LOOKUP) or {}
    unresolved = {name: looked_up.get(name) or (
        "not in the gazetteer nor in the geocoder's cache: look it up online below" if live else reason)
        for name, reason in resolution.unresolved.items()}
    st.markdown("**Place names not in the gazetteer** (events can name them once they are places):")
    for name, reason in unresolved.items():
        st.markdown(f"- {escape_markdown(name)}: {escape_markdown(reason)}")
    if unresolved and not live:
        st.info(f"Live geocoding is off, so the app works offline and only the geocoder's cache is used. "
                f"To look these names up online (OpenStreetMap Nominatim), start the app with the "
                f"environment variable {LIVE_ENV_VAR}=1.")
    elif unresolved and st.button(f"Look up {len(unresolved)} name(s) online", key="add_doc_geocode"):
        report = Geocoder(get_gazetteer(), live=True).resolve_many(list(unresolved))
        put(ADD_DOC_LOOKUP, {u.query: u.reason for u in report.unresolved} | {
            f.query: f.reason for f in report.cache_failures})  # found, but not saved: said so, not lost silently
        st.rerun()  # the answers are in the geocoder's cache now: the analysis reads them
    for name, located in resolution.located.items():
        _render_place_proposal(name, located)
    for name in unresolved:
        _render_manual_placing(name)


@dataclass(frozen=True)
class ManualLocation:
    """A point the reader chose for a name: a gazetteer place's, typed coordinates, or a map click."""

    name: str
    lat: float
    lon: float
    source: str
    kind_hint: str | None = "city"
    provenance: str = "manual"


def _choose_from_gazetteer(name: str) -> ManualLocation | None:
    gazetteer = get_gazetteer()
    query = st.text_input("Search the gazetteer (any name: old, other language, …)", value=name,
                          key=f"{ADD_DOC_MANUAL}_search_{name}")
    found = gazetteer.search(query, limit=8) if query.strip() else []
    if not found:
        st.caption("No place of the gazetteer has a name starting like this.")
        return None
    labels = {place.id: f"{place.name} ({place.kind}, {place.country}; {place.lat:.2f}, {place.lon:.2f})"
              for place in found}
    chosen = st.radio("Places", list(labels), format_func=labels.__getitem__, key=f"{ADD_DOC_MANUAL}_pick_{name}")
    place = gazetteer.get(chosen) or next(p for p in found if p.id == chosen)
    return ManualLocation(place.name, place.lat, place.lon,
                          f"the point of {place.name} in the offline gazetteer (source: {place.source})", place.kind)


def _choose_coordinates(name: str) -> ManualLocation | None:
    lat_column, lon_column = st.columns(2)
    lat = lat_column.number_input("Latitude (°N)", -90.0, 90.0, value=None, format="%.4f",
                                  key=f"{ADD_DOC_MANUAL}_lat_{name}")
    lon = lon_column.number_input("Longitude (°E)", -180.0, 180.0, value=None, format="%.4f",
                                  key=f"{ADD_DOC_MANUAL}_lon_{name}")
    source = st.text_input("Where the coordinates come from (required)", key=f"{ADD_DOC_MANUAL}_source_{name}",
                           placeholder="e.g. a map in the document's edition, p. 12")
    if lat is None or lon is None or not source.strip():
        st.caption("Give the latitude, the longitude and their source.")
        return None
    return ManualLocation(name, float(lat), float(lon), f"coordinates given by the user: {source.strip()}")


def _choose_on_map(name: str) -> ManualLocation | None:
    # Drawn on request: a map of ~9,400 clickable points per name would slow every rerun.
    if not st.toggle("Show the map", key=f"{ADD_DOC_MANUAL}_show_map_{name}"):
        return None
    center = _document_center()
    event = st.plotly_chart(click_grid_figure(center), key=f"{ADD_DOC_MANUAL}_map_{name}", on_select="rerun",
                            selection_mode="points", theme=None, config=plotly_config())
    point = clicked_point(event)
    if point is None:
        st.caption("Click the map where the place is (a point every 0.25°).")
        return None
    lat, lon = point
    st.caption(f"Chosen: {lat:.2f}°N, {lon:.2f}°E.")
    return ManualLocation(name, lat, lon, "a point clicked on the map by the user (0.25° grid), "
                                          "from their own knowledge: check it")


def _document_center() -> tuple[float, float]:
    """Where the click map looks: the middle of the document's known places, else Xinjiang."""
    gazetteer = get_gazetteer()
    analysis = get(ADD_DOC_ANALYSIS)
    places = [gazetteer.get(pid) for pid in analysis.place_counts()] if analysis is not None else []
    points = [(place.lat, place.lon) for place in places if place is not None]
    if not points:
        return (42.0, 85.0)
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


def _render_manual_placing(name: str) -> None:
    """Place a name the gazetteer lacks without going online: a gazetteer place, coordinates, or the map."""
    with st.expander(f"Place “{name}” yourself", icon=":material/add_location:"):
        search, typed, clicked = st.tabs(["Search the gazetteer", "Type coordinates", "Click the map"])
        with search:
            located = _choose_from_gazetteer(name)
            if located is not None and st.button("Use this point", key=f"{ADD_DOC_MANUAL}_use_search_{name}"):
                put(f"{ADD_DOC_MANUAL}_chosen_{name}", located)
        with typed:
            located = _choose_coordinates(name)
            if located is not None and st.button("Use these coordinates", key=f"{ADD_DOC_MANUAL}_use_typed_{name}"):
                put(f"{ADD_DOC_MANUAL}_chosen_{name}", located)
        with clicked:
            located = _choose_on_map(name)
            if located is not None and st.button("Use this point", key=f"{ADD_DOC_MANUAL}_use_map_{name}"):
                put(f"{ADD_DOC_MANUAL}_chosen_{name}", located)
        chosen = get(f"{ADD_DOC_MANUAL}_chosen_{name}")
        if chosen is not None:
            _render_place_proposal(name, chosen)


def _render_place_proposal(name: str, located: Located) -> None:
    """What the geocoder found for ``name``, and a form to add it to the user's places."""
    gazetteer = get_gazetteer()
    proposal = propose_place(name, located, gazetteer)
    key = name  # widget keys may be any text, and the names are unique here
    with st.form(key=f"{ADD_DOC_PLACE}_{key}"):
        if located.provenance == "manual":
            st.markdown(f"**{escape_markdown(name)}**: placed by you at {located.lat:.4f}, {located.lon:.4f}.")
        else:
            how = "online" if located.provenance == "live" else "in its cache of earlier look-ups"
            st.markdown(f"**{escape_markdown(name)}**: found by the geocoder ({how}) "
                        f"as {escape_markdown(located.name)}, at {located.lat:.4f}, {located.lon:.4f}.")
        st.caption(f"Source: {escape_markdown(located.source)}")
        id_column, name_column, kind_column, country_column = st.columns(4)
        place_id = id_column.text_input("id", value=proposal.id, key=f"{ADD_DOC_PLACE}_id_{key}")
        place_name = name_column.text_input("name", value=proposal.query, key=f"{ADD_DOC_PLACE}_name_{key}")
        kind = kind_column.selectbox("kind", KINDS, index=KINDS.index(proposal.kind), key=f"{ADD_DOC_PLACE}_kind_{key}")
        country = country_column.text_input("country at the time", value=proposal.country,
                                            key=f"{ADD_DOC_PLACE}_country_{key}", help=proposal.country_basis)
        submitted = st.form_submit_button(f"Add {name} to my places", key=f"add_doc_accept_{key}")
    if not submitted:
        return
    try:
        origin = ("a point they chose on the Add document page" if located.provenance == "manual"
                  else "a geocoder answer on the Add document page")
        place = proposal.place(place_id=place_id or "", name=place_name or "", kind=kind, country=country or "",
                               added_from=origin)
        path = add_user_place(place)
    except UserDataError as error:
        st.error(escape_markdown(error.message))  # it quotes what the user typed
        return
    put(ADD_DOC_PLACE_ADDED,
        f"Added {escape_markdown(place.name)} (`{place.id}`) to your places ({escape_markdown(str(path))}). "
        "The proposed events now name it where the text does; it is also in the places list of the table.")
    st.rerun()


def _render_place_issues() -> None:
    """Rows of the user's places file that were left out, if any (the rest of the app works)."""
    issues = get_gazetteer().issues
    if issues:
        st.warning(f"{len(issues)} problem(s) in your places file; those places are left out until it is "
                   "fixed:\n" + "\n".join(f"- {escape_markdown(str(issue))}" for issue in issues))


def _render_drafts(analysis: Analysis, title: str, date: dt.date | None) -> None:
    st.subheader("Proposed events")
    if date is None:
        st.warning("Set the document's date to see the proposed events.")
        return
    doc_id = put_default(ADD_DOC_DOC_ID, document_id_for(analysis))
    try:
        check_document_id(doc_id, shipped_document_ids(get_catalog()))
        draft_set: DraftSet = propose_events(analysis, doc_id)
    except UserDataError as error:
        st.error(escape_markdown(error.message))
        return
    except ValueError as error:
        st.error(escape_markdown(str(error)))
        return
    if title:
        draft_set.document = draft_set.document.model_copy(update={"title": title})
    st.caption(f"{len(draft_set.drafts)} proposed for the document `{doc_id}`. Edit them, untick *keep* to "
               "discard one, add a missing one with *Add an event* below: a title, a "
               "summary and its passage, the sentence of the text that states it. Then save. Saving this "
               "document again replaces what was saved before.")
    # In a form, the table's edits go to the app only with the save: adding a row starts no rerun, whose
    # redraw would drop what is being typed in it (the cause of "text typed in the new row was lost").
    with st.form(ADD_DOC_REVIEW_FORM, border=False, enter_to_submit=False):
        edited = st.data_editor(
            _base_rows(draft_set),
            key=ADD_DOC_EDITOR,
            hide_index=True,
            column_order=["keep", "title", "date", "date_precision", "end_date", "event_type", "sender",
                          "recipient", "people", "places", "themes", "figures", "summary", "passage", "why", "id"],
            num_rows="delete",  # rows are added with the form below (it keeps every key typed)
            disabled=["id", "why"],
            column_config=_review_columns(new_row_defaults(draft_set)),
        )
        saving = st.form_submit_button("Save the kept events", type="primary", key="add_doc_save")
    rows = edited.to_dict("records") + _render_add_event_form(draft_set, first_row=len(edited) + 1)
    if saving:
        _save(draft_set, rows)
    kept, _ = events_from_rows(rows, draft_set)
    st.download_button("Download the draft (YAML, as the table was last saved)", key="add_doc_download_draft",
                       file_name=f"{doc_id}.yaml", mime="application/yaml",
                       data=dump_yaml(event_records(kept), header=f"Draft events of {doc_id} (events schema)."))


def _render_add_event_form(draft_set: DraftSet, first_row: int) -> list[dict]:
    """An event the drafts missed, typed in plain fields; the rows added so far (they follow the table's).

    Plain text fields keep every key typed: the grid's own new rows can drop the
    first keys typed while the grid draws the row on a loaded machine.
    """
    added: list[dict] = put_default(ADD_DOC_ADDED, [])
    with st.expander("Add an event the table is missing", icon=":material/add:"), \
            st.form(ADD_DOC_ADD_FORM, clear_on_submit=True, enter_to_submit=False):
        row = _add_event_fields(draft_set)
        if st.form_submit_button("Add this event", key="add_doc_add_submit"):
            row = typed_row(draft_set) | row | {"why": "added by you"}
            if blank_added_row(row):
                st.warning("Nothing was typed: no event added.")
            else:
                added.append(row)
    if added:
        st.caption(f"Added here, saved with the table (rows {first_row} to {first_row + len(added) - 1} "
                   "of the save report):")
        st.dataframe(pd.DataFrame(added, columns=["title", "date", "event_type", "summary", "passage"]),
                     hide_index=True, key="add_doc_added_table")
        if st.button("Remove the events added here", key="add_doc_add_clear"):
            drop(ADD_DOC_ADDED)
            st.rerun()
    return list(added)


def _add_event_fields(draft_set: DraftSet) -> dict:
    """The "Add an event" form's fields, every column of the review table: the row they make."""
    names = _pick_names()

    def pick(label: str, kind: str, key: str) -> list[str]:
        return st.multiselect(label, sorted(names[kind], key=names[kind].__getitem__), key=key,
                              format_func=lambda item: names[kind].get(item, item))

    row: dict = {"title": st.text_input("Title", key="add_doc_add_title")}
    when, precision, until, kind = st.columns(4)
    row["date"] = when.date_input("Date", value=draft_set.document.date, min_value=EARLIEST, max_value=LATEST,
                                  format="YYYY-MM-DD", key="add_doc_add_date")
    precisions = [p.value for p in DatePrecision]
    row["date_precision"] = precision.selectbox("Precision", precisions, index=precisions.index("day"),
                                                key="add_doc_add_precision")
    row["end_date"] = until.date_input("End date (a span)", value=None, min_value=EARLIEST, max_value=LATEST,
                                       format="YYYY-MM-DD", key="add_doc_add_end_date")
    types = [t.value for t in EventType]
    row["event_type"] = kind.selectbox("Type", types, index=types.index("other"), key="add_doc_add_type")
    left, right = st.columns(2)
    with left:
        row["sender"] = pick("Sender", "actors", "add_doc_add_sender")
        row["people"] = pick("People", "actors", "add_doc_add_people")
        row["themes"] = pick("Themes", "themes", "add_doc_add_themes")
    with right:
        row["recipient"] = pick("Recipient", "actors", "add_doc_add_recipient")
        row["places"] = pick("Places", "places", "add_doc_add_places")
        row["figures"] = st.text_input("Figures", key="add_doc_add_figures", help=FIGURE_HELP)
    row["summary"] = st.text_area("Summary", key="add_doc_add_summary", height=80)
    row["passage"] = st.text_area("Passage (the sentence of the document that states it)",
                                  key="add_doc_add_passage", height=80)
    return row


def _pick_names() -> dict[str, dict[str, str]]:
    """Names shown for the ids the table's and the form's pickers offer: actors, places, themes."""
    catalog, gazetteer = get_catalog(), get_gazetteer()
    return {"actors": {actor_id: catalog.actor_name(actor_id) for actor_id in catalog.actors},
            "places": {place.id: place.name for place in gazetteer},
            "themes": {theme_id: catalog.theme_label(theme_id) for theme_id in catalog.themes}}


def _base_rows(draft_set: DraftSet) -> pd.DataFrame:
    """The table's starting rows: the same object on every rerun while the drafts are the same.

    The editor keeps the user's edits (and a half-typed new row) as changes to
    these rows, by row position; the rows are made again only when the drafts
    change (another document, a place added that the drafts now name).
    """
    rows = draft_rows(draft_set)
    signature = (draft_set.document.id, repr(rows))
    stored = get(ADD_DOC_BASE_ROWS)
    if stored is None or stored[0] != signature:
        stored = (signature, pd.DataFrame(rows, columns=list(COLUMNS)))
        put(ADD_DOC_BASE_ROWS, stored)
    return stored[1]


def _review_columns(defaults: dict) -> dict:
    """Every field a saved event has, pickers wide enough to read their names.

    No column is ``required``: the grid would hold back a new row until those
    cells are filled, and the save would not see it; the save report names
    each missing field instead (``exchanges.ingest.review.save_report``).
    """
    names = _pick_names()
    place_names, actor_names, theme_names = names["places"], names["actors"], names["themes"]

    def picker(label: str, names: dict[str, str], help_text: str) -> st.column_config.Column:
        return st.column_config.MultiselectColumn(label, options=sorted(names, key=names.__getitem__),
                                                  format_func=lambda key: names.get(key, key), width="large",
                                                  help=help_text)

    return {
        "keep": st.column_config.CheckboxColumn("keep", default=defaults["keep"], width="small"),
        "id": st.column_config.TextColumn("id", help="given when saved, for a row you add"),
        "title": st.column_config.TextColumn("title", width="large"),
        "date": st.column_config.DateColumn("date", min_value=EARLIEST, max_value=LATEST,
                                            format="YYYY-MM-DD", default=defaults["date"]),
        "date_precision": st.column_config.SelectboxColumn(
            "precision", options=[p.value for p in DatePrecision], default=defaults["date_precision"]),
        "end_date": st.column_config.DateColumn("end date", min_value=EARLIEST, max_value=LATEST,
                                                format="YYYY-MM-DD"),
        "event_type": st.column_config.SelectboxColumn("type", options=[t.value for t in EventType],
                                                       default=defaults["event_type"]),
        "sender": picker("sender", actor_names, "who sent or said it (actors)"),
        "recipient": picker("recipient", actor_names, "to whom (actors)"),
        "people": picker("people", actor_names, "other people or offices involved"),
        "places": picker("places", place_names, "places of the gazetteer and your own places"),
        "themes": picker("themes", theme_names, "the collection's themes"),
        "figures": st.column_config.TextColumn("figures", width="large", help=FIGURE_HELP),
        "summary": st.column_config.TextColumn("summary", width="large"),
        "passage": st.column_config.TextColumn(
            "passage (from the text)", width="large",
            help="the words of the document that state the event; for a row you add, paste them here"),
        "why": st.column_config.TextColumn("why proposed", default=defaults["why"]),
    }


def _save(draft_set: DraftSet, rows: list[dict]) -> None:
    events, issues = events_from_rows(rows, draft_set)
    if issues:
        st.error("Nothing saved: some rows of the table are not valid.")
        st.markdown("\n".join(save_report(rows, [], issues)))
        _render_issues(issues)
        return
    try:
        result = save_document(draft_set.document, draft_set.text, events, get_catalog(), get_gazetteer())
    except UserDataError as error:
        st.error(escape_markdown(error.message))
        if error.issues:
            _render_issues(issues_as_table_rows(error.issues, kept_row_numbers(rows)))
        return
    kept = len(kept_row_numbers(rows))
    message = (f"Saved {len(result.events)} of the {kept} kept row(s) of “{escape_markdown(draft_set.document.title)}” "
               f"as {escape_markdown(result.saved_as)}. They are on the map and the timeline now.")
    (st.success if len(result.events) == kept else st.warning)(message)
    st.markdown("\n".join(save_report(rows, [e.id for e in events], [], {e.id for e in result.events})))


def render_document_tab() -> None:
    _read_input()
    submitted = get(ADD_DOC_SUBMITTED)
    if not submitted:
        return
    parsed = parse_document(submitted)
    anchor = get(ADD_DOC_DATE) or parsed.date or get(ADD_DOC_DRAFT_DATE)
    analysis = _analyse(submitted, anchor if isinstance(anchor, dt.date) else None, _places_stamp())
    put(ADD_DOC_ANALYSIS, analysis)
    if not analysis.document.body.strip() and not analysis.sentences:
        st.error("The text has no content once the web-page residue is removed.")
        return
    title, date = _render_metadata(analysis)
    _render_mentions(analysis)
    _render_drafts(analysis, title, date)


# --------------------------------------------------------------------------- tab 2: a file of events


def _render_carried_documents(documents: Sequence[DocumentUpload]) -> None:
    """The documents the file carries, each saved with the events citing it."""
    for number, carried in enumerate(documents, start=1):
        document = carried.document
        st.markdown(f"**Document {number}:** {escape_markdown(document.title)} (`{document.id}`), "
                    f"{document.date.isoformat()}, with {len(carried.events)} event(s) citing it.")
        if st.button(f"Save document {number} with its events", key=f"add_doc_import_doc_{number}"):
            try:
                saved = save_document(document, carried.text, carried.events, get_catalog(), get_gazetteer())
            except UserDataError as error:
                st.error(escape_markdown(error.message))
                if error.issues:
                    _render_issues(error.issues)
                continue
            st.success(f"Saved the document {escape_markdown(document.title)} and {len(saved.events)} event(s) "
                       f"as {escape_markdown(saved.saved_as)}. They are on the map and the timeline now.")


def render_import_tab() -> None:
    st.markdown(
        f"Upload your own events as CSV, JSON or YAML (at most {UPLOAD_MB} MB, UTF-8). Every row is checked "
        "like the shipped data: the valid rows can be saved, each problem is listed with its row and field."
    )
    left, right = st.columns(2)
    for column, name, mime in ((left, "events_template.csv", "text/csv"),
                               (right, "events_template.yaml", "application/yaml")):
        path = TEMPLATES / name
        if path.exists():
            column.download_button(f"Download the {path.suffix[1:].upper()} template", data=path.read_bytes(),
                                   file_name=name, mime=mime, key=f"add_doc_template_{path.suffix[1:]}")
    upload = st.file_uploader("Events file", type=["csv", "json", "yaml", "yml"], key=ADD_DOC_IMPORT,
                              max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    try:
        prepared = prepare_upload(decode_upload(upload.getvalue(), upload.name), upload.name)
        result = read_events_upload(prepared.data, upload.name, get_catalog(), get_gazetteer())
    except UserDataError as error:
        st.error(escape_markdown(error.message))
        return
    if prepared.notes:
        st.info("Read with these changes:\n" + "\n".join(f"- {escape_markdown(n)}" for n in prepared.notes))
    for problem in prepared.problems:
        st.error(escape_markdown(str(problem)))
    _render_carried_documents(prepared.documents)
    st.markdown(f"**{len(result.events)}** valid event(s), **{len(result.issues)}** problem(s).")
    if result.events:
        st.dataframe(pd.DataFrame([{"id": e.id, "title": e.title, "date": e.date, "type": e.event_type.value,
                                    "places": ", ".join(e.places)} for e in result.events]), hide_index=True)
    if result.issues:
        _render_issues(result.issues)
    if result.events and st.button(f"Save the {len(result.events)} valid event(s)", type="primary",
                                   key="add_doc_import_save"):
        try:
            saved = save_imported(result, get_catalog(), get_gazetteer())
        except UserDataError as error:
            st.error(escape_markdown(error.message))
            if error.issues:
                _render_issues(error.issues)
            return
        st.success(f"Saved {len(saved.events)} event(s) as {escape_markdown(saved.saved_as)}. "
                   "They are on the map and the timeline now.")


st.title("Add a document")
_render_place_issues()
document_tab, import_tab = st.tabs(["Paste or upload a document", "Import a file of events"])
with document_tab:
    render_document_tab()
with import_tab:
    render_import_tab()
