"""Add a document: paste or upload an archival text, review what was found, save events.

Tab 1 reads a document (pasted, or a UTF-8 .txt upload): its archive metadata,
the text with places, dates, figures and people highlighted, place names not in
the gazetteer, and the proposed events in an editable table (untick "keep" to
discard one). Saving validates the kept events with the same rules as the
shipped data and writes them, with the document, to the user's folder
(``exchanges.userdata``): they appear on the map and timeline at once (the
catalog cache is keyed by the user's files).

A place name the gazetteer lacks shows what the geocoder found for it (its
cache; online only when ``EXCHANGES_LIVE_GEOCODING=1`` and the user asks). A
name it found can be added to the user's own places (``places.csv``, with the
geocoder's answer as its source; ``exchanges.user_places``): the gazetteer
reloads, the name is then a place of the proposed events, and they validate.

Tab 2 imports a CSV, JSON or YAML file of events: valid rows are shown and can
be saved, each bad row is listed with its field and problem. Templates can be
downloaded there.

User text is never rendered as HTML: Markdown gets escaped text only
(``exchanges.ingest.review.escape_markdown``), tables show it as data.

Runs inside the app's navigation or alone (``streamlit run views/add_document.py``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd
import streamlit as st

from components.data import get_catalog, get_gazetteer
from exchanges.gazetteer import user_places_path
from exchanges.geocoder import CACHE_FILE_NAME, LIVE_ENV_VAR, Geocoder, live_geocoding_enabled
from exchanges.ingest.analysis import Analysis, Located, analyse_document
from exchanges.ingest.document import parse_document
from exchanges.ingest.drafts import DraftSet, document_id_for, dump_yaml, event_records, propose_events
from exchanges.ingest.review import (
    HIGHLIGHT_COLOURS,
    draft_rows,
    escape_markdown,
    events_from_rows,
    highlight_markdown,
    issues_as_table_rows,
    kept_row_numbers,
    new_row_defaults,
)
from exchanges.loader import DataIssue
from exchanges.models import DatePrecision, EventType
from exchanges.paths import DATA_DIR, user_data_dir
from exchanges.user_places import KINDS, add_user_place, propose_place
from exchanges.userdata import (
    MAX_UPLOAD_BYTES,
    FileStamp,
    UserDataError,
    check_document_id,
    decode_upload,
    files_stamp,
    read_events_upload,
    save_document,
    save_imported,
    shipped_document_ids,
)

KEY_TEXT = "add_doc_text"
KEY_UPLOAD = "add_doc_upload"
KEY_SUBMITTED = "add_doc_submitted"
KEY_DOC_ID = "add_doc_id"
KEY_DATE = "add_doc_date"
KEY_TITLE = "add_doc_title"
KEY_EDITOR = "add_doc_editor"
KEY_LOOKUP = "add_doc_lookup"
KEY_PLACE = "add_doc_place"  # + "_<field>_<the name>" for the "add to my places" forms
KEY_PLACE_ADDED = "add_doc_place_added"
KEY_IMPORT = "add_doc_import_upload"
TEMPLATES = DATA_DIR / "templates"
UPLOAD_MB = MAX_UPLOAD_BYTES // (1024 * 1024)
EARLIEST, LATEST = dt.date(1800, 1, 1), dt.date(2100, 12, 31)
HIGHLIGHT_MAX_CHARS = 200_000  # a longer text is highlighted up to here (the browser stays responsive)


def _places_stamp() -> FileStamp:
    """The user's places and the geocoder cache: the analysis is redone when either changes."""
    return files_stamp([user_places_path(), user_data_dir() / CACHE_FILE_NAME])


@st.cache_data(show_spinner="Reading the document…", max_entries=16)
def _analyse(text: str, anchor: dt.date | None, stamp: FileStamp) -> Analysis:
    """Extract everything (gazetteer and cached geocoder answers only: no network)."""
    del stamp  # only the cache key
    gazetteer = get_gazetteer()
    geocoder = Geocoder(gazetteer, live=False)
    return analyse_document(text, gazetteer, actors=get_catalog().actors.values(), geocoder=geocoder, anchor=anchor)


def _issues_frame(issues: Sequence[DataIssue]) -> pd.DataFrame:
    return pd.DataFrame(
        [{"file": i.file, "row": i.row, "field": i.field or "", "problem": i.message} for i in issues],
        columns=["file", "row", "field", "problem"],
    )


def _render_issues(issues: Sequence[DataIssue]) -> None:
    """The problems as a table (to sort and scan) and, below it, each message in full."""
    st.dataframe(_issues_frame(issues), hide_index=True, width="stretch",
                 column_config={"problem": st.column_config.TextColumn("problem", width="large")})
    with st.expander(f"All {len(issues)} problem(s) in full", expanded=True):
        st.markdown("\n".join(
            f"- {escape_markdown(issue.file)}, row {issue.row if issue.row is not None else '–'}"
            f"{', field ' + escape_markdown(issue.field) if issue.field else ''}: {escape_markdown(issue.message)}"
            for issue in issues))


