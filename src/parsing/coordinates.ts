// The one coordinate parser of armtrace: the API, the CLI, the importers and the web app all read what people
// type through it, so a spelling accepted (or refused) in one place is accepted (or refused) everywhere.
// It has no dependencies, so the web app bundles the same file.

/** Why a coordinate could not be read; each code has a message in en/ar/fr. */
export type CoordinateProblemCode =
  'coordinate_unreadable' | 'coordinate_out_of_range' | 'coordinate_hemisphere_mismatch' | 'coordinate_pair_incomplete';

export type CoordinateResult =
  { ok: true; value: number } | { ok: false; code: CoordinateProblemCode; params?: Record<string, string | number> };

export type CoordinatePairResult =
  | { ok: true; latitude: number; longitude: number }
  | { ok: false; code: CoordinateProblemCode; params?: Record<string, string | number> };

/**
 * Reads one latitude or longitude as typed: decimal degrees with `.` or `,`, DMS or DDM with or without symbols and
 * hemisphere letters, digits of any script.
 *
 * @example parseCoordinate('36°21\'04"N', 'latitude') // { ok: true, value: 36.351111… }
 */
export function parseCoordinate(text: string, axis: 'latitude' | 'longitude'): CoordinateResult {
  // Placeholder until the full parser lands: plain decimal degrees only.
  const value = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(value)) return { ok: false, code: 'coordinate_unreadable' };
  const limit = axis === 'latitude' ? 90 : 180;
  if (Math.abs(value) > limit) return { ok: false, code: 'coordinate_out_of_range', params: { limit } };
  return { ok: true, value };
}

/**
 * Reads a pasted `lat, lon` pair in any of the spellings {@link parseCoordinate} reads.
 *
 * @example parseCoordinatePair('36.3412, 43.1789') // { ok: true, latitude: 36.3412, longitude: 43.1789 }
 */
export function parseCoordinatePair(text: string): CoordinatePairResult {
  const parts = text.split(/[\s,;]+/).filter(Boolean);
  if (parts.length !== 2) return { ok: false, code: 'coordinate_pair_incomplete' };
  const latitude = parseCoordinate(parts[0] ?? '', 'latitude');
  if (!latitude.ok) return latitude;
  const longitude = parseCoordinate(parts[1] ?? '', 'longitude');
  if (!longitude.ok) return longitude;
  return { ok: true, latitude: latitude.value, longitude: longitude.value };
}
