"""Looks shared by every chart: fonts, colours, marker symbols and sizes.

Colours come from the Okabe–Ito palette (safe for the common kinds of colour
blindness), extended with Paul Tol's "muted" colours for the rarer event types.
Colour is never the only cue: every event type also has its own marker symbol,
and the legend names both.

``DEFAULT_STYLE`` is for the screen; ``PROJECTOR_STYLE`` is for a classroom
projector (large type, thick lines, strong contrast). Both are plain frozen
dataclasses, so a variant is ``dataclasses.replace(DEFAULT_STYLE, ...)``.

What a look stands for lives in the domain: an event type's name in
``exchanges.wording.event_type_label``, the map's frame in ``exchanges.mapping``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

from exchanges.charts.plotly_text import escape_text

# The map's framing lives in the domain (exchanges.mapping); re-exported here for the charts.
from exchanges.models import EventType

#: Okabe & Ito (2008), "Color Universal Design", without black.
OKABE_ITO: tuple[str, ...] = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#CC79A7",  # reddish purple
    "#009E73",  # bluish green
    "#56B4E9",  # sky blue
    "#E69F00",  # orange
    "#F0E442",  # yellow (weak on white: used for fills only)
)

#: Paul Tol's "muted" qualitative scheme, for the types Okabe–Ito runs out on.
TOL_MUTED: tuple[str, ...] = (
    "#332288",  # indigo
    "#882255",  # wine
    "#999933",  # olive
    "#CC6677",  # rose
    "#117733",  # green
    "#44AA99",  # teal
    "#AA4499",  # purple
)

#: Colour and marker symbol of every event type: colour is never the only cue.
#: (Plotly symbol names; all exist for scattergeo as well as scatter.)
_TYPE_LOOKS: dict[EventType, tuple[str, str]] = {
    EventType.letter: ("#0072B2", "circle"),
    EventType.statement: ("#D55E00", "square"),
    EventType.reply: ("#CC79A7", "diamond"),
    EventType.meeting: ("#009E73", "hexagon"),
    EventType.talk: ("#56B4E9", "star"),
    EventType.report: ("#E69F00", "triangle-up"),
    EventType.proposal: ("#332288", "pentagon"),
    EventType.decision: ("#882255", "cross"),
    EventType.recruitment: ("#999933", "triangle-down"),
    EventType.border_crossing: ("#CC6677", "x"),
    EventType.border_measure: ("#44AA99", "hourglass"),
    EventType.repatriation: ("#117733", "star-diamond"),
    EventType.other: ("#777777", "circle-open"),
}
_TYPE_COLOURS = {kind: colour for kind, (colour, _) in _TYPE_LOOKS.items()}
_TYPE_SYMBOLS = {kind: symbol for kind, (_, symbol) in _TYPE_LOOKS.items()}

#: How far each marker symbol reaches from its centre, as a share of half its
#: ``size``: plotly.js draws a star or an ✕ larger than a circle of the same
#: size (its ``symbol_defs``: star 1.4, diamond 1.3, cross 1.2, triangles
#: 2/sqrt(3), x 2 * 0.8/sqrt(2)). Labels keep clear of the drawn shape.
SYMBOL_REACH: Mapping[str, float] = MappingProxyType({
    "circle": 1.0,
    "square": 1.0,
    "diamond": 1.3,
    "hexagon": 1.0,
    "star": 1.4,
    "triangle-up": 2 / math.sqrt(3),
    "triangle-down": 2 / math.sqrt(3),
    "pentagon": 1.0,
    "cross": 1.2,
    "x": 1.6 / math.sqrt(2),
    "hourglass": 1.0,
    "star-diamond": 1.4,
})

def rgba(hex_colour: str, opacity: float) -> str:
    """``#RRGGBB`` at an opacity, as a CSS ``rgba()`` string."""
    value = hex_colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red},{green},{blue},{opacity:g})"


