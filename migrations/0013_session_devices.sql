-- Active sessions are listed to their owner (issue 11, item 8): which browser or device, when it was last used,
-- so that a session left open elsewhere can be recognised and ended. The user agent is what the browser sent at
-- sign-in (metadata about the session, not evidence; kept to its first 500 characters).
ALTER TABLE sessions ADD COLUMN user_agent text CHECK (user_agent IS NULL OR length(user_agent) <= 500);
ALTER TABLE sessions ADD COLUMN last_used_at timestamptz;
