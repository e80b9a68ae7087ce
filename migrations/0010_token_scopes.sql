-- API tokens expire, have a scope (read-only or read-write) and may be limited to one investigation
-- (issue 15, H2). Tokens made before this migration keep working for 90 days from now, read-write, everywhere,
-- as they were made; their owners can list and revoke them.
ALTER TABLE api_tokens ADD COLUMN expires_at timestamptz;
UPDATE api_tokens SET expires_at = now() + interval '90 days' WHERE expires_at IS NULL;
ALTER TABLE api_tokens ALTER COLUMN expires_at SET NOT NULL;
ALTER TABLE api_tokens ADD COLUMN scope text NOT NULL DEFAULT 'read_write' CHECK (scope IN ('read', 'read_write'));
ALTER TABLE api_tokens ADD COLUMN investigation_id uuid REFERENCES investigations (id);
CREATE INDEX api_tokens_user ON api_tokens (user_id);
CREATE INDEX sessions_user ON sessions (user_id) WHERE revoked_at IS NULL;
