import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import { acquireDataDirLock, type DataDirLock } from './data-dir-lock.js';
import { connectOrUnavailable, withConnectionLossReported } from './connection-loss.js';
import { withCopyFromStdin } from './copy.js';
import { PGliteDialect } from './pglite-dialect.js';
import type { DB } from './tables.js';

export type DatabaseKind = 'pglite' | 'postgres';

/** An open database: the typed query builder plus what only the owner of the connection may do. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly kind: DatabaseKind;
  /** Runs a multi-statement SQL script (migrations). */
  execScript(script: string): Promise<void>;
  /** PGlite only: the whole data directory as a tar archive, which `loadDataDir` opens again (the tests' snapshot). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

/**
 * Where the database lives. An in-memory PGlite may start from `loadDataDir`, a data directory saved with PGlite's
 * `dumpDataDir()` (the tests' migrated snapshot), instead of running initdb.
 */
export type DatabaseTarget =
  | { kind: 'postgres'; url: string }
  | { kind: 'pglite'; dataDir: string }
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

// Both drivers return the same JavaScript types: counts as numbers, dates as
// 'YYYY-MM-DD' strings (never a local-midnight Date), timestamps as Date.
const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

function toNumber(value: string): number {
  return Number(value);
}

function keepText(value: string): string {
  return value;
}

async function openPGlite(dataDir: string | undefined, loadDataDir?: Blob): Promise<PGlite> {
  return PGlite.create({
    ...(dataDir === undefined ? {} : { dataDir }),
    ...(loadDataDir === undefined ? {} : { loadDataDir }),
    extensions: { pg_trgm, fuzzystrmatch, unaccent },
    parsers: { [INT8]: toNumber, [NUMERIC]: toNumber, [DATE]: keepText },
  });
}

/**
 * Opens the embedded database (taking the data-directory lock) or a
 * PostgreSQL server.
 *
 * @example
 * const database = await openDatabase({ kind: 'pglite', dataDir: './armtrace-data' });
 * const sites = await database.db.selectFrom('sites').selectAll().execute();
 * await database.close();
 */
export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const typeOverrides = new pg.TypeOverrides();
    typeOverrides.setTypeParser(INT8, toNumber);
    typeOverrides.setTypeParser(NUMERIC, toNumber);
    typeOverrides.setTypeParser(DATE, keepText);
    // No JIT compilation: armtrace's queries are short, and at a million
    // markings the planner's estimates for a marking search pass the JIT
    // threshold, so every search would compile its expressions (about 90 ms)
    // to save a few milliseconds of execution.
    const pool = new pg.Pool({
      connectionString: target.url,
      types: typeOverrides,
      max: 10,
      options: '-c jit=off',
      // During a failover the address may accept nothing for a while: a request waits this long, then gets
      // database_unavailable instead of hanging. pg-pool applies the same limit to waiting for a free pooled
      // connection, so it is generous: a busy server queues requests, it does not refuse them.
      connectionTimeoutMillis: 30_000,
      // A primary that vanished without closing its sockets (a machine gone) is noticed by TCP keepalives.
      keepAlive: true,
    });
    // An idle connection the server drops (a restart, an administrator, a
    // dropped test database) is an 'error' event; unheard, it ends the
    // process. The pool has already discarded the connection and opens a new
    // one when needed, so saying so is all there is to do.
    pool.on('error', (error) => {
      process.stderr.write(
        `armtrace: an idle database connection was closed (${error.message}); it will be replaced\n`,
      );
    });
    // The clients Kysely gets run `COPY … FROM STDIN` statements as COPYs (src/db/copy.ts).
    // They also report a lost connection as database_unavailable or commit_outcome_unknown (src/db/connection-loss.ts).
    const dialectPool = {
      connect: async () => withConnectionLossReported(withCopyFromStdin(await connectOrUnavailable(pool))),
      end: () => pool.end(),
    };
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool: dialectPool }) });
    return {
      db,
      kind: 'postgres',
      async execScript(script) {
        // No parameters: pg uses the simple query protocol, which accepts many statements.
        await pool.query(script);
      },
      async close() {
        await db.destroy();
      },
    };
  }

  let lock: DataDirLock | undefined;
  let pglite: PGlite;
  if (target.kind === 'pglite') {
    lock = acquireDataDirLock(target.dataDir);
    try {
      pglite = await openPGlite(path.join(target.dataDir, 'pgdata'));
    } catch (error) {
      lock.release();
      throw error;
    }
  } else {
    pglite = await openPGlite(undefined, target.loadDataDir);
  }
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  return {
    db,
    kind: 'pglite',
    async execScript(script) {
      await pglite.exec(script);
    },
    dumpDataDir: () => pglite.dumpDataDir('none'),
    async close() {
      await db.destroy();
      await pglite.close();
      lock?.release();
    },
  };
}
