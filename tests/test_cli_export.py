"""``python -m exchanges export``: good runs write files, bad arguments exit 2 with a message."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import struct
import subprocess
import sys
from pathlib import Path

import pytest

from exchanges.cli import main
from exchanges.export.engine import export_status

ROOT = Path(__file__).resolve().parent.parent
needs_chromium = pytest.mark.skipif(not export_status()[0], reason="no Chromium to render with")


pytestmark = pytest.mark.usefixtures("user_data")  # nothing the developer saved leaks in


@pytest.fixture
def data(shipped_catalog, shipped_gazetteer):
    from exchanges.tours import load_tours_strict

    return shipped_catalog, load_tours_strict(shipped_catalog, shipped_gazetteer)


def in_range(catalog, start: dt.date, end: dt.date) -> list[str]:
    """Ids of the events any part of which falls in [start, end]."""
    return [e.id for e in catalog.events if e.date <= end and (e.end_date or e.date) >= start]


def run_bad(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main(["export", *argv])
    assert exited.value.code == 2
    return capsys.readouterr().err


# --------------------------------------------------------------------------- good


def test_csv_for_a_date_range(tmp_path, data, capsys) -> None:
    catalog, _ = data
    code = main(["export", "--from", "1962-04-01", "--to", "1962-08-31", "--format", "csv", "--out", str(tmp_path)])
    assert code == 0
    path = tmp_path / "from-1962-04-01_to-1962-08-31_events.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8-sig"))))
    assert [r["id"] for r in rows] == in_range(catalog, dt.date(1962, 4, 1), dt.date(1962, 8, 31))
    assert all(r["passage"] and r["document_title"] for r in rows)
    assert str(path) in capsys.readouterr().out


def test_json_for_a_tour_keeps_tour_order(tmp_path, data) -> None:
    _, tours = data
    tour = tours["repatriation-1952"]
    assert main(["export", "--tour", tour.id, "--format", "json", "--out", str(tmp_path)]) == 0
    payload = json.loads((tmp_path / f"{tour.id}_events.json").read_text(encoding="utf-8"))
    assert [r["event"]["id"] for r in payload["events"]] == list(dict.fromkeys(tour.event_ids()))


def test_month_and_year_dates_and_filters(tmp_path, data) -> None:
    catalog, _ = data
    assert main(["export", "--from", "1952", "--to", "1952-01", "--type", "letter,proposal",
                 "--format", "csv", "--out", str(tmp_path)]) == 0
    rows = list(csv.DictReader(io.StringIO(
        (tmp_path / "from-1952-01-01_to-1952-01-31_type-letter.proposal_events.csv").read_text(encoding="utf-8-sig"))))
    expected = [e.id for e in catalog.events
                if e.id in in_range(catalog, dt.date(1952, 1, 1), dt.date(1952, 1, 31))
                and e.event_type.value in ("letter", "proposal")]
    assert [r["id"] for r in rows] == expected and expected


def test_events_at_the_users_own_places_are_exported(tmp_path, user_data) -> None:
    """The command line loads the places and events the app shows: the shipped ones
    and the user's own (``places.csv``, ``events/``), so an event at a place the
    user added is exported, not skipped."""
    from exchanges.gazetteer import Place
    from exchanges.models import Citation, Event
    from exchanges.user_places import add_user_place

    add_user_place(Place(id="kashgar", name="Kashgar", kind="city", lat=39.4704, lon=75.9898, country="PRC",
                         source="test: a place the user added"))
    passage = "During his 11 June talk with the Soviet Ambassador, Comrade Zhang Hanfu said"
    talk = Event(id="talk-in-kashgar", title="A talk in Kashgar", date="1962-06-11", date_precision="day",
                 event_type="talk", summary="A talk.", places=["kashgar"],
                 source=Citation(document="soviet-statement-1962-08-10", passage=passage))
    from exchanges.gazetteer import Gazetteer
    from exchanges.userdata import load_user_catalog, save_events

    gazetteer = Gazetteer.load_with_user_places()
    save_events("mine", [talk], load_user_catalog(gazetteer=gazetteer), gazetteer)  # into the user's store
    assert main(["export", "--place", "kashgar", "--format", "csv", "--out", str(tmp_path)]) == 0
    [row] = list(csv.DictReader(io.StringIO((tmp_path / "place-kashgar_events.csv").read_text(encoding="utf-8-sig"))))
    assert (row["id"], row["places"]) == ("talk-in-kashgar", "Kashgar")


@pytest.mark.parametrize("lanes", ["side", "type"])
def test_lanes_option_reaches_the_timeline(tmp_path, monkeypatch, lanes) -> None:
    import exchanges.cli.export as cli_export

    seen = []
    monkeypatch.setattr(cli_export, "shared_engine", lambda: None)
    monkeypatch.setattr(cli_export, "export_view",
                        lambda view, *args, **kwargs: seen.append(view) or {"timeline": b"image"})
    assert main(["export", "--tour", "xinjiang-1962", "--chart", "timeline", "--lanes", lanes,
                 "--out", str(tmp_path)]) == 0
    assert seen and {view.lanes for view in seen} == {lanes}
    seen.clear()
    assert main(["export", "--from", "1962", "--chart", "timeline", "--lanes", lanes, "--out", str(tmp_path)]) == 0
    assert [view.lanes for view in seen] == [lanes]


@needs_chromium
def test_png_map_and_timeline_for_a_range(tmp_path) -> None:
    code = main(["export", "--from", "1962-04-01", "--to", "1962-08-31", "--format", "png",
                 "--width", "640", "--out", str(tmp_path / "slides")])
    assert code == 0
    files = sorted(p.name for p in (tmp_path / "slides").iterdir())
    assert files == ["from-1962-04-01_to-1962-08-31_map.png", "from-1962-04-01_to-1962-08-31_timeline.png"]
    for name in files:
        header = (tmp_path / "slides" / name).read_bytes()[:24]
        assert header[:8] == b"\x89PNG\r\n\x1a\n"
        assert struct.unpack(">II", header[16:24]) == (640, 360)


@needs_chromium
def test_tour_writes_one_numbered_image_per_step(tmp_path, data) -> None:
    catalog, tours = data
    tour = tours["xinjiang-1962"]
    start = dt.date(1962, 6, 1)
    out = tmp_path / "slides"
    code = main(["export", "--tour", tour.id, "--from", start.isoformat(), "--chart", "timeline",
                 "--format", "svg", "--width", "640", "--out", str(out)])
    assert code == 0
    keep = set(in_range(catalog, start, dt.date.max))
    expected = [f"{tour.id}_{n:02d}_{s.event}_timeline.svg"
                for n, s in enumerate(tour.steps, start=1) if s.event in keep]
    assert sorted(p.name for p in out.iterdir()) == expected
    first = (out / expected[0]).read_text(encoding="utf-8")
    assert tour.title in first  # the tour is the slide's subtitle


# --------------------------------------------------------------------------- bad


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["--from", "1962-13-01"], "--from"),
        (["--from", "yesterday"], "not a date"),
        (["--from", "1962-08-31", "--to", "1962-04-01"], "is after --to"),
        (["--tour", "no-such-tour"], "unknown tour"),
        (["--format", "gif"], "invalid choice"),
        (["--chart", "pie"], "invalid choice"),
        (["--width", "10"], "outside"),
        (["--scale", "x"], "--scale"),
        (["--from", "1900", "--to", "1900"], "no events match"),
        (["--actor", "nobody-at-all"], "unknown actor"),
        (["--type", "telegram"], "unknown type"),
        (["--place", "atlantis"], "unknown place"),
        (["--event", "no-such-event"], "unknown event"),
        (["--lanes", "actor"], "invalid choice"),
        (["--search", "x" * 201], "--search"),
        (["--search", "no-such-word-anywhere"], "no events match"),
    ],
)
def test_bad_arguments_exit_2_with_a_message(tmp_path, capsys, argv, words) -> None:
    err = run_bad(capsys, *argv, "--format", "csv", "--out", str(tmp_path)) if "--format" not in argv \
        else run_bad(capsys, *argv, "--out", str(tmp_path))
    assert words in err
    assert not list(tmp_path.glob("*.csv"))


def test_unwritable_out_dir(tmp_path, capsys) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    err = run_bad(capsys, "--format", "csv", "--out", str(blocker / "slides"))
    assert "--out" in err and "cannot create" in err


def test_help_runs_as_a_module() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "exchanges", "export", "--help"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0
    assert "--tour" in result.stdout and "--format" in result.stdout


def test_missing_chromium_exits_3(tmp_path, capsys, monkeypatch) -> None:
    import exchanges.export.engine as export

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "missing"))
    monkeypatch.setattr(export, "_shared_engine", None)
    code = main(["export", "--from", "1962", "--format", "png", "--out", str(tmp_path / "new" / "out")])
    assert code == 3
    assert "apt-get install chromium" in capsys.readouterr().err
    assert not (tmp_path / "new").exists()  # nothing written: the folders made for it are gone


# --------------------------------------------------------------------------- the output folder


@pytest.mark.parametrize(
    "argv",
    [
        ["--tour", "nope"],
        ["--from", "1990"],
        ["--actor", "nobody-at-all"],
        ["--search", "no-such-word-anywhere"],
    ],
)
def test_a_failed_export_leaves_no_folder(tmp_path, capsys, argv) -> None:
    out = tmp_path / "new" / "slides"
    run_bad(capsys, *argv, "--format", "csv", "--out", str(out))
    assert not (tmp_path / "new").exists()


def test_a_failure_while_writing_removes_only_the_folders_it_made(tmp_path, monkeypatch) -> None:
    import exchanges.cli.export as cli_export

    def fail(*args, **kwargs):
        raise cli_export.ExportError("rendering failed")

    monkeypatch.setattr(cli_export, "shared_engine", lambda: None)
    monkeypatch.setattr(cli_export, "export_view", fail)
    mine = tmp_path / "mine"
    mine.mkdir()
    assert main(["export", "--from", "1962", "--out", str(mine / "a" / "b")]) == 3
    assert mine.is_dir() and not list(mine.iterdir())  # the folder the user had stays
    assert main(["export", "--from", "1962", "--out", str(mine)]) == 3
    assert mine.is_dir()


def test_a_good_export_makes_the_folder(tmp_path) -> None:
    out = tmp_path / "new" / "handouts"
    assert main(["export", "--format", "json", "--out", str(out)]) == 0
    assert [p.name for p in out.iterdir()] == ["all-events_events.json"]


# --------------------------------------------------------------------------- file names


SAFE_NAME = re.compile(r"^[a-z0-9._-]+$")


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (["--actor", "gromyko", "--format", "json"], "actor-gromyko_events.json"),
        (["--from", "1962-08-10", "--format", "csv"], "from-1962-08-10_to-end_events.csv"),
        (["--to", "1952-01", "--format", "csv"], "from-start_to-1952-01-31_events.csv"),
        (["--from", "1962-04-01", "--to", "1962-08-31", "--format", "csv"],
         "from-1962-04-01_to-1962-08-31_events.csv"),
        # parts in a fixed order whatever the order of the options; values sorted
        (["--type", "proposal", "--actor", "gromyko", "--type", "letter", "--from", "1952", "--format", "csv"],
         "from-1952-01-01_to-end_actor-gromyko_type-letter.proposal_events.csv"),
        (["--search", "Běijīng", "--format", "csv"], "search-beijing_events.csv"),
        (["--format", "csv"], "all-events_events.csv"),
    ],
)
def test_data_files_are_named_after_the_whole_filter(tmp_path, argv, name) -> None:
    assert main(["export", *argv, "--out", str(tmp_path / "out")]) == 0
    assert [p.name for p in (tmp_path / "out").iterdir()] == [name]
    assert SAFE_NAME.match(name)


def test_a_filtered_tour_names_its_filter(tmp_path) -> None:
    assert main(["export", "--tour", "xinjiang-1962", "--from", "1962-06-01", "--format", "csv",
                 "--out", str(tmp_path)]) == 0
    assert (tmp_path / "xinjiang-1962_from-1962-06-01_to-end_events.csv").is_file()


def test_long_filters_give_short_distinct_safe_names(tmp_path, data) -> None:
    catalog, _ = data
    words = catalog.event("gromyko-letter-1952-01-07").source.passage.split()
    assert len(words) >= 16
    names = []
    for count in (15, 16):
        out = tmp_path / str(count)
        assert main(["export", "--search", " ".join(words[:count]), "--format", "csv", "--out", str(out)]) == 0
        [path] = out.iterdir()
        names.append(path.name)
    assert names[0] != names[1]
    for name in names:
        assert SAFE_NAME.match(name) and name.startswith("search-") and name.endswith("_events.csv")
        assert len(name) <= 100


# --------------------------------------------------------------------------- search


def test_search_understands_other_names_of_places(tmp_path, data) -> None:
    """'Peking' finds the events at Beijing or whose text names it, as the explore page's search does."""
    catalog, _ = data
    assert main(["export", "--search", "Peking", "--format", "csv", "--out", str(tmp_path)]) == 0
    rows = list(csv.DictReader(io.StringIO((tmp_path / "search-peking_events.csv").read_text(encoding="utf-8-sig"))))
    expected = [e.id for e in catalog.events
                if "beijing" in e.places or "beijing" in f"{e.title} {e.summary} {e.source.passage}".casefold()]
    assert expected and [r["id"] for r in rows] == expected


