// What ODK Central and KoboToolbox export for armtrace's capture form, read into one shape: each submission's
// answers by field name (groups and paths dropped: the form's names are unique), its repeats, and the facts the
// server or device added (instance ID, submitter, device start/end, submission time, form version).
//
// - ODK Central submissions zip: `<form>.csv` (groups joined by `-`, a geopoint split into `-Latitude` …
//   `-Accuracy`, `meta-instanceID`, `KEY`, `SubmitterName`, `SubmissionDate`, `FormVersion`), one
//   `<form>-<repeat>.csv` per repeat joined by `PARENT_KEY` = the parent's `KEY`, and `media/<file>`.
// - ODK Central OData (`Submissions?$expand=*`): `{"value":[…]}`, `__id`, `__system` {submitterName,
//   submissionDate, formVersion}, groups as objects, repeats as arrays, geopoints as GeoJSON.
// - KoboToolbox CSV (legacy and current; `;` or `,`): paths joined by `/`, repeats flattened as `group[n]/field`,
//   `meta/instanceID`, `_uuid`, `_submitted_by`, `_submission_time`, `__version__`; attachments in the zip under
//   `<user>/attachments/<form>/<instance uuid>/<file>`.
// - KoboToolbox API v2 (`/api/v2/assets/<uid>/data.json`): `{"results":[…]}`, keys are full paths, repeats arrays.
import { parse as parseCsv } from 'csv-parse/sync';
import { DomainError } from '../../errors.js';
import { formFields, formRepeats, type ExportFormat, type FormRepeat } from './schema.js';

export type AnswerValue = string | number | boolean | null | Record<string, unknown>;
export type Answers = Map<string, AnswerValue>;

export interface RawSubmission {
  /** As the device gave it (`uuid:…`), or null when the export has none. */
  instanceId: string | null;
  /** How problems name the submission: its instance ID, or its position in the file. */
  ref: string;
  answers: Answers;
  repeats: Record<FormRepeat, Answers[]>;
  submitter: string | null;
  start: string | null;
  end: string | null;
  /** When the server received it, ISO 8601. */
  submittedAt: string | null;
  formVersion: string | null;
  formId: string | null;
  /** The geopoint as the export wrote it, kept verbatim. */
  geopointAsSent: string | null;
}

export interface ReadExport {
  format: ExportFormat;
  submissions: RawSubmission[];
}

export function unrecognised(detail: string): DomainError {
  return new DomainError('validation_failed', `${detail} Give the CSV zip or the JSON of the armtrace form.`, [
    { field: 'file', message: detail, code: 'export_format_unknown' },
  ]);
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value === '' ? null : value;
  if (typeof value === 'number') return String(value);
  return null;
}

function emptyRepeats(): Record<FormRepeat, Answers[]> {
  return Object.fromEntries(formRepeats.map((repeat) => [repeat, []])) as unknown as Record<FormRepeat, Answers[]>;
}

function isRepeat(name: string): name is FormRepeat {
  return (formRepeats as readonly string[]).includes(name);
}

function lastSegment(path: string, separator: string): string {
  return path.slice(path.lastIndexOf(separator) + 1);
}

/** Kobo writes its submission time in UTC without a zone. */
function koboTime(value: unknown): string | null {
  const time = text(value);
  return time !== null && /^\d{4}-\d\d-\d\dT[\d:.]+$/.test(time) ? `${time}Z` : time;
}

function readCsv(content: string, name: string): Record<string, string>[] {
  const firstLine = content.slice(0, content.indexOf('\n') === -1 ? undefined : content.indexOf('\n'));
  const delimiter = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  try {
    // ODK Central leaves out a row's trailing empty values (seen in real exports: `Edits`, `Status`): a shorter
    // row reads its missing last columns as unanswered; a longer one is refused.
    return parseCsv<Record<string, string>>(content, {
      columns: true,
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count_less: true,
    });
  } catch (error) {
    throw new DomainError('validation_failed', `${name} cannot be read as CSV: ${(error as Error).message}`, [
      { field: name, message: (error as Error).message, code: 'csv_syntax' },
    ]);
  }
}

