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
  too_many_attempts: { status: 429, title: 'Too many failed attempts; wait before trying again' },
  data_dir_locked: { status: 503, title: 'The data directory is in use by another process' },
  internal: { status: 500, title: 'Internal error' },
} as const;

export type ProblemCode = keyof typeof problemCatalogue;

/** One field-level complaint, named by its path in the input (e.g. `markings.1.text`). */
export interface FieldProblem {
  field: string;
  message: string;
  /** A stable code for clients to translate the message by (e.g. `text_not_storable`). */
  code?: string;
  /** The values the message names, for the translation's placeholders. */
  params?: Record<string, string | number>;
}

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
