import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { commandConfig, openConfiguredDatabase, withSession } from '../../cli/context.js';
import { currentInvocation, setExitCode } from '../../cli/invocation.js';
import { printJson } from '../../cli/output.js';
import type { Config } from '../../config/config.js';
import { DomainError } from '../../errors.js';
import { INSTANCE_KEY_FILE, instanceSigner } from '../signing/instance-key.js';
import { signerStanding } from '../signing/service.js';
import { derivativesForCommand } from '../media/service.js';
import { verifyBag, type BagVerification } from './bagit.js';
import { importBag } from './import.js';
import { parseProfileOptions, withProfileOptions } from '../export/cli-profile.js';
import { exportBag } from './service.js';
import { verifyBagTimestamp } from './timestamp.js';
import { checkSignedBag, type SignedBagVerification } from './verify.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, ...value.split(',').filter((id) => id !== '')];
}

/**
 * {@link checkSignedBag} for the CLI: this instance's key (when it has one)
 * and the trusted partner keys of its database, when the database can be
 * opened (the embedded one is locked while `serve` runs: the signer is then
 * named by fingerprint, with a note).
 */
async function verifyBagWithSignature(
  bagPath: string,
  payload: BagVerification,
  config: Config,
  options: { requireSignature: boolean },
): Promise<SignedBagVerification> {
  const own = fs.existsSync(path.join(config.dataDir, INSTANCE_KEY_FILE)) ? instanceSigner(config) : undefined;
  // Sent over the CLI socket: the server's open database has the trusted keys.
  const remote = currentInvocation()?.remote;
  if (remote !== undefined) {
    const db = remote.database.db;
    return checkSignedBag(bagPath, payload, (fingerprint) => signerStanding(db, own, fingerprint), options);
  }
  const hasDatabase = config.databaseUrl !== undefined || fs.existsSync(config.dataDir);
  if (!hasDatabase) {
    return checkSignedBag(bagPath, payload, (fingerprint) => signerStanding(undefined, own, fingerprint), options);
  }
  let opened: Awaited<ReturnType<typeof openConfiguredDatabase>>;
  try {
    opened = await openConfiguredDatabase(config);
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'data_dir_locked') throw error;
    return checkSignedBag(bagPath, payload, (fingerprint) => signerStanding(undefined, own, fingerprint), {
      ...options,
      notes: ['The trusted partner keys could not be read (the data directory is in use by the server).'],
    });
  }
  try {
    return await checkSignedBag(
      bagPath,
      payload,
      (fingerprint) => signerStanding(opened.database.db, own, fingerprint),
      options,
    );
  } finally {
    await opened.database.close();
  }
}

