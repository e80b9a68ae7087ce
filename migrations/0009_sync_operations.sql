-- Offline sync (src/features/sync): every operation a device sent and the
-- server applied, keyed by the device's operation id (the idempotency key).
-- A replay finds its row and writes nothing; the row keeps the device's
-- capture time beside the server's receipt time and the device clock's offset.
CREATE TABLE sync_operations (
  op_id uuid PRIMARY KEY,
  user_id uuid NOT NULL REFERENCES users (id),
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  operation_type text NOT NULL CHECK (operation_type IN (
    'site.create', 'zone.create', 'item.create', 'marking.create',
    'site.update', 'item.update', 'item.disposal', 'custody.create'
  )),
  record_type text NOT NULL CHECK (record_type IN ('site', 'zone', 'item', 'marking', 'custody_event')),
  record_id uuid NOT NULL,
  body_sha256 text NOT NULL CHECK (body_sha256 ~ '^[0-9a-f]{64}$'),
  device_id uuid NOT NULL,
  captured_at timestamptz NOT NULL,
  -- Exactly as the device wrote it, with its own UTC offset.
  captured_at_as_sent text NOT NULL,
  device_time timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  clock_offset_seconds double precision NOT NULL,
  clock_skew_flagged boolean NOT NULL
);
CREATE INDEX sync_operations_investigation ON sync_operations (investigation_id, op_id);
CREATE INDEX sync_operations_record ON sync_operations (record_id);
CREATE TRIGGER sync_operations_append_only BEFORE UPDATE OR DELETE ON sync_operations
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
