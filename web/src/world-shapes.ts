// The world's countries as SVG paths: the bundled Natural Earth 1:110m shapes (world-atlas),
// projected once per tab with d3-geo. Shared by the activity map (world-map.tsx) and the
// statistics map (stats-map.tsx); only ever reached through their import().
import { geoNaturalEarth1, geoPath } from 'd3-geo';
import { feature } from 'topojson-client';
import type { GeometryCollection, Topology } from 'topojson-specification';
import type { Feature, Geometry } from 'geojson';
import world from 'world-atlas/countries-110m.json';

export const WIDTH = 960;
export const HEIGHT = 470;

export interface Shape {
  /** ISO 3166-1 numeric = UN M49 (null for a few disputed areas). */
  m49: number | null;
  name: string;
  d: string;
}

// Projected once per tab; Antarctica (010) is left out: no activity is recorded there and it
// takes a fifth of the height.
export const shapes: Shape[] = (() => {
  const topo = world as unknown as Topology<{ countries: GeometryCollection<{ name: string }> }>;
  const fc = feature(topo, topo.objects.countries);
  const features = fc.features.filter((f) => f.id !== '010') as Feature<Geometry, { name: string }>[];
  const projection = geoNaturalEarth1().fitExtent(
    [
      [4, 4],
      [WIDTH - 4, HEIGHT - 4],
    ],
    { type: 'FeatureCollection', features },
  );
  const path = geoPath(projection);
  return features
    .map((f) => ({ m49: f.id == null ? null : Number(f.id), name: f.properties?.name ?? '', d: path(f) ?? '' }))
    .filter((s) => s.d);
})();

/** Shading class 1–5 for a count (0 = none), on a square-root scale up to the largest count. */
export function shade(count: number, max: number): number {
  if (count <= 0 || max <= 0) return 0;
  return Math.min(5, Math.max(1, Math.ceil((Math.sqrt(count) / Math.sqrt(max)) * 5)));
}
