import path from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig, ConfigError, type Config } from '../config/config.js';
import { openDatabase, type Database } from '../db/database.js';
import { DomainError, toProblem } from '../errors.js';
import { migrate } from '../db/migrate.js';
import { registerFeatureCommands } from '../features/cli.js';
import { featurePeriodicJobs, queueWaitingFeatureWork, registerFeatureJobs } from '../features/routes.js';
import { createJobQueue, type JobQueue } from '../jobs/index.js';
import { startPeriodicJob } from '../jobs/periodic.js';
import { registerJobPruning, startJobPruning } from '../jobs/prune.js';
import { startTableMaintenance } from '../db/maintenance.js';
import { openConfiguredDatabase, printFirstAdmin, useAuthentication, useFeatureJobs } from './context.js';
import { loadExampleIfFirstStart } from '../features/demo/service.js';
import { loadInstanceSigner } from '../features/signing/instance-key.js';
import { usersAuthentication } from '../features/users/authentication.js';
import { createEvidenceStore } from '../storage/create.js';
import type { EvidenceStore } from '../storage/evidence-store.js';
import { runInvocation, type CliInvocation, type RemoteTerminal } from './invocation.js';
import { forwardToServer } from './socket-client.js';
import type { CliRequest } from './socket-protocol.js';
import { openCliSocket, type CliSocketServer } from './socket-server.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

// How old an unfinished upload file must be before `serve` removes it at start.
const ABANDONED_AFTER_MS = 24 * 60 * 60 * 1000;

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is a whole number from 0 to 65535');
  return port;
}

/** On first start: the new instance key's public half, to give to partners (`armtrace key show` prints it again). */
function printNewSigningKey({ signer, created }: ReturnType<typeof loadInstanceSigner>): void {
  if (!created) return;
  process.stderr.write(
    `Created the instance signing key ${signer.file} (Ed25519; keep it secret, back it up).\n` +
      `Signer "${signer.name}", fingerprint ${signer.fingerprint}. Public key (give it to partners; \`armtrace key show\`):\n${signer.public_key_pem}`,
  );
}

/** What the program is built with besides the features (tests add their own jobs to a child `serve`). */
export interface ProgramOptions {
  /** Names more jobs on the queue `serve` starts (src/testing/serve-with-test-jobs.ts: the queue's test jobs). */
  registerJobs?: (queue: JobQueue) => void;
}

