"""Presentation mode: step through a tour in front of a class.

The link holds the place in the tour (``?tour=xinjiang-1962&step=4``), so a
teacher can bookmark a step or send it to a colleague; the Previous/Next
buttons (and the ← → keys, Home/End) move through it. Each step shows the
event highlighted on the map and the timeline, the events of the earlier steps
muted and the later ones not yet, the teacher's caption, and the source's own
words in large type.

Runs inside the app's navigation or alone (``streamlit run views/present.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

import streamlit as st

from components.data import get_catalog, get_gazetteer
from components.detail_card import render_detail_card
from components.export_panel import render_export_panel
from components.markdown import blockquote, escape_markdown as md
from components.plotly_config import plotly_config
from exchanges.charts.labels import date_label, exchange_label, precision_label
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import DEFAULT_STYLE, PROJECTOR_STYLE, MapView, event_type_label
from exchanges.charts.timeline_figure import build_timeline_figure
from exchanges.export import ExportView, document_citation, fill_mercator_view
from exchanges.tours import (
    ALL_EVENTS_TOUR_ID,
    StepState,
    Tour,
    all_events_tour,
    clamp_step,
    format_issue,
    load_tours,
    step_state,
)

PARAM_TOUR = "tour"
PARAM_STEP = "step"
KEY_TOUR = "present_tour"
KEY_PROJECTOR = "present_projector"
KEY_TIMELINE = "present_show_timeline"
KEY_STEPS = "present_steps"  # tour id -> last step shown, for coming back from another page

# Sized for a 1280x720 projector with the sidebar collapsed.
MAP_HEIGHT = {True: 480, False: 440}
LEGEND_FONT_SIZE = 15
TIMELINE_HEIGHT = {True: 330, False: 300}

# Our own constant CSS (never user text): large type for the slide card and a
# light, high-contrast look in projector mode. Elements are found by the
# ``st-key-<key>`` class Streamlit gives keyed containers.
_BASE_CSS = """
<style>
.st-key-present-counter p { font-size: 2.1rem; font-weight: 700; text-align: right;
  margin: 0; line-height: 1.1; font-variant-numeric: tabular-nums; }
