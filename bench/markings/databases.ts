/**
 * The databases the marking benchmark runs on: PGlite in a temporary data
 * directory, and PostgreSQL, either a fresh database on the server named by
 * DATABASE_URL or a throwaway cluster started here the way
 * scripts/test-all.sh starts one (PostgreSQL's own binaries, deleted on exit).
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { fuzzystrmatch } from '@electric-sql/pglite/contrib/fuzzystrmatch';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { unaccent } from '@electric-sql/pglite/contrib/unaccent';
import { Kysely } from 'kysely';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database.js';
import { PGliteDialect } from '../../src/db/pglite-dialect.js';
import type { DB } from '../../src/db/tables.js';

export interface BenchDatabase {
  database: Database;
  label: string;
  /** COPY a CSV file (with a header line) into a table, as fast as the database can. */
  copyCsv(table: string, columns: readonly string[], file: string): Promise<void>;
  close(): Promise<void>;
}

const INT8 = 20;
const NUMERIC = 1700;
const DATE = 1082;

/** PGlite as armtrace opens it (same extensions and type parsers), with the handle COPY needs. */
export async function openPGliteBench(): Promise<BenchDatabase> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bench-pglite-'));
  const pglite = await PGlite.create({
    dataDir,
    extensions: { pg_trgm, fuzzystrmatch, unaccent },
    parsers: { [INT8]: Number, [NUMERIC]: Number, [DATE]: (value: string) => value },
  });
  const db = new Kysely<DB>({ dialect: new PGliteDialect(pglite) });
  const database: Database = {
    db,
    kind: 'pglite',
    async execScript(script) {
      await pglite.exec(script);
    },
    async close() {
      await db.destroy();
      await pglite.close();
    },
  };
  return {
    database,
    label: 'PGlite',
    async copyCsv(table, columns, file) {
      await pglite.query(`COPY ${table} (${columns.join(', ')}) FROM '/dev/blob' WITH (FORMAT csv, HEADER true)`, [], {
        blob: new Blob([fs.readFileSync(file)]),
      });
    },
    async close() {
      await database.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address() as net.AddressInfo;
      server.close(() => resolve(address.port));
    });
  });
}

function postgresBinaries(): string {
  const root = '/usr/lib/postgresql';
  const versions = fs.existsSync(root) ? fs.readdirSync(root).sort((a, b) => Number(b) - Number(a)) : [];
  for (const version of versions) {
    const bin = path.join(root, version, 'bin');
    if (fs.existsSync(path.join(bin, 'initdb'))) return bin;
  }
  throw new Error('PostgreSQL binaries were not found under /usr/lib/postgresql/*/bin; set DATABASE_URL instead.');
}

/** A throwaway PostgreSQL cluster; as root it belongs to the `postgres` user, like in scripts/test-all.sh. */
async function startCluster(): Promise<{ url: string; stop(): void }> {
  const bin = postgresBinaries();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-bench-pg-'));
  const asRoot = process.getuid?.() === 0;
  if (asRoot) execFileSync('chown', ['postgres:', dir]);
  const run = (command: string, args: string[]) => {
    const [file, fullArgs] = asRoot ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args];
    const result = spawnSync(file, fullArgs, { cwd: dir, encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr}${result.stdout}`);
  };
  const port = await freePort();
  const data = path.join(dir, 'data');
  run(path.join(bin, 'initdb'), ['-D', data, '-U', 'postgres', '--auth=trust', '--no-locale', '-E', 'UTF8']);
  run(path.join(bin, 'pg_ctl'), [
    '-D',
    data,
    '-l',
    path.join(dir, 'server.log'),
    '-w',
    '-t',
    '60',
    'start',
    '-o',
    `-c listen_addresses=127.0.0.1 -p ${port} -k ${dir} -c shared_buffers=256MB -c max_wal_size=4GB`,
  ]);
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    stop() {
      try {
        run(path.join(bin, 'pg_ctl'), ['-D', data, '-m', 'fast', '-w', 'stop']);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}

/** A fresh database on DATABASE_URL's server, or on a throwaway cluster. */
export async function openPostgresBench(serverUrl: string | undefined): Promise<BenchDatabase> {
  const cluster = serverUrl === undefined ? await startCluster() : undefined;
  const server = serverUrl ?? cluster!.url;
  const name = `armtrace_bench_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const url = new URL(server);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  return {
    database,
    label: 'PostgreSQL',
    copyCsv(table, columns, file) {
      const result = spawnSync(
        'psql',
        [
          url.toString(),
          '-v',
          'ON_ERROR_STOP=1',
          '-c',
          `\\copy ${table} (${columns.join(', ')}) FROM '${file}' WITH (FORMAT csv, HEADER true)`,
        ],
        { encoding: 'utf8' },
      );
      if (result.status !== 0) return Promise.reject(new Error(`psql \\copy failed: ${result.stderr}`));
      return Promise.resolve();
    },
    async close() {
      await database.close();
      const cleanup = new pg.Client({ connectionString: server });
      await cleanup.connect();
      await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await cleanup.end();
      cluster?.stop();
    },
  };
}
