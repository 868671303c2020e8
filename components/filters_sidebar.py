"""The explore page's filters, kept in the URL so a link reopens the same view.

Each run: ``sync_from_url`` reads the query parameters; if they changed since
this session last wrote them (a pasted link, a link from the documents page,
the first load), the widgets are set from them. The widgets then give a
``FilterState``; ``components.state.write_filters_to_url`` puts it back in the
query parameters. The widgets' session keys are named in ``components.state``.
Unknown or malformed values in a link are dropped and listed in a warning.

Widget values are set through ``st.session_state`` only (never also as a
default), so Streamlit never has two sources for one value.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from components.memo import DataMemo
from components.state import (
    KEY_ACTORS,
    KEY_DATES,
    KEY_LANES,
    KEY_PLACES,
    KEY_QUERY,
    KEY_SELECTED,
    KEY_THEMES,
    KEY_TYPES,
    filters_from_url,
    get,
    has,
    lanes,
    put,
    put_default,
    remember_url_warnings,
    selected_event,
)
from exchanges.catalog import Catalog
from exchanges.filters import LANE_MODES, FilterState, SearchNames, matches_search, search_hints
from exchanges.gazetteer import Gazetteer
from exchanges.markdown import escape_markdown as md
from exchanges.models import EventType
from exchanges.timeline import Era
from exchanges.wording import event_type_label


@dataclass(frozen=True)
class FilterOptions:
    """What the filter widgets offer: only values some event has, in reading order."""

    months: tuple[dt.date, ...]
    actors: tuple[str, ...]
    places: tuple[str, ...]
    event_types: tuple[EventType, ...]
    themes: tuple[str, ...]
    event_ids: frozenset[str]
    names: SearchNames | None = None
    """Other names of places and actors, for the search."""
    known: dict[str, frozenset[str]] = field(default_factory=dict, hash=False, compare=False)
    """The ids a link may name (``known_actors``, ``known_places``, ``known_themes``): any the
    catalog or the gazetteer knows, not only those some event has."""


_OPTIONS: DataMemo[FilterOptions] = DataMemo(size=4)


def filter_options(catalog: Catalog, gazetteer: Gazetteer) -> FilterOptions:
    """What the filters offer for this catalog, made once per catalog (not on every rerun)."""
    return _OPTIONS.get((id(catalog), id(gazetteer)), (catalog, gazetteer),
                        lambda: _filter_options(catalog, gazetteer))


def _filter_options(catalog: Catalog, gazetteer: Gazetteer) -> FilterOptions:
    events = catalog.events
    if events:
        first = min(e.date for e in events).replace(day=1)
        last = max(e.last_date for e in events)
    else:
        first = last = dt.date.today().replace(day=1)
    months = _months_between(first, last)
    actor_ids = {a for e in events for a in e.actors}
    place_ids = {p for e in events for p in e.places}
    return FilterOptions(
        months=tuple(months),
        actors=tuple(sorted(actor_ids, key=lambda a: catalog.actor_name(a).casefold())),
        places=tuple(sorted(place_ids, key=lambda p: place_name(p, gazetteer).casefold())),
        event_types=tuple(t for t in EventType if any(e.event_type is t for e in events)),
        themes=tuple(sorted({t for e in events for t in e.themes}, key=lambda t: catalog.theme_label(t).casefold())),
        event_ids=frozenset(e.id for e in events),
        names=SearchNames.build(gazetteer, catalog.actors.values()),
        known={"known_actors": frozenset(actor_ids) | frozenset(catalog.actors),
               "known_places": frozenset(p.id for p in gazetteer) | frozenset(place_ids),
               "known_themes": frozenset(t for e in events for t in e.themes) | frozenset(catalog.themes)},
    )


def place_name(place_id: str, gazetteer: Gazetteer) -> str:
    place = gazetteer.get(place_id)
    return place.name if place is not None else f"{place_id} (unknown place)"


def month_label(month: dt.date) -> str:
    return f"{calendar.month_abbr[month.month]} {month.year}"


def _months_between(first: dt.date, last: dt.date) -> list[dt.date]:
    """The 1st of every month from ``first``'s to ``last``'s (no date arithmetic past year 9999)."""
    start, end = first.year * 12 + first.month - 1, last.year * 12 + last.month - 1
    return [dt.date(index // 12, index % 12 + 1, 1) for index in range(start, end + 1)]


def _month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def _month_of(day: dt.date, months: Sequence[dt.date]) -> dt.date:
    """The option month containing ``day``, clamped to the slider's ends."""
    start = day.replace(day=1)
    return min(max(start, months[0]), months[-1])


