import { z } from 'zod';
import { storedText } from '../../db/stored-text.js';

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
  password: z.string().min(12, 'use at least 12 characters').max(1000),
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

export const createApiTokenBodySchema = z.object({
  name: storedText().min(1).max(100),
});

export const apiTokenSchema = z.object({
  id: z.uuid(),
  name: z.string(),
  created_at: z.string(),
  last_used_at: z.string().nullable(),
  revoked_at: z.string().nullable(),
});

export const createdApiTokenSchema = apiTokenSchema.extend({
  token: z.string().describe('Shown once: send it as `Authorization: Bearer <token>`'),
});
