"""The plain app the redraw benchmark compares ours with: ``st.slider`` + ``px.scatter_geo`` + ``px.timeline``.

    .venv/bin/streamlit run bench/plain_app.py   (bench/bench_redraw.py starts it itself)

What a competent first version would be: the same events (the shipped
catalog plus the user's, ``EXCHANGES_USER_DATA``), loaded once
(``st.cache_resource``), a date-range slider in the sidebar, a map with one
point per (event, place) coloured by type, and a timeline of the events.
Offline like ours: plotly.js reads the basemap from ``/app/static/topojson/``,
the same files as ours. Streamlit serves ``static/`` only from beside the main
script, so ``bench/static`` is a link to the app's ``static/``: the plain app
works wherever it is started from (``streamlit run bench/plain_app.py``, the
benchmarks), with no file of its own and no network. Without that folder
plotly.js could not find ``asia_110m.json`` and would draw no map; the app
says so instead of drawing an empty frame.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pandas as pd
import plotly.express as px
import streamlit as st

from exchanges.gazetteer import Gazetteer
from exchanges.userdata import load_user_catalog


@st.cache_resource
def load() -> tuple[pd.DataFrame, pd.DataFrame]:
    gazetteer = Gazetteer.load_with_user_places()
    catalog = load_user_catalog(gazetteer=gazetteer)
    events = pd.DataFrame(
        [{"title": e.title, "type": e.event_type.value, "start": e.date,
          "end": e.last_date + dt.timedelta(days=1)} for e in catalog.events])
    points = pd.DataFrame(
        [{"title": e.title, "type": e.event_type.value, "date": e.date, "lat": p.lat, "lon": p.lon}
         for e in catalog.events for place_id in e.places if (p := gazetteer.get(place_id)) is not None])
    return events, points


BASEMAP = Path(__file__).resolve().parent / "static" / "topojson" / "asia_110m.json"

st.set_page_config(layout="wide")
if not BASEMAP.is_file():
    st.error(f"No basemap at {BASEMAP}: bench/static must link to the app's static/ folder.")
    st.stop()
events, points = load()
first, last = events["start"].min(), events["end"].max()
start, end = st.sidebar.slider("Dates", min_value=first, max_value=last, value=(first, last))
shown = events[(events["end"] >= start) & (events["start"] <= end)]
placed = points[(points["date"] >= start) & (points["date"] <= end)]
st.write(f"{len(shown)} events")
config = {"topojsonURL": "/app/static/topojson/"}
st.plotly_chart(px.scatter_geo(placed, lat="lat", lon="lon", color="type", hover_name="title", scope="asia"),
                config=config)
st.plotly_chart(px.timeline(shown, x_start="start", x_end="end", y="type", hover_name="title"), config=config)
