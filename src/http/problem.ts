import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { ZodError } from 'zod';
import { translateDatabaseError } from '../db/postgres-errors.js';
import {
  DomainError,
  GENERIC_FIELD_CODE,
  NotVisibleError,
  problemCatalogue,
  type FieldProblem,
  type FieldProblemParams,
} from '../errors.js';
import { z } from 'zod';

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
