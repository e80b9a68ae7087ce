import fsp from 'node:fs/promises';
import type { Command } from 'commander';
import { withSession, type CliSession } from '../../cli/context.js';
import { setExitCode } from '../../cli/invocation.js';
import { createProgress, printJson, printRecord, printTable } from '../../cli/output.js';
import { requireAdmin } from '../access/service.js';
import { instanceSigner } from '../signing/instance-key.js';
import { parseExternalCheckpoints } from './checkpoint.js';
import {
  createTimestampedCheckpoint,
  findCheckpointToken,
  listTimestampedCheckpoints,
  timestampMissingCheckpoints,
  type CheckpointTimestamp,
} from './checkpoint-timestamps.js';
import { verifyAudit, type StoredFilesCheck } from './service.js';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

/** The timestamp lines printed under a checkpoint. */
function timestampRecord(timestamp: CheckpointTimestamp): Record<string, unknown> {
  return {
    timestamped_at: timestamp.timestamped_at ?? '(no token)',
    tsa: timestamp.tsa_name ?? '',
    verified: timestamp.verified ? 'yes' : 'no',
    timestamp: timestamp.detail,
  };
}

/** What `armtrace verify` needs from the rest of the program: the check of the evidence store's files. */
export interface AuditCommandChecks {
  checkStoredFiles: (session: CliSession) => StoredFilesCheck;
}

