"""Presentation mode: step through a tour in front of a class.

The link holds the place in the tour (``?tour=xinjiang-1962&step=4``), so a
teacher can bookmark a step or send it to a colleague; the Previous/Next
buttons (and the ← → keys, Home/End) move through it. Each step shows the
event highlighted on the map and the timeline, the events of the earlier steps
muted and the later ones not yet, the source's own words in large type and the
teacher's caption.

Laid out as a slide: in projector mode the type scales with the window (the
root font size follows the viewport), so 1280x720 and 1920x1080 show the same
slide — header, map and card above the fold, the timeline below it. The map's
box has a fixed shape (:data:`MAP_ASPECT`, set in CSS); the map fills it above a
strip for the legend, its view widened to that shape (:data:`GEO_ASPECT`), so
it fills its column without blank bands and the legend covers nothing.

Runs inside the app's navigation or alone (``streamlit run views/present.py``).
"""

from __future__ import annotations

from collections.abc import Mapping

import plotly.graph_objects as go
import streamlit as st

from components.data import get_catalog, get_gazetteer, get_map_figure, get_timeline_figure, get_tours
from components.detail_card import render_detail_card
from components.export_panel import render_export_panel, render_tour_downloads
from components.plotly_config import SLIDE_IMAGE, for_browser, plotly_config
from components.state import (
    KEY_PROJECTOR,
    KEY_SHOW_TIMELINE,
    KEY_TOUR,
    PARAM_PROJECTOR,
    PARAM_TIMELINE,
    choose_tour,
    chosen_tour,
    last_step,
    link_tour_step,
    projector_mode,
    remember_step,
    toggle_to_url,
    toggles_from_url,
    toggles_to_url,
    tour_link,
)
from exchanges.catalog import Catalog
from exchanges.charts.style import PROJECTOR_STYLE
from exchanges.export.layout import SIZE_NOTE, document_citation, unmapped_note
from exchanges.export.slide_text import CardLayout, CardText
from exchanges.export.view import ExportView
from exchanges.mapping import with_aspect
from exchanges.markdown import blockquote
from exchanges.markdown import escape_markdown as md
from exchanges.models import Event
from exchanges.tours import (
    ALL_EVENTS_TOUR_ID,
    StepState,
    Tour,
    all_events_tour,
    clamp_step,
    step_state,
)
from exchanges.wording import date_label, date_note, event_type_label, exchange_label

#: Width / height of the map's box on the page. The CSS gives the box this
#: shape and the map's view is widened to it, so the map fills the box. Chosen
#: so that, at 16:9 with the sidebar collapsed, header + map + caption fill
#: the screen.
MAP_ASPECT = 1.3
#: Share of the map box's height kept under the map for its legend (room for
#: two or three rows), so the legend never covers names or markers.
LEGEND_SHARE = 0.14
#: Width / height of the map itself, above the legend.
GEO_ASPECT = MAP_ASPECT / (1 - LEGEND_SHARE)
#: The card's column in projector mode (rem): half the slide, down to the fold
#: below the header, with the source line. See :mod:`exchanges.export.slide_text`.
CARD_LAYOUT = CardLayout(width=37.0, height=33.5)
NO_PLACE_NOTE = "This event names no place — the map shows the story so far."
UNKNOWN_PLACE_NOTE = "This event's place is not in the gazetteer — the map shows the story so far."

