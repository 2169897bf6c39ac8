-- 0045: 述职评议 and 一述职、两测评、四联考 (docs/REVIEWS.md).

-- The photos and PDFs of a secretary's 述职 (duty_reports, 0041), stored
-- like a meeting's (meeting/attach.h).
CREATE TABLE duty_report_files (
	id {{ID}},
	report_id {{INT}} NOT NULL REFERENCES duty_reports(id),
	org_path {{CTEXT}} NOT NULL,
	kind TEXT NOT NULL,
	filename TEXT NOT NULL,
	size {{INT}} NOT NULL,
	sm3 TEXT NOT NULL,
	stored_name TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX duty_report_files_report ON duty_report_files(report_id);

-- A team's evaluation held on the platform: the report (述职) scored, two
-- 测评 by one-time codes, four examiners; open until finalised, then
-- final_score (2 decimals, half up) and grade by the rule village_work in
-- force on report_on.
CREATE TABLE village_reviews (
	id {{ID}},
	team_id {{INT}} NOT NULL REFERENCES village_teams(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	report_on TEXT NOT NULL,
	report_summary TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open',
	rating_cadres {{REAL}},
	rating_villagers {{REAL}},
	exams {{REAL}},
	final_score {{REAL}},
	grade TEXT,
	finalised_on TEXT,
	finalised_by {{INT}},
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	UNIQUE (team_id, year)
);
CREATE INDEX village_reviews_path ON village_reviews(org_path, year);

-- The one-time codes of a 测评: round cadres (乡镇干部) or villagers (村
-- 党员群众); only the SM3 of the code is kept, and whether it was used.
-- Never when, never by whom, never which vote it cast.
CREATE TABLE village_review_codes (
	id {{ID}},
	review_id {{INT}} NOT NULL REFERENCES village_reviews(id),
	round TEXT NOT NULL,
	code_hash {{CTEXT}} NOT NULL UNIQUE,
	used {{INT}} NOT NULL DEFAULT 0
);
CREATE INDEX village_review_codes_review ON village_review_codes(review_id, round);

-- A vote: the review, the round and the grade.  Nothing else: no code,
-- no time, no voter, no address.
CREATE TABLE village_review_votes (
	id {{ID}},
	review_id {{INT}} NOT NULL REFERENCES village_reviews(id),
	round TEXT NOT NULL,
	grade TEXT NOT NULL
);
CREATE INDEX village_review_votes_review ON village_review_votes(review_id, round);

-- The scores entered by people: the report's (述职, examiner report) and
-- the four joint examiners' (县委组织部 county, 乡村振兴部门 revival,
-- 乡镇党委 township, 派出单位 unit), each 0-100 with the examiner's name and
-- the account that entered it.
CREATE TABLE village_review_exams (
	id {{ID}},
	review_id {{INT}} NOT NULL REFERENCES village_reviews(id),
	examiner TEXT NOT NULL,
	score {{INT}} NOT NULL,
	examiner_name TEXT NOT NULL,
	note TEXT,
	entered_by {{INT}},
	entered_at {{INT}} NOT NULL,
	UNIQUE (review_id, examiner)
);

-- Outcomes: who decided (the body or person) and the evaluation they
-- follow from (a typed one in village_evaluations or one held here).
ALTER TABLE cadre_outcomes ADD COLUMN decided_by TEXT;
ALTER TABLE cadre_outcomes ADD COLUMN review_id {{INT}} REFERENCES village_reviews(id);
ALTER TABLE cadre_outcomes ADD COLUMN reserve_id {{INT}} REFERENCES reserve_cadres(id);

-- The national default gains the 测评's points per vote and the grades'
-- thresholds of the final score.
UPDATE rule_sets SET data = '{"min_days":20,"township_leave_days":3,"ending_soon_days":90,"weights":{"report":10,"rating_cadres":15,"rating_villagers":15,"exams":60},"vote_points":{"excellent":100,"competent":80,"basic":60,"incompetent":0},"grades":{"excellent":90,"competent":70,"basic":60},"source":"中办《关于向重点乡镇和贫困村选派第一书记的通知》（2015）及各省驻村管理办法：“每月驻村工作时间不少于20天”；请假 3 天以内由乡镇党委审批，3 天以上由县委组织部审批；一述职、两测评、四联考，考核结果分优秀、称职、基本称职、不称职"}'
WHERE kind = 'village_work' AND org_id IS NULL AND effective_from = '2015-05-01';
