import { z } from 'zod';
import { pageQuerySchema, sortQuerySchema } from '../../db/pagination.js';
import { storedText } from '../../db/stored-text.js';
import { isCommonPassword } from './common-passwords.js';

/**
 * A password after NIST SP 800-63B: at least 12 characters, not one character repeated, not only white space,
 * not a commonly used password. Field codes: password_too_short, password_one_character, password_common.
 */
export const passwordSchema = z
  .string()
  .max(1000)
  .superRefine((password, context) => {
    const characters = Array.from(password);
    const problem =
      characters.length < 12
        ? { code: 'password_too_short', message: 'use at least 12 characters', minimum: 12 }
        : /^\s*$/u.test(password) || new Set(characters).size === 1
          ? { code: 'password_one_character', message: 'use more than one character, and not only spaces' }
          : isCommonPassword(password)
            ? { code: 'password_common', message: 'this password is among the most used ones; choose another' }
            : undefined;
    if (problem !== undefined) {
      const { message, ...params } = problem;
      context.addIssue({ code: 'custom', message, params });
    }
  });

export const usernameSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._-]{1,62}$/, 'use 2-63 lower-case letters, digits, dot, dash or underscore');

export const userSchema = z.object({
  id: z.uuid(),
  username: z.string(),
  display_name: z.string(),
  is_admin: z.boolean(),
  created_at: z.string(),
  updated_at: z.string(),
  version: z.number().int(),
  archived_at: z.string().nullable(),
  archive_reason: z.string().nullable(),
});
export type User = z.infer<typeof userSchema>;

export const createUserBodySchema = z.object({
  username: usernameSchema,
  display_name: storedText().min(1).max(200),
  password: passwordSchema,
  is_admin: z.boolean().default(false),
});
export type CreateUserInput = z.input<typeof createUserBodySchema>;

export const signInBodySchema = z.object({
  username: z.string().min(1).max(100),
  password: z.string().min(1).max(1000),
});

export const signedInSchema = z.object({
  user: userSchema,
  expires_at: z.string(),
});

export const tokenScopes = ['read', 'read_write'] as const;

export const createApiTokenBodySchema = z.object({
  name: storedText().min(1).max(100),
  expires_in_days: z
    .number()
    .int()
    .min(1)
    .optional()
    .describe('Lifetime in days: 90 by default, at most ARMTRACE_TOKEN_MAX_DAYS (365 unless configured)'),
  scope: z
    .enum(tokenScopes)
    .default('read_write')
    .describe('read: only reads (GET); read_write: what your roles allow'),
  investigation_id: z.uuid().nullish().describe('Limit the token to this one investigation'),
});
export type CreateApiTokenInput = z.input<typeof createApiTokenBodySchema>;

export const apiTokenSchema = z.object({
  id: z.uuid(),
  user_id: z.uuid(),
  name: z.string(),
  scope: z.enum(tokenScopes),
  investigation_id: z.uuid().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  last_used_at: z.string().nullable().describe('Last request made with it (recorded at most once a minute)'),
  revoked_at: z.string().nullable(),
});
export type ApiToken = z.infer<typeof apiTokenSchema>;

export const createdApiTokenSchema = apiTokenSchema.extend({
  token: z.string().describe('Shown once: send it as `Authorization: Bearer <token>`'),
});

export const apiTokenSortKeys = ['created', 'name', 'last_used', 'expires'] as const;
export type ApiTokenSortKey = (typeof apiTokenSortKeys)[number];

export const apiTokenListQuerySchema = pageQuerySchema.omit({ include_archived: true }).extend({
  ...sortQuerySchema(apiTokenSortKeys, 'created', 'desc').shape,
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the token’s name'),
  user_id: z.uuid().optional().describe('Another user’s tokens (administrators)'),
});
export type ApiTokenListQuery = z.output<typeof apiTokenListQuerySchema>;

export const changePasswordBodySchema = z.object({
  current_password: z.string().min(1).max(1000),
  new_password: passwordSchema,
});

export const deactivateUserBodySchema = z.object({
  version: z.number().int().min(1).describe('The version you read; a stale one gets 409'),
  reason: z.string().trim().min(3, 'say why the account is deactivated').max(2000),
});

export const signInThrottleSchema = z.object({
  id: z.uuid(),
  key: z.string().describe('account:<username> or address:<client address>'),
  failures: z.number().int(),
  last_failure_at: z.string(),
  locked_until: z.string().nullable(),
});
export type SignInThrottle = z.infer<typeof signInThrottleSchema>;

export const clearSignInThrottleBodySchema = z.object({ key: z.string().min(1).max(300) });

// ---------------------------------------------------------------- two-factor sign-in (issue 15, item 4)

export const pendingSignInSchema = z.object({
  second_factor_required: z.literal(true),
  pending_token: z
    .string()
    .describe('Send it with a code to POST /auth/sign-in/second-factor; valid for 5 minutes, no session yet'),
  expires_at: z.string(),
});

export const secondFactorSignInBodySchema = z.object({
  pending_token: z.string().min(1).max(200),
  code: z.string().trim().min(1).max(100).describe('The 6-digit code of the authenticator, or a recovery code'),
});

export const secondFactorStatusSchema = z.object({
  enabled: z.boolean(),
  enabled_at: z.string().nullable(),
  enrolment_pending: z.boolean(),
  recovery_codes_left: z.number().int(),
});

export const secondFactorEnrolmentSchema = z.object({
  otpauth_uri: z.string().describe('otpauth://totp/… for an authenticator app (as a QR code); shown once'),
  secret: z.string().describe('The same secret in base32, to type in by hand; shown once'),
});

export const secondFactorCodeBodySchema = z.object({
  code: z.string().trim().min(1).max(100).describe('The current 6-digit code of the authenticator'),
});

export const recoveryCodesSchema = z.object({
  recovery_codes: z.array(z.string()).describe('Ten one-time codes for when the authenticator is lost; shown once'),
});

export const disableSecondFactorBodySchema = z.object({
  password: z.string().min(1).max(1000),
  code: z.string().trim().min(1).max(100).describe('A current code, or a recovery code'),
});

export const investigationSecondFactorSchema = z.object({
  investigation_id: z.uuid(),
  required: z.boolean().describe('Members without two-factor sign-in get 403 second_factor_required'),
});

export const setInvestigationSecondFactorBodySchema = z.object({ required: z.boolean() });

export const sessionSchema = z.object({
  id: z.uuid(),
  created_at: z.string(),
  expires_at: z.string(),
  last_used_at: z.string().nullable().describe('Last request made with it (recorded at most once a minute)'),
  user_agent: z.string().nullable().describe('What the browser sent as User-Agent at sign-in'),
  current: z.boolean().describe('The session making this request'),
});
export type Session = z.infer<typeof sessionSchema>;

export const sessionListQuerySchema = z.object({
  sort: z
    .enum(['last_used_at', 'created_at'])
    .default('last_used_at')
    .describe('Most recent first: by last use or by sign-in time'),
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the user agent'),
});

export const revokedSessionsSchema = z.object({ revoked: z.number().int().describe('How many sessions ended') });

export const userSortKeys = ['created', 'username', 'display_name', 'is_admin', 'archived'] as const;
export type UserSortKey = (typeof userSortKeys)[number];

export const userListQuerySchema = pageQuerySchema.omit({ include_archived: true }).extend({
  ...sortQuerySchema(userSortKeys, 'created').shape,
  q: z.string().trim().min(1).max(200).optional().describe('Text contained in the user name or display name'),
});
export type UserListQuery = z.output<typeof userListQuerySchema>;
