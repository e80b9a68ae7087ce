import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { TimestampingConfig } from '../../config/config.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import { checkToken, loadTrustAnchors, requestTimestamp } from '../../timestamping/rfc3161.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin } from '../access/service.js';
import type { InstanceSigner } from '../signing/instance-key.js';
import {
  checkpointSchema,
  createCheckpoint,
  listCheckpoints,
  type Checkpoint,
  type CreateCheckpointInput,
} from './checkpoint.js';
import type { AuditProblem } from './schema.js';

/**
 * RFC 3161 trusted timestamps of audit checkpoints: a separate step after the
 * checkpoint is recorded (the TSA is never asked while the chain is locked),
 * stored in audit_checkpoint_timestamps. A checkpoint is always created; when
 * no TSA is configured, or it fails, the checkpoint has no token and says
 * why, and `armtrace audit timestamp --retry` asks again later.
 */

/**
 * What a checkpoint's token covers: the UTF-8 bytes of its published line
 * `SEQ:HASH` (no newline), so anyone holding that line can check the token:
 * `printf '%s' 'SEQ:HASH' > line.txt; openssl ts -verify -in cp.tsr -token_in -data line.txt -CAfile tsa-ca.pem`.
 *
 * @example
 * checkpointImprintInput({ seq: 1042, hash: '9f86…' }); // '1042:9f86…'
 */
export function checkpointImprintInput(checkpoint: { seq: number; hash: string }): string {
  return `${checkpoint.seq}:${checkpoint.hash}`;
}

function imprintOf(checkpoint: { seq: number; hash: string }): string {
  return createHash('sha256').update(checkpointImprintInput(checkpoint)).digest('hex');
}

export const checkpointTimestampSchema = z.object({
  timestamped_at: z
    .string()
    .nullable()
    .describe("The TSA's time in the token (genTime); null when the checkpoint has no token"),
  tsa_name: z.string().nullable().describe("The time-stamping authority, from its certificate's subject"),
  verified: z
    .boolean()
    .describe('The token covers this checkpoint and is signed by a TSA certificate that chains to a configured CA'),
  detail: z.string().describe('Why it is verified or not, or why there is no token'),
  problem_code: z
    .enum(['timestamp_failed', 'timestamp_not_configured'])
    .nullable()
    .describe('Set when the timestamp asked for just now could not be had'),
});
export type CheckpointTimestamp = z.infer<typeof checkpointTimestampSchema>;

export const timestampedCheckpointSchema = checkpointSchema.extend({ timestamp: checkpointTimestampSchema });
export type TimestampedCheckpoint = z.infer<typeof timestampedCheckpointSchema>;

const NOT_CONFIGURED =
  'No token: no time-stamping authority is configured (ARMTRACE_TSA_URL); the checkpoint is recorded without a trusted timestamp.';
const MISSING = 'No token yet: run `armtrace audit timestamp --retry` to ask the time-stamping authority again.';

type TokenRow = Row<'audit_checkpoint_timestamps'>;

function trustFrom(config: TimestampingConfig): { anchors: ReturnType<typeof loadTrustAnchors>; problem?: string } {
  try {
    return { anchors: loadTrustAnchors(config.caFiles) };
  } catch (error) {
    return { anchors: [], problem: (error as Error).message };
  }
}

async function describeToken(
  checkpoint: { seq: number; hash: string },
  row: TokenRow,
  trust: ReturnType<typeof trustFrom>,
): Promise<CheckpointTimestamp> {
  const check = await checkToken(Buffer.from(row.token), checkpointImprintInput(checkpoint), trust.anchors);
  return {
    timestamped_at: (check.genTime ?? row.gen_time).toISOString(),
    tsa_name: check.tsaName ?? row.tsa_name,
    verified: check.verified,
    detail: check.verified
      ? 'Verified: the token covers this checkpoint and its TSA certificate chains to a configured CA.'
      : `Not verified: ${trust.problem ?? check.problem ?? 'unknown reason'}.`,
    problem_code: null,
  };
}

