import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { z } from 'zod';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin } from '../access/service.js';
import { checkpointSignatureProblem, signCheckpoint } from '../signing/checkpoint-signature.js';
import type { InstanceSigner } from '../signing/instance-key.js';
import * as auditRepository from './repository.js';
import type { AuditProblem } from './schema.js';

/** The empty chain's head; kept here as well as in service.ts so neither imports the other at run time. */
const GENESIS_HASH = '0'.repeat(64);

export const checkpointSchema = z.object({
  id: z.uuid(),
  seq: z.number().int().describe('Sequence number of the last entry in the chain at the time (0: empty chain)'),
  hash: z.string().describe('Hash of that entry: publish it outside armtrace'),
  entries: z.number().int().describe('How many entries the chain held'),
  created_by: z.uuid().nullable(),
  created_by_label: z.string(),
  created_at: z.string(),
  note: z.string().nullable(),
  signature: z
    .object({
      algorithm: z.literal('ed25519'),
      signer_fingerprint: z.string().describe('SHA-256 of the signing key (SubjectPublicKeyInfo, DER), hex'),
      signer_name: z.string(),
      signature: z.string().describe('Base64 Ed25519 signature of the checkpoint’s signing text'),
      signed_at: z.string(),
    })
    .nullable()
    .describe('The instance’s signature (null for checkpoints made before checkpoints were signed)'),
});
export type Checkpoint = z.infer<typeof checkpointSchema>;

export const createCheckpointBodySchema = z.object({
  note: z
    .string()
    .trim()
    .min(1)
    .max(1000)
    .optional()
    .describe('Where it will be published, e.g. "sent to the panel secretariat 2024-05-02"'),
});
export type CreateCheckpointInput = z.input<typeof createCheckpointBodySchema>;

/** A checkpoint published elsewhere, given back to `verify` as `seq:hash`. */
export const externalCheckpointSchema = z
  .string()
  .regex(/^\d+:[0-9a-fA-F]{64}$/, 'give a checkpoint as SEQ:HASH, e.g. 1042:9f86d081…')
  .transform((value) => {
    const [seq, hash] = value.split(':') as [string, string];
    return { seq: Number(seq), hash: hash.toLowerCase() };
  });

function toCheckpoint(
  row: Row<'audit_checkpoints'>,
  signature: Row<'audit_checkpoint_signatures'> | undefined,
): Checkpoint {
  return {
    ...toJsonRecord(row),
    signature:
      signature === undefined
        ? null
        : {
            algorithm: 'ed25519',
            signer_fingerprint: signature.signer_fingerprint,
            signer_name: signature.signer_name,
            signature: signature.signature,
            signed_at: signature.signed_at.toISOString(),
          },
  };
}

/**
 * Records the current head of the audit chain (sequence number, hash, count,
 * time) so it can be published outside the system; `verify` later proves the
 * chain still passes through it. With a `signer` (the instance key: every
 * route and command passes it) the checkpoint is signed in the same
 * transaction. Administrators only.
 *
 * @example
 * const checkpoint = await createCheckpoint(db, admin, { note: 'published in the 2024 annual report' });
 * console.log(`${checkpoint.seq}:${checkpoint.hash}`);
 */
export async function createCheckpoint(
  db: Kysely<DB>,
  actor: Actor,
  input: CreateCheckpointInput = {},
  signer?: InstanceSigner,
): Promise<Checkpoint> {
  requireAdmin(actor);
  const parsed = createCheckpointBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    // Holding the chain lock keeps the head from moving while it is read.
    await auditRepository.lockChain(trx);
    const head = await auditRepository.findHead(trx);
    const { entries } = await trx
      .selectFrom('audit_log')
      .select((eb) => eb.fn.countAll<number>().as('entries'))
      .executeTakeFirstOrThrow();
    const row = await trx
      .insertInto('audit_checkpoints')
      .values({
        id: uuidv7(),
        seq: head?.seq ?? 0,
        hash: head?.hash ?? GENESIS_HASH,
        entries,
        created_by: actor.via === 'system' ? null : actor.userId,
        created_by_label: actor.username,
        created_at: new Date(),
        note: parsed.note ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    const signature = signer === undefined ? undefined : await signCheckpoint(trx, signer, row);
    return toCheckpoint(row, signature);
  });
}