# Our own constant CSS (never user text). Elements are found by the
# ``st-key-<key>`` class Streamlit gives keyed containers.
_BASE_CSS = f"""
<style>
.st-key-present-counter p {{ font-size: 2.1rem; font-weight: 700; text-align: right;
  margin: 0; line-height: 1.1; font-variant-numeric: tabular-nums; white-space: nowrap; min-width: 4.5ch; }}
.st-key-present-header h2 {{ font-size: 1.6rem; line-height: 1.15; padding: 0; }}
.st-key-present-header [data-testid="stProgress"] > div {{ height: 0.45rem; }}
.st-key-present-card h3 {{ padding-top: 0; }}
.st-key-present-card blockquote {{ border-left: 0.35rem solid #0072B2; padding-left: 1rem; opacity: 1; }}
.st-key-present-map {{ aspect-ratio: {MAP_ASPECT}; position: relative; gap: 0; }}
.st-key-present-noplace {{ position: absolute; top: 0.75rem; left: 0.75rem; right: 0.75rem; z-index: 2;
  align-items: center; pointer-events: none; }}
.st-key-present-noplace p {{ background: rgba(255,255,255,0.95); color: #000000; border: 2px solid #000000;
  border-radius: 0.5rem; padding: 0.35rem 0.9rem; margin: 0; font-weight: 600; font-size: 1.1rem;
  text-align: center; }}
</style>
"""
# Projector mode: a light, high-contrast slide whose type scales with the
# window's height (1rem = 16 px at 1280x720, 24 px at 1920x1080, 17 px at
# 1366x768), or its width on a squarer screen (15 px at 1024x768). Read from the
# back row: the quote 1.75rem (28 px at 1280x720), the card's text 1.375rem
# (22 px), the source and the notes 1.125rem (18 px), black on white. Nothing
# scrolls inside a box: a long passage is trimmed to what fits (CARD_LAYOUT)
# and the whole of it is one click away.
_PROJECTOR_CSS = """
<style>
html { font-size: clamp(12px, min(1.5vw, 2.222vh), 48px); }
.stApp, [data-testid="stHeader"] { background: #ffffff; color: #000000; }
[data-testid="stHeader"] { height: 2.75rem; min-height: 2.75rem; }
[data-testid="stAppDeployButton"] { display: none; }
[data-testid="stMainBlockContainer"] { padding: 3rem 1.5rem 1rem 1.5rem; max-width: 100%; }
.st-key-present-header h2 { color: #000000; }
.st-key-present-card { gap: 0.75rem; }
.st-key-present-card h3 { font-size: 1.5rem; line-height: 1.25; color: #000000; }
.st-key-present-card p, .st-key-present-card li { font-size: 1.375rem; line-height: 1.4; color: #000000; }
.st-key-present-card blockquote { margin: 0; }
.st-key-present-card blockquote p { font-size: 1.75rem; line-height: 1.4; color: #000000;
  font-family: Georgia, "DejaVu Serif", serif; }
.st-key-present-card button p { font-size: 1.125rem; }
.st-key-present-source [data-testid="stCaptionContainer"] p { font-size: 1.125rem; line-height: 1.3; color: #1a1a1a; }
.st-key-present-mapnote [data-testid="stCaptionContainer"] p { font-size: 1.125rem; line-height: 1.3; color: #1a1a1a; }
.st-key-present-noplace p { font-size: 1.25rem; }
/* Starts just below the fold of a 16:9 screen, rather than peeking into it. */
.st-key-present-timeline { margin-top: 3rem; }
</style>
"""


def slide_plotly_config(file_stem: str, aspect: float = 16 / 9) -> dict:
    """The app's chart config for a slide.

    The toolbar's camera button saves a PNG 1920 px wide and of the chart's
    shape (``aspect``, so a map keeps its view).
    """
    width = SLIDE_IMAGE["width"]
    return plotly_config(
        toImageButtonOptions={**SLIDE_IMAGE, "height": round(width / aspect), "filename": file_stem},
    )


def _ordered_tours(tours: Mapping[str, Tour], everything: Tour) -> dict[str, Tour]:
    """File tours by the date of their first event, then 'all events'."""
    catalog = get_catalog()

    def first_date(tour: Tour):
        return min(catalog.event(step.event).date for step in tour.steps)

    ordered = dict(sorted(tours.items(), key=lambda item: (first_date(item[1]), item[1].title)))
    ordered[ALL_EVENTS_TOUR_ID] = everything
    return ordered


def _on_tour_change() -> None:
    link_tour_step(chosen_tour(), 1)


def _chosen_tour(choices: Mapping[str, Tour]) -> tuple[str, str | None]:
    """The tour the link asks for, and a note if the link names no tour we have.

    Without a ``tour`` in the link (the page opened from the navigation), the
    tour last chosen in this session, else the first one.
    """
    wanted, _ = tour_link()
    default = next(iter(choices))
    if not wanted:
        remembered = chosen_tour()
        return (remembered if remembered in choices else default), None
    if wanted in choices:
        return wanted, None
    return default, f"There is no tour {wanted[:40]!r}; showing “{choices[default].title}”."


# --------------------------------------------------------------------------- the map


def _slide_map(state: StepState, projector: bool) -> go.Figure:
    """The step's map, shaped for the page's map box; built once per step (the explore page's
    cached builder, ``components.data.get_map_figure``).

    No note drawn on the map (the page says what is not on it), no margins:
    the map fills the box's width and its height above the legend, which runs
    horizontally in the strip below (``LEGEND_SHARE``), off the map. The
    style's own width range applies (markers sharing a place are spread for it).
    """
    view = with_aspect(state.view, GEO_ASPECT) if state.view is not None else None
    return get_map_figure(
        [event.id for event in state.shown], view=view, highlight=state.event.id, muted=state.muted,
        projector=projector, size_note=False, notice=map_notice(state), aspect=GEO_ASPECT,
        legend_strip=LEGEND_SHARE,
    )


def map_notice(state: StepState) -> str | None:
    """What the map itself says when it cannot show the step's event: it keeps the last frame."""
    if state.event_on_map:
        return None
    kept = " The map keeps the last step's frame." if state.kept_frame else ""
    return ("This step's event names no place." if not state.event.places
            else "This step's place is not in the gazetteer.") + kept


