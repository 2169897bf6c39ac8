-- 0032: 帮扶 - the households a village helps, their members, the status
-- history, the helpers paired with each (帮扶责任人 and 党员联系户), the
-- 责任区 of party members, the visits, the exit (退出), and the rule set
-- of kind "aid_visits" (how often a household is visited).  Model and
-- rules: docs/AID.md; the rule data: docs/RULES.md "帮扶走访".

-- A household to help, registered at its village's party organisation
-- (an org of domain rural that is not a 党委).  The 户主's ID number and
-- phone are protected like a member's (crypto/fieldprot.h, bound to
-- "aid_households/<id>/<field>"), found by blind index.  category: tuopin
-- 脱贫户, monitor 监测户 (防返贫监测对象), dibao 低保户, tekun 特困供养户,
-- other 其他.  status: helping 在帮, lifted 已脱贫 (巩固期), monitor 监测户;
-- its changes are kept in aid_status_history.  exited_on set: 退出 (the
-- household stays, out of the counts of who is to be helped).
CREATE TABLE aid_households (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,               -- copy of orgs.path for range scans
	head_name TEXT NOT NULL,                   -- 户主
	head_pinyin {{CTEXT}} NOT NULL,
	id_enc TEXT,
	id_index {{CTEXT}} UNIQUE,
	id_masked TEXT,
	phone_enc TEXT,
	phone_masked TEXT,
	village_group TEXT,                        -- 村民小组 (the 责任区 it falls in)
	address TEXT,
	category TEXT NOT NULL,
	status TEXT NOT NULL,
	status_since TEXT NOT NULL,
	exited_on TEXT,
	exit_decision TEXT,                        -- e.g. 村民代表大会评议、乡镇审核、县审定
	exit_doc TEXT,                             -- the decision's document number
	exit_note TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX aid_households_org ON aid_households(org_path, id);

-- The people of a household (户主 included as relation 户主), name and
-- relation only: no ID numbers of the others are asked for.
CREATE TABLE aid_household_people (
	household_id {{INT}} NOT NULL REFERENCES aid_households(id),
	seq {{INT}} NOT NULL,
	name TEXT NOT NULL,
	relation TEXT NOT NULL,
	PRIMARY KEY (household_id, seq)
);

-- Every status a household had, from when (the first row: its status when
-- registered).
CREATE TABLE aid_status_history (
	id {{ID}},
	household_id {{INT}} NOT NULL REFERENCES aid_households(id),
	status TEXT NOT NULL,
	since TEXT NOT NULL,
	note TEXT,
	recorded_by {{INT}},
	recorded_at {{INT}} NOT NULL
);
CREATE INDEX aid_status_history_household ON aid_status_history(household_id, since, id);

-- A helper paired with a household from from_on until to_on (NULL: still).
-- kind: helper 帮扶责任人 (a party member, or a cadre of a 派出单位 from the
-- cadre registry of 0031), contact 党员联系户 (a party member of the
-- village).  Exactly one of member_id and cadre_id.
CREATE TABLE aid_pairs (
	id {{ID}},
	household_id {{INT}} NOT NULL REFERENCES aid_households(id),
	kind TEXT NOT NULL,
	member_id {{INT}} REFERENCES members(id),
	cadre_id {{INT}} REFERENCES cadres(id),
	from_on TEXT NOT NULL,
	to_on TEXT,
	end_reason TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX aid_pairs_household ON aid_pairs(household_id, kind, id);
CREATE INDEX aid_pairs_member ON aid_pairs(member_id, household_id);
CREATE INDEX aid_pairs_cadre ON aid_pairs(cadre_id, household_id);

-- A 责任区: a party member responsible for an area of the village (a
-- 村民小组, matched to aid_households.village_group) from from_on until
-- to_on.
CREATE TABLE aid_areas (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	name TEXT NOT NULL,
	member_id {{INT}} NOT NULL REFERENCES members(id),
	from_on TEXT NOT NULL,
	to_on TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX aid_areas_org ON aid_areas(org_path, name);

-- A visit to a household: when, by whom (the helper's member or cadre
-- record: one of the two), what was done.
CREATE TABLE aid_visits (
	id {{ID}},
	household_id {{INT}} NOT NULL REFERENCES aid_households(id),
	member_id {{INT}} REFERENCES members(id),
	cadre_id {{INT}} REFERENCES cadres(id),
	visited_on TEXT NOT NULL,
	what TEXT NOT NULL,
	recorded_by {{INT}},
	recorded_at {{INT}} NOT NULL
);
CREATE INDEX aid_visits_household ON aid_visits(household_id, visited_on);

-- Photos of a visit, in the meeting attachments' file store (files under
-- <data dir>/attachments/ with a random name, meeting/attach.h): JPEG or
-- PNG by content, at most 5 a visit.
CREATE TABLE aid_visit_photos (
	id {{ID}},
	visit_id {{INT}} NOT NULL REFERENCES aid_visits(id),
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	size {{INT}} NOT NULL,
	sm3 TEXT NOT NULL,
	stored_name TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX aid_visit_photos_visit ON aid_visit_photos(visit_id, id);

-- How often a household is visited: months between visits by its status
-- (helping 在帮, monitor 监测户, lifted 已脱贫 in the 巩固期) and for a
-- 党员联系户 (contact).  No national text fixes a number; the default is
-- the common provincial practice (docs/RULES.md "帮扶走访"), a county sets
-- its own by a rule set of its own.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('aid_visits', NULL, '2021-01-01', '默认：帮扶走访频次（在帮、监测户每月，已脱贫每季度，党员联系户每季度）',
 '{"helping_months":1,"monitor_months":1,"lifted_months":3,"contact_months":3,"source":"巩固拓展脱贫攻坚成果同乡村振兴有效衔接期间各地帮扶责任人走访的通行做法（每月走访在帮户和监测户，每季度走访已脱贫户）"}', 0);
