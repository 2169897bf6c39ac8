-- 0044: 积分制 for members and for branch secretaries (docs/POINTS.md).
--
-- Points are derived from the records on read: attendance, dues, 学时,
-- 先锋岗/责任区, 帮扶 visits, a secretary's 述职 grade, the branch's
-- 三会一课 and its published stars.  Only the manual items a scheme
-- allows are stored here: proposed by the branch (its 党务 account, or a
-- member for themselves), approved or rejected by a member of the
-- branch's committee who is neither the proposer nor the subject.  The
-- points of a manual item are the scheme's (in force on happened_on),
-- never typed; totals are never stored.
CREATE TABLE points_manual (
	id {{ID}},
	scheme TEXT NOT NULL,                 -- member | secretary
	member_id {{INT}} NOT NULL REFERENCES members(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),  -- the branch
	org_path {{CTEXT}} NOT NULL,
	item_key TEXT NOT NULL,
	happened_on TEXT NOT NULL,
	reason TEXT NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending', -- pending | approved | rejected
	proposed_by {{INT}} NOT NULL,             -- the user (0: the demo)
	proposed_member {{INT}},                  -- the proposer's own member record
	proposed_name TEXT NOT NULL,
	proposed_at {{INT}} NOT NULL,
	decided_by {{INT}},
	decided_member {{INT}},
	decided_name TEXT,
	decided_at {{INT}},
	decision_note TEXT
);
CREATE INDEX points_manual_member ON points_manual(member_id, happened_on);
CREATE INDEX points_manual_org ON points_manual(org_path, status, happened_on);
-- a member's 帮扶 visits (points read them per member)
CREATE INDEX aid_visits_member ON aid_visits(member_id, visited_on);

INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('points', NULL, '2019-01-01', '默认：党员积分制（基础分60分，加分项设上限，排名关闭）',
 '{"base":60,"ranking":false,"items":[{"key":"attendance","name":"参加组织生活","source":"attendance","types":["plenary","group","lecture","theme_day"],"points":2,"cap":8,"period":"quarter"},{"key":"dues","name":"按月按时交纳党费","source":"dues","points":1,"cap":12,"period":"year"},{"key":"study","name":"参加学习教育","source":"study","points":1,"per":2,"cap":20,"period":"year"},{"key":"designation","name":"设岗定责（先锋岗、责任区）","source":"designation","points":5,"cap":5,"period":"year"},{"key":"aid_visit","name":"帮扶走访","source":"aid_visit","points":1,"cap":3,"period":"quarter"},{"key":"volunteer","name":"志愿服务","source":"manual","points":2,"cap":10,"period":"year"},{"key":"good_deed","name":"好人好事","source":"manual","points":5,"cap":10,"period":"year"},{"key":"violation","name":"违反纪律规定","source":"manual","points":-10}],"source":"各地党员积分制管理办法：基础分加日常积分，加分项按月、季度或年度设上限，扣分项由支部委员会审核；基础分常见60分、70分，或日常积分80分加民主评议20分。不设在线时长、每日签到一类积分项，不搞积分排名（2023年关于防止“指尖上的形式主义”的规定：政务应用程序原则上不得设置强制打卡、积分排名、在线时长等功能）"}', 0),
('points_secretary', NULL, '2019-01-01', '默认：党支部书记积分制（基础分70分）',
 '{"base":70,"ranking":false,"items":[{"key":"duty_report","name":"抓党建述职评议","source":"duty_report","grades":{"good":20,"fair":15,"average":8,"poor":0},"period":"year"},{"key":"compliance","name":"三会一课按期落实","source":"compliance","points":5,"period":"quarter"},{"key":"rating","name":"支部评星（每颗星）","source":"rating","points":2,"period":"year"},{"key":"key_work","name":"完成重点工作","source":"manual","points":5,"cap":10,"period":"year"},{"key":"accountability","name":"被问责、约谈","source":"manual","points":-10}],"source":"各地运用积分制“选好管好用好基层党组织书记”的办法：述职评议等次、三会一课落实、支部星级和重点工作计分；不设在线时长、每日签到一类积分项（2023年关于防止“指尖上的形式主义”的规定）"}', 0);