.st-key-present-card blockquote { border-left: 0.35rem solid #0072B2; padding-left: 1rem; opacity: 1; }
</style>
"""
_PROJECTOR_CSS = """
<style>
.stApp, [data-testid="stHeader"] { background: #ffffff; color: #000000; }
[data-testid="stMainBlockContainer"] { padding: 3.75rem 1.5rem 1rem 1.5rem; max-width: 100%; }
.st-key-present-header h2 { font-size: 1.9rem; line-height: 1.15; padding: 0; color: #000000; }
.st-key-present-card h3 { font-size: 1.55rem; line-height: 1.2; padding-top: 0; color: #000000; }
.st-key-present-card p, .st-key-present-card li { font-size: 1.2rem; line-height: 1.4; color: #000000; }
.st-key-present-card blockquote p { font-size: 1.35rem; line-height: 1.4; color: #000000;
  font-family: Georgia, "DejaVu Serif", serif; }
.st-key-present-card [data-testid="stCaptionContainer"] p { font-size: 0.95rem; color: #222222; }
.st-key-present-nav button p { font-size: 1.1rem; }
</style>
"""


def slide_plotly_config(file_stem: str) -> dict:
    """The app's chart config, with the toolbar's camera button saving a 1920x1080 slide."""
    return plotly_config(
        toImageButtonOptions={"format": "png", "width": 1920, "height": 1080, "scale": 1, "filename": file_stem}
    )


def _ordered_tours(tours: Mapping[str, Tour], everything: Tour) -> dict[str, Tour]:
    """File tours by the date of their first event, then 'all events'."""
    catalog = get_catalog()

    def first_date(tour: Tour):
        return min(catalog.event(step.event).date for step in tour.steps)

    ordered = dict(sorted(tours.items(), key=lambda item: (first_date(item[1]), item[1].title)))
    ordered[ALL_EVENTS_TOUR_ID] = everything
    return ordered


def _compact_legend(figure) -> None:
    """Smaller legend and notes, so the map keeps its height in a slide column.

    The legend explains shapes and colours, which matter less than the map on
    a projector; the card beside it names the event.
    """
    figure.update_layout(legend_font_size=LEGEND_FONT_SIZE, legend_title_text=None)
    figure.update_annotations(font_size=LEGEND_FONT_SIZE - 1)


def _widened(view: MapView | None, aspect: float) -> MapView | None:
    """The step's view widened to the map's shape, so the map fills its column."""
    if view is None:
        return None
    lon_range, lat_range = fill_mercator_view(view.lon_range, view.lat_range, aspect)
    return MapView(lon_range=lon_range, lat_range=lat_range)


def _go_to(tour_id: str, number: int) -> None:
    st.query_params[PARAM_TOUR] = tour_id
    st.query_params[PARAM_STEP] = str(number)


def _on_tour_change() -> None:
    _go_to(st.session_state[KEY_TOUR], 1)


def _chosen_tour(choices: Mapping[str, Tour]) -> tuple[str, str | None]:
    """The tour the link asks for, and a note if the link names no tour we have.

    Without a ``tour`` in the link (the page opened from the navigation), the
    tour last chosen in this session, else the first one.
    """
    wanted = st.query_params.get(PARAM_TOUR)
    default = next(iter(choices))
    if not wanted:
        remembered = st.session_state.get(KEY_TOUR)
        return (remembered if remembered in choices else default), None
    if wanted in choices:
        return wanted, None
    return default, f"There is no tour {wanted[:40]!r}; showing “{choices[default].title}”."


def _render_card(state: StepState, projector: bool) -> None:
    """The slide's text: event, date, who, the teacher's caption, the passage, the source."""
    catalog = get_catalog()
    event = state.event
    with st.container(key="present-card"):
        st.markdown(f"### {md(event.title)}")
        when = f"**{md(date_label(event))}** · {md(event_type_label(event.event_type))}"
        exchange = exchange_label(event, catalog)
        st.markdown(when + (f"  \n{md(exchange)}" if exchange else ""))
        if state.step.caption:
            st.markdown(md(state.step.caption))
        st.markdown(blockquote(event.source.passage))
        st.caption(
            f"Source: {md(document_citation(event.source.document, catalog))}"
            f" · date known to: {md(precision_label(event.date_precision))}"
        )
    with st.expander("Everything about this event", icon=":material/info:", expanded=not projector):
        render_detail_card(event, catalog, get_gazetteer(), show_title=False)


def main() -> None:
    st.set_page_config(page_title="Present a tour", layout="wide")
    catalog = get_catalog()
    gazetteer = get_gazetteer()
    tours, issues = load_tours(catalog, gazetteer)
    choices = _ordered_tours(tours, all_events_tour(catalog.events))

    tour_id, tour_note = _chosen_tour(choices)
    if st.session_state.get(KEY_TOUR) != tour_id:
        st.session_state[KEY_TOUR] = tour_id
    tour = choices[tour_id]

    with st.sidebar:
        st.subheader("Presentation")
        st.selectbox(
            "Tour",
            list(choices),
            format_func=lambda t: choices[t].title,
            key=KEY_TOUR,
            on_change=_on_tour_change,
        )
        projector = st.toggle(
            "Projector mode",
            value=True,
            key=KEY_PROJECTOR,
            help="Large type and a light, high-contrast look. Colours are always the "
            "colour-blind-safe Okabe–Ito palette, and each event type has its own marker shape.",
        )
        show_timeline = st.toggle("Show the timeline", value=True, key=KEY_TIMELINE)
        st.caption("Keys: → next · ← previous · Home first · End last. "
                   "Collapse this sidebar (« at its top) for more room.")
        st.caption("On the map, a marker's size shows the largest number the source gives "
                   "(log scale). On the timeline, a hatched bar is the window an imprecise date "
                   "allows, a solid bar how long an event lasted. Earlier steps are faded; "
                   "later ones are not shown yet.")
        if issues:
            with st.expander(f"{len(issues)} problem(s) in tour files", icon=":material/warning:"):
                for issue in issues:
                    st.markdown(f"- {md(format_issue(issue))}")

    st.html(_BASE_CSS + (_PROJECTOR_CSS if projector else ""))
    if tour_note:
        st.warning(tour_note, icon=":material/link_off:")
    total = len(tour.steps)
    if total == 0:
        st.info("There are no events to present yet.")
        return
    raw_step = st.query_params.get(PARAM_STEP)
    if raw_step is None and st.query_params.get(PARAM_TOUR) is None:
        # Back from another page (the link lost its parameters): where we were.
        raw_step = st.session_state.get(KEY_STEPS, {}).get(tour_id)
    number, step_note = clamp_step(raw_step, total)
    if step_note:
        st.warning(step_note, icon=":material/link_off:")
    if st.query_params.get(PARAM_TOUR) != tour_id or st.query_params.get(PARAM_STEP) != str(number):
        _go_to(tour_id, number)
    st.session_state.setdefault(KEY_STEPS, {})[tour_id] = number

    state = step_state(tour, number, catalog, gazetteer)
    style = PROJECTOR_STYLE if projector else DEFAULT_STYLE

    with st.container(key="present-header"):
        head, counter = st.columns([5, 1], vertical_alignment="bottom")
        head.markdown(f"## {md(tour.title)}")
        with counter.container(key="present-counter"):
            st.markdown(state.progress_label)
        st.progress(number / total, text=f"Step {number} of {total}")

    with st.container(key="present-nav", horizontal=True):
        st.button("First", key="present_first", icon=":material/first_page:", shortcut="Home",
                  disabled=number == 1, on_click=_go_to, args=(tour_id, 1))
        st.button("Previous", key="present_previous", icon=":material/arrow_back:", shortcut="Left",
                  disabled=number == 1, on_click=_go_to, args=(tour_id, number - 1))
        st.button("Next", key="present_next", icon=":material/arrow_forward:", icon_position="right",
                  shortcut="Right", type="primary", disabled=number == total,
                  on_click=_go_to, args=(tour_id, number + 1))
        st.button("Last", key="present_last", icon=":material/last_page:", icon_position="right",
                  shortcut="End", disabled=number == total, on_click=_go_to, args=(tour_id, total))

    file_stem = f"{tour_id}_{number:02d}_{state.event.id}"
    config = slide_plotly_config(file_stem)
    map_column, card_column = st.columns([3, 2], gap="medium")
    with map_column:
        figure = build_map_figure(
            state.shown, catalog, gazetteer, highlight=state.event.id, muted=state.muted,
            view=_widened(state.view, style.map_aspect), style=style,
        )
        _compact_legend(figure)
        figure.update_layout(height=MAP_HEIGHT[projector], margin={"t": 8})
        st.plotly_chart(figure, theme=None, config=config, key="present_map",
                        alt=f"Map: {state.event.title}")
    with card_column:
        _render_card(state, projector)

    if show_timeline:
        timeline = build_timeline_figure(
            state.shown, catalog, highlight=state.event.id, muted=state.muted, style=style
        )
        # No legend: the map's names the event types, the sidebar explains the bars;
        # under the axis it would take the height the lanes need.
        timeline.update_layout(height=TIMELINE_HEIGHT[projector], showlegend=False, margin={"b": 10})
        st.plotly_chart(timeline, theme=None, config=config, key="present_timeline",
                        alt=f"Timeline up to {state.event.title}")

    with st.sidebar, st.expander("Export this slide", icon=":material/download:"):
        render_export_panel(
            ExportView.of(state.shown, highlight=state.event.id, muted=state.muted,
                          view=state.view, title=state.title, subtitle=tour.title,
                          style=PROJECTOR_STYLE),
            catalog,
            gazetteer,
            key="present_export",
            file_stem=file_stem,
            data_events=[catalog.event(e) for e in dict.fromkeys(tour.event_ids())],
            data_description=f"Tour: {tour.title}",
        )


main()