/** ODK Central's CSV: the main table and one table per repeat, joined by KEY / PARENT_KEY. */
export function readOdkCentralCsv(tables: Map<string, string>): ReadExport {
  const parsed = [...tables].map(([path, content]) => ({ path, rows: readCsv(content, path) }));
  const main = parsed.find((table) => table.rows[0] !== undefined && !('PARENT_KEY' in table.rows[0]));
  if (main === undefined) throw unrecognised('The zip holds no main table (a CSV without PARENT_KEY).');
  const mainName = main.path.replace(/\.csv$/i, '');
  const formId = lastSegment(mainName, '/');
  const children = new Map<string, Map<string, Answers[]>>();
  for (const table of parsed) {
    if (table === main) continue;
    const repeat = table.path.slice(mainName.length + 1).replace(/\.csv$/i, '');
    const name = lastSegment(repeat, '-');
    if (!table.path.startsWith(`${mainName}-`) || !isRepeat(name)) continue;
    const byParent = new Map<string, Answers[]>();
    for (const row of table.rows) {
      const answers: Answers = new Map();
      for (const [column, value] of Object.entries(row)) {
        if (column !== 'PARENT_KEY' && column !== 'KEY') answers.set(lastSegment(column, '-'), text(value));
      }
      const parent = row.PARENT_KEY ?? '';
      byParent.set(parent, [...(byParent.get(parent) ?? []), answers]);
    }
    children.set(name, byParent);
  }
  const submissions = main.rows.map((row, index): RawSubmission => {
    const answers: Answers = new Map();
    const geopointParts = new Map<string, string | null>();
    for (const [column, value] of Object.entries(row)) {
      const point = /^(.*)-(Latitude|Longitude|Altitude|Accuracy)$/.exec(column);
      if (point !== null) geopointParts.set(`${lastSegment(point[1]!, '-')}-${point[2]!}`, text(value));
      else answers.set(lastSegment(column, '-'), text(value));
    }
    let geopointAsSent: string | null = null;
    for (const field of new Set([...geopointParts.keys()].map((key) => key.slice(0, key.lastIndexOf('-'))))) {
      const parts = ['Latitude', 'Longitude', 'Altitude', 'Accuracy'].map((axis) =>
        geopointParts.get(`${field}-${axis}`),
      );
      const value = parts.every((part) => part === null || part === undefined)
        ? null
        : parts.map((p) => p ?? '').join(' ');
      answers.set(field, value);
      if (field === formFields.location) geopointAsSent = value;
    }
    const key = row.KEY ?? row['meta-instanceID'] ?? '';
    const repeats = emptyRepeats();
    for (const repeat of formRepeats) repeats[repeat] = children.get(repeat)?.get(key) ?? [];
    const instanceId = text(row['meta-instanceID']) ?? text(row.KEY);
    return {
      instanceId,
      ref: instanceId ?? `row ${index + 2} of ${main.path}`,
      answers,
      repeats,
      submitter: text(row.SubmitterName),
      start: text(answers.get('start')),
      end: text(answers.get('end')),
      submittedAt: text(row.SubmissionDate),
      formVersion: text(row.FormVersion),
      formId,
      geopointAsSent,
    };
  });
  return { format: 'odk_central_csv', submissions };
}

/** KoboToolbox's CSV: one table, repeats flattened as `group[n]/field`. */
export function readKoboCsv(path: string, content: string): ReadExport {
  const rows = readCsv(content, path);
  const submissions = rows.map((row, index): RawSubmission => {
    const answers: Answers = new Map();
    const repeats = emptyRepeats();
    for (const [column, raw] of Object.entries(row)) {
      if (column.endsWith('_URL')) continue;
      const value = raw === 'n/a' ? null : text(raw);
      const repeated = /(?:^|\/)([A-Za-z_][\w.-]*)\[(\d+)\]\/(?:.*\/)?([^/]+)$/.exec(column);
      if (repeated !== null && isRepeat(repeated[1]!)) {
        const entries = repeats[repeated[1]];
        const position = Number(repeated[2]) - 1;
        while (entries.length <= position) entries.push(new Map());
        entries[position]!.set(repeated[3]!, value);
      } else if (!column.startsWith('_') || column === '__version__') {
        answers.set(column === 'meta/instanceID' ? 'instanceID' : lastSegment(column, '/'), value);
      }
    }
    for (const repeat of formRepeats) {
      repeats[repeat] = repeats[repeat].filter((entry) => [...entry.values()].some((value) => value !== null));
    }
    const instanceId = text(row['meta/instanceID']) ?? (text(row._uuid) === null ? null : `uuid:${row._uuid}`);
    return {
      instanceId,
      ref: instanceId ?? `row ${index + 2} of ${path}`,
      answers,
      repeats,
      submitter: text(row._submitted_by),
      start: text(answers.get('start')),
      end: text(answers.get('end')),
      submittedAt: koboTime(row._submission_time),
      formVersion: text(row.__version__),
      formId: null,
      geopointAsSent: null,
    };
  });
  return { format: 'kobo_csv', submissions };
}