export function buildProgram(programOptions: ProgramOptions = {}): Command {
  useAuthentication(usersAuthentication);
  useFeatureJobs(registerFeatureJobs);
  const program = new Command('armtrace')
    .description('Document, preserve and trace arms and ammunition recovered in conflict areas.')
    .option('--as <username>', 'act as this user instead of the local administrator (their role is checked)')
    .showHelpAfterError('(add --help for usage)')
    .exitOverride();

  program
    .command('init')
    .description('Create the data directory and database, apply migrations, create the first administrator')
    .action(async () => {
      const config = loadConfig();
      const signing = loadInstanceSigner(config);
      const { database, firstAdmin } = await openConfiguredDatabase(config);
      await database.close();
      printFirstAdmin(firstAdmin);
      printNewSigningKey(signing);
      process.stdout.write(
        `Ready: ${config.databaseUrl === undefined ? config.dataDir : 'PostgreSQL (DATABASE_URL)'}\n`,
      );
    });

  program
    .command('migrate')
    .description('Apply the database migrations that are not applied yet')
    .action(async () => {
      const config = loadConfig();
      const database = await openDatabase(
        config.databaseUrl === undefined
          ? { kind: 'pglite', dataDir: config.dataDir }
          : { kind: 'postgres', url: config.databaseUrl },
      );
      try {
        const result = await migrate(database);
        process.stdout.write(
          result.applied.length === 0
            ? `Up to date (${result.alreadyApplied.length} migrations applied).\n`
            : `Applied ${result.applied.join(', ')}.\n`,
        );
      } finally {
        await database.close();
      }
    });

  program
    .command('serve')
    .description('Serve the API (and the web app) until stopped')
    .option('--host <host>', 'address to bind (default ARMTRACE_HOST or 127.0.0.1)')
    .option('--port <port>', 'port (default ARMTRACE_PORT or 8470)', parsePort)
    .option('--no-example', 'do not load the example investigation on first start')
    .action(async (options: { host?: string; port?: number; example: boolean }) => {
      const config = loadConfig();
      // A missing key is made now; an unreadable or malformed one stops the start (it is never replaced).
      const signing = loadInstanceSigner(config);
      const { database, firstAdmin } = await openConfiguredDatabase(config);
      if (firstAdmin !== undefined && options.example) {
        const loaded = await loadExampleIfFirstStart(database.db);
        if (loaded !== undefined) process.stderr.write(`Loaded the example investigation "${loaded.title}".\n`);
      }
      // The evidence store is built once here and shared by the API, the CLI socket, the jobs and the sweep below.
      const store = createEvidenceStore(config);
      // An object store that cannot be reached (wrong endpoint, keys or bucket) stops the start, with the reason.
      if (store.kind === 's3') await store.stat('0'.repeat(64));
      // The job queue: pg-boss on PostgreSQL (every server is a worker), in-process on the embedded database.
      // Only serve starts it: a CLI session or a test without a running queue only queues.
      const jobs = createJobQueue(database, config, store);
      registerFeatureJobs(jobs, { config });
      registerJobPruning(jobs);
      programOptions.registerJobs?.(jobs);
      await jobs.start();
      // Finished jobs and their results go after ARMTRACE_JOB_RESULTS_DAYS: asked for now and every hour.
      const pruning = startJobPruning(database.db, jobs, { olderThanDays: config.jobs.resultsDays });
      // The features' own periodic work (media derivatives left pending): asked for now and every interval.
      const periodic = featurePeriodicJobs().map((job) => startPeriodicJob(database.db, jobs, job));
      const requeued = await queueWaitingFeatureWork(database.db, jobs);
      if (requeued > 0) process.stderr.write(`Queued ${requeued} waiting jobs (media derivatives).\n`);
      // Loaded here: the HTTP server (Fastify, every route and the packages they use) is for `serve` only.
      const { buildApp } = await import('../http/app.js');
      const app = await buildApp({ db: database.db, config, store, jobs });
      // The embedded database has no autovacuum: the server does its work (PostgreSQL's own daemon does it there).
      const maintenance =
        database.kind === 'pglite'
          ? startTableMaintenance(database.db, {
              onError: (error) =>
                process.stderr.write(`armtrace: table maintenance failed (${String(error)}); will retry\n`),
            })
          : undefined;
      const host = options.host ?? config.host;
      const port = options.port ?? config.port;
      let cliSocket: CliSocketServer | undefined;
      const close = async () => {
        // First: no new CLI commands, and those running finish before the database closes under them.
        await cliSocket?.close();
        await app.close();
        await pruning.stop();
        for (const job of periodic) await job.stop();
        await jobs.stop();
        await maintenance?.stop();
        await database.close();
        process.exit(EXIT_OK);
      };
      process.once('SIGINT', () => void close());
      process.once('SIGTERM', () => void close());
      const address = await app.listen({ host, port });
      // The embedded database takes one process: the CLI run beside the server sends its commands here.
      if (database.kind === 'pglite') {
        const opened = await openCliSocket(config.dataDir, (request, terminal) =>
          runRemoteCommand(request, terminal, database, config, store, jobs),
        );
        if ('unavailable' in opened) {
          process.stderr.write(
            `armtrace: the CLI cannot reach this server (${opened.unavailable}); stop the server to use the CLI\n`,
          );
        } else {
          cliSocket = opened;
        }
      }
      // Uploads cut off by a stop leave staging files; a day old, none can still be in progress.
      // Swept in the background: a large store's folders take a while to walk, and serving need not wait.
      store.removeAbandonedFiles(new Date(Date.now() - ABANDONED_AFTER_MS)).then(
        (removed) => {
          if (removed > 0) process.stderr.write(`Removed ${removed} unfinished upload file(s) older than a day.\n`);
        },
        (error: unknown) => {
          process.stderr.write(`armtrace: could not sweep unfinished uploads (${String(error)}); serving anyway\n`);
        },
      );
      printFirstAdmin(firstAdmin);
      printNewSigningKey(signing);
      process.stderr.write(
        `armtrace is running at ${address}\n` +
          `  API description: ${address}/api/v1/openapi.json\n` +
          `  Sign in as "admin"${firstAdmin === undefined ? ' (password shown at first start; reset: armtrace user password admin)' : ' with the password above'}.\n` +
          (cliSocket === undefined
            ? ''
            : '  The armtrace CLI works beside this server (it sends its commands to it).\n'),
      );
    });

  registerFeatureCommands(program);
  return program;
}

/** Thrown by the hook that sent the command to a running server, to skip the local action. */
class CommandSentToServer extends Error {
  constructor(readonly exitCode: number) {
    super('the command ran in the running server');
  }
}

// Top-level commands that open the data directory themselves, and why they cannot run inside a running server.
const NOT_REMOTE: Record<string, string> = {
  serve: 'a server is already running on this data directory',
  init: 'the data directory is already set up: the running server created it',
  migrate:
    'the running server applied its migrations when it started; stop it, then run `armtrace migrate` ' +
    '(a newer armtrace applies its own migrations when it starts)',
};

