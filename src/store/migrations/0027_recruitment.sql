-- 0027: 发展党员 - people in the recruitment pipeline and the 25 steps of
-- the 发展细则 (2014) each has done (recruit/recruit.h, recruit/applicant.h).
-- The stage and the last step are kept with the person for the board and
-- the county's lists; the steps are the truth they are derived from.

CREATE TABLE applicants (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),   -- the branch (党支部 of any kind)
	org_path {{CTEXT}} NOT NULL,                   -- copy of orgs.path for range scans
	name TEXT NOT NULL,
	name_pinyin {{CTEXT}} NOT NULL,
	gender TEXT,                                   -- 'M' / 'F'
	birth_date TEXT,
	id_enc TEXT,                                   -- ID number, protected like a member's
	id_index {{CTEXT}} UNIQUE,
	id_masked TEXT,
	ethnicity TEXT,
	education TEXT,
	work_unit TEXT,
	phone_enc TEXT,
	phone_masked TEXT,
	source TEXT NOT NULL,         -- achiever 致富能手, returnee 返乡创业人员, veteran 复转军人,
	                              -- graduate 大学生, young_farmer 青年农民, other 其他
	recommended_by TEXT,          -- league 共青团推优, members 党员推荐 (step 3)
	applied_on TEXT NOT NULL,     -- step 1
	stage TEXT NOT NULL,          -- applicant, activist, candidate, probationary, full
	step {{INT}} NOT NULL,        -- the last step done
	step_on TEXT NOT NULL,        -- its date
	member_id {{INT}} REFERENCES members(id),      -- on the roster from step 19
	closed TEXT,                  -- NULL open; stopped 终止培养, cancelled 取消预备党员资格, done 归档
	closed_on TEXT,
	closed_reason TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX applicants_org ON applicants(org_path, stage, id);
CREATE INDEX applicants_applied ON applicants(applied_on, org_path);
CREATE INDEX applicants_member ON applicants(member_id);

-- One row per step done.  A correction adds a new row and points the old
-- one at it (replaced_by); current rows have replaced_by NULL.  facts: the
-- step's own facts as JSON (conclusion, opinion, training days and hours,
-- certificate and 志愿书 numbers, 公示 start, delay reason, outcome).
-- flag: the rule an imported historic step broke (the API refuses such a
-- step; the importer keeps it and says so).
CREATE TABLE applicant_steps (
	id {{ID}},
	applicant_id {{INT}} NOT NULL REFERENCES applicants(id),
	step {{INT}} NOT NULL,
	done_on TEXT NOT NULL,
	facts TEXT NOT NULL DEFAULT '{}',
	meeting_id {{INT}} REFERENCES meetings(id),
	resolution_id {{INT}} REFERENCES meeting_resolutions(id),
	flag TEXT,
	recorded_by {{INT}},
	recorded_at {{INT}} NOT NULL,
	replaced_by {{INT}},
	reason TEXT
);
CREATE INDEX applicant_steps_applicant ON applicant_steps(applicant_id, step, id);
CREATE INDEX applicant_steps_step_on ON applicant_steps(step, done_on);

-- The people a step names: 谈话人 (talker, steps 2 and 16), 培养联系人
-- (contact, step 5), 入党介绍人 (introducer, step 9).  member_id NULL: a
-- person given by name only (a cadre of the 上级党委).
CREATE TABLE applicant_step_people (
	step_id {{INT}} NOT NULL REFERENCES applicant_steps(id),
	role TEXT NOT NULL,
	seq {{INT}} NOT NULL,
	member_id {{INT}} REFERENCES members(id),
	name TEXT NOT NULL,
	PRIMARY KEY (step_id, role, seq)
);
CREATE INDEX applicant_step_people_member ON applicant_step_people(member_id);
