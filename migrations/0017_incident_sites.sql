-- An incident can involve several sites (issue 11, item 6): a convoy attacked along a road, a seizure whose
-- items came from two caches. Each link names who made it and when; unlinking deletes the row, and the audit
-- log keeps both the link and its removal. The single site an incident had so far becomes its first link
-- (incidents.site_id stays as it was: the site given when the incident was recorded or last edited).
CREATE TABLE incident_sites (
  incident_id uuid NOT NULL,
  site_id uuid NOT NULL,
  investigation_id uuid NOT NULL,
  created_by uuid NOT NULL REFERENCES users (id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (incident_id, site_id),
  FOREIGN KEY (incident_id, investigation_id) REFERENCES incidents (id, investigation_id),
  FOREIGN KEY (site_id, investigation_id) REFERENCES sites (id, investigation_id)
);
CREATE INDEX incident_sites_site ON incident_sites (site_id);

INSERT INTO incident_sites (incident_id, site_id, investigation_id, created_by, created_at)
SELECT id, site_id, investigation_id, created_by, created_at FROM incidents WHERE site_id IS NOT NULL;