function isGeoJsonPoint(value: unknown): value is { coordinates: unknown[]; properties?: { accuracy?: unknown } } {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { type?: unknown }).type === 'Point' &&
    Array.isArray((value as { coordinates?: unknown }).coordinates)
  );
}

/** Answers of one JSON object: groups flattened, repeats collected, keys reduced to their last path segment. */
function flattenJson(
  object: Record<string, unknown>,
  answers: Answers,
  repeats: Record<FormRepeat, Answers[]> | null,
  problems: string[],
): void {
  for (const [key, value] of Object.entries(object)) {
    // A repeat left out of an OData answer (no $expand) is only a link to it.
    const linked = key.endsWith('@odata.navigationLink') ? key.slice(0, key.indexOf('@')) : undefined;
    if (linked !== undefined && !Array.isArray(object[linked])) problems.push(linked);
    if (key.startsWith('_') || key.includes('@odata')) continue;
    const name = lastSegment(key, '/');
    if (Array.isArray(value)) {
      if (repeats !== null && isRepeat(name)) {
        for (const entry of value) {
          const child: Answers = new Map();
          if (typeof entry === 'object' && entry !== null)
            flattenJson(entry as Record<string, unknown>, child, null, problems);
          repeats[name].push(child);
        }
      }
    } else if (isGeoJsonPoint(value)) {
      answers.set(name, value);
    } else if (typeof value === 'object' && value !== null) {
      flattenJson(value as Record<string, unknown>, answers, repeats, problems);
    } else {
      answers.set(name, value as AnswerValue);
    }
  }
}

/** ODK Central's OData `{"value": […]}` or Kobo's API v2 `{"results": […]}`. */
export function readSubmissionsJson(content: string): ReadExport {
  let document: unknown;
  try {
    document = JSON.parse(content.replace(/^\uFEFF/, ''));
  } catch {
    throw unrecognised('The file is not valid JSON.');
  }
  const odata = (document as { value?: unknown }).value;
  const kobo = (document as { results?: unknown }).results;
  const list = Array.isArray(odata) ? odata : Array.isArray(kobo) ? kobo : null;
  if (list === null)
    throw unrecognised('The JSON has neither "value" (ODK Central OData) nor "results" (Kobo API v2).');
  const format: ExportFormat = Array.isArray(odata) ? 'odk_central_odata' : 'kobo_json';
  const submissions = list.map((entry: unknown, index): RawSubmission => {
    const record = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<string, unknown>;
    const answers: Answers = new Map();
    const repeats = emptyRepeats();
    const missingRepeats: string[] = [];
    flattenJson(record, answers, repeats, missingRepeats);
    if (missingRepeats.length > 0) {
      throw unrecognised(
        `Submission ${index + 1} links to its repeats (${missingRepeats.join(', ')}) instead of including them; ` +
          'save the OData submissions with $expand=*.',
      );
    }
    const system = (record.__system ?? {}) as Record<string, unknown>;
    const meta = (record.meta ?? {}) as Record<string, unknown>;
    const instanceId =
      format === 'odk_central_odata'
        ? (text(meta.instanceID) ?? text(record.__id))
        : (text(record['meta/instanceID']) ?? (text(record._uuid) === null ? null : `uuid:${text(record._uuid)}`));
    const point = answers.get(formFields.location);
    return {
      instanceId,
      ref: instanceId ?? `submission ${index + 1}`,
      answers,
      repeats,
      submitter: format === 'odk_central_odata' ? text(system.submitterName) : text(record._submitted_by),
      start: text(answers.get('start')),
      end: text(answers.get('end')),
      submittedAt: format === 'odk_central_odata' ? text(system.submissionDate) : koboTime(record._submission_time),
      formVersion: format === 'odk_central_odata' ? text(system.formVersion) : text(record.__version__),
      formId: format === 'kobo_json' ? text(record._xform_id_string) : null,
      geopointAsSent:
        point === undefined || point === null
          ? null
          : typeof point === 'object'
            ? JSON.stringify(point)
            : String(point),
    };
  });
  return { format, submissions };
}
