"""Download panel for the explore and presentation pages.

Images (PNG/SVG/PDF of the map, the timeline or both) are rendered only when
the user asks, by the process-wide Kaleido engine, and kept per view in the
session, so reruns (every widget click) do not re-render them. The events as
CSV/JSON are cheap and always offered.

Without Chromium the page still works: the panel says what to install, and the
camera button of each chart's toolbar still saves a PNG in the browser.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Sequence
from typing import TYPE_CHECKING

import streamlit as st

from exchanges.export import (
    CHART_CHOICES,
    IMAGE_FORMATS,
    MIME_TYPES,
    ExportError,
    ExportUnavailable,
    ExportView,
    export_status,
    export_view,
    image_filename,
    options_for_width,
)
from exchanges.export_data import events_to_csv, events_to_json

if TYPE_CHECKING:
    from exchanges.catalog import Catalog
    from exchanges.gazetteer import Gazetteer
    from exchanges.models import Event

WIDTH_CHOICES = (1280, 1920, 2560, 3840)
SCALE_CHOICES = (1.0, 2.0)
CHART_LABELS = {"map": "Map", "timeline": "Timeline", "both": "Map and timeline"}
CACHE_SIZE = 8  # rendered views kept per panel and session


def _cache(key: str) -> OrderedDict:
    name = f"{key}__rendered"
    if name not in st.session_state:
        st.session_state[name] = OrderedDict()
    return st.session_state[name]


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
    st.markdown("**Slide image**")
    ok, status = export_status()
    if not ok:
        st.warning(
            f"Image export is not available on this computer. {status}\n\n"
            "Meanwhile, the camera button in each chart's toolbar saves a PNG from the browser."
        )
    else:
        _image_section(view, catalog, gazetteer, key=key, file_stem=file_stem)
    st.markdown("**Data with citations**")
    # (label, bytes, file suffix, MIME type, icon, tooltip)
    downloads = (
        ("CSV", events_to_csv(events, catalog, gazetteer), "csv", "text/csv", ":material/table:",
         f"{len(events)} events, one per row, with document, archive source and passage"),
        ("JSON", events_to_json(events, catalog, description=data_description), "json",
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

    if cache_key not in cache:
        if st.button("Render image", key=f"{key}_render", icon=":material/image:"):
            with st.spinner("Rendering…"):
                try:
                    cache[cache_key] = export_view(
                        view, catalog, gazetteer, charts=charts, options=options
                    )
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
