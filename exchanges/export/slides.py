"""A view's charts as slides: built by the dashboard's figure builders, laid out, rendered.

:func:`build_figure` asks the figure builders for exactly the chart a slide
needs (the map without its own notes: the slide puts them under it);
:func:`slide_figure` lays it out as a slide (:mod:`exchanges.export.layout`);
:func:`export_view` renders the slides with the engine
(:mod:`exchanges.export.engine`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

import plotly.graph_objects as go

from exchanges.catalog import Catalog
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import PROJECTOR_STYLE
from exchanges.charts.timeline_figure import build_timeline_figure
from exchanges.export.engine import ExportEngine, shared_engine
from exchanges.export.layout import (
    chart_width,
    decorate_for_export,
    highlight_off_map_note,
    map_frame,
    map_notes,
    off_map_events,
    source_line,
)
from exchanges.export.options import SLIDE_OPTIONS, ChartKind, ImageOptions
from exchanges.export.view import ExportView
from exchanges.gazetteer import Gazetteer


def chart_title(view: ExportView, chart: ChartKind) -> str:
    """Title baked into one chart of the view: the view's, else what the chart is."""
    return view.title or ("Map" if chart == "map" else "Timeline")


def build_figure(
    view: ExportView,
    chart: ChartKind,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    titled: bool = True,
    legend: bool = True,
) -> go.Figure:
    """The on-screen figure of one chart, built by the dashboard's figure builders
    with its final options.

    The map carries no notes of its own: :func:`slide_figure` puts them under it.
    ``titled=False`` leaves the title out, ``legend=False`` the timeline's legend
    (a deck's chart images: the slide has both already).
    """
    style = view.style or PROJECTOR_STYLE
    title = chart_title(view, chart) if titled else None
    if chart == "map":
        if gazetteer is None:
            raise ValueError("a gazetteer is needed to draw the map")
        return build_map_figure(
            view.events,
            catalog,
            gazetteer,
            highlight=view.highlight,
            muted=view.muted,
            view=view.view,
            title=title,
            style=style,
            missing_note=False,  # said in the notes under the map instead (map_notes)
            size_note=False,
        )
    return build_timeline_figure(
        view.events,
        catalog,
        highlight=view.highlight,
        muted=view.muted,
        title=title,
        style=style,
        lanes=view.lanes,
        show_legend=legend,
    )


def slide_figure(
    view: ExportView,
    chart: ChartKind,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    options: ImageOptions = SLIDE_OPTIONS,
) -> go.Figure:
    """One chart of the view laid out as a slide: what :func:`export_view` renders.

    Title and subtitle, the source line, and for a map the notes on what it
    leaves out, with a banner when the highlighted event itself is not on it.
    The chart is built twice: once to find the room the slide leaves it, then
    for that room (:func:`fitted_to_slide`).
    """
    notes: list[str] = []
    banner = None
    if chart == "map" and gazetteer is not None:
        notes = map_notes(view.events, gazetteer, highlight=view.highlight)
        off_map = {event.id: event for event in off_map_events(view.events, gazetteer)}
        if view.highlight in off_map:
            banner = highlight_off_map_note(off_map[view.highlight])

    def slide(shown: ExportView) -> go.Figure:
        return decorate_for_export(
            build_figure(shown, chart, catalog, gazetteer),
            options,
            subtitle=shown.subtitle,
            source=source_line(shown.events, catalog, highlight=shown.highlight),
            notes=notes,
            banner=banner,
        )

    return slide(fitted_to_slide(view, chart, slide(view)))


def fitted_to_slide(view: ExportView, chart: ChartKind, slide: go.Figure) -> ExportView:
    """``view`` laid out for the room ``slide`` (a first layout of it) gives its chart.

    A map is framed as the slide frames it, with its markers spread and its
    names placed for that exact width; a timeline spaces its dates for its width
    and fits its rows to the slide's plot height.
    """
    style = view.style or PROJECTOR_STYLE
    width = max(round(chart_width(slide)), 1)
    if chart == "map":
        fitted = dataclasses.replace(style, map_width_hint=width, map_width_max=width)
        return dataclasses.replace(view, view=map_frame(slide), style=fitted)
    margin = slide.layout.margin
    height = max(round((slide.layout.height or 0) - (margin.t or 0) - (margin.b or 0)), 1)
    fitted = dataclasses.replace(style, timeline_width_hint=width, timeline_plot_height=height)
    return dataclasses.replace(view, style=fitted)


def export_view(
    view: ExportView,
    catalog: Catalog,
    gazetteer: Gazetteer | None,
    *,
    charts: Sequence[ChartKind] = ("map", "timeline"),
    options: ImageOptions = SLIDE_OPTIONS,
    engine: ExportEngine | None = None,
) -> dict[ChartKind, bytes]:
    """Render each chart of the view as a slide (:func:`slide_figure`) with ``engine``
    (by default the process-wide one)."""
    engine = engine or shared_engine()
    return {
        chart: engine.render(slide_figure(view, chart, catalog, gazetteer, options), options)
        for chart in charts
    }
