"""From/to places of movements: validated like ``places`` (file, row, field), read from YAML and CSV."""

from __future__ import annotations

from pathlib import Path

import yaml

from exchanges.loader import load_catalog, read_event_records

MINIMAL = Path(__file__).parent / "fixtures" / "data_minimal"
PLACES = frozenset({"capital-a", "border-a", "town-b"})

MOVER = {
    "id": "user-movers",
    "title": "People crossed from town B to the capital",
    "date": "1959-04-16",
    "date_precision": "half_month",
    "event_type": "border_crossing",
    "places": ["border-a"],
    "from_places": ["town-b"],
    "to_places": ["capital-a"],
    "summary": "On some days thousands crossed.",
    "source": {"document": "note-1", "passage": "on certain days thousands did"},
}


def test_from_and_to_places_are_read(tmp_path: Path) -> None:
    catalog = load_catalog(MINIMAL, gazetteer=PLACES)
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([MOVER]), encoding="utf-8")
    (event,), issues = read_event_records(path, catalog, PLACES)
    assert issues == []
    assert (event.from_places, event.to_places) == (["town-b"], ["capital-a"])


def test_an_unknown_from_or_to_place_is_an_error_naming_file_row_and_field(tmp_path: Path) -> None:
    catalog = load_catalog(MINIMAL, gazetteer=PLACES)
    bad_from = MOVER | {"id": "bad-from", "from_places": ["atlantis"]}
    bad_to = MOVER | {"id": "bad-to", "to_places": ["capital-a", "lemuria"]}
    path = tmp_path / "mine.yaml"
    path.write_text(yaml.safe_dump([MOVER, bad_from, bad_to]), encoding="utf-8")
    events, issues = read_event_records(path, catalog, PLACES)
    assert [e.id for e in events] == ["user-movers"]
    assert [(Path(i.file).name, i.row, i.field) for i in issues] == [
        ("mine.yaml", 2, "from_places[0]"), ("mine.yaml", 3, "to_places[1]")]
    assert "atlantis" in issues[0].message and "lemuria" in issues[1].message


def test_csv_lists_from_and_to_places(tmp_path: Path) -> None:
    catalog = load_catalog(MINIMAL, gazetteer=PLACES)
    path = tmp_path / "mine.csv"
    path.write_text(
        "id,title,date,date_precision,event_type,places,from_places,to_places,summary,source_document,source_passage\n"
        "user-m,M,1960-03-02,day,border_crossing,border-a,town-b,capital-a; border-a,x,note-1,"
        "on certain days thousands did\n",
        encoding="utf-8",
    )
    (event,), issues = read_event_records(path, catalog, PLACES)
    assert issues == [] and event.to_places == ["capital-a", "border-a"]
