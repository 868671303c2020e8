"""A figure as the browser is sent it: the same chart, in a form ``Plotly.react`` can compare.

Streamlit's chart element draws every new chart twice: once as it mounts, then
again through ``Plotly.react`` with a JSON copy of the same figure (it applies
the chart theme to a copy, and a selectable chart also gets its click, hover
and drag modes then). ``Plotly.react`` redraws everything unless it can tell
that nothing changed, and with a figure as plotly.py writes it, it cannot:

- a ``layout.template`` is an object compared by identity, and the copy is a
  new object: it always counts as changed, and a template change recomputes
  and redraws the whole chart;
- so does every ``meta`` that is a dict (ours say which layer a trace is);
- numeric arrays sent as typed arrays (plotly.py's base64 encoding of numpy
  arrays) are never equal to their copies either;
- plain arrays count as changed unless ``layout.datarevision`` is set and kept.

On our explore page that second draw was a full redraw of both charts, 75–150 ms
on every filter change (``docs/MAP.md``). :func:`browser_figure` writes the
figure so that the second draw finds nothing to do, and draws the same pixels
(``tests/test_browser_figure.py`` exports both through Kaleido and compares):

- the template's values are written into the figure (as plotly.js applies
  them: defaults for what the figure leaves unset, per trace type, per
  annotation or shape, per axis) and the template is dropped;
- each dict ``meta`` is sent as a one-item list (``trace.meta[0].layer`` in the
  browser; the figure itself keeps its dicts);
- typed arrays are sent as lists (the same numbers; our builders write lists already);
- ``layout.datarevision`` is set: a digest of the figure, so the same figure is
  always sent the same (Streamlit keeps a chart whose figure is unchanged);
- a chart that selects (``selectable``) states the modes Streamlit would set:
  click ``event+select``, hover ``closest``, drag ``pan`` unless the figure says.

The result is built without validating again (plotly.py's ``_validate=False``):
it is the validated figure, rewritten; validating 3,000 events' timeline again
would cost more than building it.
"""

from __future__ import annotations

import base64
import copy
import hashlib
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import numpy as np
import plotly.graph_objects as go
import plotly.io as pio

#: Layout keys that are subplots: template values for them apply to each such subplot in the
#: figure (``xaxis``, ``xaxis2`` …), and none is added where the figure has none.
SUBPLOTS = ("xaxis", "yaxis", "geo", "scene", "polar", "ternary", "mapbox", "map", "smith", "coloraxis")
#: Trace types not drawn on x/y axes: a figure of only these gets no ``xaxis``/``yaxis`` from the template.
_NOT_CARTESIAN = re.compile(r"scatter(geo|mapbox|map|polar|polargl|ternary|smith|3d|carpet)$|"
                            r"(choropleth|density)(mapbox|map)?$|pie|sunburst|treemap|icicle|funnelarea|"
                            r"sankey|table|parcoords|parcats|indicator|surface|mesh3d|cone|streamtube|"
                            r"volume|isosurface|barpolar")
SELECT_MODES: Mapping[str, str] = {"clickmode": "event+select", "hovermode": "closest", "dragmode": "pan"}
"""What Streamlit gives a chart with ``selection_mode="points"`` when its layout leaves them unset."""


def browser_figure(figure: go.Figure, *, selectable: bool = False) -> go.Figure:
    """``figure`` as it should be sent to the browser (see the module's docstring); ``figure`` is unchanged."""
    spec = figure.to_dict()  # a copy
    layout = spec.setdefault("layout", {})
    data = spec.setdefault("data", [])
    _bake_template(layout, data)
    for container in (layout, *data):
        if isinstance(container.get("meta"), dict):
            container["meta"] = [container["meta"]]
    _untype(spec)
    layout.pop("datarevision", None)
    layout["datarevision"] = hashlib.blake2b(pio.to_json(spec, validate=False).encode(), digest_size=8).hexdigest()
    if selectable:
        for name, value in SELECT_MODES.items():
            layout.setdefault(name, value)
    shown = go.Figure(spec, _validate=False)
    # A new figure gets plotly.py's default template; only a validating layout lets None remove it.
    shown.layout._validate = True
    shown.layout.template = None
    return shown


# --------------------------------------------------------------------------- template


def with_defaults(value: Any, defaults: Any) -> Any:
    """``value`` with ``defaults`` filling what it leaves unset, key by key (dicts merge; else ``value`` wins)."""
    if value is None:
        return copy.deepcopy(defaults)
    if isinstance(value, dict) and isinstance(defaults, dict):
        merged = dict(value)
        for key, default in defaults.items():
            merged[key] = with_defaults(value.get(key), default)
        return merged
    return value


def _bake_template(layout: dict, data: list[dict]) -> None:
    """Write ``layout.template`` into ``layout`` and ``data`` as plotly.js applies it, and drop it."""
    template = layout.pop("template", None) or {}
    for name, defaults in (template.get("layout") or {}).items():
        if name.endswith("defaults"):  # annotationdefaults: for each of layout.annotations …
            items = name.removesuffix("defaults") + "s"
            if isinstance(layout.get(items), list):
                layout[items] = [with_defaults(item, defaults) for item in layout[items]]
        elif name in SUBPLOTS:
            for key in _subplots(name, layout, data):
                given = layout.get(key) or {}
                layout[key] = with_defaults(given, defaults)
                if name in ("xaxis", "yaxis") and "showline" not in given:
                    # plotly.js shows an axis line when the figure itself sets its colour or width,
                    # not when the template does: written out, the template's colour must not show it.
                    layout[key]["showline"] = bool(given.get("linecolor") or given.get("linewidth"))
        else:
            layout[name] = with_defaults(layout.get(name), defaults)
    by_type = template.get("data") or {}
    seen: dict[str, int] = {}
    for index, trace in enumerate(data):
        kind = trace.get("type", "scatter")
        items = by_type.get(kind) or []
        if items:
            item = {key: value for key, value in items[seen.get(kind, 0) % len(items)].items() if key != "type"}
            data[index] = with_defaults(trace, item)
        seen[kind] = seen.get(kind, 0) + 1


def _subplots(name: str, layout: dict, data: list[dict]) -> Iterator[str]:
    """The layout keys of subplot ``name`` the figure has (``xaxis``, ``xaxis2`` …)."""
    keys = [key for key in layout if re.fullmatch(rf"{name}\d*", key)]
    if name in ("xaxis", "yaxis") and name not in keys and any(
        not _NOT_CARTESIAN.fullmatch(trace.get("type", "scatter")) for trace in data
    ):
        keys.append(name)  # plotly.js makes the first axes for cartesian traces
    yield from keys


# --------------------------------------------------------------------------- typed arrays


def _untype(value: Any) -> Any:
    """Replace plotly.py's typed arrays (``{"dtype", "bdata"}``) inside ``value`` with lists, in place."""
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in list(items):
        if isinstance(item, dict) and "bdata" in item and "dtype" in item:
            value[key] = _as_list(item)
        else:
            _untype(item)
    return value


def _as_list(typed: Mapping[str, Any]) -> list:
    array = np.frombuffer(base64.b64decode(typed["bdata"]), dtype=np.dtype(typed["dtype"]))
    if "shape" in typed:
        shape = typed["shape"]
        array = array.reshape([int(n) for n in shape.split(",")] if isinstance(shape, str) else shape)
    if array.dtype.kind == "f":
        return _floats(array.tolist())
    return array.tolist()


def _floats(values: list) -> list:
    """NaN (a gap) as ``None``: JSON has no NaN."""
    return [_floats(v) if isinstance(v, list) else None if math.isnan(v) else v for v in values]
