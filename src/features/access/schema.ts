import { z } from 'zod';

export const roles = ['owner', 'editor', 'investigator', 'viewer'] as const;
export const roleSchema = z.enum(roles).describe('Role in one investigation');
export type Role = z.infer<typeof roleSchema>;

/** Who is acting, and through which door; defined below the features so that HTTP and the CLI can name it. */
export type { Actor } from '../../authentication.js';
