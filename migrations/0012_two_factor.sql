-- Two-factor sign-in (issue 15, item 4): TOTP after RFC 6238 with one-time recovery codes.
-- A user's authenticator secret; enabled_at is null while enrolment waits for a first code. The secret is never
-- sent again once enrolment is confirmed. last_used_step is the RFC 6238 time step of the last code accepted, so
-- that a code cannot be used twice.
CREATE TABLE second_factors (
  user_id uuid PRIMARY KEY REFERENCES users (id),
  secret text NOT NULL CHECK (length(secret) BETWEEN 16 AND 128),
  enabled_at timestamptz,
  last_used_step integer,
  created_at timestamptz NOT NULL,
  updated_at timestamptz NOT NULL
);

-- One-time recovery codes, stored as SHA-256 of a high-entropy code (80 random bits); used_at once spent.
CREATE TABLE recovery_codes (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  code_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  used_at timestamptz
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- A password step passed by a user with TOTP: no session yet, a short-lived token that a code turns into one.
CREATE TABLE pending_sign_ins (
  id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL,
  expires_at timestamptz NOT NULL,
  used_at timestamptz
);

-- Investigations whose owners require every member to sign in with a second factor.
CREATE TABLE investigation_second_factor (
  investigation_id uuid PRIMARY KEY REFERENCES investigations (id),
  required boolean NOT NULL,
  updated_at timestamptz NOT NULL,
  updated_by uuid NOT NULL REFERENCES users (id)
);
