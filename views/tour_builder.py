"""Build a tour: pick events (or take the current filter's, or duplicate a tour), order them,
write a caption and a question per step, choose where the map looks, preview, save.

The tour is saved in the user's store (its text in the YAML format of
``data/tours/README.md``), after the same checks the Present page applies when it
reads tours, with every problem listed at once; it is then in the Present
page's tour menu. A save from a page loaded before another session saved the
same tour is refused, never silently overwritten. The tour can be downloaded as a
YAML file, and a YAML tour file uploaded (checked the same way). The logic is
:mod:`exchanges.tour_builder`; this page holds the steps being edited in the session.

Runs inside the app's navigation or alone (``streamlit run views/tour_builder.py``).
"""

from __future__ import annotations

from dataclasses import replace

import streamlit as st

from components.data import get_catalog, get_gazetteer, get_tours
from components.filters_sidebar import filter_options, widget_state
from components.plotly_config import plotly_config
from components.state import (
    TB_DESCRIPTION,
    TB_ID,
    TB_LOADED,
    TB_OVERWRITE,
    TB_PICKED,
    TB_PREVIEW,
    TB_SAVED,
    TB_SOURCE_TOUR,
    TB_START,
    TB_STEPS,
    TB_TITLE,
    TB_UPLOAD,
    drop,
    get,
    put,
    put_default,
)
from exchanges.charts.map_figure import build_map_figure
from exchanges.charts.style import DEFAULT_STYLE
from exchanges.markdown import blockquote
from exchanges.markdown import escape_markdown as md
from exchanges.tour_builder import (
    FRAMES,
    DraftStep,
    check_draft,
    move,
    read_tour_upload,
    save_tour,
    steps_from_events,
    steps_from_tour,
    suggest_id,
    tour_data,
    tour_yaml,
)
from exchanges.tours import TourValidationError, step_state
from exchanges.userdata import UserDataError
from exchanges.wording import date_label

STARTS = {"picked": "Events I pick", "filter": "The events of the current filter (Map & timeline page)",
          "tour": "A copy of a tour"}


def _steps() -> list[DraftStep]:
    return put_default(TB_STEPS, [])


def _set_steps(steps: list[DraftStep]) -> None:
    put(TB_STEPS, steps)


def _event_label(event_id: str) -> str:
    event = get_catalog().event(event_id)
    return f"{date_label(event)} · {event.title}"


# --------------------------------------------------------------------------- starting


def _start_from(kind: str) -> None:
    catalog, gazetteer = get_catalog(), get_gazetteer()
    tours, _ = get_tours()
    if kind == "picked":
        picked = get(TB_PICKED) or []
        _set_steps(steps_from_events(catalog.event(e) for e in picked))
    elif kind == "filter":
        state = widget_state(filter_options(catalog, gazetteer))
        _set_steps(steps_from_events(state.apply(catalog.events)))
    else:
        source = tours.get(get(TB_SOURCE_TOUR) or "")
        if source is None:
            return
        _set_steps(steps_from_tour(source))
        put(TB_TITLE, f"{source.title} (my copy)")
        put(TB_ID, suggest_id(f"{source.id}-copy", tours))
        put(TB_DESCRIPTION, source.description or "")


def _render_start() -> None:
    catalog = get_catalog()
    tours, _ = get_tours()
    st.subheader("1. Start")
    kind = st.radio("Start from", tuple(STARTS), format_func=STARTS.__getitem__, key=TB_START, horizontal=True)
    if kind == "picked":
        st.multiselect("Events", [e.id for e in sorted(catalog.events, key=lambda e: (e.date, e.id))],
                       format_func=_event_label, key=TB_PICKED, placeholder="Choose the events of the tour")
    elif kind == "tour":
        st.selectbox("Tour to copy", list(tours), format_func=lambda t: tours[t].title, key=TB_SOURCE_TOUR)
    else:
        state = widget_state(filter_options(catalog, get_gazetteer()))
        st.caption(f"{len(state.apply(catalog.events))} event(s) match the filter set on the Map & timeline page.")
    st.button("Start the tour with these steps", key="tb_start_button", on_click=_start_from, args=(kind,),
              help="Replaces the steps below.", icon=":material/playlist_add:")


