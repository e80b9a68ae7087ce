import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { z, ZodError } from 'zod';
// A cycle by design: postgres-errors builds DomainErrors, and only inside functions, so either module may load first.
import { translateDatabaseError } from './db/postgres-errors.js';
import { coordinateProblemCodes } from './parsing/coordinates.js';

/**
 * The one catalogue of problems armtrace reports. Each has a stable code that
 * clients may depend on, an HTTP status used only by the HTTP layer, and a
 * title. Services throw {@link DomainError}; {@link toProblem} (below) turns any
 * error into an RFC 9457 problem document, which `src/http/problem.ts` sends as
 * problem+json and the CLI prints.
 */
export const problemCatalogue = {
  validation_failed: { status: 400, title: 'The request is not valid' },
  unauthenticated: { status: 401, title: 'Sign-in required' },
  invalid_credentials: { status: 401, title: 'Wrong user name or password' },
  forbidden: { status: 403, title: 'Your role does not allow this' },
  not_found: { status: 404, title: 'Not found' },
  version_conflict: { status: 409, title: 'The record was changed by someone else' },
  already_exists: { status: 409, title: 'A record with the same key already exists' },
  archived: { status: 409, title: 'The record is archived' },
  last_owner: { status: 409, title: 'An investigation keeps at least one owner' },
  reference_invalid: { status: 422, title: 'A referenced record does not exist or belongs elsewhere' },
  constraint_violated: { status: 422, title: 'The change breaks a rule of the data model' },
  append_only: { status: 409, title: 'This record cannot be changed once written' },
  idempotency_key_reused: { status: 422, title: 'This operation id was already used for a different operation' },
  dependency_missing: { status: 424, title: 'A record this one depends on is not on the server yet' },
  hash_mismatch: { status: 460, title: 'The received bytes do not match the SHA-256 the sender declared' },
  second_factor_invalid: { status: 400, title: 'The code is wrong, expired or already used' },
  second_factor_required: { status: 403, title: 'Two-factor sign-in is required; enrol an authenticator first' },
  too_many_attempts: { status: 429, title: 'Too many failed attempts; wait before trying again' },
  data_dir_locked: { status: 503, title: 'The data directory is in use by another process' },
  program_missing: { status: 503, title: 'A program this needs is not installed on the server' },
  instance_key_invalid: { status: 503, title: "The instance's signing key file cannot be read" },
  signature_invalid: { status: 422, title: 'The signature does not verify, or its signer is not trusted' },
  // Review before publication (src/features/review)
  review_own_record: { status: 403, title: 'You cannot verify or publish a record you wrote or changed' },
  review_state_invalid: { status: 409, title: 'The record’s review state does not allow this step' },
  publication_not_allowed: { status: 409, title: 'The investigation’s publication rule does not allow this yet' },
  not_published: { status: 409, title: 'The record is not published, so there is no publication to take back' },
  unpublish_not_allowed: { status: 403, title: 'Only the investigation’s owners take a publication back' },
  timestamp_failed: { status: 502, title: 'The time-stamping authority did not give a valid timestamp' },
  // 409, not 503: the server works; this instance is set up without a TSA, which an administrator can change.
  timestamp_not_configured: { status: 409, title: 'No time-stamping authority is configured' },
  // The database is unreachable or switching to a standby (src/db/connection-loss.ts): nothing was saved, retry.
  database_unavailable: { status: 503, title: 'The database is not available; nothing was saved' },
  // The connection was lost after COMMIT was sent: the change may or may not be saved; check before retrying.
  commit_outcome_unknown: { status: 503, title: 'The database did not confirm the change; it may or may not be saved' },
  // A marking search that would read too much (the embedded database runs one statement at a time for everyone):
  // the detail says how to narrow it.
  search_too_broad: { status: 422, title: 'The search matches too much to answer in time; narrow it' },
  // A finished job removed with its result after ARMTRACE_JOB_RESULTS_DAYS (src/jobs/prune.ts): start it again.
  job_pruned: { status: 410, title: 'The job ended long ago; it and its result were removed' },
  // Media derivatives are made by a job after the upload (src/features/media/derivative-jobs.ts).
  derivative_not_ready: {
    status: 404,
    title: 'Still being made (thumbnail, preview or perceptual hash); try again shortly',
  },
  image_not_decodable: { status: 422, title: 'The image could not be decoded to make its thumbnail, preview and hash' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemCode = keyof typeof problemCatalogue;

/** Parameters of a field problem's code, e.g. `{ minimum: 1 }` or `{ options: "small_arm|light_weapon" }`. */
export type FieldProblemParams = Record<string, string | number | boolean>;

/**
 * One field-level complaint, named by its path in the input (e.g. `markings.1.text`). `code` is stable (clients
 * translate it, with `params` filled in); `message` is English for the CLI and API clients. A problem raised
 * without a code is sent with {@link GENERIC_FIELD_CODE}.
 */
export interface FieldProblem {
  field: string;
  message: string;
  code?: string;
  params?: FieldProblemParams;
}

/** The code of a field problem nobody gave a more precise one: "this value is not valid". */
export const GENERIC_FIELD_CODE = 'invalid';

/**
 * Every field problem code the server sends. Clients may depend on these; the web app has a message for each in
 * every language (test/e2e/field-errors.test.ts checks it), and a test walks the create and update schemas to show
 * that each issue they raise maps to one of them (src/http/field-codes.test.ts).
 */
export const fieldProblemCodes = [
  GENERIC_FIELD_CODE,
  // From zod's issues (src/http/problem.ts)
  'required',
  'invalid_type',
  'not_a_number',
  'not_whole',
  'too_small',
  'too_big',
  'must_exceed',
  'must_be_below',
  'too_short',
  'too_long',
  'too_few',
  'too_many',
  'invalid_format',
  'invalid_date',
  'invalid_datetime',
  'invalid_time',
  'invalid_id',
  'invalid_email',
  'invalid_url',
  'invalid_option',
  'invalid_key',
  'not_multiple_of',
  'unknown_field',
  // From the shared readers (src/parsing)
  'number_ambiguous',
  'number_too_precise',
  ...coordinateProblemCodes,
  // Raised by the schemas and services
  'location_and_coordinates',
  'precision_without_location',
  'ring_not_closed',
  'ring_self_intersecting',
  'ring_zero_area',
  'hole_outside_shell',
  'text_not_storable',
  'encoding_invalid',
  'file_empty',
  'password_too_short',
  'password_one_character',
  'password_common',
  'password_wrong',
  'bbox_unreadable',
  'bbox_out_of_range',
  'bbox_inverted',
  // From the item CSV import (src/features/imports)
  'column_unknown',
  'column_repeated',
  'column_missing',
  'columns_go_together',
  'field_count',
  'conflicting_value',
  'csv_syntax',
  'file_no_rows',
  'file_not_text',
  'file_too_large',
  'reference_archived',
  'required_for_new_site',
  'upload_not_kept',
  // From database constraints (src/db/postgres-errors.ts)
  'already_used',
  'unknown_reference',
  'not_allowed',
  // From the ODK / KoboToolbox import (src/features/forms)
  'archive_entry_unsafe',
  'archive_entry_too_large',
  'attachment_missing',
  'attachment_not_image',
  'export_format_unknown',
  'instance_id_missing',
  'instance_id_repeated',
  // Sensitivity (src/features/sensitivity)
  'sensitivity_reason_required',
  'sensitivity_above_clearance',
] as const;
export type FieldProblemCode = (typeof fieldProblemCodes)[number];

/**
 * An error a user can act on. `detail` says what to do; `fields` names the
 * input fields at fault.
 *
 * @example
 * throw new DomainError('not_found', `Site ${id} does not exist or you cannot see it`);
 */
export class DomainError extends Error {
  override name = 'DomainError';
  readonly code: ProblemCode;
  readonly fields: FieldProblem[];

  constructor(code: ProblemCode, detail: string, fields: FieldProblem[] = []) {
    super(detail);
    this.code = code;
    this.fields = fields;
  }

  get status(): number {
    return problemCatalogue[this.code].status;
  }

  get title(): string {
    return problemCatalogue[this.code].title;
  }
}

/**
 * A record that is not there, or not visible to the actor: over HTTP both read exactly the same (one text, no
 * ids), so that a 404 never confirms that another team's record exists. The CLI, run where the data is, keeps
 * the specific text.
 *
 * @example
 * throw new NotVisibleError(`Site ${id} does not exist or you cannot see it.`);
 */
export class NotVisibleError extends DomainError {
  constructor(detail: string) {
    super('not_found', detail);
  }
}

/**
 * Refused for now because of too many failed attempts; `retryAfterSeconds` is when to try again (the HTTP layer
 * sends it as `Retry-After`).
 *
 * @example
 * throw new TooManyAttemptsError('Wait 8 seconds before signing in again.', 8);
 */
export class TooManyAttemptsError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super('too_many_attempts', detail);
  }
}