def no_place_note(state: StepState) -> str | None:
    """The note over the map when the current event is not on it, else ``None``."""
    if state.event_on_map:
        return None
    return UNKNOWN_PLACE_NOTE if state.event.places else NO_PLACE_NOTE


def map_caption(state: StepState) -> tuple[str, str | None]:
    """What the map does not say itself, and the titles it leaves out (for a tooltip).

    Marker sizes, and the earlier events the map cannot show: one is named,
    more are counted, so the caption stays one or two lines.
    """
    earlier = state.earlier_unmapped
    note = unmapped_note(earlier, listed=1)
    titles = "\n".join(f"- {event.title}" for event in earlier) if len(earlier) > 1 else None
    return " ".join([SIZE_NOTE, note] if note else [SIZE_NOTE]), titles


def _render_map(state: StepState, projector: bool, config: dict) -> None:
    with st.container(key="present-map"):
        note = no_place_note(state)
        if note:
            # Over the map's top edge (CSS), where the eye looks for the highlight.
            with st.container(key="present-noplace"):
                st.markdown(f":material/location_off: {md(note)}")
        st.plotly_chart(for_browser(_slide_map(state, projector)), theme=None, config=config, key="present_map",
                        height="stretch", alt=f"Map: {state.event.title}")
    caption, left_out = map_caption(state)
    with st.container(key="present-mapnote"):
        st.caption(md(caption), help=md(left_out) if left_out else None)


# --------------------------------------------------------------------------- the card


def card_text(state: StepState, catalog: Catalog, projector: bool) -> CardText:
    """The passage and the caption as the card shows them, and whether each is trimmed.

    In projector mode a passage longer than the room the title, the date, the
    caption and the source leave (:data:`CARD_LAYOUT`) ends with "…", then, if
    that is not enough, the caption; the whole of both is one click away. On a
    screen the card shows it all.
    """
    event = state.event
    if not projector:
        return CardText(event.source.passage, False, state.step.caption, False)
    when = f"{date_label(event)} · {event_type_label(event.event_type)}\n{exchange_label(event, catalog) or ''}"
    source = f"Source: {document_citation(event.source.document, catalog)} · {date_note(event)}"
    return CARD_LAYOUT.fit_card(event.source.passage, event.title, when, state.step.caption, source)


@st.dialog("The whole passage", width="large")
def _whole_passage(event_id: str, caption: str | None) -> None:
    catalog = get_catalog()
    event = catalog.event(event_id)
    st.markdown(f"**{md(event.title)}**")
    st.markdown(blockquote(event.source.passage))
    if caption:
        st.markdown(md(caption))
    st.caption(source_line(event, catalog))


def _render_card(state: StepState, projector: bool) -> None:
    """The slide's text: event, date, who, the source's words, the teacher's caption, the source."""
    catalog = get_catalog()
    event = state.event
    text = card_text(state, catalog, projector)
    with st.container(key="present-card"):
        st.markdown(f"### {md(event.title)}")
        when = f"**{md(date_label(event))}** · {md(event_type_label(event.event_type))}"
        exchange = exchange_label(event, catalog)
        st.markdown(when + (f"  \n{md(exchange)}" if exchange else ""))
        st.markdown(blockquote(text.quote))
        if text.trimmed and st.button("Read the whole passage", key="present_whole_passage",
                                      icon=":material/open_in_full:", type="tertiary"):
            _whole_passage(event.id, state.step.caption)
        if text.caption:
            st.markdown(md(text.caption))
    with st.container(key="present-source"):
        st.caption(source_line(event, catalog))
    with (st.container(key="present-more"),
          st.expander("Everything about this event", icon=":material/info:", expanded=not projector)):
        render_detail_card(event, catalog, get_gazetteer(), show_title=False)


def source_line(event: Event, catalog: Catalog) -> str:
    """The card's source line (Markdown): the document, and how well it fixes the date —
    worded as on the explore page's card ("Only a latest date is known: on or before …")."""
    return f"Source: {md(document_citation(event.source.document, catalog))} · {md(date_note(event))}"


# --------------------------------------------------------------------------- the page


