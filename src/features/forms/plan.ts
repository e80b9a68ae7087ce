// One submission of the armtrace form, read into what armtrace will write: an item with its markings, the site it
// is at (chosen from the list, or new with the geopoint as its point), its zone by name, its photos by file name,
// and the device's times. Values are taken as the form's codes and as written: anything that cannot be stored
// exactly is a problem naming the submission and the field, never corrected.
import { fieldCodeOfZodIssue, type FieldProblem } from '../../errors.js';
import { createItemBodySchema, type CreateItemInput } from '../items/schema.js';
import { siteTypes } from '../sites/schema.js';
import type { AnswerValue, Answers, RawSubmission } from './exports.js';
import { formFields as f, NEW_SITE_CHOICE } from './schema.js';

export interface GeoPoint {
  latitude: number;
  longitude: number;
  /** Metres, as the device estimated it; 0 or less is kept in the submission record only. */
  accuracy: number | null;
}

export interface SubmissionPlan {
  raw: RawSubmission;
  instanceId: string;
  /** A site id from the list, or a new site. */
  site: { id: string } | { name: string; siteType: string };
  point: GeoPoint | null;
  zoneName: string | null;
  item: Omit<CreateItemInput, 'site_id' | 'zone_id'>;
  photos: string[];
  startedAt: Date | null;
  endedAt: Date | null;
  submittedAt: Date | null;
}

const itemFieldToForm: Record<string, string> = {
  category: f.category,
  model: f.model,
  quantity: f.quantity,
  condition: f.condition,
  assembly_state: f.assemblyState,
  production_type: f.productionType,
  fuze_fitted: f.fuzeFitted,
  safety_device_fitted: f.safetyDeviceFitted,
  disposal_status: f.disposalStatus,
  observations: f.observations,
  text: f.markingText,
  kind: f.markingKind,
  position: f.markingPosition,
};

const uuidPattern = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The shortest decimal that reads back as the same double: a text is exact when it is that decimal. */
function exactDecimal(textValue: string): number | undefined {
  if (!/^-?\d+(\.\d+)?$/.test(textValue)) return undefined;
  const value = Number(textValue);
  let canonical = textValue.replace(/^(-?)0+(?=\d)/, '$1');
  if (canonical.includes('.')) canonical = canonical.replace(/0+$/, '').replace(/\.$/, '');
  if (canonical === '-0') canonical = '0';
  return Number.isFinite(value) && String(value) === canonical ? value : undefined;
}

class Reader {
  readonly problems: FieldProblem[] = [];
  constructor(private readonly ref: string) {}

  problem(field: string, message: string, code: string, params?: FieldProblem['params']): void {
    this.problems.push({ field: `${this.ref}/${field}`, message, code, ...(params === undefined ? {} : { params }) });
  }

  text(answers: Answers, field: string): string | null {
    const value = answers.get(field) ?? null;
    if (value === null) return null;
    if (typeof value === 'string') return value;
    this.problem(field, `is ${JSON.stringify(value)}, not text`, 'invalid_type', { expected: 'string' });
    return null;
  }

  choice(answers: Answers, field: string, codes: readonly string[]): string | null {
    const value = this.text(answers, field);
    if (value === null || codes.includes(value)) return value;
    this.problem(field, `"${value}" is not one of ${codes.join(', ')}`, 'invalid_option', { options: codes.join('|') });
    return null;
  }

  whole(answers: Answers, field: string): number | string | null {
    const value = answers.get(field) ?? null;
    if (value === null) return null;
    if (typeof value === 'number') return value;
    if (typeof value === 'string' && /^\d+$/.test(value)) return Number(value);
    // Anything else goes to the item schema as written, which names it (not_whole, not_a_number).
    if (typeof value !== 'string') return JSON.stringify(value);
    return /^-?\d+\.\d+$/.test(value) ? Number(value) : value;
  }

  time(value: string | null, field: string): Date | null {
    if (value === null) return null;
    const time = /^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?(Z|[+-]\d\d:?\d\d)$/.test(value) ? new Date(value) : null;
    if (time === null || Number.isNaN(time.getTime())) {
      this.problem(field, `"${value}" is not a date and time with its UTC offset`, 'invalid_datetime');
      return null;
    }
    return time;
  }

  geopoint(value: AnswerValue | undefined): GeoPoint | null {
    if (value === null || value === undefined) return null;
    let parts: (string | number | null)[];
    if (typeof value === 'object') {
      const coordinates = (value as { coordinates?: unknown[] }).coordinates ?? [];
      const accuracy = (value as { properties?: { accuracy?: unknown } }).properties?.accuracy;
      parts = [coordinates[1], coordinates[0], coordinates[2], accuracy].map((part) =>
        typeof part === 'number' ? part : null,
      );
    } else {
      parts = String(value).trim().split(/\s+/);
    }
    const [latitude, longitude, , accuracy] = parts.map((part) =>
      part === null || part === '' ? null : typeof part === 'number' ? part : (exactDecimal(part) ?? Number.NaN),
    );
    const readable = (n: number | null | undefined, limit: number) =>
      n !== null && n !== undefined && Number.isFinite(n) && Math.abs(n) <= limit;
    if (!readable(latitude, 90) || !readable(longitude, 180) || Number.isNaN(accuracy ?? 0)) {
      this.problem(
        f.location,
        `"${typeof value === 'object' ? JSON.stringify(value) : value}" cannot be stored exactly as a point`,
        'coordinate_unreadable',
        { text: typeof value === 'object' ? JSON.stringify(value) : String(value) },
      );
      return null;
    }
    return { latitude: latitude!, longitude: longitude!, accuracy: accuracy ?? null };
  }
}

