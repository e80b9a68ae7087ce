import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { DB } from '../db/tables.js';
import type { Actor } from '../features/access/schema.js';
import { createInvestigation } from '../features/investigations/service.js';
import { actorFor, createUser, findUserByUsername, systemActor } from '../features/users/service.js';
import { buildApp } from '../http/app.js';
import type { ApiApp } from '../http/types.js';

/**
 * A fresh, migrated database for one test file: in-memory PGlite by default (loaded from a snapshot of a migrated
 * data directory, see {@link pgliteSnapshot}), or a new database on the PostgreSQL server named by DATABASE_URL,
 * cloned from a migrated template and dropped afterwards. The same tests run on both. `migrated: false` leaves it
 * empty.
 */
export interface TestDatabase {
  database: Database;
  db: Kysely<DB>;
  kind: Database['kind'];
  /** The PostgreSQL connection URL of this database; undefined for in-memory PGlite. */
  url: string | undefined;
  close(): Promise<void>;
}

export async function createTestDatabase(options: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const migrated = options.migrated ?? true;
  const serverUrl = process.env.DATABASE_URL;
  if (serverUrl === undefined || serverUrl === '') {
    const database = await openDatabase({ kind: 'pglite-memory', loadDataDir: await pgliteSnapshot(migrated) });
    // Loaded from a migrated snapshot, so this only checks that every migration is recorded with its checksum.
    if (migrated) await migrate(database);
    return { database, db: database.db, kind: database.kind, url: undefined, close: () => database.close() };
  }
  const name = `armtrace_test_${randomBytes(6).toString('hex')}`;
  const template = migrated ? await migratedTemplate(serverUrl) : undefined;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query(
      template === undefined ? `CREATE DATABASE ${name}` : `CREATE DATABASE ${name} TEMPLATE ${template}`,
    );
  } finally {
    await admin.end();
  }
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  const database = await openDatabase({ kind: 'postgres', url: url.toString() });
  // Cloned from a migrated template, so this only checks that every migration is recorded with its checksum.
  if (migrated) await migrate(database);
  return {
    database,
    db: database.db,
    kind: database.kind,
    url: url.toString(),
    async close() {
      await database.close();
      await dropDatabase(serverUrl, name);
    },
  };
}

const migrationsDir = path.join(import.meta.dirname, '..', '..', 'migrations');

/** A digest of every migration of this checkout: a changed or added migration changes it. */
function migrationsDigest(): string {
  const digest = createHash('sha256');
  for (const file of fs
    .readdirSync(migrationsDir)
    .filter((entry) => entry.endsWith('.sql'))
    .sort()) {
    digest
      .update(file)
      .update('\0')
      .update(fs.readFileSync(path.join(migrationsDir, file)))
      .update('\0');
  }
  return digest.digest('hex');
}

const snapshots = new Map<boolean, Promise<Blob>>();

/**
 * A PGlite data directory right after initdb (and, if `migrated`, every migration), saved once as a tar archive in
 * the temporary folder and loaded by every test file: PGlite's initdb costs seconds of CPU and hundreds of MB per
 * database, loading the archive well under one. The file name carries a digest of the migrations, of the PGlite
 * version and of the code that opens and migrates a database, so a change to any of them builds a new snapshot;
 * it is written under a temporary name and renamed, so a process killed half-way leaves no half snapshot, and two
 * test processes that build it at once both write a whole one.
 */
function pgliteSnapshot(migrated: boolean): Promise<Blob> {
  let snapshot = snapshots.get(migrated);
  if (snapshot === undefined) {
    snapshot = loadOrBuildPgliteSnapshot(migrated);
    snapshots.set(migrated, snapshot);
  }
  return snapshot;
}

async function loadOrBuildPgliteSnapshot(migrated: boolean): Promise<Blob> {
  const repoRoot = path.join(import.meta.dirname, '..', '..');
  const key = createHash('sha256')
    .update(migrated ? migrationsDigest() : 'initdb only')
    .update(fs.readFileSync(path.join(repoRoot, 'node_modules', '@electric-sql', 'pglite', 'package.json')))
    .update(fs.readFileSync(path.join(repoRoot, 'src', 'db', 'database.ts')))
    .update(fs.readFileSync(path.join(repoRoot, 'src', 'db', 'migrate.ts')))
    .digest('hex')
    .slice(0, 24);
  const folder = path.join(os.tmpdir(), 'armtrace-test-pglite');
  const file = path.join(folder, `${migrated ? 'migrated' : 'initdb'}-${key}.tar`);
  if (fs.existsSync(file)) return new Blob([fs.readFileSync(file)]);
  const database = await openDatabase({ kind: 'pglite-memory' });
  let tarball: Blob;
  try {
    if (migrated) await migrate(database);
    if (database.dumpDataDir === undefined) throw new Error('The embedded database cannot dump its data directory.');
    tarball = await database.dumpDataDir();
  } finally {
    await database.close();
  }
  fs.mkdirSync(folder, { recursive: true });
  const building = `${file}.${process.pid}.${randomBytes(4).toString('hex')}`;
  fs.writeFileSync(building, Buffer.from(await tarball.arrayBuffer()));
  fs.renameSync(building, file);
  return tarball;
}