# --------------------------------------------------------------------------- the steps


def _move(index: int, offset: int) -> None:
    _set_steps(move(_steps(), index, offset))


def _remove(index: int) -> None:
    steps = _steps()
    _set_steps(steps[:index] + steps[index + 1:])


def _render_step(index: int, step: DraftStep, total: int, place_ids: list[str]) -> DraftStep:
    """One step's editor; returns the step as its widgets now say."""
    gazetteer = get_gazetteer()
    uid = step.uid
    with st.container(border=True, key=f"tb-step-{uid}"):
        head, buttons = st.columns([5, 2], vertical_alignment="center")
        head.markdown(f"**{index + 1}.** {md(_event_label(step.event))}")
        with buttons.container(horizontal=True, gap="small"):
            st.button("Up", key=f"tb_up_{uid}", icon=":material/arrow_upward:", disabled=index == 0,
                      on_click=_move, args=(index, -1))
            st.button("Down", key=f"tb_down_{uid}", icon=":material/arrow_downward:", disabled=index == total - 1,
                      on_click=_move, args=(index, 1))
            st.button("Remove", key=f"tb_remove_{uid}", icon=":material/delete:", on_click=_remove, args=(index,))
        caption = st.text_area("Caption (what to say to the class)", value=step.caption, key=f"tb_caption_{uid}",
                               height=80)
        question = st.text_input("Question for the class (and the worksheet)", value=step.question,
                                 key=f"tb_question_{uid}")
        frame_column, where_column = st.columns([1, 2])
        frame = frame_column.selectbox("The map looks at", tuple(FRAMES), format_func=FRAMES.__getitem__,
                                       index=tuple(FRAMES).index(step.frame), key=f"tb_frame_{uid}")
        place, lon_range, lat_range = step.place, step.lon_range, step.lat_range
        if frame == "place":
            choices = place_ids if step.place in place_ids or step.place is None else [step.place, *place_ids]
            place = where_column.selectbox(
                "Place", choices, index=choices.index(step.place) if step.place in choices else 0,
                format_func=lambda p: gazetteer.get(p).name if gazetteer.get(p) else p, key=f"tb_place_{uid}")
        elif frame == "ranges":
            lon_range = where_column.slider("Longitude (west, east)", -180.0, 180.0, step.lon_range,
                                            key=f"tb_lon_{uid}")
            lat_range = where_column.slider("Latitude (south, north)", -85.0, 85.0, step.lat_range,
                                            key=f"tb_lat_{uid}")
    return replace(step, caption=caption, question=question, frame=frame, place=place,
                   lon_range=tuple(lon_range), lat_range=tuple(lat_range))


def _render_steps() -> list[DraftStep]:
    steps = _steps()
    st.subheader(f"2. The steps ({len(steps)})")
    if not steps:
        st.info("No steps yet: start above.")
        return []
    place_ids = sorted((p.id for p in get_gazetteer()), key=lambda p: get_gazetteer().get(p).name)
    edited = [_render_step(i, step, len(steps), place_ids) for i, step in enumerate(steps)]
    _set_steps(edited)
    return edited


# --------------------------------------------------------------------------- preview and save