/**
 * Reads one submission, or returns its problems.
 *
 * @example
 * const { plan, problems } = planSubmission(raw);
 */
export function planSubmission(raw: RawSubmission): { plan?: SubmissionPlan; problems: FieldProblem[] } {
  const read = new Reader(raw.ref);
  if (raw.instanceId === null) {
    read.problem('meta/instanceID', 'the submission has no instance ID', 'instance_id_missing');
    return { problems: read.problems };
  }
  const answers = raw.answers;
  const siteChoice = read.text(answers, f.site);
  let site: SubmissionPlan['site'] | undefined;
  if (siteChoice === null) read.problem(f.site, 'no site was chosen', 'required');
  else if (siteChoice === NEW_SITE_CHOICE) {
    const name = read.text(answers, f.newSiteName);
    const siteType = read.choice(answers, f.newSiteType, siteTypes);
    if (name === null || name.trim() === '')
      read.problem(f.newSiteName, 'a new site needs a name', 'required_for_new_site');
    if (siteType === null) read.problem(f.newSiteType, 'a new site needs a type', 'required_for_new_site');
    if (name !== null && name.trim() !== '' && siteType !== null) site = { name, siteType };
  } else if (!uuidPattern.test(siteChoice)) {
    read.problem(f.site, `"${siteChoice}" is not a site of the form's list`, 'unknown_reference');
  } else site = { id: siteChoice.toLowerCase() };

  const markings = raw.repeats.markings.map((entry) => ({
    text: read.text(entry, f.markingText) ?? undefined,
    kind: read.text(entry, f.markingKind) ?? undefined,
    position: read.text(entry, f.markingPosition),
  }));
  const item = {
    category: read.text(answers, f.category) ?? undefined,
    model: read.text(answers, f.model),
    quantity: read.whole(answers, f.quantity) ?? undefined,
    condition: read.text(answers, f.condition),
    assembly_state: read.text(answers, f.assemblyState),
    production_type: read.text(answers, f.productionType) ?? undefined,
    fuze_fitted: read.text(answers, f.fuzeFitted) ?? undefined,
    safety_device_fitted: read.text(answers, f.safetyDeviceFitted),
    disposal_status: read.text(answers, f.disposalStatus) ?? undefined,
    observations: read.text(answers, f.observations) ?? '',
    markings,
  };
  const checked = createItemBodySchema.safeParse({ ...item, site_id: '00000000-0000-4000-8000-000000000000' });
  if (!checked.success) {
    for (const issue of checked.error.issues) {
      const [first, index, inner] = issue.path.map(String);
      const field =
        first === 'markings' && index !== undefined
          ? `${f.markings}[${Number(index) + 1}]/${itemFieldToForm[inner ?? ''] ?? inner ?? ''}`
          : (itemFieldToForm[first ?? ''] ?? first ?? '');
      const { code, params } = fieldCodeOfZodIssue(issue as unknown as Parameters<typeof fieldCodeOfZodIssue>[0]);
      const given = issue.path.reduce<unknown>(
        (value, key) => (value as Record<PropertyKey, unknown> | undefined)?.[key],
        item,
      );
      if (code === 'invalid_option' && (given === undefined || given === null)) {
        read.problem(field, 'no answer was given', 'required');
        continue;
      }
      const message =
        code === 'invalid_option' && typeof given === 'string'
          ? `"${given}" is not one of ${String(params?.options ?? '').replaceAll('|', ', ')} (the form's codes)`
          : issue.message;
      read.problem(field, message, code, params);
    }
  }
  const photos = raw.repeats.photos.flatMap((entry) => {
    const name = read.text(entry, f.photo);
    return name === null ? [] : [name];
  });
  const point = read.geopoint(answers.get(f.location));
  const zoneName = read.text(answers, f.zone);
  if (zoneName !== null && (zoneName.trim() === '' || zoneName.length > 200)) {
    read.problem(f.zone, 'a zone name has 1 to 200 characters, not only white space', 'invalid');
  }
  const startedAt = read.time(raw.start, 'start');
  const endedAt = read.time(raw.end, 'end');
  const submittedAt = read.time(raw.submittedAt, 'SubmissionDate');
  if (read.problems.length > 0 || site === undefined) return { problems: read.problems };
  return {
    problems: [],
    plan: {
      raw,
      instanceId: raw.instanceId,
      site,
      point,
      zoneName,
      item: item as SubmissionPlan['item'],
      photos,
      startedAt,
      endedAt,
      submittedAt,
    },
  };
}
