"""The user's own places (exchanges.user_places, userdata, components.data): proposing a place
from a geocoder answer, adding it in one store transaction, using it in events, and refusing clashes."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from geocoding_data import KASHGAR
from sqlalchemy.exc import OperationalError

from exchanges.catalog import Catalog
from exchanges.gazetteer import Gazetteer, Place, format_places_csv
from exchanges.ingest.analysis import Located
from exchanges.models import Citation, Event
from exchanges.store import Writer, open_store
from exchanges.user_places import accept_all, add_user_place, propose_place, unique_place_id
from exchanges.userdata import UserDataError, load_user_catalog, save_events

SOURCE = ("OpenStreetMap Nominatim via geopy, query 'Kashgar', 2026-11-23T17:00Z, display name "
          "'Kashi, Kashgar Prefecture, Xinjiang, China', OSM relation 42; (c) OpenStreetMap contributors, ODbL")
STATEMENT = "soviet-statement-1962-08-10"
TALK_PASSAGE = "During his 11 June talk with the Soviet Ambassador, Comrade Zhang Hanfu said"


@pytest.fixture(autouse=True)
def _curated_gazetteer_only(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """These tests add places the curated gazetteer lacks (Kashgar, Ulaanbaatar); the regional
    gazetteer (geodata/regional.tsv) knows them, so it is left out here."""
    monkeypatch.setattr("exchanges.gazetteer.REGIONAL_PATH", tmp_path / "no-regional.tsv")


@pytest.fixture(scope="module")
def shipped_gazetteer() -> Gazetteer:
    return Gazetteer.load(regional=None)


@pytest.fixture(scope="module")
def shipped_catalog(shipped_gazetteer: Gazetteer) -> Catalog:
    from exchanges.loader import load_catalog

    return load_catalog(gazetteer=shipped_gazetteer)


def located(name: str = "Kashgar", kind_hint: str | None = "city") -> Located:
    lat, lon, display = {**KASHGAR, "Ulaanbaatar": (47.92, 106.92, "Ulaanbaatar, Mongolia")}[name]
    return Located(display, lat, lon, "cache", SOURCE.replace("Kashgar", name), kind_hint)


def kashgar(shipped_gazetteer: Gazetteer, **changes: str) -> Place:
    return propose_place("Kashgar", located(), shipped_gazetteer).place(**changes)


def talk_in(place_id: str) -> Event:
    return Event(id="talk-in-kashgar", title="A talk", date="1962-06-11", date_precision="day", event_type="talk",
                 summary="A talk.", places=[place_id], source=Citation(document=STATEMENT, passage=TALK_PASSAGE))


# --------------------------------------------------------------------------- proposing


def test_proposal_from_a_geocoder_answer(shipped_gazetteer: Gazetteer) -> None:
    proposal = propose_place("Kashgar", located(), shipped_gazetteer)
    assert (proposal.id, proposal.kind, proposal.query) == ("kashgar", "city", "Kashgar")
    assert proposal.country == shipped_gazetteer.get("prc").country  # inside the shipped PRC outline
    place = proposal.place()
    assert (place.name, place.lat, place.lon, place.source) == ("Kashgar", 39.4704, 75.9898, SOURCE)
    assert place.alt_names == [] and "Kashi, Kashgar Prefecture" in place.note


def test_proposal_outside_the_outlines_takes_todays_country(shipped_gazetteer: Gazetteer) -> None:
    proposal = propose_place("Ulaanbaatar", located("Ulaanbaatar", "region"), shipped_gazetteer)
    assert (proposal.country, proposal.kind) == ("Mongolia", "region")
    assert "OpenStreetMap" in proposal.place().note


def test_the_user_settles_the_fields(shipped_gazetteer: Gazetteer) -> None:
    place = kashgar(shipped_gazetteer, place_id="kashi", name="Kashi", kind="region", country="PRC (Xinjiang)")
    assert (place.id, place.name, place.kind, place.country) == ("kashi", "Kashi", "region", "PRC (Xinjiang)")
    assert place.alt_names == ["Kashgar"]  # the document's spelling stays a name of the place
    assert "as entered by the user" in place.note
    with pytest.raises(UserDataError, match="id"):
        kashgar(shipped_gazetteer, place_id="Not A Slug")
    with pytest.raises(UserDataError, match="country"):
        kashgar(shipped_gazetteer, country=" ")


def test_unique_place_id_avoids_ids_and_names(shipped_gazetteer: Gazetteer) -> None:
    assert unique_place_id("Kashgar", shipped_gazetteer) == "kashgar"
    assert unique_place_id("Peking", shipped_gazetteer) == "peking-2"  # "peking" is a name of beijing
    assert unique_place_id("Кашгар", shipped_gazetteer) == "place"  # no Latin letters to make a slug of


# --------------------------------------------------------------------------- adding


def stored() -> str | None:
    """The places.csv the user's store keeps."""
    return open_store().read_file("places.csv")