def _frozen(mapping: Mapping) -> Mapping:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class ChartStyle:
    """Every visual choice the chart builders make, in one place."""

    name: str = "default"
    base_font_size: int = 13
    title_font_size: int = 17
    font_family: str = "Source Sans Pro, Helvetica Neue, Arial, sans-serif"
    text_colour: str = "#262730"
    muted_text_colour: str = "#5f6470"
    template: str = "plotly_white"
    paper_colour: str = "#ffffff"
    palette: tuple[str, ...] = OKABE_ITO + TOL_MUTED
    type_colours: Mapping[EventType, str] = field(default_factory=lambda: _frozen(_TYPE_COLOURS))
    type_symbols: Mapping[EventType, str] = field(default_factory=lambda: _frozen(_TYPE_SYMBOLS))

    # markers
    marker_min_size: float = 10.0
    marker_max_size: float = 28.0
    marker_line_colour: str = "#ffffff"
    marker_line_width: float = 1.0
    highlight_colour: str = "#000000"
    highlight_line_width: float = 3.0
    highlight_scale: float = 1.3
    muted_opacity: float = 0.22
    marker_opacity: float = 0.92

    # map
    land_colour: str = "#f2efe9"
    ocean_colour: str = "#dfeaf2"
    lake_colour: str = "#dfeaf2"
    coastline_colour: str = "#a9b4bd"
    country_outline_colour: str = "#6b6b6b"
    country_outline_width: float = 1.2
    #: Fill of each country's outline, by the gazetteer's ``country`` code.
    country_fill_colours: Mapping[str, str] = field(
        default_factory=lambda: _frozen({"USSR": "#CC79A7", "PRC": "#56B4E9"})
    )
    country_fill_opacity: float = 0.14
    region_fill_colour: str = "rgba(230,159,0,0.28)"
    region_line_colour: str = "#b07800"
    border_line_colour: str = "#b2182b"
    border_line_width: float = 3.0
    border_line_dash: str = "solid"
    label_font_size: int = 12
    #: A place whose events are of several types (its mark is not one type's colour).
    mixed_colour: str = "#4d4d4d"
    #: Neighbour names (Mongolia, Korea …): context, drawn lighter than event places.
    context_label_colour: str = "#6f6a60"
    context_label_size: int = 12
    #: Movements of people (from/to places): arrow colour and width range (px).
    movement_colour: str = "#7b3294"
    movement_min_width: float = 1.5
    movement_max_width: float = 7.0
    #: Outline simplification, degrees: coarse for the screen (each rerun sends
    #: the outlines to the browser), finer for exported slides.
    outline_tolerance: float = 0.05
    map_height: int = 470
    #: How wide the map is drawn, in px, at the narrowest: markers sharing a
    #: place are spread out at this scale, so they stay apart on any wider
    #: map (the explore page's map is about 570 px wide on a 1280 px screen,
    #: 685 px on a 1440 px one). An export sets it to the slide's exact width.
    map_width_hint: int = 560
    #: The widest the map is drawn, in px (``None``: ``map_height`` times
    #: ``map_aspect``, beyond which the height limits it). Names keep clear of
    #: a group of markers as far as it spreads at this width. The explore
    #: page's map is at most ~700 px wide: its height less the legend, times
    #: ``map_aspect``.
    map_width_max: int | None = 760
    #: Width / height of the map's box, to frame views that fill it.
    map_aspect: float = 2.0
    #: Topojson scope and resolution of the base map (see static/topojson/).
    map_scope: str = "world"
    #: 110 on screen: world_50m's coasts and rivers cost the browser much more to
    #: redraw on every rerun than they add at screen size; slides keep 50.
    map_resolution: int = 110

    # timeline
    #: How wide the whole timeline figure is drawn, in px, at the narrowest:
    #: date ticks are spaced so their labels fit at this width (the explore
    #: page's is about 570 px on a 1280 px screen; an export sets its own).
    timeline_width_hint: int = 560
    #: Height of one row of events (a glyph and its name), px.
    timeline_height_per_row: int = 18
    timeline_min_height: int = 220
    #: The timeline is never taller than this, px, whatever the number of
    #: events: lanes with more events than fit are summarised (counts per period).
    timeline_max_height: int = 640
    #: The height of the plot area, px, when something else decides it (a slide):
    #: then the rows are fitted to it rather than to ``timeline_max_height``.
    timeline_plot_height: int | None = None
    #: Event names on the timeline, as a share of ``base_font_size``.
    timeline_label_scale: float = 0.85
    #: Height of a summarised lane, in rows.
    timeline_density_rows: float = 2.6
    #: Colour of the columns counting the events of a summarised lane.
    density_colour: str = "#4f6d8f"
    bar_height: float = 0.62
    approximate_pattern: str = "/"
    approximate_opacity: float = 0.45
    #: Opacity at the right (dated) end of the band fading out before an "on or before" date.
    bound_fade_opacity: float = 0.55
    lane_band_colour: str = "rgba(0,0,0,0.035)"
    arrow_colour: str = "#444444"
    arrow_width: float = 1.2

    def colour_for(self, event_type: EventType | str) -> str:
        return self.type_colours.get(EventType(event_type), "#777777")

    def symbol_for(self, event_type: EventType | str) -> str:
        return self.type_symbols.get(EventType(event_type), "circle")

    def marker_reach(self, symbol: str, size: float, line_width: float) -> float:
        """How far (px) a marker of ``symbol`` drawn at ``size`` with an outline reaches from its centre.

        A thick outline reaches past the corners of a pointed shape (its miter),
        hence a little more than half the line width.
        """
        reach = SYMBOL_REACH.get(symbol.removesuffix("-open"), max(SYMBOL_REACH.values()))
        return reach * size / 2 + 0.75 * line_width

    @property
    def map_width_range(self) -> tuple[float, float]:
        """(narrowest, widest) the map is drawn, in px."""
        widest = self.map_width_max if self.map_width_max is not None else self.map_height * self.map_aspect
        return float(self.map_width_hint), float(max(widest, self.map_width_hint))

    def font(self, scale: float = 1.0, colour: str | None = None) -> dict:
        """A plotly ``font`` dict at ``scale`` times the base size."""
        return {
            "family": self.font_family,
            "size": round(self.base_font_size * scale),
            "color": colour or self.text_colour,
        }