# --------------------------------------------------------------------------- URL


def sync_from_url(catalog: Catalog, gazetteer: Gazetteer, options: FilterOptions) -> None:
    """Set the widgets from the URL if it changed since this session wrote it.

    Coming back to the page with a bare URL (from another page of the app)
    keeps the session's filters.
    """
    read = filters_from_url(**options.known, known_events=options.event_ids)
    if read is None:
        _ensure_defaults(options)
        return
    link, warnings = read
    set_widgets(link, options)
    # Kept with the view the widgets give (months, not days), so the notice
    # stays until the reader changes that view.
    remember_url_warnings(widget_state(options), warnings)


# --------------------------------------------------------------------------- widgets


def set_widgets(state: FilterState, options: FilterOptions) -> None:
    """Put a state into the widgets (call before they are drawn)."""
    months = options.months
    start = _month_of(state.date_from, months) if state.date_from else months[0]
    end = _month_of(state.date_to, months) if state.date_to else months[-1]
    put(KEY_DATES, (min(start, end), max(start, end)))
    put(KEY_ACTORS, [a for a in options.actors if a in state.actors])
    put(KEY_PLACES, [p for p in options.places if p in state.places])
    put(KEY_TYPES, [t for t in options.event_types if t in state.event_types])
    put(KEY_THEMES, [t for t in options.themes if t in state.themes])
    put(KEY_QUERY, state.query)
    put(KEY_SELECTED, state.selected)
    put(KEY_LANES, state.lanes or LANE_MODES[0])


def _ensure_defaults(options: FilterOptions) -> None:
    """Widgets not in the session yet (first run, or state lost) start unfiltered."""
    if not has(KEY_DATES) or not _valid_dates(get(KEY_DATES), options):
        put(KEY_DATES, (options.months[0], options.months[-1]))
    for key, allowed in (
        (KEY_ACTORS, options.actors),
        (KEY_PLACES, options.places),
        (KEY_TYPES, options.event_types),
        (KEY_THEMES, options.themes),
    ):
        put(key, [v for v in get(key, []) if v in allowed])
    put_default(KEY_QUERY, "")
    put_default(KEY_SELECTED, None)
    if lanes() is None:
        put(KEY_LANES, LANE_MODES[0])


def _valid_dates(value: object, options: FilterOptions) -> bool:
    return isinstance(value, (tuple, list)) and len(value) == 2 and all(v in options.months for v in value)


def _set_era(start: dt.date, end: dt.date, months: Sequence[dt.date]) -> None:
    put(KEY_DATES, (_month_of(start, months), _month_of(end, months)))


def _reset(options: FilterOptions) -> None:
    set_widgets(FilterState(selected=selected_event(), lanes=lanes()), options)


