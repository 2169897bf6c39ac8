-- 0025: the roster as it stood on a past date (member/history.h).
-- The 应到 list of a meeting reads the changes of org, 党小组, status and
-- category effective after the meeting date: by kind and date for those
-- who left an org, by member and date for the people listed.
-- 党小组 changes are recorded from this version on (kind 'group'); earlier
-- ones were not recorded and cannot be recovered: a member's group before
-- an org move recorded without one counts as none (member/history.h).
CREATE INDEX member_history_kind_on ON member_history(kind, effective_on);
CREATE INDEX member_history_member_on ON member_history(member_id, effective_on);
