import { AsyncLocalStorage } from 'node:async_hooks';
import type { PGlite } from '@electric-sql/pglite';
import {
  CompiledQuery,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  type QueryResult,
} from 'kysely';
import { copyFromStdinData } from './copy.js';

/** The database time one unit of work (an HTTP request, a command) has had so far. */
interface DatabaseShare {
  usedMs: number;
}

const shares = new AsyncLocalStorage<DatabaseShare>();
// Work outside any unit (start-up, table maintenance) counts as one unit of its own.
const backgroundShare: DatabaseShare = { usedMs: 0 };
// When a unit (a request) last began or asked the embedded database for its connection.
let lastUnitRequestAt = Number.NEGATIVE_INFINITY;

/**
 * How long no unit (HTTP request) has begun or asked the embedded database for its connection, in milliseconds:
 * table maintenance waits for such a quiet moment before a pass that would hold the connection for seconds.
 */
export function embeddedIdleMs(): number {
  return performance.now() - lastUnitRequestAt;
}

/**
 * Runs `work` as one unit for the embedded database's scheduler: while callers
 * wait for the single connection, the unit that has had the least database
 * time so far goes first ("least attained service"). A request that needs a
 * few milliseconds is then served between the statements of ten long searches
 * instead of behind all of them; the searches share what is left. No effect on
 * PostgreSQL, whose pool serves requests side by side.
 *
 * @example
 * app.addHook('onRequest', (_request, _reply, done) => runAsDatabaseUnit(done));
 */
export function runAsDatabaseUnit<T>(work: () => T): T {
  lastUnitRequestAt = performance.now();
  return shares.run({ usedMs: 0 }, work);
}

/**
 * The embedded database's time the current unit (an HTTP request) has held the connection so far, in
 * milliseconds; undefined outside a unit. Only the embedded database's driver counts it (PostgreSQL serves
 * requests side by side, so there it stays 0).
 */
export function databaseTimeOfUnit(): number | undefined {
  return shares.getStore()?.usedMs;
}

interface Waiter {
  share: DatabaseShare;
  order: number;
  grant: () => void;
}

/**
 * Kysely dialect for PGlite. PGlite is one connection in one process, so the
 * driver hands that connection to one caller at a time: a transaction holds it
 * from BEGIN to COMMIT and every other query waits, as with a pool of size 1.
 * Waiters are served least-served unit first (see {@link runAsDatabaseUnit}).
 */
export class PGliteDialect implements Dialect {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PGliteDriver(this.#pglite);
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }
}

class PGliteDriver implements Driver {
  readonly #connection: PGliteConnection;
  readonly #waiting: Waiter[] = [];
  #arrivals = 0;
  #holder: { share: DatabaseShare; since: number } | undefined;

  constructor(pglite: PGlite) {
    this.#connection = new PGliteConnection(pglite);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    const share = shares.getStore() ?? backgroundShare;
    if (share !== backgroundShare) lastUnitRequestAt = performance.now();
    if (this.#holder === undefined && this.#waiting.length === 0) {
      this.#holder = { share, since: performance.now() };
    } else {
      // Granted by #handOver, which marks this waiter as the holder.
      await new Promise<void>((grant) => {
        this.#waiting.push({ share, order: this.#arrivals++, grant });
      });
    }
    return this.#connection;
  }

  /**
   * Gives the connection to the least-served waiter, one event-loop turn after
   * the release. PGlite runs on this thread: handing over at once would chain
   * statement after statement in microtasks, and requests that arrived
   * meanwhile would not even be read until every queued statement had run.
   */
  #handOver = (): void => {
    if (this.#holder !== undefined || this.#waiting.length === 0) return;
    let next = 0;
    for (let index = 1; index < this.#waiting.length; index += 1) {
      const candidate = this.#waiting[index]!;
      const best = this.#waiting[next]!;
      if (
        candidate.share.usedMs < best.share.usedMs ||
        (candidate.share.usedMs === best.share.usedMs && candidate.order < best.order)
      ) {
        next = index;
      }
    }
    const [waiter] = this.#waiting.splice(next, 1);
    this.#holder = { share: waiter!.share, since: performance.now() };
    waiter!.grant();
  };

  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('begin'));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  releaseConnection(): Promise<void> {
    const holder = this.#holder;
    if (holder !== undefined) holder.share.usedMs += performance.now() - holder.since;
    this.#holder = undefined;
    if (this.#waiting.length > 0) setImmediate(this.#handOver);
    return Promise.resolve();
  }

  async destroy(): Promise<void> {}
}

class PGliteConnection implements DatabaseConnection {
  readonly #pglite: PGlite;

  constructor(pglite: PGlite) {
    this.#pglite = pglite;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const copyData = copyFromStdinData(compiledQuery.sql, compiledQuery.parameters);
    // COPY … FROM STDIN (src/db/copy.ts): PGlite reads COPY's input from a blob given as '/dev/blob'.
    const result =
      copyData === undefined
        ? await this.#pglite.query<R>(compiledQuery.sql, [...compiledQuery.parameters])
        : await this.#pglite.query<R>(compiledQuery.sql.replace(/\bSTDIN\s*$/i, "'/dev/blob'"), [], {
            blob: new Blob([copyData]),
          });
    const affected = result.affectedRows ?? 0;
    return {
      rows: result.rows,
      numAffectedRows: BigInt(affected),
    };
  }

  streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('PGlite does not support streaming queries');
  }
}
