-- 0003: roster imports (upload -> preview -> commit) and the national
-- default of the membership rules the roster checks (rules are data).

-- One uploaded file.  Rows are kept only until the batch is committed or
-- expires (24 h): they hold personal data, encrypted where it is sensitive.
CREATE TABLE import_batches (
	id {{ID}},
	user_id {{INT}} REFERENCES users(id),   -- NULL: the command line
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	filename TEXT NOT NULL,
	format TEXT NOT NULL,                   -- xlsx, csv
	status TEXT NOT NULL,                   -- preview, committed, expired
	n_rows {{INT}} NOT NULL DEFAULT 0,
	n_new {{INT}} NOT NULL DEFAULT 0,
	n_update {{INT}} NOT NULL DEFAULT 0,
	n_unchanged {{INT}} NOT NULL DEFAULT 0,
	n_error {{INT}} NOT NULL DEFAULT 0,
	created_at {{INT}} NOT NULL,
	expires_at {{INT}} NOT NULL,
	committed_at {{INT}}
);
CREATE INDEX import_batches_status ON import_batches(status, expires_at);

-- The parsed, normalised rows of a batch.  data is JSON: every roster
-- field as it will be written, the ID number and phone only as ciphertext,
-- blind index and masked form; errors and changes for the preview.
CREATE TABLE import_rows (
	batch_id {{INT}} NOT NULL REFERENCES import_batches(id),
	seq {{INT}} NOT NULL,
	row_no {{INT}} NOT NULL,                -- row number the user sees
	status TEXT NOT NULL,                   -- new, update, unchanged, error
	member_id {{INT}},
	member_version {{INT}},                 -- members.updated_at at preview
	data TEXT NOT NULL,
	PRIMARY KEY (batch_id, seq)
);

-- The roster index, widened with the pinyin columns: a roster page walks
-- it in order (org path, pinyin sort key, id) and a name search in a
-- subtree tests both prefixes inside the index, reading member rows only
-- for matches and stopping at the page's end (api/api_members.c).
DROP INDEX members_roster;
CREATE INDEX members_roster ON members(org_path, sort_key, id, name_pinyin, name_initials);

-- Membership rules (national default): minimum age at joining (党章:
-- 年满十八岁), probation length in years.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
 ('membership', NULL, '1921-07-01', '党员基本条件（全国默认）', '{"min_join_age":18,"probation_years":1}', 0);
