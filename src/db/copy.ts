/**
 * Bulk loading through `COPY … FROM STDIN`, on either database, inside a
 * Kysely transaction.
 *
 * The hook: a statement `COPY table (columns) FROM STDIN` executed through
 * Kysely with exactly one parameter, the data in COPY's text format, is run by
 * the connection itself as a COPY (see `copyFromStdinData`): on PostgreSQL the
 * pool's clients are wrapped (src/db/database.ts) so that such a statement
 * goes through pg-copy-streams on the same client, hence the same
 * transaction; on PGlite the dialect (src/db/pglite-dialect.ts) runs it as
 * `COPY … FROM '/dev/blob'` with the data as the blob. Features call
 * {@link copyRows}; they never see a client or a PGlite instance.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Queryable } from './versioned.js';

/** A value COPY's text format can carry: text, a number, a boolean, or NULL. */
export type CopyValue = string | number | boolean | null;

const COPY_FROM_STDIN = /^COPY\s[^;]+\sFROM\s+STDIN\s*$/i;
const NEEDS_ESCAPE = /[\\\n\r\t]/;
const ESCAPED = /[\\\n\r\t]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** One value in COPY's text format (backslash escapes; `\N` is NULL). */
function copyField(value: CopyValue): string {
  if (value === null) return '\\N';
  if (typeof value !== 'string') return String(value);
  return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPED, (character) => ESCAPES[character]!) : value;
}

/**
 * Rows as COPY's text format: fields separated by tabs, one row a line.
 *
 * @example
 * copyText([['a\tb', null, 3]]); // 'a\\tb\t\\N\t3\n'
 */
export function copyText(rows: Iterable<readonly CopyValue[]>): string {
  const lines: string[] = [];
  for (const row of rows) {
    let line = '';
    for (let index = 0; index < row.length; index += 1) {
      if (index > 0) line += '\t';
      line += copyField(row[index]!);
    }
    lines.push(line);
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/**
 * The data of a `COPY … FROM STDIN` statement as the connections recognise
 * it (the statement and its one parameter), or undefined for any other
 * statement.
 */
export function copyFromStdinData(sql: string, parameters: readonly unknown[]): string | undefined {
  if (parameters.length !== 1 || typeof parameters[0] !== 'string' || !COPY_FROM_STDIN.test(sql)) return undefined;
  return parameters[0];
}

/** Runs `COPY … FROM STDIN` on a pg client with `data` as the input; the number of rows copied. */
export async function copyFromStdinOnClient(client: pg.ClientBase, sql: string, data: string): Promise<number> {
  const { from: copyFrom } = await import('pg-copy-streams');
  const stream = client.query(copyFrom(sql));
  await pipeline(Readable.from([Buffer.from(data, 'utf8')]), stream);
  return stream.rowCount;
}

/**
 * Wraps a pg pool client so that a `COPY … FROM STDIN` statement with its data
 * as the one parameter runs as a COPY on that client; every other call goes
 * to the client unchanged. The same wrapper is returned for the same client
 * (Kysely keeps one connection object per client).
 *
 * @example
 * const dialectPool = { connect: async () => withCopyFromStdin(await pool.connect()), end: () => pool.end() };
 */
export function withCopyFromStdin(client: pg.PoolClient): pg.PoolClient {
  const known = wrappers.get(client);
  if (known !== undefined) return known;
  const wrapped = new Proxy(client, {
    get(target, property, receiver) {
      if (property !== 'query') {
        const value: unknown = Reflect.get(target, property, receiver);
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      return (...args: unknown[]) => {
        const [statement, parameters] = args;
        const data =
          typeof statement === 'string' && Array.isArray(parameters)
            ? copyFromStdinData(statement, parameters)
            : undefined;
        if (data === undefined) return (target.query as (...given: unknown[]) => unknown).apply(target, args);
        return copyFromStdinOnClient(target, statement as string, data).then((rowCount) => ({
          command: 'COPY',
          rowCount,
          rows: [],
        }));
      };
    },
  });
  wrappers.set(client, wrapped);
  return wrapped;
}

const wrappers = new WeakMap<pg.PoolClient, pg.PoolClient>();

/**
 * Loads rows into a table with `COPY … FROM STDIN`, on the connection (and in
 * the transaction) of `db`. Column defaults, constraints, indexes and
 * statement triggers apply as for an INSERT; no rows are read back.
 *
 * @example
 * await db.transaction().execute(async (trx) => {
 *   await copyRows(trx, 'markings', ['id', 'item_id', 'text'], [[id, itemId, 'AK 104512']]);
 * });
 */
export async function copyRows(
  db: Queryable,
  table: string,
  columns: readonly string[],
  rows: Iterable<readonly CopyValue[]>,
): Promise<void> {
  const data = copyText(rows);
  if (data === '') return;
  const quoted = (name: string) => `"${name.replaceAll('"', '""')}"`;
  await db.executeQuery(
    CompiledQuery.raw(`COPY ${quoted(table)} (${columns.map(quoted).join(', ')}) FROM STDIN`, [data]),
  );
}
