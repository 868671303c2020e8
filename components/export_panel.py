"""Download panel for the explore and presentation pages.

Images (PNG/SVG/PDF of the map, the timeline or both) are rendered only when
the user asks, by the process-wide Kaleido engine, and kept per view in the
session, so reruns (every widget click) do not re-render them. The events as
CSV/JSON are always offered without slowing a rerun: the CSV is made once per
list of events and data and kept for every session (``components.memo``), the
JSON (the slower one, and stamped with the time of the export) only when its
button is clicked.

Without Chromium the page still works: the panel says what to install, and the
camera button of each chart's toolbar still saves a PNG in the browser.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import streamlit as st

from components.memo import DataMemo
from components.state import rendered_exports
from exchanges.export.data import events_to_csv, events_to_json
from exchanges.export.deck import build_deck, deck_pdf, deck_pptx
from exchanges.export.engine import ExportError, ExportUnavailable, export_status
from exchanges.export.options import (
    CHART_CHOICES,
    IMAGE_FORMATS,
    MIME_TYPES,
    image_filename,
    options_for_width,
)
from exchanges.export.slides import export_view
from exchanges.export.view import ExportView
from exchanges.export.worksheet import worksheet_pdf

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event
    from exchanges.tours import Tour

WIDTH_CHOICES = (1280, 1920, 2560, 3840)
SCALE_CHOICES = (1.0, 2.0)
CHART_LABELS = {"map": "Map", "timeline": "Timeline", "both": "Map and timeline"}
CACHE_SIZE = 8  # rendered views kept per panel and session
_CSVS: DataMemo[bytes] = DataMemo(size=8)  # CSVs of the last lists of events


def _cache(key: str) -> OrderedDict:
    return rendered_exports(key)


def render_export_panel(
    view: ExportView,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    key: str,
    file_stem: str,
    data_events: Sequence[Event] | None = None,
    data_description: str | None = None,
) -> None:
    """Image and data downloads of ``view`` (what the page shows).

    ``key`` keeps the widgets of two panels apart; ``file_stem`` names the
    files; ``data_events`` (default: the view's events) go into CSV/JSON.
    """
    events = list(view.events if data_events is None else data_events)
    _slide_image(view, catalog, gazetteer, key=key, file_stem=file_stem)
    st.markdown("**Data with citations**")
    # (label, bytes, file suffix, MIME type, icon, tooltip)
    downloads = (
        ("CSV", _events_csv(events, catalog, gazetteer), "csv", "text/csv", ":material/table:",
         f"{len(events)} events, one per row, with document, archive source and passage"),
        # Made when clicked (deferred): a rerun does not pay for it.
        ("JSON", lambda: events_to_json(events, catalog, description=data_description), "json",
         "application/json", ":material/data_object:", "Every field of every event, with its citation"),
    )
    for column, (label, data, suffix, mime, icon, help_text) in zip(st.columns(2), downloads, strict=True):
        column.download_button(
            label,
            data=data,
            file_name=f"{file_stem}_events.{suffix}",
            mime=mime,
            key=f"{key}_{suffix}",
            icon=icon,
            on_click="ignore",
            disabled=not events,
            help=help_text,
        )


def _slide_image(view: ExportView, catalog: Catalog, gazetteer: Gazetteer | None, *, key: str,
                 file_stem: str) -> None:
    st.markdown("**Slide image**")
    ok, status = export_status()
    if not ok:
        st.warning(
            f"Image export is not available on this computer. {status}\n\n"
            "Meanwhile, the camera button in each chart's toolbar saves a PNG from the browser."
        )
    else:
        _image_section(view, catalog, gazetteer, key=key, file_stem=file_stem)


def _events_csv(events: Sequence[Event], catalog: Catalog, gazetteer: Gazetteer | None) -> bytes:
    """The CSV of ``events``, made once per list of events and data."""
    return _CSVS.get(tuple(event.id for event in events), (catalog, gazetteer),
                     lambda: events_to_csv(events, catalog, gazetteer))


def _image_section(
    view: ExportView,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    key: str,
    file_stem: str,
) -> None:
    columns = st.columns(2)
    fmt = columns[0].selectbox(
        "Format", IMAGE_FORMATS, format_func=str.upper, key=f"{key}_format"
    )
    chart = columns[1].selectbox(
        "Chart", tuple(CHART_LABELS), format_func=CHART_LABELS.__getitem__, key=f"{key}_chart"
    )
    columns = st.columns(2)
    width = columns[0].selectbox(
        "Width (px)", WIDTH_CHOICES, index=WIDTH_CHOICES.index(1920), key=f"{key}_width",
        help="Layout width; the height is 16:9. 1920 is a full-HD slide.",
    )
    scale = columns[1].selectbox(
        "Scale", SCALE_CHOICES, format_func=lambda s: f"{s:g}×", key=f"{key}_scale",
        help="2× doubles the pixels of a PNG (sharper on large screens).",
    )
    options = options_for_width(fmt, width, scale)
    charts = CHART_CHOICES[chart]
    cache = _cache(key)
    cache_key = (view.cache_key(), options, charts)

    if cache_key not in cache and st.button("Render image", key=f"{key}_render", icon=":material/image:"):
        with st.spinner("Rendering…"):
            try:
                cache[cache_key] = export_view(view, catalog, gazetteer, charts=charts, options=options)
            except ExportUnavailable as missing:
                st.warning(str(missing))
            except ExportError as failed:
                st.error(f"The image could not be made: {failed}")
        while len(cache) > CACHE_SIZE:
            cache.popitem(last=False)
    if cache_key in cache:
        cache.move_to_end(cache_key)
        images = cache[cache_key]
        for chart_kind, data in images.items():
            st.download_button(
                f"Download {CHART_LABELS[chart_kind].lower()} ({fmt.upper()})",
                data=data,
                file_name=image_filename(file_stem, chart_kind, options),
                mime=MIME_TYPES[fmt],
                key=f"{key}_download_{chart_kind}",
                icon=":material/download:",
                on_click="ignore",
                type="primary",
            )


# --------------------------------------------------------------------------- a tour's deck and worksheet

DECK_FORMATS = {"pdf": ("PDF", "application/pdf"),
                "pptx": ("PowerPoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation")}
PAPER_LABELS = {"a4": "A4", "letter": "US Letter"}
VERSION_LABELS = {"student": "Students", "teacher": "Teacher (with the captions)"}


def _deck_bytes(tour: Tour, catalog: Catalog, gazetteer: Gazetteer | None, fmt: str) -> bytes:
    """The tour's deck; text only (no charts) when image export is not available here."""
    deck = build_deck(tour, catalog, gazetteer, images=export_status()[0])
    return deck_pptx(deck) if fmt == "pptx" else deck_pdf(deck)


def render_tour_downloads(tour: Tour, catalog: Catalog, gazetteer: Gazetteer | None, *, key: str) -> None:
    """'Download this tour as slides' (one PDF or PowerPoint deck) and its worksheet (PDF).

    The files are made when the button is clicked (a deck renders a map and a
    timeline per step: about 3 s a step).
    """
    ok, status = export_status()
    if not ok:
        st.caption(f"Without Chromium the slides carry no map or timeline. {status}")
    for fmt, (label, mime) in DECK_FORMATS.items():
        st.download_button(
            f"Slides ({label})", data=lambda fmt=fmt: _deck_bytes(tour, catalog, gazetteer, fmt),
            file_name=f"{tour.id}_slides.{fmt}", mime=mime, key=f"{key}_deck_{fmt}",
            icon=":material/slideshow:", on_click="ignore",
            help=f"A title slide, then one 16:9 slide per step ({len(tour.steps)}): map, timeline, quote, "
            "caption, question and source. Takes a few seconds per step.",
        )
    st.markdown("**Worksheet**")
    columns = st.columns(2)
    paper = columns[0].selectbox("Paper", tuple(PAPER_LABELS), format_func=PAPER_LABELS.__getitem__,
                                 key=f"{key}_paper")
    version = columns[1].selectbox("For", tuple(VERSION_LABELS), format_func=VERSION_LABELS.__getitem__,
                                   key=f"{key}_version")
    st.download_button(
        "Worksheet (PDF)", data=lambda: worksheet_pdf(tour, catalog, paper=paper, version=version),
        file_name=f"{tour.id}_worksheet_{version}_{paper}.pdf", mime="application/pdf",
        key=f"{key}_worksheet", icon=":material/assignment:", on_click="ignore",
        help="Per step: the date, the source's words, the source and a question, with room to answer.",
    )