/**
 * Not made yet (a thumbnail while its job runs); `retryAfterSeconds` is when to ask again (the HTTP layer sends it
 * as `Retry-After`).
 *
 * @example
 * throw new NotReadyError('The thumbnail of media file … is still being made.', 2);
 */
export class NotReadyError extends DomainError {
  constructor(
    detail: string,
    readonly retryAfterSeconds: number,
  ) {
    super('derivative_not_ready', detail);
  }
}

// ---- Problem documents (RFC 9457): the one mapping from any error, used by HTTP, the CLI and job records ----

/** One field at fault: its path, a stable code with its parameters (clients translate these), and English text. */
export const fieldProblemSchema = z.object({
  field: z.string(),
  code: z
    .string()
    .describe('Stable code of the problem, e.g. `required`, `too_small`, `invalid_option`, `coordinate_unreadable`'),
  params: z
    .record(z.string(), z.union([z.string(), z.number(), z.boolean()]))
    .optional()
    .describe('Parameters of the code, e.g. `{"minimum": 1}` or `{"options": "small_arm|light_weapon"}`'),
  message: z.string(),
});

/** RFC 9457 problem details, with armtrace's stable `code` and the fields at fault. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  fields: z.array(fieldProblemSchema).optional(),
  instance: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/** A zod issue as the ZodError and fastify-type-provider-zod carry it; only what the mapping below reads. */