def _render_preview(data: dict) -> None:
    catalog, gazetteer = get_catalog(), get_gazetteer()
    tour, issues = check_draft(data, catalog, gazetteer, overwrite=True)
    st.subheader("3. Preview")
    if tour is None:
        st.caption("The preview shows once the tour is valid (see the problems under Save).")
        return
    number = st.number_input("Step", min_value=1, max_value=len(tour.steps), value=1, key=TB_PREVIEW)
    state = step_state(tour, int(number), catalog, gazetteer)
    left, right = st.columns([3, 2])
    figure = build_map_figure(state.shown, catalog, gazetteer, highlight=state.event.id, muted=state.muted,
                              view=state.view, style=DEFAULT_STYLE)
    left.plotly_chart(figure, key="tb_preview_map", theme=None, config=plotly_config())  # offline basemap
    with right:
        st.markdown(f"**{md(state.event.title)}**")
        st.markdown(blockquote(state.event.source.passage))
        if state.step.caption:
            st.markdown(md(state.step.caption))
        if state.step.question:
            st.markdown(f"**Question:** {md(state.step.question)}")


def _render_save(data: dict) -> None:
    catalog, gazetteer = get_catalog(), get_gazetteer()
    st.subheader("4. Save")
    overwrite = st.checkbox("Replace my tour of this id if there is one", key=TB_OVERWRITE)
    saved = drop(TB_SAVED)
    if saved:
        st.success(saved)
    with st.container(horizontal=True, gap="small"):
        clicked = st.button("Save the tour", type="primary", key="tb_save", icon=":material/save:")
        st.download_button("Download the tour (YAML)", data=tour_yaml(data), file_name=f"{data['id']}.yaml",
                           mime="application/yaml", key="tb_download", icon=":material/download:")
    if not clicked:
        return
    _save(data, catalog, gazetteer, overwrite=overwrite)


def _save(data: dict, catalog, gazetteer, *, overwrite: bool) -> None:  # noqa: ANN001
    try:
        saved = save_tour(data, catalog, gazetteer, overwrite=overwrite,
                          loaded_revision=get(TB_LOADED))
    except TourValidationError as invalid:
        st.error(f"Not saved: {len(invalid.issues)} problem(s). Fix them all, then save again.")
        st.markdown("\n".join(f"- {md(str(issue))}" for issue in invalid.issues))
        return
    except UserDataError as refused:
        st.error(md(refused.message))
        return
    put(TB_LOADED, saved.revision)  # this session's own save is not a conflict next time
    put(TB_SAVED, f"Saved “{md(data['title'])}” as {md(saved.saved_as)}. It is in the Present "
                  "page's tour menu now.")
    st.rerun()


def _render_upload() -> None:
    """Save a tour from a YAML file (one downloaded here, or written by hand): the same checks."""
    with st.expander("Upload a tour file (YAML)", icon=":material/upload:"):
        upload = st.file_uploader("Tour file", type=["yaml", "yml"], key=TB_UPLOAD, max_upload_size=1)
        replace_it = st.checkbox("Replace my tour of this id if there is one", key="tb_upload_overwrite")
        if upload is None or not st.button("Save the uploaded tour", key="tb_upload_save"):
            return
        try:
            data = read_tour_upload(upload.getvalue(), upload.name)
        except UserDataError as refused:
            st.error(md(refused.message))
            return
        _save(data, get_catalog(), get_gazetteer(), overwrite=replace_it)


def main() -> None:
    st.set_page_config(page_title="Build a tour", layout="wide")
    st.title("Build a tour")
    tours, _ = get_tours()
    put_default(TB_LOADED, get_catalog().store_revision)
    _render_start()
    steps = _render_steps()
    st.subheader("The tour")
    title = st.text_input("Title", key=TB_TITLE, placeholder="1962: the border closes")
    put_default(TB_ID, "")
    tour_id = st.text_input("Id (the file's name and the link's)", key=TB_ID,
                            placeholder=suggest_id(title or "my tour", tours),
                            help="Lower-case letters, digits and - _ . ; empty: made from the title.")
    description = st.text_area("Description (optional)", key=TB_DESCRIPTION, height=80)
    data = tour_data(tour_id or suggest_id(title or "my tour", tours), title or "", description or "", steps)
    _render_preview(data)
    _render_save(data)
    _render_upload()


main()
