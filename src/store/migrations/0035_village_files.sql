-- Photos and PDFs of a 驻村工作队's work log (docs/VILLAGE.md, "The work
-- log"), stored like a meeting's (meeting/attach.h: under <data dir>/
-- attachments/ with a random name, type decided by content).  A file is
-- uploaded for the team first (log_id NULL) and linked to the log entry
-- that names it; the entry's attachments list then shows it.
CREATE TABLE village_log_files (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES village_teams(id),
	org_path {{CTEXT}} NOT NULL,
	log_id {{INT}} REFERENCES village_logs(id),
	kind TEXT NOT NULL,                   -- jpeg, png, pdf
	filename TEXT NOT NULL,               -- as uploaded, for display only
	size {{INT}} NOT NULL,
	sm3 {{CTEXT}} NOT NULL,
	stored_name {{CTEXT}} NOT NULL UNIQUE,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX village_log_files_team ON village_log_files(team_id, log_id);