interface ZodIssueLike {
  code: string;
  path: readonly PropertyKey[];
  message: string;
  [key: string]: unknown;
}

function numberParam(value: unknown): number | string {
  return typeof value === 'bigint' ? Number(value) : typeof value === 'number' ? value : String(value);
}

const FORMAT_CODES: Record<string, string> = {
  date: 'invalid_date',
  datetime: 'invalid_datetime',
  time: 'invalid_time',
  uuid: 'invalid_id',
  guid: 'invalid_id',
  email: 'invalid_email',
  url: 'invalid_url',
};

/**
 * The stable code and parameters of one zod issue. Custom issues (refine, superRefine, transform) give their code
 * as `params.code`; one without falls back to {@link GENERIC_FIELD_CODE}.
 *
 * @example fieldCodeOfZodIssue({ code: 'too_small', origin: 'number', minimum: 1, inclusive: true, path: [], message: '' })
 * // { code: 'too_small', params: { minimum: 1 } }
 */
export function fieldCodeOfZodIssue(issue: ZodIssueLike): { code: string; params?: FieldProblemParams } {
  const origin = issue.origin;
  const sized = origin === 'string' || origin === 'array' || origin === 'set' || origin === 'map' || origin === 'file';
  switch (issue.code) {
    case 'custom': {
      const { code, ...params } = (issue.params ?? {}) as Record<string, string | number | boolean>;
      return typeof code === 'string'
        ? { code, ...(Object.keys(params).length > 0 ? { params } : {}) }
        : { code: GENERIC_FIELD_CODE };
    }
    case 'invalid_type':
      // zod leaves the input out of its issues; its message is the one place that says nothing was given.
      if (/received undefined$/.test(issue.message)) return { code: 'required' };
      if (issue.expected === 'int') return { code: 'not_whole' };
      if (issue.expected === 'number') return { code: 'not_a_number' };
      return { code: 'invalid_type', params: { expected: String(issue.expected) } };
    case 'too_small': {
      const minimum = numberParam(issue.minimum);
      if (origin === 'string') return minimum === 1 ? { code: 'required' } : { code: 'too_short', params: { minimum } };
      if (sized) return { code: 'too_few', params: { minimum } };
      return issue.inclusive === false
        ? { code: 'must_exceed', params: { minimum } }
        : { code: 'too_small', params: { minimum } };
    }
    case 'too_big': {
      const maximum = numberParam(issue.maximum);
      if (origin === 'string') return { code: 'too_long', params: { maximum } };
      if (sized) return { code: 'too_many', params: { maximum } };
      return issue.inclusive === false
        ? { code: 'must_be_below', params: { maximum } }
        : { code: 'too_big', params: { maximum } };
    }
    case 'invalid_format': {
      const format = String(issue.format);
      const code = FORMAT_CODES[format];
      return code === undefined ? { code: 'invalid_format', params: { format } } : { code };
    }
    case 'invalid_value':
      return { code: 'invalid_option', params: { options: (issue.values as unknown[]).map(String).join('|') } };
    case 'invalid_union': {
      if (Array.isArray(issue.options) && issue.discriminator !== undefined) {
        return { code: 'invalid_option', params: { options: (issue.options as unknown[]).map(String).join('|') } };
      }
      // `number or text` (a coordinate): when every branch refused the type, the union did too.
      const branches = (Array.isArray(issue.errors) ? issue.errors : []) as ZodIssueLike[][];
      const typeErrors = branches.map((branch) => (branch.length === 1 ? branch[0] : undefined));
      if (typeErrors.length > 0 && typeErrors.every((entry) => entry?.code === 'invalid_type')) {
        if (typeErrors.every((entry) => /received undefined$/.test(entry!.message))) return { code: 'required' };
        return {
          code: 'invalid_type',
          params: { expected: typeErrors.map((entry) => String(entry!.expected)).join('|') },
        };
      }
      return { code: GENERIC_FIELD_CODE };
    }
    case 'invalid_key':
      return { code: 'invalid_key' };
    case 'not_multiple_of':
      return { code: 'not_multiple_of', params: { divisor: numberParam(issue.divisor) } };
    case 'unrecognized_keys':
      return { code: 'unknown_field', params: { keys: (issue.keys as unknown[]).map(String).join('|') } };
    default:
      return { code: GENERIC_FIELD_CODE };
  }
}

