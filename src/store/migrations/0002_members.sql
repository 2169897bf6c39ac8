-- 0002: the roster (花名册), its history and designations.

CREATE TABLE members (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,          -- copy of orgs.path for range scans
	group_id {{INT}} REFERENCES orgs(id), -- 党小组
	name TEXT NOT NULL,
	name_pinyin {{CTEXT}} NOT NULL,       -- "zhangsan"
	name_initials {{CTEXT}} NOT NULL,     -- "zs"
	sort_key {{BLOB}} NOT NULL,           -- ICU zh collation key of name
	gender TEXT,                          -- 'M' / 'F'
	ethnicity TEXT,
	birth_date TEXT,
	id_enc TEXT,                          -- ID number, SM4-CTR + HMAC-SM3
	id_index {{CTEXT}} UNIQUE,            -- blind index of the ID number
	id_masked TEXT,
	native_place TEXT,
	education TEXT,
	degree TEXT,
	work_unit TEXT,
	job_title TEXT,
	category TEXT NOT NULL,               -- 'full' / 'probationary'
	join_date TEXT,
	full_date TEXT,
	phone_enc TEXT,
	phone_masked TEXT,
	address TEXT,
	status TEXT NOT NULL DEFAULT 'normal',
	source TEXT,                          -- recruited from (致富能手, 返乡创业...)
	remarks TEXT,
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX members_roster ON members(org_path, sort_key, id);
CREATE INDEX members_pinyin ON members(name_pinyin, org_path);
CREATE INDEX members_initials ON members(name_initials, org_path);
CREATE INDEX members_name ON members(name, org_path);
CREATE INDEX members_org ON members(org_id);

-- Every change of category, status or org: who, when, why.
CREATE TABLE member_history (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	kind TEXT NOT NULL,                   -- category, status, org, created
	old_value TEXT,
	new_value TEXT,
	effective_on TEXT NOT NULL,
	reason TEXT,
	at {{INT}} NOT NULL,
	by_user {{INT}}
);
CREATE INDEX member_history_member ON member_history(member_id, id);

-- 先锋岗 / 示范岗 / 责任区
CREATE TABLE member_designations (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	kind TEXT NOT NULL,                   -- pioneer_post, model_post, duty_zone
	title TEXT NOT NULL,
	started_on TEXT NOT NULL,
	ended_on TEXT
);
CREATE INDEX member_designations_member ON member_designations(member_id);

CREATE VIEW member_orgpath AS SELECT id AS member_id, org_path FROM members;
