/**
 * Coordinate generalisation for the `public` export profile: a point becomes the centre of the grid cell of
 * N km that holds it. Cells are bands of N km of latitude (N / 111.32 degrees); each band is cut into cells of
 * N km of longitude measured at the band's centre latitude, so a cell is about N × N km wherever it is. The
 * centre is rounded to 5 decimals (about a metre), which keeps it inside its own cell, so generalising a
 * generalised point gives the same point: the test of "no coordinate finer than the grid".
 */

/** Kilometres per degree of latitude (and of longitude at the equator). */
const KM_PER_DEGREE = 111.32;

export const DEFAULT_GRID_KM = 10;

export interface GridCell {
  latitude: number;
  longitude: number;
}

function round5(value: number): number {
  return Math.round(value * 1e5) / 1e5;
}

/**
 * The centre of the grid cell of `cellKm` kilometres that holds the point.
 *
 * @example
 * generalisePoint(36.3456, 43.1789, 10) // → { latitude: 36.37108, longitude: 43.15524 } (roughly)
 */
export function generalisePoint(latitude: number, longitude: number, cellKm: number): GridCell {
  const bandDegrees = cellKm / KM_PER_DEGREE;
  const band = Math.floor((latitude + 90) / bandDegrees);
  const bandCentre = Math.min(90, -90 + (band + 0.5) * bandDegrees);
  const cosine = Math.cos((bandCentre * Math.PI) / 180);
  // Near the poles a band holds a single cell.
  const cellDegrees = cosine * 360 * KM_PER_DEGREE <= cellKm ? 360 : Math.min(360, cellKm / (KM_PER_DEGREE * cosine));
  const column = Math.floor((longitude + 180) / cellDegrees);
  const centreLongitude = Math.min(180, -180 + (column + 0.5) * cellDegrees);
  return { latitude: round5(bandCentre), longitude: round5(centreLongitude) };
}

/**
 * Whether a point is already a cell centre of the grid (what every coordinate of a `public` export must be).
 *
 * @example
 * const { latitude, longitude } = generalisePoint(36.3, 43.1, 10);
 * isGridCentre(latitude, longitude, 10) // → true
 */
export function isGridCentre(latitude: number, longitude: number, cellKm: number): boolean {
  const centre = generalisePoint(latitude, longitude, cellKm);
  return centre.latitude === latitude && centre.longitude === longitude;
}

/** How an output describes its grid, in words (en) for readers of the files. */
export function gridDescription(cellKm: number): string {
  return `centre of a grid cell of ${cellKm} km × ${cellKm} km (bands of ${cellKm} km of latitude, cells of ${cellKm} km of longitude at the band's centre)`;
}
