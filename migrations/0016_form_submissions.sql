-- Field forms (src/features/forms): every ODK / KoboToolbox submission imported, keyed by the instance ID the
-- collecting device gave it (`uuid:…`), so importing the same export again writes nothing twice. The row keeps
-- what the item record has no column for: who submitted it, the device's start and end times (as sent, with their
-- UTC offset, and in UTC), when the server received it, the form and its version, and the geopoint as captured.
CREATE TABLE form_submissions (
  id uuid PRIMARY KEY,
  investigation_id uuid NOT NULL REFERENCES investigations (id),
  instance_id text NOT NULL CHECK (length(instance_id) BETWEEN 1 AND 200),
  export_format text NOT NULL CHECK (export_format IN (
    'odk_central_csv', 'odk_central_odata', 'kobo_csv', 'kobo_json'
  )),
  form_id text,
  form_version text,
  item_id uuid NOT NULL,
  site_id uuid NOT NULL,
  submitter text,
  device_started_as_sent text,
  device_started_at timestamptz,
  device_ended_as_sent text,
  device_ended_at timestamptz,
  submitted_at timestamptz,
  geopoint_as_sent text,
  import_id uuid NOT NULL,
  imported_by uuid NOT NULL REFERENCES users (id),
  imported_at timestamptz NOT NULL,
  UNIQUE (investigation_id, instance_id),
  FOREIGN KEY (item_id, investigation_id) REFERENCES items (id, investigation_id),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id)
);
CREATE INDEX form_submissions_item ON form_submissions (item_id);
CREATE TRIGGER form_submissions_append_only BEFORE UPDATE OR DELETE ON form_submissions
  FOR EACH ROW EXECUTE FUNCTION armtrace_reject_change();
