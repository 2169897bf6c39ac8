-- 0010: the national default rule sets of org structure and terms name
-- the articles they rest on (docs/RULES.md, "Organisation structure and
-- terms"; the pre-2018 terms set took its lengths from the 党章 of the
-- time, the 1990 暂行条例 only its one-year delay), and org_structure gains
-- secretary_lectures_per_year (书记每年至少讲党课次数; absent in older local
-- sets, read as 1).  Only the national rows (org_id NULL) change; their
-- numbers stay as they were.
UPDATE rule_sets SET data =
 '{"branch_min_full":3,"branch_max_members":50,"committee_min_full":7,"committee_size_min":3,"committee_size_max":5,"committee_size_cap":7,"general_branch_min_members":50,"party_committee_min_members":100,"joint_branch_max_units":5,"secretary_lectures_per_year":1,"source":"中国共产党支部工作条例（试行）第四条（3名正式党员成立党支部，一般不超过50人）、第五条（联合党支部覆盖单位一般不超过5个）、第二十条（7名正式党员设支部委员会，3至5人，一般不超过7人）；“三会一课”条款（书记每年至少讲1次党课）"}'
 WHERE kind = 'org_structure' AND org_id IS NULL AND effective_from = '1990-01-01';
UPDATE rule_sets SET name = '全国默认：任期（2018 年以前，党章）', data =
 '{"years":{"committee":3,"general_branch":2,"branch":2,"joint_branch":2,"temp_branch":2,"online_branch":2},"domain_years":{},"max_extension_months":12,"remind_months":[6,1],"source":"2017年修正前党章：基层委员会每届任期三年或四年，总支部委员会、支部委员会每届任期两年或三年（取短者）；基层组织选举工作暂行条例（1990）第三条：延长期限一般不超过一年"}'
 WHERE kind = 'terms' AND org_id IS NULL AND effective_from = '1990-01-01';
UPDATE rule_sets SET data =
 '{"years":{"committee":5,"general_branch":3,"branch":3,"joint_branch":3,"temp_branch":3,"online_branch":3},"domain_years":{"rural":5,"community":5},"max_extension_months":12,"remind_months":[6,1],"source":"中办《关于党的基层组织任期的意见》（2018）：基层委员会5年，总支部委员会、支部委员会3年，村和社区5年；基层组织选举工作条例第三条：延长或者提前期限一般不超过1年"}'
 WHERE kind = 'terms' AND org_id IS NULL AND effective_from = '2018-01-01';
