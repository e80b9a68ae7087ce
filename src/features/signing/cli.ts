import fs from 'node:fs';
import type { Command } from 'commander';
import { commandConfig, withSession } from '../../cli/context.js';
import { printJson } from '../../cli/output.js';
import { DomainError } from '../../errors.js';
import { loadInstanceSigner } from './instance-key.js';
import * as service from './service.js';

/** `key show`, `key trust`, `key list`, `key withdraw`. */
export function registerSigningCommands(program: Command): void {
  const key = program.command('key').description('The instance signing key and the partner keys it trusts');

  key
    .command('show')
    .description('Print this instance’s Ed25519 public key (PEM), its fingerprint and signer name, to give to partners')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => {
      // Needs no database: the key is a file in the data directory (so this works while `serve` runs).
      const { signer, created } = loadInstanceSigner(commandConfig());
      if (created) process.stderr.write(`Created the instance signing key ${signer.file}.\n`);
      const described = service.describeInstanceKey(signer);
      if (options.json === true) return printJson(described);
      process.stdout.write(
        `Signer:      ${described.name}\nAlgorithm:   Ed25519\nFingerprint: ${described.fingerprint}\n\n${described.public_key_pem}`,
      );
    });

  key
    .command('trust <file>')
    .description('Trust a partner’s Ed25519 public key (PEM file) to sign bags; check its fingerprint with them first')
    .requiredOption('--name <name>', 'who the partner is, as this instance will name them')
    .option('--note <text>', 'how the key was received and checked')
    .option('--json', 'print JSON')
    .action(async (file: string, options: { name: string; note?: string; json?: boolean }, command: Command) => {
      let pem: string;
      try {
        pem = fs.readFileSync(file, 'utf8');
      } catch (error) {
        throw new DomainError('validation_failed', `Cannot read ${file}: ${(error as Error).message}.`, [
          { field: 'file', message: 'cannot be read' },
        ]);
      }
      await withSession(command, async ({ db, actor }) => {
        const trusted = await service.trustKey(db, actor, {
          public_key_pem: pem,
          name: options.name,
          ...(options.note === undefined ? {} : { note: options.note }),
        });
        if (options.json === true) return printJson(trusted);
        process.stdout.write(`Trusted the key ${trusted.fingerprint} as "${trusted.name}".\n`);
      });
    });

  key
    .command('list')
    .description('The partner keys this instance trusts')
    .option('--all', 'also the withdrawn ones')
    .option('--json', 'print JSON')
    .action(async (options: { all?: boolean; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const keys = await service.listTrustedKeys(db, actor, { includeArchived: options.all === true });
        if (options.json === true) return printJson({ items: keys });
        // Fingerprints are printed whole (a table would cut them): they are what people compare.
        if (keys.length === 0) {
          process.stdout.write('No partner keys are trusted. Add one with `armtrace key trust <file> --name …`.\n');
        }
        for (const row of keys) {
          process.stdout.write(
            `${row.fingerprint}  ${row.name}  added ${row.created_at}${row.archived_at === null ? '' : `  withdrawn ${row.archived_at}: ${row.archive_reason ?? ''}`}\n`,
          );
        }
      });
    });

  key
    .command('withdraw <fingerprint>')
    .description('Stop trusting a partner key (it stays listed as withdrawn)')
    .requiredOption('--reason <text>', 'why')
    .option('--json', 'print JSON')
    .action(async (fingerprint: string, options: { reason: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor }) => {
        const withdrawn = await service.withdrawTrustedKey(db, actor, fingerprint, { reason: options.reason });
        if (options.json === true) return printJson(withdrawn);
        process.stdout.write(`Withdrew trust from ${withdrawn.fingerprint} ("${withdrawn.name}").\n`);
      });
    });
}