def render_filters(
    catalog: Catalog, gazetteer: Gazetteer, options: FilterOptions, eras: Sequence[Era]
) -> DeltaGenerator:
    """Draw the filter widgets in the sidebar, all but the date slider: a button per era
    (and "All") sets it. Return the (empty) slot for the slider under the heading, which
    ``render_dates`` fills.

    The explore page draws the dates from its charts fragment into that slot, so
    a date change reruns the charts only, not the other widgets (see
    ``views/explore.py``). Read the state with ``widget_state``.
    """
    _ensure_defaults(options)
    months = options.months
    with st.sidebar:
        st.header("Filters")
        dates_slot = st.container(key="flt_dates_slot")
        if len(eras) > 1:
            with st.container(horizontal=True, gap="small", key="flt_eras"):
                for era in eras:
                    st.button(
                        era.label,
                        key=f"flt_era_{era.start.isoformat()}",
                        on_click=_set_era,
                        args=(era.start, era.end, months),
                        help=f"Show {era.start.strftime('%b %Y')} – {era.end.strftime('%b %Y')} "
                        f"({events_count(len(era.event_ids))})",
                    )
                st.button(
                    "All",
                    key="flt_era_all",
                    on_click=_set_era,
                    args=(months[0], months[-1], months),
                )
        st.text_input(
            "Search",
            key=KEY_QUERY,
            persist_state="session",
            placeholder="Words in a title, summary or quote",
            help="Every word must occur; case and accents do not matter. Old names work too: "
            "Peking finds Beijing, Chi Peng-fei finds Ji Pengfei.",
        )
        _render_search_hints(catalog, gazetteer, options)
        # (label, key, choices, how a choice reads, placeholder, help)
        choosers: list[tuple[str, str, Sequence[Any], Callable[[Any], str], str, str | None]] = [
            ("Event types", KEY_TYPES, options.event_types, event_type_label, "All types", None),
            ("Actors", KEY_ACTORS, options.actors, catalog.actor_name, "Anyone",
             "Events where one of them is a sender, recipient or participant."),
            ("Places", KEY_PLACES, options.places, lambda p: place_name(p, gazetteer), "Anywhere", None),
        ]  # fmt: skip
        if options.themes:
            choosers.append(("Themes", KEY_THEMES, options.themes, catalog.theme_label, "Any theme", None))
        for label, key, choices, format_func, placeholder, help_text in choosers:
            st.multiselect(
                label,
                options=choices,
                format_func=format_func,
                key=key,
                persist_state="session",
                placeholder=placeholder,
                help=help_text,
            )
        st.button("Reset filters", key="flt_reset", on_click=_reset, args=(options,), icon=":material/restart_alt:")
    return dates_slot


def render_dates(options: FilterOptions) -> None:
    """The date range slider, where the caller writes."""
    months = options.months
    if len(months) > 1:
        st.select_slider(
            "Dates",
            options=months,
            # A range slider must get a range default, or Streamlit reads the
            # two handles back as one value; the session state value wins.
            value=(months[0], months[-1]),
            format_func=month_label,
            key=KEY_DATES,
            persist_state="session",
            help="Events any part of which falls between these months. "
            "Arrow keys move a handle by one month.",
        )


def search_hint_lines(query: str, catalog: Catalog, gazetteer: Gazetteer, names: SearchNames) -> list[str]:
    """What the search read its words as ("Kuldja → Yining") and, when it finds nothing,
    the nearest names; Markdown lines, the user's words escaped."""
    def display_name(kind: str, item_id: str) -> str:
        return place_name(item_id, gazetteer) if kind == "place" else catalog.actor_name(item_id)

    def lookup(text: str) -> tuple[str, str] | None:
        place = gazetteer.lookup(text)
        return (place.id, place.name) if place is not None else None

    found = sum(1 for event in catalog.events if matches_search(event, query, names))
    hints = search_hints(query, catalog.events, names, display_name=display_name, lookup=lookup, found=found)
    lines = [f"“{md(typed)}” → {md(name)}" for typed, name in hints.matched]
    if hints.unused:
        lines.append(f"No event is at or names {md(', '.join(hints.unused))} yet.")
    if found == 0 and hints.suggestions:
        lines.append("Nothing matches. Nearest names: " + ", ".join(f"“{md(s)}”" for s in hints.suggestions))
    elif found == 0 and not hints.unused:
        lines.append("Nothing matches these words.")
    return lines


def _render_search_hints(catalog: Catalog, gazetteer: Gazetteer, options: FilterOptions) -> None:
    query = (get(KEY_QUERY) or "").strip()
    if query and options.names is not None:
        lines = search_hint_lines(query, catalog, gazetteer, options.names)
        if lines:
            with st.container(key="flt_search_hints"):
                st.caption("  \n".join(lines))


def widget_state(options: FilterOptions) -> FilterState:
    """The FilterState the widgets hold now (no month bound = no restriction)."""
    start, end = get(KEY_DATES, (options.months[0], options.months[-1]))
    return FilterState(
        date_from=start if start != options.months[0] else None,
        date_to=_month_end(end) if end != options.months[-1] else None,
        actors=get(KEY_ACTORS, []),
        places=get(KEY_PLACES, []),
        event_types=get(KEY_TYPES, []),
        themes=get(KEY_THEMES, []),
        query=get(KEY_QUERY, "") or "",
        selected=selected_event(),
        lanes=lanes(),
        names=options.names,
    )


def events_count(count: int) -> str:
    """``1 event``, ``3 events``."""
    return f"{count} event" if count == 1 else f"{count} events"