DEFAULT_STYLE = ChartStyle()

PROJECTOR_STYLE = replace(
    DEFAULT_STYLE,
    name="projector",
    base_font_size=22,
    title_font_size=30,
    text_colour="#000000",
    muted_text_colour="#222222",
    marker_min_size=16.0,
    marker_max_size=44.0,
    marker_line_colour="#000000",
    marker_line_width=1.5,
    highlight_line_width=5.0,
    muted_opacity=0.3,
    marker_opacity=1.0,
    land_colour="#ebe5d8",
    ocean_colour="#c9dcea",
    lake_colour="#c9dcea",
    coastline_colour="#6d7a85",
    country_outline_colour="#111111",
    country_outline_width=2.4,
    region_fill_colour="rgba(230,159,0,0.45)",
    country_fill_opacity=0.22,
    region_line_colour="#7a5300",
    border_line_width=5.0,
    label_font_size=20,
    context_label_colour="#4a463f",
    context_label_size=18,
    movement_min_width=3.0,
    movement_max_width=12.0,
    outline_tolerance=0.01,
    map_resolution=50,
    map_height=760,
    # The present page's map is ~500 px wide at 1280x720 with the sidebar open,
    # ~1030 at 1920x1080 without; an export lays out for its exact width.
    map_width_hint=500,
    map_width_max=1040,
    map_aspect=2.1,
    # The present page's timeline: ~930 px at 1280x720 with the sidebar open.
    timeline_width_hint=900,
    timeline_height_per_row=20,
    timeline_min_height=300,
    # 1280x720 less the header: the timeline is a screen of its own in projector mode.
    timeline_max_height=656,
    timeline_label_scale=0.72,
    density_colour="#23415f",
    approximate_opacity=0.6,
    lane_band_colour="rgba(0,0,0,0.06)",
    arrow_colour="#000000",
    arrow_width=2.2,
)


def base_layout(style: ChartStyle, title: str | None) -> dict:
    """Layout properties every chart shares: template, background, fonts, title, hover labels."""
    return {
        "template": style.template,
        "paper_bgcolor": style.paper_colour,
        "font": style.font(),
        "title": {"text": escape_text(title), "font": style.font(style.title_font_size / style.base_font_size)}
        if title
        else None,
        "hoverlabel": {"font": style.font(0.95), "align": "left"},
    }


def paper_note(text: str, x: float, y: float, font: dict, **extra) -> dict:
    """``add_annotation`` arguments for a note placed on the figure, not on its data."""
    return {"text": text, "xref": "paper", "yref": "paper", "x": x, "y": y, "showarrow": False, "font": font,
            **extra}


