// Topology step of scripts/build_geodata.py (build time only; the app never runs node).
//
// Reads Natural Earth 1:10m admin-0 countries from the npm package `world-atlas`
// (a TopoJSON, so neighbouring countries share their boundary arcs exactly) and
// writes three raw, unsimplified GeoJSON files with topojson-client:
//
//   prc.raw.geojson                 the feature "China" (ISO 3166-1 numeric 156)
//   ussr.raw.geojson                merge() of the 15 former Soviet republics
//   sino-soviet-border.raw.geojson  mesh() of the arcs China shares with a
//                                   former Soviet republic (Russia, Kazakhstan,
//                                   Kyrgyzstan, Tajikistan); Mongolia is not one
//
// Usage: node build_geodata.mjs NODE_MODULES_DIR OUT_DIR SPEC_JSON
// SPEC_JSON names the country codes, so the lists live in one place (the Python side).

import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { join } from "node:path";

const [nodeModules, outDir, specJson] = process.argv.slice(2);
if (!nodeModules || !outDir || !specJson) {
  console.error("usage: node build_geodata.mjs NODE_MODULES_DIR OUT_DIR SPEC_JSON");
  process.exit(2);
}

const require = createRequire(join(nodeModules, "noop.js"));
const topojson = require("topojson-client");
const spec = JSON.parse(readFileSync(specJson, "utf8"));
const topology = JSON.parse(
  readFileSync(join(nodeModules, "world-atlas", spec.countries_file), "utf8"),
);
const countries = topology.objects.countries;
const byId = new Map(countries.geometries.map((g) => [g.id, g]));

const prcId = spec.prc_id;
const soviet = new Set(spec.soviet_ids);
for (const id of [prcId, ...soviet]) {
  if (!byId.has(id)) {
    console.error(`world-atlas ${spec.countries_file} has no country with id ${id}`);
    process.exit(1);
  }
}

function write(name, geometry, properties) {
  const fc = { type: "FeatureCollection", features: [{ type: "Feature", properties, geometry }] };
  writeFileSync(join(outDir, name), JSON.stringify(fc));
}

write("prc.raw.geojson", topojson.feature(topology, byId.get(prcId)).geometry, {
  countries: [byId.get(prcId).properties.name],
});

const sovietGeoms = [...soviet].map((id) => byId.get(id));
write("ussr.raw.geojson", topojson.merge(topology, sovietGeoms), {
  countries: sovietGeoms.map((g) => g.properties.name),
});

// An arc shared by China and a former Soviet republic is the Sino-Soviet border.
const border = topojson.mesh(
  topology,
  countries,
  (a, b) => (a.id === prcId && soviet.has(b.id)) || (b.id === prcId && soviet.has(a.id)),
);
write("sino-soviet-border.raw.geojson", border, {
  between: [byId.get(prcId).properties.name,
    ...[...soviet].filter((id) => topojson.mesh(topology, countries, (a, b) =>
      (a.id === prcId && b.id === id) || (b.id === prcId && a.id === id)).coordinates.length > 0)
      .map((id) => byId.get(id).properties.name)],
});
console.log(`wrote prc, ussr and sino-soviet-border raw GeoJSON to ${outDir}`);
