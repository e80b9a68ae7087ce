import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { translateDatabaseError } from '../db/postgres-errors.js';
import { DomainError, NotVisibleError, problemCatalogue, type FieldProblem } from '../errors.js';
import { z } from 'zod';

/** RFC 9457 problem details, with armtrace's stable `code` and the fields at fault. */
export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number().int(),
  detail: z.string(),
  code: z.string(),
  fields: z
    .array(
      z.object({
        field: z.string(),
        message: z.string(),
        code: z.string().optional(),
        params: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
      }),
    )
    .optional(),
  instance: z.string().optional(),
});
export type Problem = z.infer<typeof problemSchema>;

/**
 * The code and parameters a custom zod issue carries (`params: { code, … }`, e.g. the site polygon rules), as a
 * field problem's `code` and `params`.
 */
export function customFieldCode(params: unknown): Pick<FieldProblem, 'code' | 'params'> {
  if (params === null || typeof params !== 'object' || typeof (params as { code?: unknown }).code !== 'string') {
    return {};
  }
  const { code, ...rest } = params as { code: string } & Record<string, unknown>;
  const values = Object.fromEntries(
    Object.entries(rest).filter((entry): entry is [string, string | number] =>
      ['string', 'number'].includes(typeof entry[1]),
    ),
  );
  return { code, ...(Object.keys(values).length > 0 ? { params: values } : {}) };
}

function fieldsFromZod(
  issues: readonly { path: readonly PropertyKey[]; message: string; params?: unknown }[],
  prefix?: string,
): FieldProblem[] {
  return issues.map((issue) => ({
    field: [prefix, ...issue.path.map(String)].filter((part) => part !== undefined && part !== '').join('.') || 'body',
    message: issue.message,
    ...customFieldCode(issue.params),
  }));
}

/**
 * Over HTTP, every "not found" reads the same, whether the record is not there or belongs to a team the caller
 * is not in: a different text (or an investigation id in it) would confirm that another team's record exists.
 */
export const notFoundDetail = 'It does not exist, or you cannot see it.';

function fromDomain(error: DomainError, instance?: string): Problem {
  return {
    type: `https://armtrace.org/problems/${error.code}`,
    title: error.title,
    status: error.status,
    detail: error instanceof NotVisibleError ? notFoundDetail : error.message,
    code: error.code,
    ...(error.fields.length > 0 ? { fields: error.fields } : {}),
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
    const fields = fieldsFromZod(error.issues);
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
      message: entry.message ?? 'invalid',
      ...customFieldCode((entry.params as { params?: unknown } | undefined)?.params),
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
