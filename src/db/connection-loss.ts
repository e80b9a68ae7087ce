/**
 * What armtrace says when the connection to PostgreSQL is lost (a failover, a restart, a network cut) or the
 * server cannot take writes (a standby during a switch-over).
 *
 * A write runs in one transaction. When the connection dies before COMMIT was sent, PostgreSQL rolls the
 * transaction back: nothing was saved, and the request may be sent again (`database_unavailable`). When it dies
 * after COMMIT was sent and before the answer came back, nobody on this side can know whether the server
 * committed: the request fails with `commit_outcome_unknown`, which says so instead of guessing. The client
 * tells the two apart afterwards by reading the record (or the audit log), or by sending the create again
 * with the same client id (`id` of a new record, the operation id of a sync): a create that was saved is then
 * refused with `already_exists` (or answered from the sync log), never applied twice.
 *
 * The pool itself recovers alone: pg drops a connection that failed, and the next request opens a new one
 * (through HAProxy, to the new primary).
 */
import type pg from 'pg';
import { DomainError } from '../errors.js';

/** Node's socket errors that mean the server is not reachable or went away. */
const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);

/**
 * PostgreSQL's SQLSTATEs of the same meaning: the connection's classes (08…), a shut-down or starting server
 * (57P01–57P03), and a write sent to a standby (25006), which a failover can cause for a moment. Not a protocol
 * violation (08P01): that is a set-up error (e.g. pgbouncer refusing a startup parameter), which waiting does
 * not cure, so it stays an internal error with its message in the log.
 */
function isUnavailableState(code: string): boolean {
  if (code === '08P01') return false;
  return code.startsWith('08') || code === '57P01' || code === '57P02' || code === '57P03' || code === '25006';
}

/** The texts pg gives errors of a closed or unusable connection (they have no code). */
const CONNECTION_MESSAGES = [
  /^Connection terminated/,
  /connection error and is not queryable/,
  /^timeout exceeded when trying to connect$/,
  /^Client was closed and is not queryable$/,
];

/**
 * Whether an error means the database is gone or cannot take writes now (so the request may succeed later),
 * rather than a refusal of this request.
 *
 * @example
 * isConnectionLoss(Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })); // true
 * isConnectionLoss(Object.assign(new Error('duplicate key'), { code: '23505' })); // false
 */
export function isConnectionLoss(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string') {
    if (NETWORK_ERROR_CODES.has(code)) return true;
    if (/^[0-9A-Z]{5}$/.test(code)) return isUnavailableState(code);
  }
  return CONNECTION_MESSAGES.some((pattern) => pattern.test(error.message));
}

/** The error of a request whose change was certainly not saved. */
export function databaseUnavailableError(): DomainError {
  return new DomainError(
    'database_unavailable',
    'The database could not be reached, or the connection to it was lost (for example while a standby takes over). Nothing was saved; send the request again in a few seconds.',
  );
}

/** The error of a request whose COMMIT was sent but not answered. */
export function commitOutcomeUnknownError(): DomainError {
  return new DomainError(
    'commit_outcome_unknown',
    'The connection to the database was lost after the change was sent to be saved, before the database confirmed it: it may or may not have been saved. Look for the record (or in the audit log) before sending it again; a create sent again with the same id is refused with already_exists if it was saved, never stored twice.',
  );
}

type TransactionState = 'none' | 'open' | 'committing';

/** How a statement changes the transaction state of its connection (Kysely sends these as plain text). */
function statementKind(sql: string): 'begin' | 'commit' | 'rollback' | 'read' | 'other' {
  const head = sql.trimStart().slice(0, 20).toLowerCase();
  if (head.startsWith('begin') || head.startsWith('start transaction')) return 'begin';
  if (head.startsWith('commit') || head.startsWith('end')) return 'commit';
  if (head.startsWith('rollback') && !/^rollback\s+to\b/.test(head)) return 'rollback';
  if (head.startsWith('select') || head.startsWith('show')) return 'read';
  return 'other';
}

const wrappers = new WeakMap<pg.PoolClient, pg.PoolClient>();

/**
 * Wraps a pool client so that a statement failing because the connection is lost rejects with
 * `database_unavailable` or, when the lost statement was the COMMIT (or a lone write outside a transaction),
 * with `commit_outcome_unknown`; every later statement on that client (Kysely's ROLLBACK) rejects with the same
 * error, so the caller sees what happened to its change, not the failed ROLLBACK. The client also gets an
 * 'error' listener: a connection that dies while checked out (between two statements of a transaction) would
 * otherwise be an unheard 'error' event, which ends the process.
 *
 * @example
 * const dialectPool = { connect: async () => withConnectionLossReported(await pool.connect()), end: () => pool.end() };
 */
export function withConnectionLossReported(client: pg.PoolClient): pg.PoolClient {
  const known = wrappers.get(client);
  if (known !== undefined) return known;
  // The failed query reports the loss; the event itself needs no more than being heard.
  client.on('error', () => undefined);
  let state: TransactionState = 'none';
  let lost: DomainError | undefined;
  const wrapped = new Proxy(client, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property !== 'query' || typeof value !== 'function') {
        return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
      }
      const query = value as (...args: unknown[]) => unknown;
      return (...args: unknown[]) => {
        const [statement] = args;
        // Streams (COPY) and callback calls pass through; Kysely's calls are (text, parameters) promises.
        if (typeof statement !== 'string' || typeof args[args.length - 1] === 'function') {
          return query.apply(target, args);
        }
        if (lost !== undefined) return Promise.reject(lost);
        const kind = statementKind(statement);
        if (kind === 'commit' && state === 'open') state = 'committing';
        const result = query.apply(target, args) as Promise<unknown>;
        return result.then(
          (answer) => {
            if (kind === 'begin') state = 'open';
            else if (kind === 'commit' || kind === 'rollback') state = 'none';
            return answer;
          },
          (error: unknown) => {
            if (!isConnectionLoss(error)) throw error;
            // A write refused by a standby saved nothing, and the connection still works (for the ROLLBACK).
            if ((error as { code?: unknown }).code === '25006') throw databaseUnavailableError();
            const outcomeUnknown = state === 'committing' || (state === 'none' && kind === 'other');
            lost = outcomeUnknown ? commitOutcomeUnknownError() : databaseUnavailableError();
            throw lost;
          },
        );
      };
    },
  });
  wrappers.set(client, wrapped);
  return wrapped;
}

/**
 * Opens a pool connection; a server that cannot be reached (or is starting, or refuses connections during a
 * switch-over) is `database_unavailable`.
 *
 * @example
 * const client = await connectOrUnavailable(pool);
 */
export async function connectOrUnavailable(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (error) {
    if (isConnectionLoss(error)) throw databaseUnavailableError();
    throw error;
  }
}