export function registerAuditCommands(program: Command, checks: AuditCommandChecks): void {
  program
    .command('verify')
    .description(
      'Walk the audit chain, check it against every checkpoint, compare every record with its last audited state and re-hash every stored original; exit 1 on any problem',
    )
    .option('--checkpoint <seq:hash>', 'also check a checkpoint published elsewhere (repeatable)', collect, [])
    .option('--json', 'print JSON')
    .action(async (options: { checkpoint: string[]; json?: boolean }, command: Command) => {
      await withSession(command, async (session) => {
        const { db, actor, config } = session;
        requireAdmin(actor);
        const checkpoints = parseExternalCheckpoints(options.checkpoint);
        const progress = createProgress('audit entries', undefined);
        const files = createProgress('stored originals', undefined);
        const result = await verifyAudit(db, (done) => progress.update(done), {
          checkStoredFiles: checks.checkStoredFiles(session),
          checkpoints,
          onFileProgress: (done) => files.update(done),
          ownFingerprint: instanceSigner(config).fingerprint,
          timestamping: config.timestamping,
        });
        progress.finish();
        files.finish();
        if (options.json === true) printJson(result);
        else {
          for (const problem of result.problems) process.stdout.write(`FAIL ${problem.kind}: ${problem.message}\n`);
          process.stdout.write(
            result.ok
              ? `OK: ${result.entries} audit entries chain correctly to ${result.head?.hash ?? 'the empty chain'} through ${result.checkpoints_checked} checkpoint(s); ${result.timestamps_checked} checkpoint timestamp token(s) verify against the TSA CA; ${result.rows_checked} records match their audited state; ${result.files_checked} stored originals match their hashes.\n`
              : `${result.problems.length} problem(s) found in ${result.entries} audit entries, ${result.checkpoints_checked} checkpoint(s), ${result.timestamps_checked} timestamp token(s), ${result.rows_checked} records and ${result.files_checked} stored originals.\n`,
          );
        }
        if (!result.ok) setExitCode(1);
      });
    });

  const audit =
    program.commands.find((existing) => existing.name() === 'audit') ??
    program.command('audit').description('The audit chain');
  audit
    .command('checkpoint')
    .description(
      'Record the head of the audit chain (hash, count, time) and print it, for publishing outside armtrace; with a TSA configured (ARMTRACE_TSA_URL), also get an RFC 3161 timestamp token over SEQ:HASH (exit 1 when the TSA fails; the checkpoint is kept)',
    )
    .option('--note <text>', 'where it will be published')
    .option('--json', 'print JSON')
    .action(async (options: { note?: string; json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config }) => {
        const checkpoint = await createTimestampedCheckpoint(
          db,
          actor,
          options.note === undefined ? {} : { note: options.note },
          config.timestamping,
          instanceSigner(config),
        );
        if (checkpoint.timestamp.problem_code !== null) {
          setExitCode(1);
          process.stderr.write(`armtrace: ${checkpoint.timestamp.problem_code}: ${checkpoint.timestamp.detail}\n`);
        }
        if (options.json === true) return printJson(checkpoint);
        printRecord({
          id: checkpoint.id,
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
          ...timestampRecord(checkpoint.timestamp),
        });
        process.stdout.write(
          `\nPublish this line outside armtrace; later check it with \`armtrace verify --checkpoint ${checkpoint.seq}:${checkpoint.hash}\`.\n`,
        );
      });
    });

  audit
    .command('checkpoints')
    .description('List the checkpoints with their trusted timestamp (time, TSA, verified yes/no) and who signed them')
    .option('--json', 'print JSON')
    .action(async (options: { json?: boolean }, command: Command) => {
      await withSession(command, async ({ db, actor, config }) => {
        const checkpoints = await listTimestampedCheckpoints(db, actor, config.timestamping);
        if (options.json === true) return printJson({ items: checkpoints });
        printTable(
          checkpoints,
          [
            { header: 'ID', value: (row) => row.id },
            { header: 'SEQ:HASH', value: (row) => `${row.seq}:${row.hash.slice(0, 16)}…` },
            { header: 'CREATED', value: (row) => row.created_at },
            { header: 'TIMESTAMPED AT', value: (row) => row.timestamp.timestamped_at ?? '(no token)' },
            { header: 'TSA', value: (row) => row.timestamp.tsa_name },
            { header: 'VERIFIED', value: (row) => (row.timestamp.verified ? 'yes' : 'no') },
            {
              header: 'SIGNED BY',
              value: (row) =>
                row.signature === null
                  ? '(unsigned)'
                  : `${row.signature.signer_name} (key ${row.signature.signer_fingerprint.slice(0, 16)}…)`,
            },
          ],
          'No checkpoint yet: record one with `armtrace audit checkpoint`.',
        );
        for (const row of checkpoints.filter((entry) => !entry.timestamp.verified)) {
          process.stdout.write(`${row.id}: ${row.timestamp.detail}\n`);
        }
      });
    });

  audit
    .command('timestamp')
    .description(
      'Ask the time-stamping authority for the checkpoints that have no RFC 3161 token (the TSA was down or not configured when they were made), or save one token to a file',
    )
    .option('--retry', 'get a token for every checkpoint without one (or only --checkpoint)')
    .option('--checkpoint <id>', 'only this checkpoint')
    .option('--out <file>', "with --checkpoint: write that checkpoint's token (DER, .tsr) to this file")
    .option('--json', 'print JSON')
    .action(
      async (options: { retry?: boolean; checkpoint?: string; out?: string; json?: boolean }, command: Command) => {
        await withSession(command, async ({ db, actor, config }) => {
          if (options.out !== undefined) {
            if (options.checkpoint === undefined) command.error('--out needs --checkpoint <id>', { exitCode: 2 });
            const token = await findCheckpointToken(db, actor, options.checkpoint);
            await fsp.writeFile(options.out, token, { flag: 'wx' });
            process.stdout.write(
              `Wrote the token of checkpoint ${options.checkpoint} to ${options.out} (${token.length} bytes).\n`,
            );
            return;
          }
          if (options.retry !== true) command.error('say --retry (or --checkpoint <id> --out <file>)', { exitCode: 2 });
          const stamped = await timestampMissingCheckpoints(db, actor, config.timestamping, {
            checkpointId: options.checkpoint,
          });
          if (options.json === true) return printJson({ items: stamped });
          for (const checkpoint of stamped) {
            process.stdout.write(
              `${checkpoint.id} ${checkpoint.seq}:${checkpoint.hash}: timestamped at ${checkpoint.timestamp.timestamped_at ?? '?'} by ${checkpoint.timestamp.tsa_name ?? '?'}, verified ${checkpoint.timestamp.verified ? 'yes' : 'no'}\n`,
            );
          }
          process.stdout.write(
            stamped.length === 0
              ? 'Every checkpoint already has a timestamp token.\n'
              : `${stamped.length} checkpoint(s) timestamped.\n`,
          );
        });
      },
    );
}
