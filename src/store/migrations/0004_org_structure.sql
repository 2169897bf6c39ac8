-- 0004: org structure - committees (班子) and terms, economic and social
-- units with their coverage (覆盖), alliances (党建联合体), subtree roll-ups
-- (org_counts, see src/org/counts.h) and the national default rule sets
-- for org structure and terms of office.

ALTER TABLE orgs ADD COLUMN dissolved_reason TEXT;

-- A term of office (届): the newest started_on is the current one.
-- ends_on = started_on + years, or a date moved by an approved early or
-- delayed election (at most the 'terms' rule's max_extension_months).
CREATE TABLE org_terms (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	started_on TEXT NOT NULL,
	years {{INT}} NOT NULL,
	ends_on TEXT NOT NULL,
	elected_how TEXT,                     -- election 选举, by_election 补选, appointed 上级指定
	notes TEXT,
	created_at {{INT}} NOT NULL,
	created_by {{INT}}
);
CREATE INDEX org_terms_org ON org_terms(org_id, started_on, id);

-- Who holds which post from when to when.  A post is current while
-- ended_on is NULL (ended_on is never in the future, see org/committee.c).
CREATE TABLE committee_posts (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	member_id {{INT}} REFERENCES members(id),
	person_name TEXT,                     -- when the holder is not on this roster
	post TEXT NOT NULL,                   -- secretary, deputy_secretary, organization, ...
	started_on TEXT NOT NULL,
	ended_on TEXT,
	notes TEXT,
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX committee_posts_org ON committee_posts(org_id, ended_on, id);
CREATE INDEX committee_posts_member ON committee_posts(member_id);

-- Economic and social units (enterprises, social organisations) and how
-- party organisation covers them.  org_id/org_path: where the unit is
-- located in the tree (whose subtree sees it); covering_org_id: the org
-- that covers it (its own branch, a joint branch, or the org it is
-- attached to).
CREATE TABLE units (
	id {{ID}},
	name TEXT NOT NULL,
	kind TEXT NOT NULL,                   -- enterprise, social_org, other
	subkind TEXT,                         -- 非公企业, 国有企业, 社会组织, ...
	credit_code {{CTEXT}},                -- 统一社会信用代码 (optional)
	staff_count {{INT}} NOT NULL DEFAULT 0,
	party_members {{INT}} NOT NULL DEFAULT 0,
	full_members {{INT}} NOT NULL DEFAULT 0,
	coverage TEXT NOT NULL DEFAULT 'none', -- single 单独建, joint 联合建, attached 挂靠建, none
	covering_org_id {{INT}} REFERENCES orgs(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	address TEXT,
	remarks TEXT,
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX units_path ON units(org_path, id);
CREATE INDEX units_org ON units(org_id);
CREATE INDEX units_covering ON units(covering_org_id);

-- 党建联合体: a named alliance of several orgs; org_id is the lead org
-- (whose subtree may see and edit it).
CREATE TABLE alliances (
	id {{ID}},
	name TEXT NOT NULL,
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	theme TEXT,
	founded_on TEXT,
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX alliances_path ON alliances(org_path, id);
CREATE TABLE alliance_members (
	alliance_id {{INT}} NOT NULL REFERENCES alliances(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	role TEXT,                            -- 牵头单位, 成员单位 ...
	joined_on TEXT,
	PRIMARY KEY (alliance_id, org_id)
);
CREATE INDEX alliance_members_org ON alliance_members(org_id);

-- Subtree roll-ups: counts of an org's whole subtree per dimension value
-- (src/org/counts.h lists the dimensions).  Rows with n = 0 may remain.
CREATE TABLE org_counts (
	org_id {{INT}} NOT NULL,
	dim {{CTEXT}} NOT NULL,
	key {{CTEXT}} NOT NULL,
	n {{INT}} NOT NULL,
	PRIMARY KEY (org_id, dim, key)
)
--@sqlite WITHOUT ROWID
;

-- The structure warnings and term dates each org currently contributes to
-- org_counts (dims 'warn' and 'term'), so a refresh applies only the
-- difference.  warn: "kind,kind,..." (a kind repeats per occurrence);
-- term: the keys of the dates from which the current term is due in 6
-- months, due in 1 month and overdue, by day and by month (see
-- src/org/warnings.c).
CREATE TABLE org_warn_state (
	org_id {{INT}} PRIMARY KEY,
	warn TEXT NOT NULL,
	term TEXT NOT NULL
);

-- National defaults (org_id NULL).  Numbers from 中国共产党支部工作条例（试行）
-- 2018 art. 4 and 党章; the 3+ and 50 rules predate 2018, hence 1990.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('org_structure', NULL, '1990-01-01', '全国默认：基层组织设置',
 '{"branch_min_full":3,"branch_max_members":50,"committee_min_full":7,"committee_size_min":3,"committee_size_max":5,"committee_size_cap":7,"general_branch_min_members":50,"party_committee_min_members":100,"joint_branch_max_units":5,"source":"支部工作条例第四条"}',
 0),
-- Terms of office.  1990: 基层组织选举工作暂行条例 (基层委员会三年或四年,
-- 总支、支部两年或三年; the shorter value); 2018 onwards: 基层委员会 5 years,
-- 总支 and 支部 3, village and community organisations 5.
('terms', NULL, '1990-01-01', '全国默认：任期（1990 年暂行条例）',
 '{"years":{"committee":3,"general_branch":2,"branch":2,"joint_branch":2,"temp_branch":2,"online_branch":2},"domain_years":{},"max_extension_months":12,"remind_months":[6,1],"source":"基层组织选举工作暂行条例（1990）"}',
 0),
('terms', NULL, '2018-01-01', '全国默认：任期（2018 年起）',
 '{"years":{"committee":5,"general_branch":3,"branch":3,"joint_branch":3,"temp_branch":3,"online_branch":3},"domain_years":{"rural":5,"community":5},"max_extension_months":12,"remind_months":[6,1],"source":"中办 2018 年关于基层党组织任期的意见"}',
 0);
