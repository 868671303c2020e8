"""What a Streamlit chart element was sent, read back as the figure it was made from.

The browser is sent each ``meta`` as a one-item list (``exchanges.charts.browser``); the tests
read the figure's own dicts.
"""

from __future__ import annotations

import json
from typing import Any


def sent_spec(chart: Any) -> dict:
    """The figure spec of an ``AppTest`` ``plotly_chart`` element, each meta as the figure has it."""
    spec = json.loads(chart.proto.spec)
    for container in (spec.get("layout", {}), *spec.get("data", [])):
        meta = container.get("meta")
        if isinstance(meta, list) and len(meta) == 1 and isinstance(meta[0], dict):
            container["meta"] = meta[0]
    return spec
