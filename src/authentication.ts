import type { Kysely } from 'kysely';
import type { DB } from './db/tables.js';

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

/**
 * How the HTTP layer and the CLI learn who is acting. They are infrastructure and may not import a feature, so they
 * name what they need here and the `users` feature implements it (`features/users/authentication.ts`); the program
 * assembly hands that implementation down (the route mount list to `buildApp`, `buildProgram` to the CLI session).
 *
 * @example
 * const actor = await authentication.apiToken(db, bearerToken); // undefined: unknown, expired or revoked
 */
export interface Authentication {
  /** The actor of a session cookie's token, or undefined when the session is unknown or over. */
  session(db: Kysely<DB>, sessionToken: string): Promise<Actor | undefined>;
  /** The actor of an API token, or undefined when it is unknown, expired or revoked. */
  apiToken(db: Kysely<DB>, token: string): Promise<Actor | undefined>;
  /** Throws `second_factor_required` unless the user has enrolled a second factor (ARMTRACE_REQUIRE_2FA_ADMINS). */
  requireSecondFactor(db: Kysely<DB>, userId: string): Promise<void>;
  /** The CLI's actor: the named user, or the local administrator. */
  localActor(db: Kysely<DB>, username: string | undefined): Promise<Actor>;
  /** Creates the first administrator on an empty database and says its one-time password; otherwise undefined. */
  ensureFirstAdmin(db: Kysely<DB>): Promise<{ username: string; password: string } | undefined>;
}
