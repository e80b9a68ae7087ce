// The site edit form's draft and the change it sends, kept out of the components so it can be tested with node:test.
import type { BodyOf } from '../../api/client';
import type { SiteRecord as Site } from './siteApi';
import {
  coordinateText,
  readLocation,
  type LocationDraft,
  type LocationProblem,
} from '../../components/coordinateField';
import {
  sensitivityChangeOf,
  sensitivityDraftOf,
  type SensitivityDraft,
} from '../../components/sensitivity/sensitivityDraft';

export type SiteChange = Omit<BodyOf<'/api/v1/sites/{id}', 'patch'>, 'version'>;

/** One "name in another language" row of the form. */
export interface NameRow {
  language: string;
  name: string;
}

/** The form as typed: text everywhere, read only when saving. */
export interface SiteDraft {
  name: string;
  site_type: Site['site_type'];
  names: NameRow[];
  external_ref: string;
  location: LocationDraft;
  /** The outline as GeoJSON text. */
  area: string;
  recovered_by: string;
  recovered_on: string;
  context: string;
  /** Who may see the site, and the reason required for restricted. */
  sensitivity: SensitivityDraft;
}

/** What stops the draft from being sent, by field: the location's own problems, or a code for the others. */
export interface SiteDraftProblems {
  location?: Partial<Record<string, LocationProblem>>;
  area?: 'area_unreadable';
  names?: 'names_duplicate_language';
  sensitivity?: 'sensitivity_reason_required';
}

/** The text the fields show for a stored site. */
export function siteDraftOf(site: Site): SiteDraft {
  return {
    name: site.name,
    site_type: site.site_type,
    names: Object.entries(site.names).map(([language, name]) => ({ language, name })),
    external_ref: site.external_ref ?? '',
    location: {
      latitude: site.latitude === null ? '' : coordinateText(site.latitude),
      longitude: site.longitude === null ? '' : coordinateText(site.longitude),
      precision: site.precision_m === null ? '' : String(site.precision_m),
    },
    area: site.area === null ? '' : JSON.stringify(site.area),
    recovered_by: site.recovered_by ?? '',
    recovered_on: site.recovered_on ?? '',
    context: site.context,
    sensitivity: sensitivityDraftOf(site),
  };
}

const orNull = (text: string) => (text === '' ? null : text);

function sameNames(left: Record<string, string>, right: Record<string, string>): boolean {
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => left[key] === right[key]);
}

/**
 * The fields the user changed, as the API takes them, compared with the site the form was filled from; text is
 * sent as typed (never trimmed or "fixed"). A field that cannot be read refuses the whole change.
 *
 * @example
 * siteChangeOf(site, { ...siteDraftOf(site), name: 'Mosul west' }) // { ok: true, changes: { name: 'Mosul west' } }
 */
export function siteChangeOf(
  site: Site,
  draft: SiteDraft,
): { ok: true; changes: SiteChange } | { ok: false; problems: SiteDraftProblems } {
  const base = siteDraftOf(site);
  const changes: SiteChange = {};
  const problems: SiteDraftProblems = {};
  if (draft.name !== base.name) changes.name = draft.name;
  if (draft.site_type !== base.site_type) changes.site_type = draft.site_type;
  const names: Record<string, string> = {};
  for (const row of draft.names) {
    if (row.language === '' && row.name === '') continue;
    if (row.language in names) problems.names = 'names_duplicate_language';
    names[row.language] = row.name;
  }
  if (!sameNames(names, site.names)) changes.names = names;
  if (draft.external_ref !== base.external_ref) changes.external_ref = orNull(draft.external_ref);
  const { latitude, longitude, precision } = draft.location;
  if (
    latitude !== base.location.latitude ||
    longitude !== base.location.longitude ||
    precision !== base.location.precision ||
    (draft.location.pair ?? '') !== ''
  ) {
    const location = readLocation(draft.location);
    if (location.ok) {
      changes.latitude = location.latitude;
      changes.longitude = location.longitude;
      changes.precision_m = location.precision_m;
    } else {
      problems.location = location.problems;
    }
  }
  if (draft.area !== base.area) {
    if (draft.area.trim() === '') changes.area = null;
    else {
      try {
        changes.area = JSON.parse(draft.area) as SiteChange['area'];
      } catch {
        problems.area = 'area_unreadable';
      }
    }
  }
  if (draft.recovered_by !== base.recovered_by) changes.recovered_by = orNull(draft.recovered_by);
  if (draft.recovered_on !== base.recovered_on) changes.recovered_on = orNull(draft.recovered_on);
  if (draft.context !== base.context) changes.context = draft.context;
  const sensitivity = sensitivityChangeOf(site, draft.sensitivity);
  if (sensitivity.ok) Object.assign(changes, sensitivity.fields);
  else problems.sensitivity = sensitivity.problem;
  if (Object.keys(problems).length > 0) return { ok: false, problems };
  return { ok: true, changes };
}
