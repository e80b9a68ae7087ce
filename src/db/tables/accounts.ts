// Accounts and signing in: users, sessions, API tokens, sign-in throttling, second factors (src/db/tables.ts).
import type { ColumnType, Generated } from 'kysely';

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  password_hash: string;
  is_admin: ColumnType<boolean, boolean | undefined, boolean>;
  created_at: Date;
  updated_at: Date;
  version: Generated<number>;
  archived_at: Date | null;
  archive_reason: string | null;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  revoked_at: Date | null;
  /** What the browser sent as User-Agent at sign-in (first 500 characters). */
  user_agent: Generated<string | null>;
  last_used_at: Generated<Date | null>;
}

export interface ApiTokensTable {
  id: string;
  user_id: string;
  name: string;
  token_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  expires_at: Date;
  /** 'read' or 'read_write' */
  scope: ColumnType<string, string | undefined, string>;
  investigation_id: string | null;
}

export interface SignInThrottleTable {
  id: string;
  /** `account:<username>` or `address:<client address>` */
  key: string;
  failures: number;
  last_failure_at: Date;
  locked_until: Date | null;
}

/** A user's TOTP secret (migration 0012); `enabled_at` null while enrolment waits for a first code. */
export interface SecondFactorsTable {
  user_id: string;
  secret: string;
  enabled_at: Date | null;
  /** RFC 6238 time step of the last code accepted: a code is never accepted twice. */
  last_used_step: number | null;
  created_at: Date;
  updated_at: Date;
}

export interface RecoveryCodesTable {
  id: string;
  user_id: string;
  code_hash: string;
  created_at: Date;
  used_at: Date | null;
}

export interface PendingSignInsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: Date;
  expires_at: Date;
  used_at: Date | null;
}

export interface InvestigationSecondFactorTable {
  investigation_id: string;
  required: boolean;
  updated_at: Date;
  updated_by: string;
}
