-- 0033: 三务公开 (党务, 村务, 财务): the items a village publishes, their
-- flow and its history.  Model, flow and rules: docs/DISCLOSURE.md; the
-- rule data: docs/RULES.md, "三务公开".

-- One item.  org_id is the village (its top rural branch or 党总支), the
-- only org whose public page shows it.  kind: party (党务), village (村务),
-- finance (财务).  period: the period it reports on, "2026-03" (a month),
-- "2026-Q1" (a quarter) or, for an item on an event (党务 only), the
-- event's date "2026-03-15".  body: the text; tables: JSON
-- [{"title","columns":[...],"rows":[[...],...]}].  status: draft,
-- submitted, approved (by the branch), reviewed (by the township),
-- published, withdrawn.  published_on: the day it went public (on time
-- or not is decided against the period's deadline).
CREATE TABLE disclosures (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	kind TEXT NOT NULL,
	period TEXT NOT NULL,
	title TEXT NOT NULL,
	body TEXT NOT NULL DEFAULT '',
	tables TEXT NOT NULL DEFAULT '[]',
	status TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL,
	published_on TEXT,
	published_at {{INT}},
	withdrawn_at {{INT}},
	withdraw_reason TEXT
);
CREATE INDEX disclosures_path ON disclosures(org_path, status);
CREATE INDEX disclosures_org ON disclosures(org_id, status, kind, period);

-- Every step of an item, in order: created, edited, submitted, approved,
-- refused (back to draft, with the reason), reviewed, published, withdrawn
-- (with the reason).  Kept for good; a withdrawn item keeps all of them.
CREATE TABLE disclosure_steps (
	id {{ID}},
	disclosure_id {{INT}} NOT NULL REFERENCES disclosures(id),
	action TEXT NOT NULL,
	from_status TEXT,
	to_status TEXT NOT NULL,
	reason TEXT,
	user_id {{INT}},
	user_name TEXT,
	at {{INT}} NOT NULL
);
CREATE INDEX disclosure_steps_item ON disclosure_steps(disclosure_id, id);

-- When each kind is due (rule kind "disclosure"): 党务 and 村务 every
-- quarter, 财务 every month, each within deadline_days days after the
-- period ends.  中共中央办公厅、国务院办公厅《关于健全和完善村务公开和民主管理制度的意见》
-- (2004): 村务 at least every quarter, 财务 of villages with many
-- transactions every month; the 10 days are the common provincial
-- practice (docs/RULES.md names it as an assumption).
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('disclosure', NULL, '2004-06-22', '全国：党务、村务每季度公开，财务每月公开，期满后 10 日内公开',
 '{"party":"quarter","village":"quarter","finance":"month","deadline_days":10,"source":"中共中央办公厅、国务院办公厅《关于健全和完善村务公开和民主管理制度的意见》（2004）：村务一般每季度至少公开一次，财务往来较多的村每月公布一次，涉及农民利益的重大问题及时公开；《中国共产党农村基层组织工作条例》（2019）：实行党务、村务、财务公开；期满后 10 日内公开为各地常见做法（假定）"}', 0);