def test_the_filter_is_worded_as_the_slide_words_it(tmp_path, capsys) -> None:
    """One wording of a filter (``exchanges.filters``): the JSON export's description, the
    slide's title and subtitle, and the message when nothing matches say the same."""
    from exchanges.export.view import ExportView
    from exchanges.filters import FilterState
    from exchanges.gazetteer import Gazetteer
    from exchanges.userdata import load_user_catalog

    gazetteer = Gazetteer.load_with_user_places()
    catalog = load_user_catalog(gazetteer=gazetteer)
    view = ExportView.from_filters(FilterState(date_from=dt.date(1952, 1, 1), actors=("gromyko",)), catalog, gazetteer)
    assert view.title == "Events, from 1 January 1952" and view.subtitle.startswith("Actors: ")
    assert main(["export", "--from", "1952", "--actor", "gromyko", "--format", "json", "--out", str(tmp_path / "out")]) == 0
    [written] = (tmp_path / "out").iterdir()
    assert json.loads(written.read_text(encoding="utf-8"))["description"] == f"{view.title} · {view.subtitle}"
    capsys.readouterr()
    err = run_bad(capsys, "--from", "1990", "--actor", "gromyko", "--format", "csv", "--out", str(tmp_path / "none"))
    assert f"(Events, from 1 January 1990 · {view.subtitle})" in err