async function signaturesByCheckpoint(db: Queryable): Promise<Map<string, Row<'audit_checkpoint_signatures'>>> {
  const rows = await db.selectFrom('audit_checkpoint_signatures').selectAll().execute();
  return new Map(rows.map((row) => [row.checkpoint_id, row]));
}

/** Every recorded checkpoint, oldest first. Administrators only. */
export async function listCheckpoints(db: Kysely<DB>, actor: Actor): Promise<Checkpoint[]> {
  requireAdmin(actor);
  const rows = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').orderBy('id').execute();
  const signatures = await signaturesByCheckpoint(db);
  return rows.map((row) => toCheckpoint(row, signatures.get(row.id)));
}

/**
 * Checks that the chain still passes through every recorded checkpoint and
 * through each `external` one (published copies, which cannot have been
 * edited together with the database). Each signed checkpoint's signature
 * must verify, by this instance's key (`ownFingerprint`, when given) or a
 * trusted one.
 */
export async function verifyCheckpoints(
  db: Queryable,
  external: readonly { seq: number; hash: string }[] = [],
  ownFingerprint?: string,
): Promise<{ checked: number; problems: AuditProblem[] }> {
  const recorded = await db.selectFrom('audit_checkpoints').selectAll().orderBy('seq').orderBy('id').execute();
  const signatures = await signaturesByCheckpoint(db);
  const trusted = new Set(
    (await db.selectFrom('trusted_signing_keys').select('fingerprint').where('archived_at', 'is', null).execute()).map(
      (row) => row.fingerprint,
    ),
  );
  const signatureProblems: AuditProblem[] = [];
  for (const row of recorded) {
    const signature = signatures.get(row.id);
    if (signature === undefined) continue;
    const why = checkpointSignatureProblem(row, signature, ownFingerprint, trusted);
    if (why !== undefined) {
      signatureProblems.push({
        kind: 'checkpoint_signature',
        seq: row.seq,
        message: `Checkpoint ${row.id} of ${row.created_at.toISOString()}: ${why}.`,
      });
    }
  }
  const all = [
    ...recorded.map((row) => ({
      seq: row.seq,
      hash: row.hash,
      label: `Checkpoint ${row.id} of ${row.created_at.toISOString()}`,
    })),
    ...external.map((checkpoint) => ({ ...checkpoint, label: 'The checkpoint given' })),
  ];
  const problems: AuditProblem[] = [...signatureProblems];
  for (const checkpoint of all) {
    if (checkpoint.seq === 0) {
      if (checkpoint.hash !== GENESIS_HASH) {
        problems.push({
          kind: 'checkpoint_mismatch',
          seq: 0,
          message: `${checkpoint.label} claims an empty chain with hash ${checkpoint.hash}, which is not the empty chain's.`,
        });
      }
      continue;
    }
    const entry = await db
      .selectFrom('audit_log')
      .select(['seq', 'hash'])
      .where('seq', '=', checkpoint.seq)
      .executeTakeFirst();
    if (entry === undefined) {
      problems.push({
        kind: 'checkpoint_mismatch',
        seq: checkpoint.seq,
        message: `${checkpoint.label} says the chain reached entry ${checkpoint.seq} (${checkpoint.hash}); that entry no longer exists: the chain was cut back.`,
      });
    } else if (entry.hash !== checkpoint.hash) {
      problems.push({
        kind: 'checkpoint_mismatch',
        seq: checkpoint.seq,
        message: `${checkpoint.label} says entry ${checkpoint.seq} had hash ${checkpoint.hash}; it now has ${entry.hash}: the chain was rewritten at or before entry ${checkpoint.seq}.`,
      });
    }
  }
  return { checked: all.length, problems };
}

/** Refuses checkpoints given in the wrong form, naming the option. */
export function parseExternalCheckpoints(values: readonly string[]): { seq: number; hash: string }[] {
  return values.map((value) => {
    const parsed = externalCheckpointSchema.safeParse(value);
    if (!parsed.success) {
      throw new DomainError('validation_failed', `--checkpoint ${value}: give it as SEQ:HASH.`, [
        { field: 'checkpoint', message: parsed.error.issues[0]?.message ?? 'invalid' },
      ]);
    }
    return parsed.data;
  });
}