// Argument and option placeholders that name a file or folder: a remote command resolves them against the
// client's working directory (`-`, standard output, stays as it is). A new command names its paths so.
const PATH_PLACEHOLDER = /<(file|files|out|path|dir)(\.\.\.)?>/;

function resolveAgainst(cwd: string, value: unknown): unknown {
  if (typeof value === 'string') return value === '-' ? value : path.resolve(cwd, value);
  if (Array.isArray(value)) return value.map((entry) => resolveAgainst(cwd, entry));
  return value;
}

/** Makes the path arguments and options of the command about to run absolute, against the client's directory. */
function resolvePathsFor(command: Command, cwd: string): void {
  command.registeredArguments.forEach((argument, index) => {
    if (PATH_PLACEHOLDER.test(`<${argument.name()}${argument.variadic ? '...' : ''}>`)) {
      command.processedArgs[index] = resolveAgainst(cwd, command.processedArgs[index]);
    }
  });
  for (const option of command.options) {
    const key = option.attributeName();
    const value: unknown = command.getOptionValue(key);
    if (PATH_PLACEHOLDER.test(option.flags) && value !== undefined) {
      command.setOptionValueWithSource(key, resolveAgainst(cwd, value), command.getOptionValueSource(key) ?? 'cli');
    }
  }
}

/** The top-level command an action belongs to (`user` for `user password`). */
function topLevelName(command: Command): string {
  let current = command;
  while (current.parent?.parent) current = current.parent;
  return current.name();
}

/**
 * Parses and runs one command line in an invocation. Before the action runs,
 * `beforeAction` may send it elsewhere (throw {@link CommandSentToServer}) or
 * adjust it; usage errors and `--help` never reach it.
 */
async function runProgram(
  argv: string[],
  invocation: CliInvocation,
  beforeAction: (actionCommand: Command) => Promise<void> | void,
  programOptions: ProgramOptions = {},
): Promise<number> {
  return runInvocation(invocation, async () => {
    const program = buildProgram(programOptions);
    program.hook('preAction', (_program, actionCommand) => beforeAction(actionCommand));
    try {
      await program.parseAsync(argv, { from: 'user' });
      return invocation.exitCode ?? (typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK);
    } catch (error) {
      if (error instanceof CommandSentToServer) return error.exitCode;
      return reportFailure(error);
    }
  });
}

function reportFailure(error: unknown): number {
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    )
      return EXIT_OK;
    return EXIT_USAGE;
  }
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    return EXIT_USAGE;
  }
  const problem = toProblem(error);
  process.stderr.write(`error [${problem.code}]: ${problem.detail}\n`);
  for (const field of problem.fields ?? []) process.stderr.write(`  ${field.field}: ${field.message}\n`);
  if (problem.code === 'internal') process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
  return problem.code === 'validation_failed' ? EXIT_USAGE : EXIT_FAILURE;
}

/**
 * Runs the CLI and returns its exit code: 0 ok, 1 failure, 2 usage error.
 * When `armtrace serve` holds the embedded data directory, a parsed command
 * is sent to it over the CLI socket and runs there (same output, same exit
 * code); `serve` itself always runs here (and meets the lock).
 */
export async function runCli(argv: string[], programOptions: ProgramOptions = {}): Promise<number> {
  return runProgram(
    argv,
    { exitCode: undefined },
    async (actionCommand) => {
      if (topLevelName(actionCommand) === 'serve') return;
      let config: Config;
      try {
        config = loadConfig();
      } catch {
        return; // the command reports the configuration error itself, as before
      }
      // PostgreSQL has no lock: the CLI uses the server's database directly, beside any armtrace serve.
      if (config.databaseUrl !== undefined) return;
      const code = await forwardToServer(config.dataDir, argv);
      if (code !== undefined) throw new CommandSentToServer(code);
    },
    programOptions,
  );
}

/**
 * Runs, inside `armtrace serve`, a command line a CLI sent over the socket:
 * the same program, acting as the local administrator (or `--as`) on the
 * server's open database, with output and exit code going back to the client.
 */
export async function runRemoteCommand(
  request: CliRequest,
  terminal: RemoteTerminal,
  database: Database,
  config: Config,
  store: EvidenceStore,
  jobs: JobQueue,
): Promise<number> {
  const invocation: CliInvocation = { exitCode: undefined, remote: { terminal, database, config, store, jobs } };
  return runProgram(request.argv, invocation, (actionCommand) => {
    const name = topLevelName(actionCommand);
    const reason = NOT_REMOTE[name];
    if (reason !== undefined) {
      throw new DomainError(
        'data_dir_locked',
        `\`armtrace ${name}\` cannot run while \`armtrace serve\` (process ${process.pid}) holds ${config.dataDir}: ${reason}.`,
      );
    }
    resolvePathsFor(actionCommand, request.cwd);
  });
}
