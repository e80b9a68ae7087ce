import { z } from 'zod';

export const roles = ['owner', 'editor', 'investigator', 'viewer'] as const;
export const roleSchema = z.enum(roles).describe('Role in one investigation');
export type Role = z.infer<typeof roleSchema>;

/** Who is acting, and through which door. Every service call receives one. */
export interface Actor {
  userId: string;
  username: string;
  isAdmin: boolean;
  via: 'api' | 'cli' | 'system';
  /** Set when the request was authenticated by an API token: what that token may do. */
  token?: { id: string; readOnly: boolean; investigationId: string | null } | undefined;
  /** Set when the request was authenticated by a session cookie: that session's id (to tell it among the others). */
  sessionId?: string | undefined;
}
