-- Failed sign-ins, per account and per client address (issue 15, M2), kept in the database so that the limit
-- holds across servers sharing it. After a number of failures each further attempt waits twice as long as the
-- one before (429 with Retry-After); a success clears the account's count; an administrator can clear any.
CREATE TABLE sign_in_throttle (
  id uuid PRIMARY KEY,
  key text NOT NULL UNIQUE CHECK (length(key) BETWEEN 1 AND 300),
  failures integer NOT NULL CHECK (failures >= 0),
  last_failure_at timestamptz NOT NULL,
  locked_until timestamptz
);
