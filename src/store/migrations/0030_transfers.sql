-- 0030: 组织关系转接 (transfers of a member's party relation, with the
-- 介绍信 and its 回执) and 流动党员 (members away from home, registered with
-- the organisation that takes care of them).  Model, states and rules:
-- docs/TRANSFERS.md; the rule data: docs/RULES.md, "Transfers and 流动党员".

-- One transfer.  direction: within (both orgs on this platform), out (to an
-- organisation not on it: the letter is printed and the paper 回执 waited
-- for), in (from an organisation not on it: the member is created from the
-- letter's facts).  The sending side is from_org_id (a branch) with its
-- 党委 from_committee_id, which issues and numbers the letter; the
-- receiving side to_org_id with its 党委 to_committee_id, which accepts or
-- returns it.  Paths are copies taken when the row is written (the scope
-- of each side).  status: started, issued, accepted, returned, closed.
CREATE TABLE transfers (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	direction TEXT NOT NULL,
	status TEXT NOT NULL,
	from_org_id {{INT}} REFERENCES orgs(id),
	from_path {{CTEXT}},
	from_committee_id {{INT}} REFERENCES orgs(id),
	from_committee_path {{CTEXT}},
	to_org_id {{INT}} REFERENCES orgs(id),
	to_path {{CTEXT}},
	to_committee_id {{INT}} REFERENCES orgs(id),
	to_committee_path {{CTEXT}},
	outside_org TEXT,                 -- the organisation not on the platform (out: destination; in: origin)
	outside_province TEXT,            -- its province, as stated
	across_provinces {{INT}} NOT NULL DEFAULT 0,
	member_name TEXT NOT NULL,        -- as written on the letter
	reason TEXT NOT NULL,
	dues_paid_to TEXT NOT NULL,       -- YYYY-MM: the month dues are paid up to
	letter_year {{INT}},
	letter_seq {{INT}},
	letter_no TEXT,
	issued_on TEXT,
	valid_months {{INT}},
	valid_until TEXT,                 -- the letter's last valid day
	accepted_on TEXT,                 -- the day the receiving side took the relation in (the move's date)
	returned_on TEXT,
	return_reason TEXT,
	receipt_on TEXT,                  -- the 回执: sent (in) or received (within, out)
	snapshot TEXT,                    -- the record as the sending side saw it on the move (masked), JSON
	moved_at {{INT}},                 -- when the move was written (history rows up to it)
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
-- 介绍信 numbers run per issuing 党委 and year
CREATE UNIQUE INDEX transfers_letter ON transfers(from_committee_id, letter_year, letter_seq);
CREATE INDEX transfers_from ON transfers(from_path);
CREATE INDEX transfers_to ON transfers(to_path);
-- one open transfer per member
CREATE UNIQUE INDEX transfers_open ON transfers(member_id) WHERE status IN ('started', 'issued');

-- A 流动党员's registration: where they went, since when and until when
-- (no until: open, or no fixed place), how to reach them, and the
-- organisation that takes care of them there (on this platform:
-- care_org_id; otherwise its name).  paper: none, certificate (证明信) or
-- activity_card (流动党员活动证), computed from the dates; paper_no its
-- number.  ended_on: back home (the registration ends).
CREATE TABLE mobile_members (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	home_path {{CTEXT}} NOT NULL,
	left_on TEXT NOT NULL,
	until_on TEXT,
	no_fixed_place {{INT}} NOT NULL DEFAULT 0,
	destination TEXT NOT NULL,
	contact TEXT,
	care_org_id {{INT}} REFERENCES orgs(id),
	care_org_name TEXT,
	paper TEXT NOT NULL,
	paper_no TEXT,
	ended_on TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX mobile_members_member ON mobile_members(member_id);
CREATE INDEX mobile_members_home ON mobile_members(home_path);
CREATE INDEX mobile_members_care ON mobile_members(care_org_id);

-- The validity of a 介绍信 and the papers of a 流动党员 (rule kind
-- "transfer"): a letter is valid 3 months, 6 when the two organisations
-- are in different provinces (provinces are the orgs at depth
-- province_depth: 0, the top-level orgs of this installation); its 存根 is
-- kept 10 years.  Away under 3 months: nothing; 3 months to under 6: a
-- 证明信; no fixed place: a 流动党员活动证; 6 months or more: a transfer.
-- 中组部《关于党员组织关系转接的规定》 and its practice; 《关于加强和改进流动党员管理工作的意见》.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('transfer', NULL, '1990-01-01', '全国：介绍信有效期 3 个月（跨省 6 个月），存根保存 10 年；外出 3 至 6 个月开证明信，无固定地点发活动证，6 个月以上转接组织关系',
 '{"letter_months":3,"letter_months_across_provinces":6,"province_depth":0,"stub_keep_years":10,"certificate_months":3,"transfer_months":6,"source":"中组部《关于党员组织关系转接的规定》及其执行做法；中组部《关于加强和改进流动党员管理工作的意见》"}', 0);