function collectFiles(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** ARMTRACE_TSA_CA_FILE, when the environment gives it (verify-bag runs without the rest of the configuration). */
function configuredTsaCaFiles(): string[] {
  try {
    return commandConfig().timestamping.caFiles;
  } catch {
    return [];
  }
}

/** `export bag` (added to the `export` command when it exists) and `verify-bag`. */
export function registerBagCommands(program: Command): void {
  const exportCommand =
    program.commands.find((existing) => existing.name() === 'export') ??
    program.command('export').description('Export records');
  withProfileOptions(
    exportCommand
      .command('bag <out>')
      .description(
        'Write an investigation as a BagIt bag (RFC 8493): originals, records as JSON, checksum manifests, audit-chain head',
      )
      .requiredOption('--investigation <id>', 'investigation id')
      .option('--items <ids>', 'only the records about these items (ids separated by commas; repeatable)', collect, [])
      .option('--json', 'print JSON'),
  ).action(
    async (
      out: string,
      options: { investigation: string; items: string[]; json?: boolean; profile?: string; gridKm?: string },
      command: Command,
    ) => {
      const profile = parseProfileOptions(options);
      await withSession(command, async ({ db, actor, config, store }) => {
        const result = await exportBag(
          db,
          store,
          actor,
          options.investigation,
          { items: options.items, timestamping: config.timestamping, profile },
          out,
          instanceSigner(config),
        );
        if (result.timestamp.problem_code !== null) {
          setExitCode(1);
          process.stderr.write(`armtrace: ${result.timestamp.problem_code}: ${result.timestamp.detail}\n`);
        }
        if (options.json === true) return printJson(result);
        process.stdout.write(
          `Wrote the bag ${out}: ${result.files} payload files (${result.originals} originals), ${result.bytes} bytes; audit head ${result.audit_head === null ? 'empty' : `${result.audit_head.position}:${result.audit_head.hash}`}.\n` +
            (result.signer === null
              ? ''
              : `Signed by ${result.signer.name} (key ${result.signer.fingerprint}): tagmanifest-sha256.txt.sig.\n`) +
            (result.timestamp.file === null
              ? ''
              : `Timestamped at ${result.timestamp.timestamped_at ?? '?'} by ${result.timestamp.tsa_name ?? '?'} (${result.timestamp.file}).\n`) +
            `Check it anywhere with \`armtrace verify-bag ${out}\`.\n`,
        );
        if (result.timestamp.file === null && result.timestamp.problem_code === null) {
          process.stdout.write(`${result.timestamp.detail}\n`);
        }
      });
    },
  );

  program
    .command('verify-bag <path>')
    .description(
      'Validate any BagIt bag, its signature and its RFC 3161 timestamp token (tagmanifest-sha256.txt.tsr) when it has one: names each missing, extra or altered file and the signer; exit 1 on any problem',
    )
    .option('--require-signature', 'fail unless the bag is signed by this instance or a trusted partner')
    .option(
      '--tsa-ca <file>',
      'CA certificate (PEM/DER) the TSA must chain to (repeatable; default: ARMTRACE_TSA_CA_FILE)',
      collectFiles,
      [],
    )
    .option('--json', 'print JSON')
    .action(async (bagPath: string, options: { requireSignature?: boolean; tsaCa: string[]; json?: boolean }) => {
      // Manifests, signature and token need no database; the list of trusted partner keys does (read if it can be).
      const bag = await verifyBag(bagPath);
      const stamp = await verifyBagTimestamp(
        bagPath,
        options.tsaCa.length > 0 ? options.tsaCa : configuredTsaCaFiles(),
      );
      const problems = [...bag.problems, ...stamp.problems];
      const signed = await verifyBagWithSignature(
        bagPath,
        { ...bag, ok: problems.length === 0, problems },
        commandConfig(),
        {
          requireSignature: options.requireSignature === true,
        },
      );
      const result = { ...signed, timestamp: stamp.timestamp };
      if (options.json === true) printJson(result);
      else {
        for (const problem of result.problems) {
          process.stdout.write(
            `${problem.kind.toUpperCase()}${problem.path === undefined ? '' : ` ${problem.path}`}: ${problem.message}\n`,
          );
        }
        process.stdout.write(
          result.ok
            ? `OK: ${bagPath} is a valid bag; ${result.payload_files} payload files match their ${result.algorithms.join(', ')} checksums.\n`
            : `${result.problems.length} problem(s) in ${bagPath}.\n`,
        );
        process.stdout.write(`SIGNATURE: ${result.signature.summary}\n`);
        for (const note of result.notes) process.stdout.write(`NOTE: ${note}\n`);
        process.stdout.write(
          result.timestamp === null
            ? 'Timestamp: none (the bag has no tagmanifest-sha256.txt.tsr).\n'
            : `Timestamp: ${result.timestamp.timestamped_at ?? '?'} by ${result.timestamp.tsa_name ?? '?'}; verified ${result.timestamp.verified ? 'yes' : 'no'}. ${result.timestamp.detail}\n`,
        );
      }
      if (!result.ok) setExitCode(1);
    });

  const importCommand =
    program.commands.find((existing) => existing.name() === 'import') ??
    program.command('import').description('Bulk imports from files');
  importCommand
    .command('bag <path>')
    .description(
      'Import a partner’s signed bag (an armtrace `export bag` folder) into an investigation: verified first, all or nothing, idempotent',
    )
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--json', 'print JSON')
    .action(async (bagPath: string, options: { investigation: string; json?: boolean }, command: Command) => {
      await withSession(command, async (session) => {
        const { db, actor, config, store } = session;
        const result = await importBag(
          db,
          store,
          actor,
          options.investigation,
          bagPath,
          instanceSigner(config),
          derivativesForCommand(session),
        );
        if (options.json === true) return printJson(result);
        const counts = Object.entries(result.created)
          .filter(([, count]) => count > 0)
          .map(([table, count]) => `${count} ${table}`)
          .join(', ');
        const skipped = Object.entries(result.not_imported)
          .map(([table, count]) => `${count} ${table}`)
          .join(', ');
        process.stdout.write(
          result.already_imported
            ? `Already imported: the bag ${result.bag_sha256} is in this investigation (import ${result.bag_import_id}); nothing was created.\n`
            : `Imported the bag ${result.bag_sha256} signed by ${result.signer.name} (key ${result.signer.fingerprint}, ${result.signer.trust === 'own' ? 'this instance' : `trusted as "${result.signer.known_as ?? ''}"`}): ${counts === '' ? 'no records' : counts}; source ${result.source_id}.\n` +
                (skipped === '' ? '' : `Not imported (kept in the bag only): ${skipped}.\n`),
        );
      });
    });
}
