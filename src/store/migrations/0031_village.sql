-- 0031: 驻村第一书记 and 驻村工作队 (docs/VILLAGE.md): the cadres sent to
-- villages and the units that send them, their postings to a village and
-- its team, the villages that must have a 第一书记, the absences presence
-- is derived from, the team's work log, evaluations and outcomes.  The
-- rule data: docs/RULES.md, "驻村工作".

-- A 派出单位: an organ, enterprise or institution that sends cadres, kept
-- by an org (org_id, usually the county).  The contact phone is protected
-- like a member's (crypto/fieldprot.h, bound to "dispatch_units/<id>/contact_phone").
CREATE TABLE dispatch_units (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	name TEXT NOT NULL,
	contact_name TEXT,
	contact_phone_enc TEXT,
	contact_phone_masked TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE UNIQUE INDEX dispatch_units_name ON dispatch_units(org_id, name);
CREATE INDEX dispatch_units_path ON dispatch_units(org_path);

-- A cadre who is not a member of the village's branch (驻村干部, 帮扶干部),
-- kept by an org (org_id).  ID number and phone protected like a member's
-- (bound to "cadres/<id>/<field>"; id_index the blind index, one record
-- per person); birth date and gender derived from the ID number.
-- user_id: the account the cadre logs in with (NULL: none).
CREATE TABLE cadres (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	name TEXT NOT NULL,
	name_pinyin {{CTEXT}} NOT NULL,
	gender TEXT,
	birth_date TEXT,
	id_enc TEXT,
	id_index {{CTEXT}} UNIQUE,
	id_masked TEXT,
	phone_enc TEXT,
	phone_masked TEXT,
	unit_id {{INT}} REFERENCES dispatch_units(id),
	post TEXT,                        -- 职务 in the unit
	user_id {{INT}} UNIQUE REFERENCES users(id),
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX cadres_path ON cadres(org_path, id);
CREATE INDEX cadres_unit ON cadres(unit_id);

-- A 驻村工作队 at a village org (org_id: the village's party org).
CREATE TABLE village_teams (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	name TEXT NOT NULL,
	formed_on TEXT NOT NULL,
	dissolved_on TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX village_teams_path ON village_teams(org_path);

-- A cadre posted to a village (驻村): role first_secretary (第一书记,
-- appointed to the village org), leader (队长) or member (队员) of the
-- village's team; from started_on, the term planned to term_ends_on;
-- ended_on with end_reason term_end (期满), recalled (召回) or other.
CREATE TABLE village_postings (
	id {{ID}},
	cadre_id {{INT}} NOT NULL REFERENCES cadres(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	team_id {{INT}} REFERENCES village_teams(id),
	role TEXT NOT NULL,
	started_on TEXT NOT NULL,
	term_ends_on TEXT NOT NULL,
	ended_on TEXT,
	end_reason TEXT,
	end_note TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX village_postings_path ON village_postings(org_path, role);
CREATE INDEX village_postings_cadre ON village_postings(cadre_id);
CREATE INDEX village_postings_team ON village_postings(team_id);

-- A village that must have a 第一书记, why (poverty 脱贫村, weak 软弱涣散村,
-- collective 集体经济薄弱村, other) and for which dates.
CREATE TABLE village_requirements (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	reason TEXT NOT NULL,
	note TEXT,
	from_on TEXT NOT NULL,
	until_on TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX village_requirements_path ON village_requirements(org_path);

-- A stretch of days a posted cadre is away from the village, both days
-- included: leave (请假; pending until approved or refused by the level
-- the rule gives for its length: township or county, level_org_id the
-- org of that level), training (培训) or trip (因公出差), recorded as
-- approved.  Only approved absences take days from the village.
CREATE TABLE village_absences (
	id {{ID}},
	posting_id {{INT}} NOT NULL REFERENCES village_postings(id),
	org_path {{CTEXT}} NOT NULL,
	kind TEXT NOT NULL,
	from_on TEXT NOT NULL,
	to_on TEXT NOT NULL,
	days {{INT}} NOT NULL,
	reason TEXT NOT NULL,
	status TEXT NOT NULL,
	level TEXT,
	level_org_id {{INT}} REFERENCES orgs(id),
	filed_by {{INT}},
	filed_at {{INT}} NOT NULL,
	decided_by {{INT}},
	decided_at {{INT}},
	decision_note TEXT
);
CREATE INDEX village_absences_posting ON village_absences(posting_id, from_on);
CREATE INDEX village_absences_path ON village_absences(org_path, status);

-- The team's work log (活动): what was done on a day; meetings of the
-- village org attended by team members are read from the meeting records,
-- not typed here again.  attachments: JSON array of {"name","note"}.
CREATE TABLE village_logs (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES village_teams(id),
	org_path {{CTEXT}} NOT NULL,
	on_date TEXT NOT NULL,
	what TEXT NOT NULL,
	attachments TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX village_logs_team ON village_logs(team_id, on_date);

-- A team's yearly evaluation, 一述职、两测评、四联考: the report (述职,
-- its date and summary, scored), two ratings (by cadres, by villagers)
-- and four examiners (county 组织部, township, 派出单位, village org),
-- each 0-100; final the weighted score by the rule's weights.
CREATE TABLE village_evaluations (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES village_teams(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	report_on TEXT NOT NULL,
	report_summary TEXT NOT NULL,
	report_score {{INT}} NOT NULL,
	rating_cadres {{INT}} NOT NULL,
	rating_villagers {{INT}} NOT NULL,
	exam_county {{INT}} NOT NULL,
	exam_township {{INT}} NOT NULL,
	exam_unit {{INT}} NOT NULL,
	exam_village {{INT}} NOT NULL,
	final_score {{REAL}} NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	UNIQUE (team_id, year)
);

-- Outcomes recorded on a cadre: recall 召回, accountability 问责, talk 约谈.
CREATE TABLE cadre_outcomes (
	id {{ID}},
	cadre_id {{INT}} NOT NULL REFERENCES cadres(id),
	org_path {{CTEXT}} NOT NULL,
	posting_id {{INT}} REFERENCES village_postings(id),
	kind TEXT NOT NULL,
	on_date TEXT NOT NULL,
	reason TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX cadre_outcomes_cadre ON cadre_outcomes(cadre_id);
CREATE INDEX cadre_outcomes_path ON cadre_outcomes(org_path);

-- 驻村工作 (rule kind "village_work"): a 第一书记 in the village at least
-- 20 days a month (prorated for a partial month); leave of up to 3 days
-- approved by the township, longer by the county; terms ending within 90
-- days listed; the weights (percent) of 一述职、两测评、四联考.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('village_work', NULL, '2015-05-01', '全国：第一书记每月驻村不少于 20 天；请假 3 天以内乡镇党委审批，超过 3 天县委组织部审批',
 '{"min_days":20,"township_leave_days":3,"ending_soon_days":90,"weights":{"report":10,"rating_cadres":15,"rating_villagers":15,"exams":60},"source":"中办《关于向重点乡镇和贫困村选派第一书记的通知》（2015）及各省驻村管理办法：“每月驻村工作时间不少于20天”；请假 3 天以内由乡镇党委审批，3 天以上由县委组织部审批"}', 0);