def _reset_review() -> None:
    for key in (KEY_DOC_ID, KEY_DATE, KEY_TITLE, KEY_EDITOR, KEY_LOOKUP):
        st.session_state.pop(key, None)


# --------------------------------------------------------------------------- tab 1: a document


def _read_input() -> None:
    """The text box, the .txt upload and the button that starts the review."""
    st.markdown(
        "Paste the text of an archival document (for example copied from an online archive, "
        "with its *Document Information* block), or upload it as a UTF-8 `.txt` file."
    )
    uploaded = st.file_uploader("Upload a .txt file", type=["txt"], key=KEY_UPLOAD, max_upload_size=UPLOAD_MB)
    text = st.text_area("Document text", key=KEY_TEXT, height=220,
                        placeholder="August 10, 1962\n\nStatement of …\n\nOn 26 June, …")
    if not st.button("Find places, dates and events", type="primary", key="add_doc_analyse"):
        return
    source = text or ""
    if uploaded is not None:
        try:
            source = decode_upload(uploaded.getvalue(), uploaded.name)
        except UserDataError as error:
            st.error(error.message)
            return
    if not source.strip():
        st.warning("Paste a document's text or upload a .txt file first.")
        return
    st.session_state[KEY_SUBMITTED] = source
    _reset_review()


def _render_metadata(analysis: Analysis) -> tuple[str, dt.date | None]:
    """The document's metadata; returns the title and date as the user confirms them."""
    document = analysis.document
    st.subheader("The document")
    title = st.text_input("Title", value=document.title or "", key=KEY_TITLE)
    date = st.date_input("Date of the document", value=document.date or analysis.anchor, key=KEY_DATE,
                         min_value=EARLIEST, max_value=LATEST, format="YYYY-MM-DD")
    if document.date is None:
        st.warning("No date line was found at the top of the text. Check the date above: dates without "
                   "a year (\"26 June\") are read relative to it.")
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
    added = st.session_state.pop(KEY_PLACE_ADDED, None)
    if added:
        st.success(added)
    if not resolution.unresolved and not resolution.located:
        st.markdown("**Place names not in the gazetteer:** none")
        return
    live = live_geocoding_enabled()
    looked_up: dict[str, str] = st.session_state.get(KEY_LOOKUP) or {}
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
        st.session_state[KEY_LOOKUP] = {u.query: u.reason for u in report.unresolved}
        st.rerun()  # the answers are in the geocoder's cache now: the analysis reads them
    for name, located in resolution.located.items():
        _render_place_proposal(name, located)


