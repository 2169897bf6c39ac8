-- 0042: 评星晋级 (rating/rating.h, docs/RATINGS.md): the manual indicators
-- a scheme allows, and the national default scheme (rule kind "rating").

-- A manual indicator of a branch for a year (e.g. 特色创新), entered by
-- the rating org (an org strictly above the branch): the points within
-- the scheme's max, why, who and where.  Entered again it is replaced
-- (the audit trail keeps both).
CREATE TABLE rating_manual (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	year {{INT}} NOT NULL,
	key TEXT NOT NULL,
	points {{REAL}} NOT NULL,
	reason TEXT NOT NULL,
	entered_by {{INT}},
	entered_by_org {{INT}} NOT NULL REFERENCES orgs(id),
	entered_at {{INT}} NOT NULL,
	UNIQUE (org_id, year, key)
);
CREATE INDEX rating_manual_path ON rating_manual(org_path, year);

-- The national default: 100 points from what the platform records and a
-- few points for 特色创新; 五星 90, 四星 80, 三星 70, 二星 60; 五星 at most
-- 10%, 四星 40%, 三星 30% of the branches rated; 四星 and 五星 先进, 一星
-- and 二星 后进.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('rating', NULL, '2018-01-01', '全国：党支部评星晋级（五星至一星，五星不超过 10%、四星不超过 40%、三星不超过 30%）',
 '{"indicators":[{"key":"compliance","name":"三会一课落实","mode":"rate","weight":20},{"key":"attendance","name":"组织生活出勤","mode":"rate","weight":15},{"key":"dues","name":"党费收缴","mode":"rate","weight":15},{"key":"recruit","name":"发展党员规范","mode":"deduct","weight":10,"per":5},{"key":"study","name":"党员学时达标","mode":"rate","weight":10},{"key":"structure","name":"组织设置健全","mode":"deduct","weight":10,"per":5},{"key":"disclose","name":"三务公开按时","mode":"rate","weight":10},{"key":"rectify","name":"整顿措施落实","mode":"deduct","weight":5,"per":1},{"key":"innovation","name":"特色创新","mode":"manual","max":5}],"stars":[90,80,70,60],"caps":{"five":10,"four":40,"three":30},"tiers":{"advanced":4,"lagging":2},"source":"《中国共产党支部工作条例（试行）》（2018）第二十八条“对党支部进行分类定级，实行动态管理”；各地党支部评星定级办法：五星、四星、三星支部分别不超过参评支部的 10%、40%、30%，每年一季度评定上一年度，逐年晋级或降级；扩充先进支部，提升中间支部，整顿后进支部"}', 0);
