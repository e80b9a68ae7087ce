/**
 * One check at the boundary, before any route sees its input: every string in
 * a JSON body (keys too), the query string and the path parameters must be
 * storable exactly as sent. PostgreSQL refuses NUL (a 500 before this check),
 * and a lone UTF-16 surrogate (which `JSON.parse` makes of `"\ud800"`) has no
 * UTF-8 form, so the driver would store U+FFFD in its place (a silent change).
 * Either is refused with 400 `validation_failed` naming the field, code
 * `text_not_storable`. Multipart text fields are streamed past this hook, so
 * the upload route checks them with {@link multipartFieldText}; CSV cells
 * are checked by the importer.
 */
import type { FastifyInstance } from 'fastify';
import { DomainError, type FieldProblem } from '../errors.js';
import { describeUnstorable, findUnstorableCharacter } from '../parsing/storable-text.js';

const PROBLEMS_SHOWN = 20;

/**
 * The field problem for a text that cannot be stored exactly, or null when it can.
 *
 * @example
 * const problem = unstorableFieldProblem('credit', 'A\u0000'); // { field: 'credit', code: 'text_not_storable', … }
 */
export function unstorableFieldProblem(field: string, text: string): FieldProblem | null {
  const found = findUnstorableCharacter(text);
  if (found === null) return null;
  return {
    field,
    message: describeUnstorable(found),
    code: 'text_not_storable',
    params: { character: found.character, position: found.index + 1 },
  };
}

/** Every string in a parsed value (object keys too), with its dotted path. */
function collect(value: unknown, path: string, problems: FieldProblem[]): void {
  if (problems.length >= PROBLEMS_SHOWN) return;
  if (typeof value === 'string') {
    const problem = unstorableFieldProblem(path, value);
    if (problem !== null) problems.push(problem);
  } else if (Array.isArray(value)) {
    value.forEach((entry, index) => collect(entry, join(path, String(index)), problems));
  } else if (isPlainObject(value)) {
    for (const [key, entry] of Object.entries(value)) {
      const keyProblem = unstorableFieldProblem(join(path, key), key);
      if (keyProblem !== null)
        problems.push({ ...keyProblem, message: `the name of this field ${keyProblem.message}` });
      collect(entry, join(path, key), problems);
    }
  }
}

/** Parsed JSON, query strings and params are walked; streams and binary data (uploads) are not. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object') return false;
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return false;
  return typeof (value as { pipe?: unknown }).pipe !== 'function';
}

const join = (path: string, key: string) => (path === '' ? key : `${path}.${key}`);

/**
 * Refuses any request whose body, query string or path parameters hold text
 * that cannot be stored exactly. Registered once on the root instance, before
 * the routes, so that it runs for every route.
 *
 * @example
 * registerStorableInputCheck(app);
 */
export function registerStorableInputCheck(app: FastifyInstance): void {
  app.addHook('preValidation', (request, _reply, done) => {
    const problems: FieldProblem[] = [];
    collect(request.params, 'params', problems);
    collect(request.query, 'querystring', problems);
    const body: unknown = request.body;
    if (typeof body === 'string') collect(body, 'body', problems);
    else collect(body, '', problems);
    if (problems.length === 0) {
      done();
      return;
    }
    done(
      new DomainError(
        'validation_failed',
        problems.map((problem) => `${problem.field}: ${problem.message}`).join('; '),
        problems,
      ),
    );
  });
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The text of a multipart field, or the field problem when its bytes are not valid UTF-8. The parser is told to
 * decode parts as latin1 (`defCharset`), which keeps every byte as one character, so the bytes are decoded here
 * strictly instead of being silently replaced by U+FFFD. A part that declared its own charset was decoded by the
 * parser already (characters above U+00FF show it); a U+FFFD in it may be a replaced byte, so it is refused.
 *
 * @example
 * multipartFieldText('credit', Buffer.from('Фото', 'utf8').toString('latin1')); // { text: 'Фото' }
 * multipartFieldText('credit', '\xff'); // { problem: { field: 'credit', code: 'text_not_storable', … } }
 */
export function multipartFieldText(field: string, value: string): { text: string } | { problem: FieldProblem } {
  let text = value;
  if (/[\u0100-\uffff]/.test(value)) {
    const replaced = value.indexOf('\ufffd');
    if (replaced !== -1) return { problem: invalidUtf8Problem(field, replaced) };
  } else {
    try {
      text = strictUtf8.decode(Buffer.from(value, 'latin1'));
    } catch {
      return { problem: invalidUtf8Problem(field, firstInvalidUtf8Byte(Buffer.from(value, 'latin1'))) };
    }
  }
  const problem = unstorableFieldProblem(field, text);
  return problem === null ? { text } : { problem };
}

/**
 * The file name of a multipart upload, or the field problem when it may have been altered: the parser always
 * decodes file names (plain and RFC 5987 `filename*`) as UTF-8 replacing invalid bytes by U+FFFD, so a U+FFFD
 * cannot be told apart from a replaced byte and is refused.
 *
 * @example
 * multipartFileNameProblem('file', 'تقرير.pdf'); // null
 * multipartFileNameProblem('file', 'scan\ufffd.pdf'); // { field: 'file', code: 'text_not_storable', … }
 */
export function multipartFileNameProblem(field: string, filename: string): FieldProblem | null {
  const replaced = filename.indexOf('\ufffd');
  const problem = replaced === -1 ? unstorableFieldProblem(field, filename) : invalidUtf8Problem(field, replaced);
  return problem === null ? null : { ...problem, message: `the file name ${problem.message}` };
}

function invalidUtf8Problem(field: string, index: number): FieldProblem {
  return {
    field,
    message: `contains bytes that are not valid UTF-8 (or U+FFFD) at position ${index + 1}, which cannot be stored exactly; send the text encoded as UTF-8`,
    code: 'text_not_storable',
    params: { character: 'invalid UTF-8', position: index + 1 },
  };
}

/** The index of the first byte of the first sequence that is not valid UTF-8 (fields are at most 10 000 bytes). */
function firstInvalidUtf8Byte(bytes: Buffer): number {
  let validUpTo = 0;
  for (let end = 1; end <= bytes.length; end++) {
    try {
      strictUtf8.decode(bytes.subarray(0, end), { stream: true });
    } catch {
      return validUpTo;
    }
    try {
      strictUtf8.decode(bytes.subarray(0, end));
      validUpTo = end;
    } catch {
      // An incomplete sequence so far: it may still be completed by the next byte.
    }
  }
  return validUpTo;
}
