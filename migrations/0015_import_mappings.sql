-- Column mappings of the tabular import kept per investigation under a name (issue 12, item 1), so that files of
-- the same shape (a team's inventory sheet, a partner's export) are imported again without mapping them by hand.
-- `mapping` is a JSON object: header as written in the file → armtrace field, or null for a column left out.
CREATE TABLE import_mappings (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 100),
  mapping jsonb NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (investigation_id, name)
);
