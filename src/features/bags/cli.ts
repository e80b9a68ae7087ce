import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { openConfiguredDatabase, withSession } from '../../cli/context.js';
import { printJson } from '../../cli/output.js';
import { loadConfig, type Config } from '../../config/config.js';
import { DomainError } from '../../errors.js';
import { createMediaStore } from '../media/store.js';
import { INSTANCE_KEY_FILE, instanceSigner } from '../signing/instance-key.js';
import { signerStanding } from '../signing/service.js';
import { verifyBag, type BagVerification } from './bagit.js';
import { importBag } from './import.js';
import { exportBag } from './service.js';
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

/** `export bag` (added to the `export` command when it exists) and `verify-bag`. */
export function registerBagCommands(program: Command): void {
  const exportCommand =
    program.commands.find((existing) => existing.name() === 'export') ??
    program.command('export').description('Export records');
  exportCommand
    .command('bag <out>')
    .description(
      'Write an investigation as a BagIt bag (RFC 8493): originals, records as JSON, checksum manifests, audit-chain head',
    )
    .requiredOption('--investigation <id>', 'investigation id')
    .option('--items <ids>', 'only the records about these items (ids separated by commas; repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(
      async (out: string, options: { investigation: string; items: string[]; json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor, config }) => {
          const result = await exportBag(
            db,
            createMediaStore(config),
            actor,
            options.investigation,
            { items: options.items },
            out,
            instanceSigner(config),
          );
          if (options.json === true) return printJson(result);
          process.stdout.write(
            `Wrote the bag ${out}: ${result.files} payload files (${result.originals} originals), ${result.bytes} bytes; audit head ${result.audit_head === null ? 'empty' : `${result.audit_head.position}:${result.audit_head.hash}`}.\n` +
              `Signed by ${result.signer?.name ?? ''} (key ${result.signer?.fingerprint ?? ''}): tagmanifest-sha256.txt.sig.\n` +
              `Check it anywhere with \`armtrace verify-bag ${out}\`.\n`,
          );
        });
      },
    );

  program
    .command('verify-bag <path>')
    .description(
      'Validate any BagIt bag and its signature: names each missing, extra or altered file and the signer; exit 1 on any problem',
    )
    .option('--require-signature', 'fail unless the bag is signed by this instance or a trusted partner')
    .option('--json', 'print JSON')
    .action(async (bagPath: string, options: { requireSignature?: boolean; json?: boolean }) => {
      // Manifests and signature need no database; the list of trusted partner keys does (read if it can be).
      const payload = await verifyBag(bagPath);
      const result = await verifyBagWithSignature(bagPath, payload, loadConfig(), {
        requireSignature: options.requireSignature === true,
      });
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
      }
      if (!result.ok) process.exitCode = 1;
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
      await withSession(command, async ({ db, actor, config }) => {
        const result = await importBag(
          db,
          createMediaStore(config),
          actor,
          options.investigation,
          bagPath,
          instanceSigner(config),
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