/**
 * The name of a database on the server that holds every migration of this checkout, created once (by whichever
 * test process asks first, the others waiting on an advisory lock) and cloned for each test file: copying a
 * template is much cheaper than running every migration again. The name carries a digest of the migrations, so
 * a changed migration gets a new template.
 */
async function migratedTemplate(serverUrl: string): Promise<string> {
  const template = `armtrace_template_${migrationsDigest().slice(0, 16)}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  try {
    await admin.query("SELECT pg_advisory_lock(hashtext('armtrace test template'))");
    const found = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [template]);
    if (found.rowCount === 0) {
      // Built under another name and renamed when complete: a process killed half-way leaves no half template.
      const building = `armtrace_building_${randomBytes(6).toString('hex')}`;
      await admin.query(`CREATE DATABASE ${building}`);
      const url = new URL(serverUrl);
      url.pathname = `/${building}`;
      const database = await openDatabase({ kind: 'postgres', url: url.toString() });
      try {
        await migrate(database);
      } finally {
        await database.close();
      }
      await waitForSessionsToLeave(admin, building);
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${template}`);
    }
  } finally {
    await admin.query("SELECT pg_advisory_unlock(hashtext('armtrace test template'))").catch(() => undefined);
    await admin.end();
  }
  return template;
}

async function waitForSessionsToLeave(client: pg.Client, name: string): Promise<void> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const sessions = await client.query('SELECT 1 FROM pg_stat_activity WHERE datname = $1', [name]);
    if (sessions.rowCount === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * pg's pool resolves `end()` before its sockets are closed; forcing the drop
 * while a backend is still going away makes that client emit an uncaught
 * "terminating connection" error. So wait for the sessions to leave, and
 * force only those a test left open.
 */
async function dropDatabase(serverUrl: string, name: string): Promise<void> {
  const cleanup = new pg.Client({ connectionString: serverUrl });
  await cleanup.connect();
  try {
    await waitForSessionsToLeave(cleanup, name);
    await cleanup.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  } finally {
    await cleanup.end();
  }
}

export const testPassword = 'correct horse battery staple';

/** Creates a user with {@link testPassword} and returns its actor. */
export async function createTestUser(db: Kysely<DB>, username: string, isAdmin = false): Promise<Actor> {
  await createUser(db, systemActor, { username, display_name: username, password: testPassword, is_admin: isAdmin });
  return actorFor(await findUserByUsername(db, username), 'api');
}

export interface TestWorld {
  test: TestDatabase;
  db: Kysely<DB>;
  app: ApiApp;
  config: Config;
  admin: Actor;
  owner: Actor;
  outsider: Actor;
  investigationId: string;
  otherInvestigationId: string;
  /** Signs in and returns the session cookie header for `inject()`. */
  cookieFor(username: string): Promise<string>;
  close(): Promise<void>;
}

/**
 * A database with an admin, two users who each own one investigation, and
 * the HTTP app built on it: enough to test any feature's access rules.
 */
export async function createTestWorld(): Promise<TestWorld> {
  const test = await createTestDatabase();
  const db = test.db;
  const admin = await createTestUser(db, 'admin', true);
  const owner = await createTestUser(db, 'owner');
  const outsider = await createTestUser(db, 'outsider');
  const investigation = await createInvestigation(db, owner, { title: 'Test investigation' });
  const other = await createInvestigation(db, outsider, { title: 'Another team’s investigation' });
  // Its own data folder: routes that sign (checkpoints, bags) make the instance key there on first use.
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'armtrace-world-'));
  const config = loadConfig({ ARMTRACE_DATA: dataDir, ARMTRACE_LOG_LEVEL: 'silent' });
  const app = await buildApp({ db, config, logger: false });
  const cookies = new Map<string, string>();
  return {
    test,
    db,
    app,
    config,
    admin,
    owner,
    outsider,
    investigationId: investigation.id,
    otherInvestigationId: other.id,
    async cookieFor(username) {
      const cached = cookies.get(username);
      if (cached !== undefined) return cached;
      const response = await app.inject({
        method: 'POST',
        url: '/api/v1/auth/sign-in',
        payload: { username, password: testPassword },
      });
      if (response.statusCode !== 200) throw new Error(`sign-in as ${username} failed: ${response.body}`);
      const cookie = response.cookies.map((entry) => `${entry.name}=${entry.value}`).join('; ');
      cookies.set(username, cookie);
      return cookie;
    },
    async close() {
      await app.close();
      await test.close();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
