import type { MediaConfig } from '../../config/config.js';
import type { ReviewFlag } from './schema.js';

const EARTH_RADIUS_M = 6_371_008.8;
const HOUR_MS = 3_600_000;

/** Great-circle distance in metres (haversine). */
export function distanceMetres(a: { latitude: number; longitude: number }, b: { latitude: number; longitude: number }) {
  const radians = (degrees: number) => (degrees * Math.PI) / 180;
  const dLatitude = radians(b.latitude - a.latitude);
  const dLongitude = radians(b.longitude - a.longitude);
  const h =
    Math.sin(dLatitude / 2) ** 2 +
    Math.cos(radians(a.latitude)) * Math.cos(radians(b.latitude)) * Math.sin(dLongitude / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface PhotoFacts {
  exif_captured_at: Date | null;
  exif_latitude: number | null;
  exif_longitude: number | null;
}

export interface SiteFacts {
  id: string;
  name: string;
  latitude: number | null;
  longitude: number | null;
  precision_m: number | null;
  recovered_on: string | null;
}

/**
 * What a reviewer should look at when a photo is linked to a site (directly
 * or through an item or marking found there): the photo's GPS position far
 * from the site, or its capture time far from the recovery day. Only flags;
 * nothing is changed.
 *
 * @example
 * reviewFlags(photo, site, { reviewDistanceM: 1000, reviewTimeHours: 72 });
 * // [{ kind: 'location_mismatch', site_id: '…', distance_m: 5210, message: '…' }]
 */
export function reviewFlags(
  photo: PhotoFacts,
  site: SiteFacts,
  thresholds: Pick<MediaConfig, 'reviewDistanceM' | 'reviewTimeHours'>,
): ReviewFlag[] {
  const flags: ReviewFlag[] = [];
  if (
    photo.exif_latitude !== null &&
    photo.exif_longitude !== null &&
    site.latitude !== null &&
    site.longitude !== null
  ) {
    const distance = distanceMetres(
      { latitude: photo.exif_latitude, longitude: photo.exif_longitude },
      { latitude: site.latitude, longitude: site.longitude },
    );
    const allowed = thresholds.reviewDistanceM + (site.precision_m ?? 0);
    if (distance > allowed) {
      flags.push({
        kind: 'location_mismatch',
        site_id: site.id,
        distance_m: Math.round(distance),
        message: `The photo's GPS position is ${Math.round(distance)} m from site "${site.name}" (more than ${Math.round(allowed)} m): check that it shows this site.`,
      });
    }
  }
  if (photo.exif_captured_at !== null && site.recovered_on !== null) {
    const dayStart = Date.parse(`${site.recovered_on}T00:00:00Z`);
    const dayEnd = dayStart + 24 * HOUR_MS;
    const taken = photo.exif_captured_at.getTime();
    const offHours = taken < dayStart ? (dayStart - taken) / HOUR_MS : taken > dayEnd ? (taken - dayEnd) / HOUR_MS : 0;
    if (offHours > thresholds.reviewTimeHours) {
      flags.push({
        kind: 'time_mismatch',
        site_id: site.id,
        hours_off: Math.round(offHours),
        message: `The photo was taken ${photo.exif_captured_at.toISOString()} by its camera clock, ${Math.round(offHours)} h ${taken < dayStart ? 'before' : 'after'} the recovery on ${site.recovered_on} at site "${site.name}": check the date.`,
      });
    }
  }
  return flags;
}
