-- 0038: 学习教育 and 学时 - what a member studied that the platform does
-- not hold already (集中学习 and 远程教育 sessions of a branch with the
-- attendees entered once, external study entered or imported), the
-- courses a county publishes to a subtree with an optional quiz, who has
-- studied them, and the rule set of kind "study" (32 学时 for members,
-- 56 for secretaries and committee members, the hours of a meeting
-- without an end time).  党课 and 主题党日 attended and the 发展对象
-- 集中培训 are never stored here: they are read from meetings and
-- applicant_steps.  Model: docs/STUDY.md; rule: docs/RULES.md "学时".

-- A study session: kind central 集中学习, remote 远程教育（固定活动日）,
-- external 外部学习 (one person's course or certificate).  hours10: the
-- 学时 it counts, in tenths of an hour.  batch_id: the import it came
-- from (external study imported from a spreadsheet).
CREATE TABLE study_sessions (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,               -- copy of orgs.path for range scans
	kind TEXT NOT NULL,
	title TEXT NOT NULL,
	held_on TEXT NOT NULL,
	hours10 {{INT}} NOT NULL,
	provider TEXT,                             -- 举办单位 / 证书颁发单位
	batch_id {{INT}} REFERENCES import_batches(id),
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX study_sessions_org ON study_sessions(org_path, held_on, id);

-- Who took part in a session: entered once with the session.
CREATE TABLE study_attendees (
	session_id {{INT}} NOT NULL REFERENCES study_sessions(id),
	member_id {{INT}} NOT NULL REFERENCES members(id),
	PRIMARY KEY (session_id, member_id)
);
CREATE INDEX study_attendees_member ON study_attendees(member_id, session_id);

-- A course or material published by an org to its subtree: text, a link
-- and a PDF in the meeting attachments' file store.  hours10: the 学时
-- the course states.  pass_mark: the quiz's pass mark in per cent (the
-- course counts once the quiz is passed when it has questions).
CREATE TABLE courses (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	title TEXT NOT NULL,
	body TEXT,
	link TEXT,
	hours10 {{INT}} NOT NULL,
	pass_mark {{INT}} NOT NULL DEFAULT 60,
	published_on TEXT NOT NULL,
	file_kind TEXT,
	file_name TEXT,
	file_stored {{CTEXT}},
	file_size {{INT}},
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX courses_org ON courses(org_path, id);

-- The quiz of a course: single (one letter) or multiple choice (letters
-- in order, e.g. "AC"); options as a JSON array of strings.
CREATE TABLE course_questions (
	id {{ID}},
	course_id {{INT}} NOT NULL REFERENCES courses(id),
	pos {{INT}} NOT NULL,
	kind TEXT NOT NULL,
	text TEXT NOT NULL,
	options TEXT NOT NULL,
	answer TEXT NOT NULL
);
CREATE INDEX course_questions_course ON course_questions(course_id, pos);

-- A member who studied a course: on the day marked (or the day the quiz
-- was passed); score: the best quiz score in per cent, NULL without quiz.
CREATE TABLE course_studies (
	course_id {{INT}} NOT NULL REFERENCES courses(id),
	member_id {{INT}} NOT NULL REFERENCES members(id),
	studied_on TEXT,
	score {{INT}},
	attempts {{INT}} NOT NULL DEFAULT 0,
	updated_at {{INT}} NOT NULL,
	PRIMARY KEY (course_id, member_id)
);
CREATE INDEX course_studies_member ON course_studies(member_id, studied_on);

INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('study', NULL, '2019-01-01', '默认：党员每年集中学习培训不少于32学时，基层党组织书记和班子成员不少于56学时',
 '{"member_hours":32,"leader_hours":56,"lecture_hours":2,"theme_day_hours":2,"training_day_hours":8,"meeting_max_hours":8,"source":"中国共产党党员教育管理工作条例（2019）：党员每年集中学习培训时间一般不少于32学时；基层党组织书记和班子成员每年集中学习培训时间一般不少于56学时"}', 0);
