import { coordinateProblemCodes } from './parsing/coordinates.js';

/**
 * The one catalogue of problems armtrace reports. Each has a stable code that
 * clients may depend on, an HTTP status used only by the HTTP layer, and a
 * title. Services throw {@link DomainError}; `src/http/problem.ts` turns it
 * into RFC 9457 problem+json and the CLI prints it.
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
  timestamp_failed: { status: 502, title: 'The time-stamping authority did not give a valid timestamp' },
  // 409, not 503: the server works; this instance is set up without a TSA, which an administrator can change.
  timestamp_not_configured: { status: 409, title: 'No time-stamping authority is configured' },
  // The database is unreachable or switching to a standby (src/db/connection-loss.ts): nothing was saved, retry.
  database_unavailable: { status: 503, title: 'The database is not available; nothing was saved' },
  // The connection was lost after COMMIT was sent: the change may or may not be saved; check before retrying.
  commit_outcome_unknown: { status: 503, title: 'The database did not confirm the change; it may or may not be saved' },
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
