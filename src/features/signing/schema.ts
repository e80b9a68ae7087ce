import { z } from 'zod';

export const fingerprintSchema = z
  .string()
  .regex(/^[0-9a-f]{64}$/, 'a fingerprint is 64 lower-case hex digits (SHA-256 of the public key)')
  .describe('SHA-256 of the Ed25519 public key’s SubjectPublicKeyInfo (DER), in hex');

export const instancePublicKeySchema = z.object({
  algorithm: z.literal('ed25519'),
  fingerprint: fingerprintSchema,
  name: z.string().describe('The instance’s name as a signer (ARMTRACE_INSTANCE_NAME, default the host name)'),
  public_key_pem: z.string().describe('The public key, PEM (SubjectPublicKeyInfo)'),
});
export type InstancePublicKey = z.infer<typeof instancePublicKeySchema>;

export const trustedKeySchema = z.object({
  id: z.uuid(),
  fingerprint: fingerprintSchema,
  name: z.string(),
  public_key_pem: z.string(),
  note: z.string().nullable(),
  created_by: z.uuid(),
  created_at: z.string(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type TrustedKey = z.infer<typeof trustedKeySchema>;

export const trustKeyBodySchema = z.object({
  public_key_pem: z.string().min(1).max(10_000).describe('The partner’s Ed25519 public key, PEM'),
  name: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .regex(/^[^\r\n]+$/, 'one line')
    .describe('Who the partner is, as this instance will name them'),
  note: z.string().trim().min(1).max(1000).optional().describe('How the key was received and checked'),
});
export type TrustKeyInput = z.input<typeof trustKeyBodySchema>;

export const withdrawKeyBodySchema = z.object({ reason: z.string().trim().min(1).max(1000) });

export const trustedKeyListQuerySchema = z.object({
  include_archived: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true'),
});

/** Whose key made a signature, as this instance sees it. */
export const signerTrustSchema = z
  .enum(['own', 'trusted', 'unknown'])
  .describe('own: this instance’s key; trusted: a partner key in the trusted list; unknown: neither');
export type SignerTrust = z.infer<typeof signerTrustSchema>;