def test_added_place_is_written_and_loaded(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    place = kashgar(shipped_gazetteer)
    assert add_user_place(place) == "places.csv in your saved data"
    assert stored().splitlines()[0] == ",".join(
        ["id", "name", "kind", "lat", "lon", "geometry", "country", "alt_names", "source", "note"])
    gazetteer = Gazetteer.load_with_user_places()
    assert gazetteer.issues == () and gazetteer.get("kashgar") == place
    assert not (user_data / "places.csv").exists()  # in the store, not a file


def test_a_second_place_is_appended_to_an_imported_file(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    text = format_places_csv([kashgar(shipped_gazetteer)])
    (user_data / "places.csv").write_text(text.rstrip("\n"), encoding="utf-8")  # a hand edit, no final newline
    ulaanbaatar = propose_place("Ulaanbaatar", located("Ulaanbaatar"), shipped_gazetteer).place()
    add_user_place(ulaanbaatar)  # the old file is imported on first use, then the place appended
    gazetteer = Gazetteer.load_with_user_places()
    assert [p.id for p in gazetteer.user_places()] == ["kashgar", "ulaanbaatar"] and gazetteer.issues == ()
    assert (user_data / "places.csv").read_text(encoding="utf-8") == text.rstrip("\n")  # left as it was


@pytest.mark.parametrize(
    ("changes", "column", "clash"),
    [
        ({"place_id": "beijing"}, "id", "geodata/gazetteer.csv"),  # a shipped id
        ({"place_id": "my-peiping", "name": "Peiping"}, "name", "geodata/gazetteer.csv"),  # a shipped old name
        ({"place_id": "kashgar-2"}, "name", "row 2"),  # the name of the user place of line 2
        ({"name": "Kashi"}, "id", "row 2"),  # the id of the user place of line 2
    ],
)
def test_clashes_are_refused_with_file_line_and_column(
    shipped_gazetteer: Gazetteer, user_data: Path, changes: dict, column: str, clash: str
) -> None:
    add_user_place(kashgar(shipped_gazetteer))
    before = stored()
    with pytest.raises(UserDataError) as error:
        add_user_place(kashgar(shipped_gazetteer, **changes))
    path = user_data / "places.csv"
    assert f"{path}, row 3, field {column}: " in error.value.message and clash in error.value.message
    assert stored() == before


def test_a_broken_header_is_not_appended_to(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    (user_data / "places.csv").write_text("id;name;kind\n", encoding="utf-8")
    with pytest.raises(UserDataError, match="row 1"):
        add_user_place(kashgar(shipped_gazetteer))
    assert stored() == "id;name;kind\n"


def test_a_failed_write_keeps_the_previous_places(
    shipped_gazetteer: Gazetteer, user_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_user_place(kashgar(shipped_gazetteer))
    before = stored()

    def failing_put(*_: object) -> None:
        raise OperationalError("INSERT", {}, Exception("database or disk is full"))

    monkeypatch.setattr(Writer, "put_file", failing_put)
    ulaanbaatar = propose_place("Ulaanbaatar", located("Ulaanbaatar"), shipped_gazetteer).place()
    with pytest.raises(UserDataError, match="not added: .*disk is full"):
        add_user_place(ulaanbaatar)
    assert stored() == before


def test_accept_all_adds_what_it_can(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    answers = {"Kashgar": located(), "Peking": located("Ulaanbaatar")}  # "Peking": a shipped name
    added, refused = accept_all(answers, shipped_gazetteer, added_from="a test")
    assert [p.id for p in added] == ["kashgar"]
    assert list(refused) == ["Peking"] and "'Peking' is also a name of 'beijing'" in refused["Peking"]


# --------------------------------------------------------------------------- events naming user places


def test_an_event_can_name_a_user_place(
    shipped_gazetteer: Gazetteer, shipped_catalog: Catalog, user_data: Path
) -> None:
    with pytest.raises(UserDataError, match="kashgar"):  # not a place yet
        save_events("mine", [talk_in("kashgar")], shipped_catalog, shipped_gazetteer)
    add_user_place(kashgar(shipped_gazetteer))
    save_events("mine", [talk_in("kashgar")], shipped_catalog, Gazetteer.load_with_user_places())
    catalog = load_user_catalog()  # the default gazetteer includes the user's places
    assert catalog.event("talk-in-kashgar").places == ["kashgar"] and catalog.issues == ()


def test_a_bad_places_row_is_listed_with_the_catalog_issues(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    (user_data / "events").mkdir()
    (user_data / "events" / "mine.yaml").write_text(
        yaml.safe_dump([talk_in("kashgar").model_dump(mode="json")]), encoding="utf-8")
    path = user_data / "places.csv"
    path.write_text(format_places_csv([kashgar(shipped_gazetteer)]).replace("39.4704", "north"), encoding="utf-8")
    catalog = load_user_catalog()  # imports the folder; the bad row and the event naming it are left out
    assert not catalog.has_event("talk-in-kashgar")
    (place_issue, event_issue) = catalog.issues
    assert (place_issue.file, place_issue.row, place_issue.field) == (str(path), 2, "lat")
    assert event_issue.file == "events/mine" and event_issue.field == "places[0]" and "kashgar" in event_issue.message


def test_the_app_gazetteer_and_catalog_follow_the_store(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    """components.data: the cached gazetteer includes user places and reloads when the store's
    revision changes; the cached catalog is validated against it."""
    import components.data as data

    save_events("mine", [talk_in("beijing")], load_user_catalog(gazetteer=shipped_gazetteer), shipped_gazetteer)
    assert "kashgar" not in data.get_gazetteer()
    assert data.get_catalog().event("talk-in-kashgar").places == ["beijing"]
    add_user_place(kashgar(shipped_gazetteer))
    assert data.get_gazetteer().is_user_place("kashgar")
    save_events("mine", [talk_in("kashgar")], data.get_catalog(), data.get_gazetteer())
    assert data.get_catalog().event("talk-in-kashgar").places == ["kashgar"]
    with open_store().write() as writer:  # broken by hand (or by another program)
        writer.put_file("places.csv", "id,name\n")
    gazetteer = data.get_gazetteer()
    assert "kashgar" not in gazetteer and "beijing" in gazetteer and gazetteer.issues
    assert not data.get_catalog().has_event("talk-in-kashgar")  # now names an unknown place: left out