async function storeToken(db: Kysely<DB>, checkpoint: Checkpoint, config: TimestampingConfig): Promise<TokenRow> {
  const fetched = await requestTimestamp(config, checkpointImprintInput(checkpoint));
  return db.transaction().execute(async (trx) => {
    await trx
      .insertInto('audit_checkpoint_timestamps')
      .values({
        checkpoint_id: checkpoint.id,
        token: fetched.token,
        imprint_sha256: fetched.imprintSha256,
        gen_time: fetched.genTime,
        tsa_name: fetched.tsaName,
        tsa_url: config.url ?? '',
      })
      // Two retries at once: the first token stays, the other is dropped.
      .onConflict((conflict) => conflict.column('checkpoint_id').doNothing())
      .execute();
    return trx
      .selectFrom('audit_checkpoint_timestamps')
      .selectAll()
      .where('checkpoint_id', '=', checkpoint.id)
      .executeTakeFirstOrThrow();
  });
}

/**
 * Records a checkpoint (see {@link createCheckpoint}; signed with `signer`, the
 * instance key, inside its transaction), then asks the
 * configured TSA for a token over its line `SEQ:HASH` and stores it. The
 * checkpoint is kept whatever the TSA does; `timestamp` says what happened
 * (`problem_code` timestamp_failed with the reason when the TSA failed).
 *
 * @example
 * const checkpoint = await createTimestampedCheckpoint(db, admin, { note: 'annual report' }, config.timestamping,
 *   instanceSigner(config));
 * if (checkpoint.timestamp.problem_code !== null) console.error(checkpoint.timestamp.detail);
 */
export async function createTimestampedCheckpoint(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateCheckpointInput,
  config: TimestampingConfig,
  signer?: InstanceSigner,
): Promise<TimestampedCheckpoint> {
  // Signed inside the checkpoint's transaction; timestamped after it commits.
  const checkpoint = await createCheckpoint(db, actor, input, signer);
  if (config.url === undefined) {
    return {
      ...checkpoint,
      timestamp: {
        timestamped_at: null,
        tsa_name: null,
        verified: false,
        detail: NOT_CONFIGURED,
        problem_code: null,
      },
    };
  }
  try {
    const row = await storeToken(db, checkpoint, config);
    return { ...checkpoint, timestamp: await describeToken(checkpoint, row, trustFrom(config)) };
  } catch (error) {
    if (!(error instanceof DomainError) || error.code !== 'timestamp_failed') throw error;
    return {
      ...checkpoint,
      timestamp: {
        timestamped_at: null,
        tsa_name: null,
        verified: false,
        detail: `No token: ${error.message} The checkpoint is recorded; run \`armtrace audit timestamp --retry\` later.`,
        problem_code: 'timestamp_failed',
      },
    };
  }
}

/**
 * Every checkpoint, oldest first, with its timestamp: genTime, TSA name and
 * whether the token verifies now. Administrators only.
 *
 * @example
 * for (const checkpoint of await listTimestampedCheckpoints(db, admin, config.timestamping)) {
 *   console.log(checkpoint.seq, checkpoint.timestamp.timestamped_at, checkpoint.timestamp.verified);
 * }
 */
export async function listTimestampedCheckpoints(
  db: Kysely<DB>,
  actor: Actor,
  config: TimestampingConfig,
): Promise<TimestampedCheckpoint[]> {
  const checkpoints = await listCheckpoints(db, actor);
  const rows = await db.selectFrom('audit_checkpoint_timestamps').selectAll().execute();
  const tokens = new Map(rows.map((row) => [row.checkpoint_id, row]));
  const trust = trustFrom(config);
  const result: TimestampedCheckpoint[] = [];
  for (const checkpoint of checkpoints) {
    const row = tokens.get(checkpoint.id);
    result.push({
      ...checkpoint,
      timestamp:
        row === undefined
          ? {
              timestamped_at: null,
              tsa_name: null,
              verified: false,
              detail: config.url === undefined ? NOT_CONFIGURED : MISSING,
              problem_code: null,
            }
          : await describeToken(checkpoint, row, trust),
    });
  }
  return result;
}

/**
 * Asks the TSA for a token for every checkpoint that has none (oldest
 * first), or only for `checkpointId`. Stops at the first failure with a
 * `timestamp_failed` error that says how many were stamped before it.
 * Administrators only.
 *
 * @example
 * const stamped = await timestampMissingCheckpoints(db, admin, config.timestamping);
 */
