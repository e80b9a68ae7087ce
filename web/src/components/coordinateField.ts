// What the coordinate fields of a site show and send, kept out of the components so it can be tested with node:test.
// Every reading goes through the one shared parser (src/parsing), so the web app accepts exactly what the API,
// the CLI and the importers accept.
import { parseCoordinate, parseCoordinatePair, type CoordinateProblemCode } from '../../../src/parsing/coordinates.js';
import { normalizeDigits } from '../../../src/parsing/numbers.js';

export type Axis = 'latitude' | 'longitude';

/** Why a location field cannot be read: the parser's codes and the precision's own. */
export type LocationProblemCode = CoordinateProblemCode | 'precision_unreadable';

export interface LocationProblem {
  code: LocationProblemCode;
  params?: Record<string, string | number>;
}

/** One field as typed: nothing, a value, or a problem to show on that field. */
export type FieldReading =
  { state: 'empty' } | { state: 'read'; value: number } | ({ state: 'problem' } & LocationProblem);

/**
 * Reads one coordinate field as the user types it.
 *
 * @example readAxis('36.3412', 'latitude') // { state: 'read', value: 36.3412 }
 */
export function readAxis(text: string, axis: Axis): FieldReading {
  if (text.trim() === '') return { state: 'empty' };
  const result = parseCoordinate(text, axis);
  if (result.ok) return { state: 'read', value: result.value };
  return result.params === undefined
    ? { state: 'problem', code: result.code }
    : { state: 'problem', code: result.code, params: result.params };
}

/**
 * Reads a pasted `lat, lon` pair.
 *
 * @example readPair('36.3412, 43.1789') // { state: 'read', latitude: 36.3412, longitude: 43.1789 }
 */
export function readPair(
  text: string,
):
  | { state: 'empty' }
  | { state: 'read'; latitude: number; longitude: number }
  | ({ state: 'problem' } & LocationProblem) {
  if (text.trim() === '') return { state: 'empty' };
  const result = parseCoordinatePair(text);
  if (result.ok) return { state: 'read', latitude: result.latitude, longitude: result.longitude };
  return result.params === undefined
    ? { state: 'problem', code: result.code }
    : { state: 'problem', code: result.code, params: result.params };
}

/**
 * Reads a precision in metres: digits of any script, a decimal point or comma; more than zero.
 *
 * @example readPrecision('٢٥') // { state: 'read', value: 25 }
 */
export function readPrecision(text: string): FieldReading {
  const normalized = normalizeDigits(text.trim()).replace(',', '.');
  if (normalized === '') return { state: 'empty' };
  if (!/^\d+(\.\d+)?$/.test(normalized) || Number(normalized) <= 0) {
    return { state: 'problem', code: 'precision_unreadable' };
  }
  return { state: 'read', value: Number(normalized) };
}

/** Rounds to 6 decimals, halves away from zero, so east and west (north and south) round alike. */
function roundToMicrodegrees(value: number): number {
  return (Math.sign(value) * Math.round(Math.abs(value) * 1e6)) / 1e6 || 0;
}

/** A value in decimal degrees as shown beside the field: at most 6 decimals (about 10 cm), no trailing zeros. */
export function formatDegrees(value: number): string {
  return String(Math.abs(roundToMicrodegrees(value)));
}

/** The hemisphere letter of a coordinate; 0 counts as north or east. */
export function hemisphereOf(value: number, axis: Axis): 'N' | 'S' | 'E' | 'W' {
  if (axis === 'latitude') return value < 0 ? 'S' : 'N';
  return value < 0 ? 'W' : 'E';
}

/**
 * The text a field shows for a value already known (a map click, the map centre, the device's location, the
 * stored site): decimal degrees, at most 6 decimals, so what the user sees is what is sent.
 *
 * @example coordinateText(36.35111111) // '36.351111'
 */
export function coordinateText(value: number): string {
  return String(roundToMicrodegrees(value));
}

export interface LocationDraft {
  latitude: string;
  longitude: string;
  precision: string;
  /** A pasted `lat, lon` pair; once readable its values are in the two fields. */
  pair?: string;
}

export type LocationFieldName = 'latitude' | 'longitude' | 'precision' | 'pair';

/** The location to send, or the problems that stop the site from being saved. */
export type LocationReading =
  | { ok: true; latitude: number | null; longitude: number | null; precision_m: number | null }
  | { ok: false; problems: Partial<Record<LocationFieldName, LocationProblem>> };

/**
 * Reads the whole location before saving. Nothing typed is dropped: a field that cannot be read, or one axis
 * without the other, refuses the save with a problem on that field. No coordinates at all is a site without a
 * location (the server allows it); a precision without coordinates is kept as typed.
 *
 * @example readLocation({ latitude: '36.3412', longitude: '', precision: '' })
 * // { ok: false, problems: { longitude: { code: 'coordinate_pair_incomplete' } } }
 */
export function readLocation(draft: LocationDraft): LocationReading {
  const latitude = readAxis(draft.latitude, 'latitude');
  const longitude = readAxis(draft.longitude, 'longitude');
  const precision = readPrecision(draft.precision);
  const problems: Partial<Record<LocationFieldName, LocationProblem>> = {};
  const problemOf = (reading: FieldReading): LocationProblem | undefined =>
    reading.state === 'problem'
      ? reading.params === undefined
        ? { code: reading.code }
        : { code: reading.code, params: reading.params }
      : undefined;
  const latitudeProblem = problemOf(latitude);
  const longitudeProblem = problemOf(longitude);
  const precisionProblem = problemOf(precision);
  if (latitudeProblem !== undefined) problems.latitude = latitudeProblem;
  if (longitudeProblem !== undefined) problems.longitude = longitudeProblem;
  if (precisionProblem !== undefined) problems.precision = precisionProblem;
  if (latitude.state === 'empty' && longitude.state !== 'empty')
    problems.latitude = { code: 'coordinate_pair_incomplete' };
  if (longitude.state === 'empty' && latitude.state !== 'empty')
    problems.longitude = { code: 'coordinate_pair_incomplete' };
  // A pasted pair that cannot be read is typed text too: it refuses the save rather than being ignored.
  const pair = readPair(draft.pair ?? '');
  if (pair.state === 'problem') problems.pair = problemOf(pair) ?? { code: pair.code };
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return {
    ok: true,
    latitude: latitude.state === 'read' ? latitude.value : null,
    longitude: longitude.state === 'read' ? longitude.value : null,
    precision_m: precision.state === 'read' ? precision.value : null,
  };
}

/**
 * The precision for a position the device reported: its accuracy radius rounded up to whole metres (at least 1),
 * so the recorded precision never claims more than the device did.
 *
 * @example precisionFromAccuracy(12.2) // 13
 */
export function precisionFromAccuracy(accuracyMetres: number): number {
  return Math.max(1, Math.ceil(accuracyMetres));
}

/** Why the device's location could not be had: the Geolocation API's error codes, and no API at all. */
export type GeolocationProblem = 'denied' | 'unavailable' | 'timeout' | 'unsupported';

/** The Geolocation API's numeric error code as a problem the user can act on. */
export function geolocationProblem(code: number): GeolocationProblem {
  // GeolocationPositionError: 1 PERMISSION_DENIED, 2 POSITION_UNAVAILABLE, 3 TIMEOUT.
  if (code === 1) return 'denied';
  if (code === 3) return 'timeout';
  return 'unavailable';
}
