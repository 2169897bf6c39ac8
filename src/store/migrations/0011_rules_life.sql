-- 0011: rules of members' lives: the election quorum is "more than" four
-- fifths, written opinions (书面意见) of absent members on 接收预备党员
-- and 转正 votes, people who took part in a meeting of another org (流动党员
-- at a 流动党员党支部, a member of another branch attending as a guest),
-- and the one extension of a 预备期.  Rules and their sources:
-- docs/RULES.md.

-- 选举条例: 有选举权的到会党员超过应到会党员的五分之四，会议有效 -
-- "超过" is strictly more than; exactly 4/5 is not enough.  Every stored
-- meeting_rules set (the national default and local sets, which are
-- stored complete and so carry a copy of it) had "at least".  Sets are
-- JSON text: the seed wrote keys in order num, den, strict; local sets are
-- written with sorted keys.
UPDATE rule_sets SET data = REPLACE(REPLACE(data,
	'"election":{"num":4,"den":5,"strict":false}', '"election":{"num":4,"den":5,"strict":true}'),
	'"election":{"den":5,"num":4,"strict":false}', '"election":{"den":5,"num":4,"strict":true}')
WHERE kind = 'meeting_rules';

-- What a resolution decides: general (any matter), admission (接收预备党员)
-- or full (预备党员转正, and the 延长预备期 or 取消预备党员资格 decided in the
-- same discussion).  Only admission and full count written opinions.
ALTER TABLE meeting_resolutions ADD COLUMN kind TEXT NOT NULL DEFAULT 'general';

-- 发展细则 第二十一条: 因故不能到会的有表决权的正式党员，在支部大会召开前
-- 正式向党支部提出书面意见的，应当统计在票数内.  One row per absent
-- member with a vote; counted with the votes cast in the room.
CREATE TABLE meeting_written_opinions (
	resolution_id {{INT}} NOT NULL REFERENCES meeting_resolutions(id),
	member_id {{INT}} NOT NULL REFERENCES members(id),
	opinion TEXT NOT NULL,                -- yes 赞成, no 不赞成, abstain 弃权
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	PRIMARY KEY (resolution_id, member_id)
);
CREATE INDEX meeting_written_opinions_member ON meeting_written_opinions(member_id);

-- on_roster 1: the row is on the meeting's 应到 list (counted in the
-- totals and the quorum); 0: a member of another org who took part (a
-- 流动党员 at a 流动党员党支部, a guest from another branch): present, with
-- no vote, not counted, but it is organisational life for that member.
ALTER TABLE meeting_attendance ADD COLUMN on_roster {{INT}} NOT NULL DEFAULT 1;

-- 党章 第七条 / 发展细则 第三十二条: a 预备期 may be extended once, by no
-- less than six months and at most a year.  The primary key makes "once"
-- a property of the schema.
CREATE TABLE probation_extensions (
	member_id {{INT}} PRIMARY KEY REFERENCES members(id),
	months {{INT}} NOT NULL,              -- 6..12
	decided_on TEXT NOT NULL,             -- the 支部大会 that decided it
	reason TEXT NOT NULL,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);

-- The length of the 预备期 by the 党章 in force on the join date (rule
-- kind "probation", looked up at the join date): one year from the 八大
-- 党章 (adopted 1956-09-26); none under the 九大 and 十大 党章 (from
-- 1969-04-14), which abolished it; one year again from the 十一大 党章
-- (adopted 1977-08-18) to today (党章 第七条).  Before 1956 the 候补期
-- differed by social background and is not checked (months 0).  The
-- extension: no less than six months, at most a year (发展细则 第三十二条).
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('probation', NULL, '1921-07-01', '全国：1956 年以前的候补期因人而异，不作检查',
 '{"months":0,"extend_min_months":6,"extend_max_months":12,"source":"1956 年以前各党章的候补期规定"}', 0),
('probation', NULL, '1956-09-26', '全国：预备期一年（八大党章）',
 '{"months":12,"extend_min_months":6,"extend_max_months":12,"source":"八大党章（1956）"}', 0),
('probation', NULL, '1969-04-14', '全国：九大、十大党章未设预备期',
 '{"months":0,"extend_min_months":6,"extend_max_months":12,"source":"九大党章（1969）、十大党章（1973）"}', 0),
('probation', NULL, '1977-08-18', '全国：预备期一年，可延长一次，不少于半年、不超过一年',
 '{"months":12,"extend_min_months":6,"extend_max_months":12,"source":"党章第七条；发展党员工作细则第三十二条"}', 0);
