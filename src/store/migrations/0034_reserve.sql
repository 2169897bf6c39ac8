-- 0034: 村级后备干部 - the reserve pool of a village (reserve/reserve.h),
-- its trainings and 试岗锻炼 periods, and the rule kind "reserve" (the
-- age under which a reserve cadre counts as young for the goal
-- "一村一名年轻干部").  docs/RESERVE.md, docs/RULES.md "村级后备干部".

-- One person in one village's pool.  A party member of the roster is
-- linked by member_id (name, gender, birth date, education and political
-- status are read from the roster, the row keeps the name as entered);
-- a villager who is not a member carries them here, the ID number and
-- phone protected like a member's (crypto/fieldprot.h, bound to
-- "reserve_cadres/<id>/<field>").  A removal sets removed_on, its kind
-- and reason; the row, its trainings and trials stay as history.
CREATE TABLE reserve_cadres (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),   -- the village (its 党支部 or 党总支)
	org_path {{CTEXT}} NOT NULL,                   -- copy of orgs.path for range scans
	member_id {{INT}} REFERENCES members(id),
	name TEXT NOT NULL,
	name_pinyin {{CTEXT}} NOT NULL,
	gender TEXT,                                   -- 'M' / 'F' (non-members)
	birth_date TEXT,                               -- non-members; from the ID number when given
	id_enc TEXT,
	id_index {{CTEXT}},
	id_masked TEXT,
	phone_enc TEXT,
	phone_masked TEXT,
	education TEXT,
	political TEXT NOT NULL,      -- masses 群众, league 共青团员, activist 入党积极分子,
	                              -- democratic 民主党派; members: member (from the roster)
	source TEXT NOT NULL,         -- achiever 本村致富能手, graduate 返乡大学生, veteran 退役军人,
	                              -- returnee 外出务工返乡, group_leader 村民小组长, other 其他
	entered_on TEXT NOT NULL,     -- date entered the pool
	recommended_by TEXT,          -- who recommended (text)
	removed_on TEXT,
	removed_kind TEXT,            -- disqualified 取消后备干部资格, elected 已进入村“两委”,
	                              -- away 外出, other 其他
	removed_reason TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX reserve_cadres_org ON reserve_cadres(org_path, id);
CREATE INDEX reserve_cadres_id ON reserve_cadres(id_index);
CREATE INDEX reserve_cadres_member ON reserve_cadres(member_id);

CREATE TABLE reserve_trainings (
	id {{ID}},
	cadre_id {{INT}} NOT NULL REFERENCES reserve_cadres(id),
	held_on TEXT NOT NULL,
	course TEXT NOT NULL,
	hours {{INT}} NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX reserve_trainings_cadre ON reserve_trainings(cadre_id, held_on);

-- 试岗锻炼: the post tried, the period, the mentor, and the assessment
-- (result excellent 优秀 / pass 合格 / fail 不合格, with a comment),
-- given only once the period has ended.
CREATE TABLE reserve_trials (
	id {{ID}},
	cadre_id {{INT}} NOT NULL REFERENCES reserve_cadres(id),
	post TEXT NOT NULL,
	from_on TEXT NOT NULL,
	to_on TEXT NOT NULL,
	mentor TEXT,
	result TEXT,
	comment TEXT,
	assessed_on TEXT,
	assessed_by {{INT}},
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX reserve_trials_cadre ON reserve_trials(cadre_id, from_on);

-- "一村一名年轻干部": young is under young_max_age on the reference date
-- (the day of the 35th birthday is no longer young).  No national text
-- fixes the age; 35 is the line the 年轻干部 plans of the seed county and
-- of 村“两委”换届 guidance use ("35 岁以下").  docs/RULES.md "村级后备干部".
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('reserve', NULL, '2000-01-01', '全国默认：村级后备干部（一村一名年轻干部，35 岁以下）',
 '{"young_max_age":35,"source":"一村一名年轻干部：35 岁以下（村“两委”换届和年轻干部培养的通行口径）"}', 0);
