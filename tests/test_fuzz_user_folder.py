"""A corrupt user data folder never takes a page down (issue 13, item 3).

Each scenario writes one broken file (deep nesting, a huge integer, a symlink to
itself, a year 9999, a billion-laughs YAML, a FIFO, binary bytes, …) into a
user data folder (``EXCHANGES_USER_DATA``); the explore page and the present
page (the "all events" tour) must still run, and the broken record must be
listed, not fatal. All scenarios are also run together in one folder.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent
EXPLORE = str(ROOT / "views" / "explore.py")
PRESENT = str(ROOT / "views" / "present.py")
DOCUMENT = "gromyko-to-stalin-1952-01-07"  # a shipped document, so events can cite it


def event_yaml(**fields: str) -> str:
    record = {"id": "user-event", "title": "A user event", "date": "1952-01-07", "date_precision": "day",
              "event_type": "letter", "summary": "s",
              "source": f"{{document: {DOCUMENT}, passage: Top Secret}}", **fields}
    return "- " + "\n  ".join(f"{key}: {value}" for key, value in record.items()) + "\n"


LAUGHS = ("- id: laughs\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n"
          + "".join(f"  a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 9)}]\n" for i in range(1, 9))
          + "  title: *a8\n")
DEEP = "[" * 900 + "]" * 900
DEEPER = "[" * 50_000 + "]" * 50_000
HUGE = "9" * 5000
CSV_HEADER = "id,title,date,date_precision,event_type,summary,source_document,source_passage"
TOUR = "id: {id}\ntitle: T\nsteps:\n  - event: {event}\n"


def text(path: str, content: str | bytes) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            target.write_bytes(content)
        else:
            target.write_text(content, encoding="utf-8")
    return write


def special(path: str, make: Callable[[Path], None]) -> Callable[[Path], None]:
    def write(folder: Path) -> None:
        target = folder / path
        target.parent.mkdir(parents=True, exist_ok=True)
        make(target)
    return write


SCENARIOS: dict[str, Callable[[Path], None]] = {
    "events deep nesting": text("events/deep.yaml", event_yaml(title=DEEP)),
    "events deeper json": text("events/deeper.json", '[{"id": "x", "title": ' + DEEPER + "}]"),
    "events huge integer": text("events/huge.yaml", event_yaml(figures=f"[{{low: {HUGE}, what: w, quote: q}}]")),
    "events huge json integer": text("events/huge.json", '[{"id": "x", "figures": [{"low": ' + HUGE + "}]}]"),
    "events symlink to itself": special("events/loop.yaml", lambda p: p.symlink_to(p)),
    "events dangling symlink": special("events/gone.yaml", lambda p: p.symlink_to(p.parent / "missing.yaml")),
    "events year 9999": text("events/y9999.yaml", event_yaml(id="y9999", date="9999-12-31")),
    "events end year 0001": text("events/y0001.yaml", event_yaml(id="y0001", end_date="0001-01-01")),
    "events csv year 9999": text("events/y9999.csv", f"{CSV_HEADER}\ncsv9999,T,9999-12-31,day,letter,s,"
                                                     f"{DOCUMENT},Top Secret\n"),
    "events billion laughs": text("events/laughs.yaml", LAUGHS),
    "events binary": text("events/binary.yaml", bytes(range(256)) * 4),
    "events latin-1 csv": text("events/latin1.csv", f"{CSV_HEADER}\nx,Caf\xe9,1952-01-07\n".encode("latin-1")),
    "events empty": text("events/empty.yaml", ""),
    "events not a list": text("events/scalar.yaml", "just a sentence\n"),
    "events duplicate key": text("events/dup.yaml", event_yaml() + "  title: again\n"),
    "events a folder": special("events/folder.yaml", lambda p: p.mkdir()),
    "events a fifo": special("events/pipe.yaml", lambda p: os.mkfifo(p)),
    "events 100k columns": text("events/wide.csv", ",".join(["title"] * 100_000) + "\n"),
    "events huge title": text("events/title.yaml", event_yaml(id="long", title="x" * 100_000)),
    "events csv deep figures": text("events/deep.csv", f"id,figures\nx,{'[' * 5000}\n"),
    "events csv huge figure": text("events/huge.csv", f"id,figures\nx,{HUGE} people\n"),
    "events timestamp date": text("events/stamp.yaml", event_yaml(id="stamp", date="1962-06-11T00:00:00")),
    "events bool figure": text("events/bool.yaml", event_yaml(id="bool", figures="[{low: true, what: w, quote: q}]")),
    "sources deep nesting": text("sources/deep.yaml", f"- {{id: deep, title: {DEEP}}}\n"),
    "sources symlink to itself": special("sources/loop.yaml", lambda p: p.symlink_to(p)),
    "sources year 9999": text("sources/late.yaml", "- {id: late, title: Late, date: 9999-12-31, file: late.txt}\n"),
    "sources huge integer": text("sources/huge.yaml", f"- {{id: huge, title: {HUGE}, date: 1952-01-01, file: a}}\n"),
    "tours deep nesting": text("tours/deep.yaml", TOUR.format(id="deep", event=DEEP)),
    "tours huge integer": text("tours/huge.yaml", TOUR.format(id="huge", event=HUGE)),
    "tours billion laughs": text("tours/laughs.yaml", LAUGHS.replace("- id: laughs\n ", "").replace("\n  ", "\n")),
    "tours symlink to itself": special("tours/loop.yaml", lambda p: p.symlink_to(p)),
    "tours binary": text("tours/binary.yaml", bytes(range(256)) * 4),
    "places binary": text("places.csv", bytes(range(256)) * 4),
    "places 100k columns": text("places.csv", ",".join(["name"] * 100_000) + "\n"),
}


def run_page(script: str, **query: str) -> AppTest:
    at = AppTest.from_file(script, default_timeout=120)
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, [e.value for e in at.exception][:3]
    return at


#: The scenarios that crashed a page before (issue 13): each gets its own folder.
ONE_BY_ONE = ["events deep nesting", "events huge integer", "events symlink to itself", "events year 9999",
              "events end year 0001", "tours deep nesting", "tours huge integer", "events billion laughs"]


@pytest.mark.parametrize("name", ONE_BY_ONE)
def test_one_broken_file_leaves_the_pages_running(user_data: Path, name: str) -> None:
    SCENARIOS[name](user_data)
    run_page(EXPLORE)
    run_page(PRESENT, tour="all-events")


def test_a_folder_of_every_broken_file_leaves_the_pages_running(user_data: Path) -> None:
    for name, write in SCENARIOS.items():
        if not name.startswith("places"):
            write(user_data)
    SCENARIOS["places binary"](user_data)
    at = run_page(EXPLORE)
    assert any("problems in your own files" in expander.label for expander in at.expander)
    problems = "\n".join(m.value for m in at.markdown)
    for name in ("deep", "loop", "y9999", "y0001", "laughs", "huge", "pipe", "folder", "title", "stamp", "bool"):
        assert name in problems, name
    assert len(problems) < 200_000  # listed with bounded messages, never whole values
    run_page(PRESENT, tour="all-events")
    present = run_page(PRESENT)
    assert "deep" in "\n".join(m.value for m in present.markdown)  # the tour problems are listed
