import type { Command } from 'commander';
import type { Kysely } from 'kysely';
import { loadConfig, type Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import type { DB } from '../db/tables.js';
import type { Actor, Authentication } from '../authentication.js';
import { createEvidenceStore } from '../storage/create.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { currentInvocation } from './invocation.js';

export interface CliSession {
  db: Kysely<DB>;
  database: Database;
  config: Config;
  /** The evidence store, built once per session from the configuration (the server's inside `serve`). */
  store: EvidenceStore;
  /** The job queue: the server's inside `serve`; otherwise one that queues, and works only after {@link runJobsHere}. */
  jobs: JobQueue;
  /**
   * Makes this process a worker until the session ends (for `--wait` without a running server): a no-op inside
   * `serve`, whose queue already runs.
   */
  runJobsHere(): Promise<void>;
  /** Whether the command runs inside `armtrace serve` (sent over the CLI socket), whose queue runs the jobs. */
  inServer: boolean;
  actor: Actor;
}

let installedAuthentication: Authentication | undefined;
let installedJobs: ((queue: JobQueue, deps: { config: Config }) => void) | undefined;

/**
 * The features' jobs, handed down by the program assembly (`buildProgram`) like the authentication, so that a
 * CLI session's queue can run them (`--wait` without a running server).
 *
 * @example
 * useFeatureJobs(registerFeatureJobs);
 */
export function useFeatureJobs(register: (queue: JobQueue, deps: { config: Config }) => void): void {
  installedJobs = register;
}

/**
 * The users feature's authentication, handed down by the program assembly (`buildProgram`), so that this module
 * does not import a feature.
 *
 * @example
 * useAuthentication(usersAuthentication);
 */
export function useAuthentication(authentication: Authentication): void {
  installedAuthentication = authentication;
}

function authentication(): Authentication {
  if (installedAuthentication === undefined) throw new Error('useAuthentication() was not called before a command ran');
  return installedAuthentication;
}

/** Opens the configured database the way every command does: migrate, make sure an admin exists. */
export async function openConfiguredDatabase(
  config: Config,
): Promise<{ database: Database; firstAdmin: { username: string; password: string } | undefined }> {
  const database = await openDatabase(
    config.databaseUrl === undefined
      ? { kind: 'pglite', dataDir: config.dataDir }
      : { kind: 'postgres', url: config.databaseUrl },
  );
  try {
    await migrate(database);
    const firstAdmin = await authentication().ensureFirstAdmin(database.db);
    return { database, firstAdmin };
  } catch (error) {
    await database.close();
    throw error;
  }
}

export function printFirstAdmin(firstAdmin: { username: string; password: string } | undefined): void {
  if (firstAdmin === undefined) return;
  process.stderr.write(
    `Created the administrator "${firstAdmin.username}" with the one-time password:\n\n    ${firstAdmin.password}\n\n` +
      'It is shown only now. Set a new one with `armtrace user password admin` (also while the server runs).\n',
  );
}

/**
 * The configuration a command runs with: inside `armtrace serve` (a command
 * sent over the CLI socket) the server's, otherwise the environment's. For
 * commands that need no database (`key show`, `verify-bag`).
 *
 * @example
 * const { signer } = loadInstanceSigner(commandConfig());
 */
export function commandConfig(): Config {
  return currentInvocation()?.remote?.config ?? loadConfig();
}

/**
 * Runs one command against the local database as the local administrator, or
 * as the user named by the global `--as` option (whose role is then checked
 * like any API caller's). Inside `armtrace serve` (a command sent over the CLI
 * socket) it uses the server's open database and configuration instead.
 */
export async function withSession<T>(command: Command, run: (session: CliSession) => Promise<T>): Promise<T> {
  const as = command.optsWithGlobals<{ as?: string }>().as;
  // Sent over the CLI socket: the command runs in `armtrace serve`, on the database the server holds open.
  const remote = currentInvocation()?.remote;
  if (remote !== undefined) {
    const actor = await authentication().localActor(remote.database.db, as);
    return run({
      db: remote.database.db,
      database: remote.database,
      config: remote.config,
      store: remote.store,
      jobs: remote.jobs,
      runJobsHere: () => Promise.resolve(),
      inServer: true,
      actor,
    });
  }
  const config = loadConfig();
  const store = createEvidenceStore(config);
  const { database, firstAdmin } = await openConfiguredDatabase(config);
  printFirstAdmin(firstAdmin);
  const jobs = createJobQueue(database, config, store);
  installedJobs?.(jobs, { config });
  try {
    const actor = await authentication().localActor(database.db, as);
    return await run({
      db: database.db,
      database,
      config,
      store,
      jobs,
      runJobsHere: () => jobs.start(),
      inServer: false,
      actor,
    });
  } finally {
    await jobs.stop();
    await database.close();
  }
}
