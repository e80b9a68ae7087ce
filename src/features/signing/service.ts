import type { Kysely } from 'kysely';
import { v7 as uuidv7 } from 'uuid';
import { toJsonRecord } from '../../db/serialize.js';
import type { DB, Row } from '../../db/tables.js';
import type { Queryable } from '../../db/versioned.js';
import { DomainError } from '../../errors.js';
import type { Actor } from '../access/schema.js';
import { requireAdmin } from '../access/service.js';
import { recordChange } from '../audit/service.js';
import { parsePublicKeyPem, type InstanceSigner } from './instance-key.js';
import * as repository from './repository.js';
import {
  trustKeyBodySchema,
  withdrawKeyBodySchema,
  type InstancePublicKey,
  type SignerTrust,
  type TrustedKey,
  type TrustKeyInput,
} from './schema.js';

function toTrustedKey(row: Row<'trusted_signing_keys'>): TrustedKey {
  const { version: _version, updated_at: _updated, ...rest } = toJsonRecord(row);
  return rest;
}

/** The instance's public key as it is shown and exported (never the private half). */
export function describeInstanceKey(signer: InstanceSigner): InstancePublicKey {
  return {
    algorithm: 'ed25519',
    fingerprint: signer.fingerprint,
    name: signer.name,
    public_key_pem: signer.public_key_pem,
  };
}

/**
 * Adds a partner's Ed25519 public key to the keys this instance trusts to
 * sign bags; audited (`signing_key.trust`). Administrators only.
 *
 * @example
 * await trustKey(db, admin, { public_key_pem: fs.readFileSync('partner.pem', 'utf8'), name: 'Partner NGO field office' });
 */
export async function trustKey(db: Kysely<DB>, actor: Actor, input: TrustKeyInput): Promise<TrustedKey> {
  requireAdmin(actor);
  const parsed = trustKeyBodySchema.parse(input);
  const { fingerprint, pem } = parsePublicKeyPem(parsed.public_key_pem, 'public_key_pem');
  return db.transaction().execute(async (trx) => {
    const existing = await repository.findTrustedKey(trx, fingerprint);
    if (existing !== undefined) {
      throw new DomainError(
        'already_exists',
        `The key ${fingerprint} is already in the list, as "${existing.name}"${existing.archived_at === null ? '' : ` (withdrawn ${existing.archived_at.toISOString()})`}.`,
        [{ field: 'public_key_pem', message: 'already in the list of trusted keys' }],
      );
    }
    const now = new Date();
    const row = await repository.insertTrustedKey(trx, {
      id: uuidv7(),
      fingerprint,
      name: parsed.name,
      public_key_pem: pem,
      note: parsed.note ?? null,
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      archived_at: null,
      archive_reason: null,
    });
    await recordChange(trx, actor, {
      action: 'signing_key.trust',
      entityType: 'trusted_signing_keys',
      entityId: row.id,
      investigationId: null,
      after: row,
    });
    return toTrustedKey(row);
  });
}

/**
 * Withdraws trust from a partner key (the row stays, archived, with the reason); audited
 * (`signing_key.withdraw`). Administrators only.
 */
export async function withdrawTrustedKey(
  db: Kysely<DB>,
  actor: Actor,
  fingerprint: string,
  input: { reason: string },
): Promise<TrustedKey> {
  requireAdmin(actor);
  const { reason } = withdrawKeyBodySchema.parse(input);
  return db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom('trusted_signing_keys')
      .selectAll()
      .where('fingerprint', '=', fingerprint)
      .forUpdate()
      .executeTakeFirst();
    if (before === undefined) throw new DomainError('not_found', `No trusted key has the fingerprint ${fingerprint}.`);
    if (before.archived_at !== null) {
      throw new DomainError('archived', `The key ${fingerprint} was already withdrawn.`);
    }
    const now = new Date();
    const after = await trx
      .updateTable('trusted_signing_keys')
      .set({ archived_at: now, archive_reason: reason, updated_at: now, version: before.version + 1 })
      .where('id', '=', before.id)
      .returningAll()
      .executeTakeFirstOrThrow();
    await recordChange(trx, actor, {
      action: 'signing_key.withdraw',
      entityType: 'trusted_signing_keys',
      entityId: after.id,
      investigationId: null,
      before,
      after,
    });
    return toTrustedKey(after);
  });
}

/** The trusted partner keys, oldest first; withdrawn ones only when asked. Any signed-in user may read them. */
export async function listTrustedKeys(
  db: Queryable,
  _actor: Actor,
  options: { includeArchived?: boolean } = {},
): Promise<TrustedKey[]> {
  return (await repository.listTrustedKeys(db, options.includeArchived ?? false)).map(toTrustedKey);
}

/** What this instance knows about a signer: its own key, a trusted partner key (with the name given it), or neither. */
export interface SignerStanding {
  trust: SignerTrust;
  /** The name this instance gave the key (own: the instance name; trusted: the name in the list). */
  known_as: string | null;
}

/**
 * Places a signer's fingerprint against the instance's own key and the
 * trusted (not withdrawn) partner keys.
 *
 * @example
 * const standing = await signerStanding(db, signer, check.fingerprint); // { trust: 'trusted', known_as: 'Partner NGO' }
 */
export async function signerStanding(
  db: Queryable | undefined,
  own: { fingerprint: string; name: string } | undefined,
  fingerprint: string,
): Promise<SignerStanding> {
  if (own !== undefined && own.fingerprint === fingerprint) return { trust: 'own', known_as: own.name };
  if (db === undefined) return { trust: 'unknown', known_as: null };
  const row = await repository.findTrustedKey(db, fingerprint);
  if (row === undefined || row.archived_at !== null) return { trust: 'unknown', known_as: null };
  return { trust: 'trusted', known_as: row.name };
}