function fieldsFromZod(issues: readonly ZodIssueLike[], prefix?: string): FieldProblem[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.') || 'body',
    ...fieldCodeOfZodIssue(issue),
    message: issue.message,
  }));
}

/**
 * Over HTTP, every "not found" reads the same, whether the record is not there or belongs to a team the caller
 * is not in: a different text (or an investigation id in it) would confirm that another team's record exists.
 */
export const notFoundDetail = 'It does not exist, or you cannot see it.';
function withCode(field: FieldProblem): FieldProblem & { code: string } {
  return {
    field: field.field,
    code: field.code ?? GENERIC_FIELD_CODE,
    ...(field.params ? { params: field.params } : {}),
    message: field.message,
  };
}

function fromDomain(error: DomainError, instance?: string): Problem {
  return {
    type: `https://armtrace.org/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error instanceof NotVisibleError ? notFoundDetail : error.message,
    code: error.code,
    ...(error.fields.length > 0 ? { fields: error.fields.map(withCode) } : {}),
    ...(instance === undefined ? {} : { instance }),
  };
}

/**
 * The one place where any error becomes a problem document. Domain errors keep
 * their code; validation errors name their fields; database constraint errors
 * are translated; anything else is an internal error with no detail leaked.
 */
export function toProblem(error: unknown, instance?: string): Problem {
  if (error instanceof DomainError) return fromDomain(error, instance);
  if (error instanceof ZodError) {
    const fields = fieldsFromZod(error.issues as unknown as readonly ZodIssueLike[]);
    return fromDomain(new DomainError('validation_failed', describeFields(fields), fields), instance);
  }
  if (hasZodFastifySchemaValidationErrors(error)) {
    const prefix = error.validationContext;
    const fields = error.validation.map((entry) => ({
      field:
        [prefix === 'body' ? undefined : prefix, ...entry.instancePath.split('/').filter(Boolean)]
          .filter(Boolean)
          .join('.') ||
        (prefix ?? 'body'),
      // The type provider keeps each zod issue's own properties in `params` and its code in `keyword`.
      ...fieldCodeOfZodIssue({ ...entry.params, code: entry.keyword, path: [], message: entry.message ?? '' }),
      message: entry.message ?? 'invalid',
    }));
    return fromDomain(new DomainError('validation_failed', describeFields(fields), fields), instance);
  }
  if (isResponseSerializationError(error)) {
    return fromDomain(new DomainError('internal', 'The server produced a response it could not send.'), instance);
  }
  const translated = translateDatabaseError(error);
  if (translated instanceof DomainError) return fromDomain(translated, instance);
  const status = (error as { statusCode?: number }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    const code = status === 404 ? 'not_found' : status === 413 ? 'validation_failed' : 'validation_failed';
    return {
      type: `https://armtrace.org/problems/${code}`,
      title: problemCatalogue[code].title,
      status,
      detail: (error as Error).message,
      code,
      ...(instance === undefined ? {} : { instance }),
    };
  }
  return fromDomain(new DomainError('internal', 'Something went wrong on the server; the error was logged.'), instance);
}

function describeFields(fields: FieldProblem[]): string {
  return fields.map((entry) => `${entry.field}: ${entry.message}`).join('; ');
}

export function isInternal(problem: Problem): boolean {
  return problem.status >= 500;
}
