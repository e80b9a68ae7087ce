import type { Command } from 'commander';
import { withSession } from '../../cli/context.js';
import { createProgress, printJson, printRecord } from '../../cli/output.js';
import { requireAdmin } from '../access/service.js';
import { createMediaStore } from '../media/store.js';
import { instanceSigner } from '../signing/instance-key.js';
import { createCheckpoint, parseExternalCheckpoints } from './checkpoint.js';
import { verifyAudit } from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

export function registerAuditCommands(program: Command): void {
  program
    .command('verify')
    .description(
      'Walk the audit chain, check it against every checkpoint, compare every record with its last audited state and re-hash every stored original; exit 1 on any problem',
    )
    .option('--checkpoint <seq:hash>', 'also check a checkpoint published elsewhere (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(async (options: { checkpoint: string[]; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config }) => {
        requireAdmin(actor);
        const checkpoints = parseExternalCheckpoints(options.checkpoint);
        const progress = createProgress('audit entries', undefined);
        const files = createProgress('stored originals', undefined);
        const result = await verifyAudit(db, (done) => progress.update(done), {
          store: createMediaStore(config),
          checkpoints,
          onFileProgress: (done) => files.update(done),
          ownFingerprint: instanceSigner(config).fingerprint,
        });
        progress.finish();
        files.finish();
        if (options.json === true) printJson(result);
        else {
          for (const problem of result.problems) process.stdout.write(`FAIL ${problem.kind}: ${problem.message}\n`);
          process.stdout.write(
            result.ok
              ? `OK: ${result.entries} audit entries chain correctly to ${result.head?.hash ?? 'the empty chain'} through ${result.checkpoints_checked} checkpoint(s); ${result.rows_checked} records match their audited state; ${result.files_checked} stored originals match their hashes.\n`
              : `${result.problems.length} problem(s) found in ${result.entries} audit entries, ${result.checkpoints_checked} checkpoint(s), ${result.rows_checked} records and ${result.files_checked} stored originals.\n`,
          );
        }
        if (!result.ok) process.exitCode = 1;
      });
    });

  const audit =
    program.commands.find((existing) => existing.name() === 'audit') ??
    program.command('audit').description('The audit chain');
  audit
    .command('checkpoint')
    .description('Record the head of the audit chain (hash, count, time) and print it, for publishing outside armtrace')
    .option('--note <text>', 'where it will be published')
    .option('--json', 'print JSON')
    .action(async (options: { note?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config }) => {
        const checkpoint = await createCheckpoint(
          db,
          actor,
          options.note === undefined ? {} : { note: options.note },
          instanceSigner(config),
        );
        if (options.json === true) return printJson(checkpoint);
        printRecord({
          seq: checkpoint.seq,
          hash: checkpoint.hash,
          entries: checkpoint.entries,
          at: checkpoint.created_at,
          note: checkpoint.note,
          signed_by:
            checkpoint.signature === null
              ? null
              : `${checkpoint.signature.signer_name} (key ${checkpoint.signature.signer_fingerprint})`,
          signature: checkpoint.signature?.signature ?? null,
        });
        process.stdout.write(
          `\nPublish this line outside armtrace; later check it with \`armtrace verify --checkpoint ${checkpoint.seq}:${checkpoint.hash}\`.\n`,
        );
      });
    });
}