def _render_sidebar(choices: Mapping[str, Tour], issues: list) -> tuple[bool, bool]:
    """Tour choice, display toggles, help; returns (projector mode, show the timeline)."""
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
            key=KEY_PROJECTOR,
            on_change=toggle_to_url,
            args=(PARAM_PROJECTOR, KEY_PROJECTOR),
            help="Large type that grows with the screen, and a light, high-contrast look. Colours are "
            "always the colour-blind-safe Okabe–Ito palette, and each event type has its own marker shape.",
        )
        show_timeline = st.toggle(
            "Show the timeline",
            key=KEY_SHOW_TIMELINE,
            on_change=toggle_to_url,
            args=(PARAM_TIMELINE, KEY_SHOW_TIMELINE),
            help="The timeline of the tour so far, below the map and the card. Off: no timeline.",
        )
        st.caption("Keys: → next · ← previous · Home first · End last. "
                   "Collapse this sidebar (« at its top) for more room.")
        st.caption("On the timeline, a hatched bar is the window an imprecise date allows, a solid bar "
                   "how long an event lasted. Earlier steps are faded; later ones are not shown yet.")
        if issues:
            with st.expander(f"{len(issues)} problem(s) in tour files", icon=":material/warning:"):
                for issue in issues:
                    st.markdown(f"- {md(str(issue))}")
    return projector, show_timeline


def _render_header(tour: Tour, tour_id: str, state: StepState) -> None:
    """Tour title and progress, the step buttons, the '4 / 15' counter: one row."""
    number, total = state.number, state.total
    with st.container(key="present-header", horizontal=True, vertical_alignment="center", gap="medium"):
        with st.container(key="present-title", width="stretch", gap="small"):
            st.markdown(f"## {md(tour.title)}")
            st.progress(number / total)
        with st.container(key="present-nav", horizontal=True, width="content", gap="small"):
            st.button("First", key="present_first", icon=":material/first_page:", shortcut="Home",
                      disabled=number == 1, on_click=link_tour_step, args=(tour_id, 1))
            st.button("Previous", key="present_previous", icon=":material/arrow_back:", shortcut="Left",
                      disabled=number == 1, on_click=link_tour_step, args=(tour_id, number - 1))
            st.button("Next", key="present_next", icon=":material/arrow_forward:", icon_position="right",
                      shortcut="Right", type="primary", disabled=number == total,
                      on_click=link_tour_step, args=(tour_id, number + 1))
            st.button("Last", key="present_last", icon=":material/last_page:", icon_position="right",
                      shortcut="End", disabled=number == total, on_click=link_tour_step, args=(tour_id, total))
        with st.container(key="present-counter", width="content"):
            st.markdown(state.progress_label)


def _render_timeline(state: StepState, projector: bool, config: dict) -> None:
    # No legend: the map's names the event types, the sidebar explains the bars;
    # under the axis it would take the height the lanes need. The figure's own
    # height (at most a screen: ``timeline_max_height``) fits its rows. Built once
    # per step, by the explore page's cached builder.
    timeline = get_timeline_figure([event.id for event in state.shown], highlight=state.event.id,
                                   muted=state.muted, projector=projector, show_legend=False)
    with st.container(key="present-timeline"):
        st.plotly_chart(for_browser(timeline), theme=None, config=config, key="present_timeline",
                        alt=f"Timeline up to {state.event.title}")


def main() -> None:
    toggle_notes = toggles_from_url()
    # In projector mode the slide has the whole width: the sidebar starts closed.
    collapsed = projector_mode()
    st.set_page_config(page_title="Present a tour", layout="wide",
                       initial_sidebar_state="collapsed" if collapsed else "auto")
    catalog = get_catalog()
    gazetteer = get_gazetteer()
    tours, issues = get_tours()
    choices = _ordered_tours(tours, all_events_tour(catalog.events))

    tour_id, tour_note = _chosen_tour(choices)
    choose_tour(tour_id)
    tour = choices[tour_id]
    projector, show_timeline = _render_sidebar(choices, issues)
    toggles_to_url()

    st.html(_BASE_CSS + (_PROJECTOR_CSS if projector else ""))
    for note in (n for n in (tour_note, *toggle_notes) if n):
        st.warning(md(note), icon=":material/link_off:")
    total = len(tour.steps)
    if total == 0:
        st.info("There are no events to present yet.")
        return
    linked_tour, raw_step = tour_link()
    if raw_step is None and linked_tour is None:
        # Back from another page (the link lost its parameters): where we were.
        raw_step = last_step(tour_id)
    number, step_note = clamp_step(raw_step, total)
    if step_note:
        st.warning(step_note, icon=":material/link_off:")
    link_tour_step(tour_id, number)
    remember_step(tour_id, number)

    state = step_state(tour, number, catalog, gazetteer)
    file_stem = f"{tour_id}_{number:02d}_{state.event.id}"

    _render_header(tour, tour_id, state)
    map_column, card_column = st.columns([1, 1] if projector else [11, 9], gap="medium")
    with map_column:
        _render_map(state, projector, slide_plotly_config(f"{file_stem}_map", MAP_ASPECT))
    with card_column:
        _render_card(state, projector)
    if show_timeline:
        _render_timeline(state, projector, slide_plotly_config(f"{file_stem}_timeline"))

    with st.sidebar, st.expander("Download this tour as slides", icon=":material/slideshow:"):
        render_tour_downloads(tour, catalog, gazetteer, key="present_tour_files")
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