export async function timestampMissingCheckpoints(
  db: Kysely<DB>,
  actor: Actor,
  config: TimestampingConfig,
  options: { checkpointId?: string | undefined } = {},
): Promise<TimestampedCheckpoint[]> {
  requireAdmin(actor);
  if (config.url === undefined) {
    throw new DomainError(
      'timestamp_not_configured',
      'No time-stamping authority is configured: set ARMTRACE_TSA_URL (README: "Trusted timestamps").',
    );
  }
  const checkpoints = await listCheckpoints(db, actor);
  if (options.checkpointId !== undefined && !checkpoints.some((entry) => entry.id === options.checkpointId)) {
    throw new DomainError('not_found', `Checkpoint ${options.checkpointId} does not exist.`);
  }
  const stampedIds = new Set(
    (await db.selectFrom('audit_checkpoint_timestamps').select('checkpoint_id').execute()).map(
      (row) => row.checkpoint_id,
    ),
  );
  const pending = checkpoints.filter(
    (entry) => !stampedIds.has(entry.id) && (options.checkpointId === undefined || entry.id === options.checkpointId),
  );
  const trust = trustFrom(config);
  const done: TimestampedCheckpoint[] = [];
  for (const checkpoint of pending) {
    try {
      const row = await storeToken(db, checkpoint, config);
      done.push({ ...checkpoint, timestamp: await describeToken(checkpoint, row, trust) });
    } catch (error) {
      if (error instanceof DomainError && error.code === 'timestamp_failed') {
        throw new DomainError(
          'timestamp_failed',
          `${error.message} Checkpoint ${checkpoint.id} (${checkpointImprintInput(checkpoint)}) and ${pending.length - done.length - 1} other(s) are still without a token; ${done.length} got one.`,
        );
      }
      throw error;
    }
  }
  return done;
}

/**
 * Checks every stored token against its checkpoint (imprint = SHA-256 of
 * `SEQ:HASH`) and the configured TSA CA certificates. A token that covers
 * another checkpoint is named as such.
 */
export async function verifyCheckpointTimestamps(
  db: Queryable,
  config: TimestampingConfig | undefined,
): Promise<{ checked: number; problems: AuditProblem[] }> {
  const rows = await db.selectFrom('audit_checkpoint_timestamps').selectAll().orderBy('checkpoint_id').execute();
  if (rows.length === 0) return { checked: 0, problems: [] };
  const checkpoints = await db.selectFrom('audit_checkpoints').selectAll().execute();
  const byId = new Map(checkpoints.map((checkpoint) => [checkpoint.id, checkpoint]));
  const trust = config === undefined ? { anchors: [] } : trustFrom(config);
  const problems: AuditProblem[] = [];
  for (const row of rows) {
    const checkpoint = byId.get(row.checkpoint_id);
    const label = `The timestamp token of checkpoint ${row.checkpoint_id}`;
    if (checkpoint === undefined) {
      problems.push({ kind: 'timestamp_invalid', message: `${label} belongs to no recorded checkpoint.` });
      continue;
    }
    const check = await checkToken(Buffer.from(row.token), checkpointImprintInput(checkpoint), trust.anchors);
    if (check.verified) continue;
    let message: string;
    if (check.imprintMismatch) {
      // Checkpoints made with no change in between share their line SEQ:HASH, and so a token.
      const covered = checkpoints
        .filter((other) => imprintOf(other) === check.imprintSha256)
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      message =
        covered.length === 0
          ? `${label} (${checkpointImprintInput(checkpoint)}) covers SHA-256 ${check.imprintSha256}, which is no recorded checkpoint's: it is not this checkpoint's token.`
          : `${label} (${checkpointImprintInput(checkpoint)}) is the token of another checkpoint, ${covered.map((other) => other.id).join(' or ')} (${checkpointImprintInput(covered[0]!)}); it is refused.`;
    } else {
      message = `${label} (${checkpointImprintInput(checkpoint)}) is not verified: ${trust.problem ?? check.problem ?? 'unknown reason'}.`;
    }
    problems.push({ kind: 'timestamp_invalid', seq: checkpoint.seq, message });
  }
  return { checked: rows.length, problems };
}

/** The token of one checkpoint (DER), e.g. to hand to a court with the published line. */
export async function findCheckpointToken(db: Kysely<DB>, actor: Actor, checkpointId: string): Promise<Buffer> {
  requireAdmin(actor);
  const row = await db
    .selectFrom('audit_checkpoint_timestamps')
    .select('token')
    .where('checkpoint_id', '=', checkpointId)
    .executeTakeFirst();
  if (row === undefined) throw new DomainError('not_found', `Checkpoint ${checkpointId} has no timestamp token.`);
  return Buffer.from(row.token);
}