def _render_place_proposal(name: str, located: Located) -> None:
    """What the geocoder found for ``name``, and a form to add it to the user's places."""
    gazetteer = get_gazetteer()
    proposal = propose_place(name, located, gazetteer)
    key = name  # widget keys may be any text, and the names are unique here
    with st.form(key=f"{KEY_PLACE}_{key}"):
        how = "online" if located.provenance == "live" else "in its cache of earlier look-ups"
        st.markdown(f"**{escape_markdown(name)}**: found by the geocoder ({how}) "
                    f"as {escape_markdown(located.name)}, at {located.lat:.4f}, {located.lon:.4f}.")
        st.caption(f"Source: {escape_markdown(located.source)}")
        id_column, name_column, kind_column, country_column = st.columns(4)
        place_id = id_column.text_input("id", value=proposal.id, key=f"{KEY_PLACE}_id_{key}")
        place_name = name_column.text_input("name", value=proposal.query, key=f"{KEY_PLACE}_name_{key}")
        kind = kind_column.selectbox("kind", KINDS, index=KINDS.index(proposal.kind), key=f"{KEY_PLACE}_kind_{key}")
        country = country_column.text_input("country at the time", value=proposal.country,
                                            key=f"{KEY_PLACE}_country_{key}", help=proposal.country_basis)
        submitted = st.form_submit_button(f"Add {name} to my places", key=f"add_doc_accept_{key}")
    if not submitted:
        return
    try:
        place = proposal.place(place_id=place_id or "", name=place_name or "", kind=kind, country=country or "",
                               added_from="a geocoder answer on the Add document page")
        path = add_user_place(place)
    except UserDataError as error:
        st.error(escape_markdown(error.message))  # it quotes what the user typed
        return
    st.session_state[KEY_PLACE_ADDED] = (
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
    doc_id = st.session_state.setdefault(KEY_DOC_ID, document_id_for(analysis))
    try:
        check_document_id(doc_id, shipped_document_ids(get_catalog()))
        draft_set: DraftSet = propose_events(analysis, doc_id)
    except UserDataError as error:
        st.error(escape_markdown(error.message))
        return
    except ValueError as error:
        st.error(str(error))
        return
    if title:
        draft_set.document = draft_set.document.model_copy(update={"title": title})
    st.caption(f"{len(draft_set.drafts)} proposed for the document `{doc_id}`. Edit them, untick *keep* to "
               "discard one, add a missing one in the last row (with its passage: the sentence of the text "
               "that states it), then save. Saving this document again replaces what was saved before.")
    defaults = new_row_defaults(draft_set)
    gazetteer = get_gazetteer()
    place_names = {place.id: place.name for place in gazetteer}
    edited = st.data_editor(
        pd.DataFrame(draft_rows(draft_set)),
        key=KEY_EDITOR,
        hide_index=True,
        column_order=["keep", "title", "date", "date_precision", "end_date", "event_type", "places", "summary",
                      "passage", "why", "id"],
        num_rows="dynamic",
        disabled=["id", "why"],
        column_config={
            "keep": st.column_config.CheckboxColumn("keep", default=defaults["keep"]),
            "id": st.column_config.TextColumn("id", help="given when saved, for a row you add"),
            "title": st.column_config.TextColumn("title", required=True),
            "date": st.column_config.DateColumn("date", required=True, min_value=EARLIEST, max_value=LATEST,
                                                format="YYYY-MM-DD", default=defaults["date"]),
            "date_precision": st.column_config.SelectboxColumn(
                "precision", options=[p.value for p in DatePrecision], required=True,
                default=defaults["date_precision"]),
            "end_date": st.column_config.DateColumn("end date", min_value=EARLIEST, max_value=LATEST,
                                                    format="YYYY-MM-DD"),
            "event_type": st.column_config.SelectboxColumn("type", options=[t.value for t in EventType],
                                                           required=True, default=defaults["event_type"]),
            "places": st.column_config.MultiselectColumn("places", options=sorted(place_names),
                                                         format_func=lambda pid: place_names.get(pid, pid)),
            "summary": st.column_config.TextColumn("summary", required=True),
            "passage": st.column_config.TextColumn(
                "passage (from the text)",
                help="the words of the document that state the event; for a row you add, paste them here"),
            "why": st.column_config.TextColumn("why proposed", default=defaults["why"]),
        },
    )
    save, download = st.columns([1, 1])
    with download:
        kept, _ = events_from_rows(edited.to_dict("records"), draft_set)
        st.download_button("Download the draft (YAML)", key="add_doc_download_draft", file_name=f"{doc_id}.yaml",
                           mime="application/yaml",
                           data=dump_yaml(event_records(kept), header=f"Draft events of {doc_id} (events schema)."))
    with save:
        if st.button("Save the kept events", type="primary", key="add_doc_save"):
            _save(draft_set, edited.to_dict("records"))


def _save(draft_set: DraftSet, rows: list[dict]) -> None:
    events, issues = events_from_rows(rows, draft_set)
    if issues:
        st.error("Not saved: some rows of the table are not valid.")
        _render_issues(issues)
        return
    try:
        result = save_document(draft_set.document, draft_set.text, events, get_catalog(), get_gazetteer())
    except UserDataError as error:
        st.error(error.message)
        if error.issues:
            _render_issues(issues_as_table_rows(error.issues, kept_row_numbers(rows)))
        return
    st.success(f"Saved {len(result.events)} event(s) of “{escape_markdown(draft_set.document.title)}” "
               f"to {escape_markdown(str(result.events_file))}. They are on the map and the timeline now.")


def render_document_tab() -> None:
    _read_input()
    submitted = st.session_state.get(KEY_SUBMITTED)
    if not submitted:
        return
    parsed = parse_document(submitted)
    anchor = st.session_state.get(KEY_DATE) or parsed.date
    analysis = _analyse(submitted, anchor if isinstance(anchor, dt.date) else None, _places_stamp())
    if not analysis.document.body.strip() and not analysis.sentences:
        st.error("The text has no content once the web-page residue is removed.")
        return
    title, date = _render_metadata(analysis)
    _render_mentions(analysis)
    _render_drafts(analysis, title, date)


# --------------------------------------------------------------------------- tab 2: a file of events


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
    upload = st.file_uploader("Events file", type=["csv", "json", "yaml", "yml"], key=KEY_IMPORT,
                              max_upload_size=UPLOAD_MB)
    if upload is None:
        return
    try:
        result = read_events_upload(upload.getvalue(), upload.name, get_catalog(), get_gazetteer())
    except UserDataError as error:
        st.error(error.message)
        return
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
            st.error(error.message)
            if error.issues:
                _render_issues(error.issues)
            return
        st.success(f"Saved {len(saved.events)} event(s) to {escape_markdown(str(saved.events_file))}. "
                   "They are on the map and the timeline now.")


st.title("Add a document")
_render_place_issues()
document_tab, import_tab = st.tabs(["Paste or upload a document", "Import a file of events"])
with document_tab:
    render_document_tab()
with import_tab:
    render_import_tab()
