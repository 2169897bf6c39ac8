-- 0005: organisational life (三会一课, 主题党日, 组织生活会, 民主评议党员,
-- 谈心谈话): meeting records, attendance per person, resolutions, QR
-- sign-in, attachments, back-fill unlocks, risk explanations, appraisals,
-- and the national default rule sets for frequencies and meeting rules.
-- Design and algorithms: docs/MEETINGS.md.

-- One meeting (or activity).  org_path is a copy of orgs.path for subtree
-- range scans (kept in step when a subtree moves, like members.org_path).
-- The *_count, voters, quorum_* columns are DERIVED from
-- meeting_attendance by src/meeting/meeting.c in the same transaction as
-- every attendance change; they are never taken from input.
CREATE TABLE meetings (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	type TEXT NOT NULL,                   -- plenary, committee, group, lecture, theme_day, life_meeting, appraisal, talk, other
	title TEXT,
	start_at {{INT}} NOT NULL,            -- unix seconds
	end_at {{INT}},
	held_on TEXT NOT NULL,                -- China date of start_at, YYYY-MM-DD
	held_ym {{INT}} NOT NULL,             -- 202607
	place TEXT,
	host TEXT,                            -- 主持人
	recorder TEXT,                        -- 记录人
	speaker TEXT,                         -- 授课人 (党课)
	topic TEXT,
	agenda TEXT,
	minutes TEXT,
	is_election {{INT}} NOT NULL DEFAULT 0,
	talk_a_id {{INT}} REFERENCES members(id),   -- 谈心谈话: the two people
	talk_a_name TEXT,
	talk_b_id {{INT}} REFERENCES members(id),
	talk_b_name TEXT,
	expected_count {{INT}} NOT NULL DEFAULT 0,  -- 应到
	present_count {{INT}} NOT NULL DEFAULT 0,   -- 实到
	leave_count {{INT}} NOT NULL DEFAULT 0,     -- 请假
	absent_count {{INT}} NOT NULL DEFAULT 0,    -- 缺席
	voters {{INT}} NOT NULL DEFAULT 0,          -- 应到 with a vote
	present_voters {{INT}} NOT NULL DEFAULT 0,
	quorum_base {{INT}} NOT NULL DEFAULT 0,     -- whom the quorum rule counts
	quorum_present {{INT}} NOT NULL DEFAULT 0,
	quorum_need {{INT}} NOT NULL DEFAULT 0,     -- smallest quorum_present that satisfies the rule
	quorum_ok {{INT}} NOT NULL DEFAULT 0,
	unlocked_until {{INT}},                     -- back-fill unlock by the level above
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
-- compliance and lists of a subtree in a period
CREATE INDEX meetings_subtree ON meetings(org_path, held_on, type, quorum_ok);
-- one org's meetings (compliance of a branch and its groups, talks)
CREATE INDEX meetings_org ON meetings(org_id, type, held_on);
-- newest first lists over large subtrees (keyset on start_at, id)
CREATE INDEX meetings_start ON meetings(start_at, id);

-- 列席: non-member attendees by name.
CREATE TABLE meeting_guests (
	id {{ID}},
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	pos {{INT}} NOT NULL,
	name TEXT NOT NULL
);
CREATE INDEX meeting_guests_meeting ON meeting_guests(meeting_id, pos);

-- Attendance per person.  The rows of a meeting ARE its 应到 list, taken
-- from the roster on the meeting date when the record is made (and again
-- when its date or type changes).  held_ym is a copy of meetings.held_ym so
-- "last month with organisational life" is one index seek per member.
CREATE TABLE meeting_attendance (
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	member_id {{INT}} NOT NULL REFERENCES members(id),
	held_ym {{INT}} NOT NULL,
	has_vote {{INT}} NOT NULL DEFAULT 0,  -- 预备党员 attend without a vote
	status TEXT NOT NULL,                 -- present 出席, leave 请假, absent 缺席
	reason TEXT,                          -- 请假 reason
	source TEXT NOT NULL,                 -- roster (not yet marked), manual, qr
	signed_at {{INT}},                    -- QR sign-in time
	lat {{REAL}},                         -- weak evidence only
	lng {{REAL}},
	signin_id {{INT}},
	updated_at {{INT}} NOT NULL,
	PRIMARY KEY (meeting_id, member_id)
);
CREATE INDEX meeting_attendance_member ON meeting_attendance(member_id, status, held_ym);
-- the 应到 list of a 党小组会 is the members whose group_id is the group
CREATE INDEX meeting_members_group ON members(group_id);

-- Resolutions and their votes.  Whether one passed is derived when read
-- (yes > 1/2 of those entitled to vote, and the meeting had quorum).
CREATE TABLE meeting_resolutions (
	id {{ID}},
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	title TEXT NOT NULL,
	yes {{INT}} NOT NULL,
	no {{INT}} NOT NULL,
	abstain {{INT}} NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX meeting_resolutions_meeting ON meeting_resolutions(meeting_id, id);

-- Photos and PDFs, stored as files under <data dir>/attachments/ with a
-- random name; type decided by content (magic bytes), never by the name.
CREATE TABLE meeting_attachments (
	id {{ID}},
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	kind TEXT NOT NULL,                   -- jpeg, png, pdf
	filename TEXT NOT NULL,               -- as uploaded, for display only
	size {{INT}} NOT NULL,
	sm3 {{CTEXT}} NOT NULL,               -- hex digest of the content
	stored_name {{CTEXT}} NOT NULL UNIQUE,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX meeting_attachments_meeting ON meeting_attachments(meeting_id, id);

-- QR sign-in sessions.  A token names its session by nonce; a token whose
-- nonce is not here was not issued by this server (or was revoked).
CREATE TABLE meeting_signins (
	id {{ID}},
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	nonce {{CTEXT}} NOT NULL UNIQUE,
	opened_by {{INT}},
	opened_at {{INT}} NOT NULL,
	expires_at {{INT}} NOT NULL
);
CREATE INDEX meeting_signins_meeting ON meeting_signins(meeting_id, id);

-- Unlocks of records past the back-fill window (also in the audit trail).
CREATE TABLE meeting_unlocks (
	id {{ID}},
	meeting_id {{INT}} NOT NULL REFERENCES meetings(id),
	by_user {{INT}},
	by_org_id {{INT}},                    -- the org whose grant allowed it
	reason TEXT NOT NULL,
	at {{INT}} NOT NULL,
	until_at {{INT}} NOT NULL
);
CREATE INDEX meeting_unlocks_meeting ON meeting_unlocks(meeting_id, id);

-- A secretary's explanation of a member's absence from organisational
-- life (e.g. 请假 for illness) over a range of months: those months do not
-- count towards the 3/5/6-month warnings.
CREATE TABLE risk_explanations (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	org_path {{CTEXT}} NOT NULL,          -- the member's org when explained
	reason TEXT NOT NULL,
	from_on TEXT NOT NULL,
	to_on TEXT NOT NULL,
	from_ym {{INT}} NOT NULL,
	to_ym {{INT}} NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX risk_explanations_member ON risk_explanations(member_id, from_ym, to_ym);

-- 民主评议党员: one per branch and year; one row per member appraised.
CREATE TABLE appraisals (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	meeting_id {{INT}} REFERENCES meetings(id),
	status TEXT NOT NULL DEFAULT 'open',  -- open, final
	excellent_cap {{REAL}},               -- share of 优秀 allowed (rule, copied at finalisation)
	finalized_at {{INT}},
	finalized_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL,
	UNIQUE (org_id, year)
);
CREATE INDEX appraisals_path ON appraisals(org_path, year);
CREATE TABLE appraisal_items (
	appraisal_id {{INT}} NOT NULL REFERENCES appraisals(id),
	member_id {{INT}} NOT NULL REFERENCES members(id),
	self_assessment TEXT,
	v_excellent {{INT}} NOT NULL DEFAULT 0,
	v_qualified {{INT}} NOT NULL DEFAULT 0,
	v_basic {{INT}} NOT NULL DEFAULT 0,
	v_unqualified {{INT}} NOT NULL DEFAULT 0,
	grade TEXT,                           -- excellent, qualified, basically_qualified, unqualified
	grade_note TEXT,                      -- why the grade differs from the votes (e.g. cap)
	updated_at {{INT}} NOT NULL,
	PRIMARY KEY (appraisal_id, member_id)
);
CREATE INDEX appraisal_items_member ON appraisal_items(member_id);

-- National defaults (org_id NULL), from 中国共产党支部工作条例（试行）2018
-- and the guidance quoted in docs/MEETINGS.md.  meeting_freq: for each
-- meeting type, `min` meetings in every unit of `every_months` months
-- (units aligned to the calendar year: 1, 2, 3, 4, 6 or 12); `scope`
-- "group" means per 党小组 of the branch, "committee" means only where the
-- branch has a committee (min_posts or more posts held: 3, the smallest
-- committee of 支部工作条例 art. 4; a smaller branch has a secretary only).  meeting_rules: quorum and vote
-- thresholds as fractions num/den ("strict": more than; else at least),
-- back-fill window, sign-in, roster statuses, risk months, appraisal cap,
-- talk coverage.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('meeting_freq', NULL, '1900-01-01', '全国默认：三会一课等组织生活频次',
 '{"plenary":{"every_months":3,"min":1},"committee":{"every_months":1,"min":1,"scope":"committee","min_posts":3},"group":{"every_months":1,"min":1,"scope":"group"},"lecture":{"every_months":12,"min":1},"theme_day":{"every_months":1,"min":1},"life_meeting":{"every_months":12,"min":1},"appraisal":{"every_months":12,"min":1},"talk":{"every_months":12,"min":1},"source":"中国共产党支部工作条例（试行）2018 第十九条"}',
 0),
('meeting_rules', NULL, '1900-01-01', '全国默认：会议规则',
 '{"quorum":{"plenary":{"num":1,"den":2,"strict":true},"election":{"num":4,"den":5,"strict":false},"committee":{"num":1,"den":2,"strict":false}},"resolution":{"num":1,"den":2,"strict":true},"backfill_days":30,"unlock_days":7,"signin":{"ttl_minutes":15,"open_before_minutes":120,"default_minutes":240},"roster_statuses":["normal","mobile","lost","abroad"],"no_vote_statuses":["abroad"],"risk":{"months":[3,5,6],"statuses":["normal","mobile","lost"]},"appraisal":{"excellent_cap":0.3},"talk":{"committee_pairs":true,"secretary_with_committee":true,"members_under":"group_or_secretary"},"source":"中国共产党支部工作条例（试行）2018；党章第九条"}',
 0);
