import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig, ConfigError } from '../config/config.js';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrate.js';
import { registerFeatureCommands } from '../features/cli.js';
import { buildApp } from '../http/app.js';
import { toProblem } from '../http/problem.js';
import { startTableMaintenance } from '../db/maintenance.js';
import { openConfiguredDatabase, printFirstAdmin } from './context.js';
import { loadExampleIfFirstStart } from '../features/demo/service.js';
import { createMediaStore } from '../features/media/store.js';
import { loadInstanceSigner } from '../features/signing/instance-key.js';

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

export function buildProgram(): Command {
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
      const app = await buildApp({ db: database.db, config });
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
      const close = async () => {
        await app.close();
        await maintenance?.stop();
        await database.close();
        process.exit(EXIT_OK);
      };
      process.once('SIGINT', () => void close());
      process.once('SIGTERM', () => void close());
      const address = await app.listen({ host, port });
      // Uploads cut off by a stop leave staging files; a day old, none can still be in progress.
      // Swept in the background: a large store's folders take a while to walk, and serving need not wait.
      createMediaStore(config)
        .removeAbandonedFiles(new Date(Date.now() - ABANDONED_AFTER_MS))
        .then(
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
          `  Sign in as "admin"${firstAdmin === undefined ? ' (password shown at first start; reset: armtrace user password admin)' : ' with the password above'}.\n`,
      );
    });

  registerFeatureCommands(program);
  return program;
}

/** Runs the CLI and returns its exit code: 0 ok, 1 failure, 2 usage error. */
export async function runCli(argv: string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv, { from: 'user' });
    return typeof process.exitCode === 'number' ? process.exitCode : EXIT_OK;
  } catch (error) {
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
}
