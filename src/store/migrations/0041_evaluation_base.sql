-- 0041: the two facts of evaluation that other parts read (docs/RATINGS.md,
-- docs/POINTS.md, docs/REVIEWS.md).

-- A branch's yearly star rating (评星晋级).  Computed from the records
-- into a draft by the county (or the org that rates), reviewed and then
-- published; a published rating is what last year's 晋级/降级, the
-- 软弱涣散 criterion "后进 two years running", the 大屏 and the
-- secretaries' points read.  rule_id: the rating scheme (rule_sets, kind
-- "rating") used; indicators: the snapshot of every indicator (JSON
-- array of {key, name, value, points, source}) as computed when saved;
-- tier: advanced 先进, middle 中间, lagging 后进; status: draft or
-- published; rated_by_org: the org that rated it.
CREATE TABLE org_ratings (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	rated_by_org {{INT}} NOT NULL REFERENCES orgs(id),
	rule_id {{INT}} REFERENCES rule_sets(id),
	score {{REAL}} NOT NULL,
	stars {{INT}} NOT NULL,
	tier TEXT NOT NULL,
	indicators TEXT NOT NULL DEFAULT '[]',
	status TEXT NOT NULL DEFAULT 'draft',
	published_at {{INT}},
	published_by {{INT}},
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	UNIQUE (org_id, year)
);
CREATE INDEX org_ratings_path ON org_ratings(org_path, year);

-- 书记抓党建述职评议: the yearly report a secretary (a member holding the
-- 书记 post of org_id) files, and the level above's grade of it: good 好,
-- fair 较好, average 一般, poor 差 (NULL until rated).  The grade feeds
-- the secretaries' points.
CREATE TABLE duty_reports (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	report TEXT NOT NULL,
	filed_on TEXT NOT NULL,
	filed_by {{INT}},
	grade TEXT,
	comment TEXT,
	rated_on TEXT,
	rated_by {{INT}},
	rater_org {{INT}} REFERENCES orgs(id),
	created_at {{INT}} NOT NULL,
	UNIQUE (member_id, org_id, year)
);
CREATE INDEX duty_reports_path ON duty_reports(org_path, year);
