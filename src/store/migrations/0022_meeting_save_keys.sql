-- 0022: the idempotency key of a meeting save.  The form makes a random
-- client_key (a UUID) once per draft and sends it with POST /meetings; a
-- retry of a save whose answer was lost carries the same key and gets the
-- first save's meeting instead of a duplicate.  digest is the hex HMAC-SM3
-- of what was saved (the meeting fields without the key, and each
-- attachment's name and content): the same key with a different body is
-- refused.  Unique per organisation (the org_id of the request).
CREATE TABLE meeting_save_keys (
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	client_key {{CTEXT}} NOT NULL,
	digest {{CTEXT}} NOT NULL,
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	PRIMARY KEY (org_id, client_key)
);
CREATE INDEX meeting_save_keys_meeting ON meeting_save_keys(meeting_id);
