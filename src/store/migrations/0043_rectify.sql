-- 0043: 软弱涣散 branches and their 整顿 (docs/RECTIFY.md).

-- A branch listed as 软弱涣散 for a year by an org strictly above it
-- (listed_by_org), from the criteria of the rule kind weak_org or by
-- hand.  criteria: the criteria met when listed, as computed then (JSON
-- array of {key, name, detail, sources}); reason: why (required when
-- nothing was met).  The 整顿 plan is on the same row: problems (text)
-- and the responsible leader (县级领导包联: name, post, optionally an
-- account).  status: rectifying 整顿中, closed 已销号; closed_on/by,
-- close_opinion, closed_by_name: the 销号 review by the level above.
CREATE TABLE weak_listings (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	listed_by_org {{INT}} NOT NULL REFERENCES orgs(id),
	listed_on TEXT NOT NULL,
	reason TEXT,
	criteria TEXT NOT NULL DEFAULT '[]',
	problems TEXT NOT NULL DEFAULT '',
	leader_name TEXT,
	leader_post TEXT,
	leader_user_id {{INT}} REFERENCES users(id),
	status TEXT NOT NULL DEFAULT 'rectifying',
	closed_on TEXT,
	closed_by {{INT}},
	closed_by_name TEXT,
	close_opinion TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	UNIQUE (org_id, year)
);
CREATE INDEX weak_listings_path ON weak_listings(org_path, year);

-- A measure of the plan: what, who is responsible, by when; done with
-- the day and a note.
CREATE TABLE weak_measures (
	id {{ID}},
	listing_id {{INT}} NOT NULL REFERENCES weak_listings(id),
	org_path {{CTEXT}} NOT NULL,
	what TEXT NOT NULL,
	responsible TEXT NOT NULL,
	due_on TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'open',
	done_on TEXT,
	done_note TEXT,
	done_by {{INT}},
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX weak_measures_listing ON weak_measures(listing_id, id);

-- A progress entry, optionally with one photo or PDF (stored as
-- meeting/attach.h stores them; kind NULL: none).
CREATE TABLE weak_progress (
	id {{ID}},
	listing_id {{INT}} NOT NULL REFERENCES weak_listings(id),
	org_path {{CTEXT}} NOT NULL,
	on_date TEXT NOT NULL,
	text TEXT NOT NULL,
	kind TEXT,
	filename TEXT,
	size {{INT}},
	sm3 TEXT,
	stored_name TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX weak_progress_listing ON weak_progress(listing_id, on_date);

-- Every 销号 and reopening of a listing, in order: kind close or reopen,
-- the day, who (account and name) and the opinion or reason.
CREATE TABLE weak_reviews (
	id {{ID}},
	listing_id {{INT}} NOT NULL REFERENCES weak_listings(id),
	kind TEXT NOT NULL,
	on_date TEXT NOT NULL,
	by_user {{INT}},
	by_name TEXT,
	opinion TEXT NOT NULL,
	created_at {{INT}} NOT NULL
);
CREATE INDEX weak_reviews_listing ON weak_reviews(listing_id, id);

-- The national default of the criteria (rule kind weak_org).
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('weak_org', NULL, '2019-01-01', '全国默认：软弱涣散基层党组织的排查标准',
 '{"secretary_vacant_months":3,"compliance":{"min_percent":60,"quarters":2},"lagging_years":2,"term_overdue_days":180,"source":"中组部关于持续整顿软弱涣散基层党组织的通知（2019）：书记长期缺职、组织生活不经常、评星定级连续后进、换届长期不按期进行等情形；各县可定本地标准"}',
 0);
