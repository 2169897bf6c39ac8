-- 0040: what the annual statistics break orgs down by, as it stood on a
-- past date (report/annual.c, docs/STATISTICS.md).  Every change of an
-- org's type, domain or founding date made through the org edit
-- (org/tree.c zb_org_update_audited) is one row, dated the day it was
-- entered: a later correction leaves a past date's figures alone.  The
-- dissolution is its own dated fact (orgs.dissolved_on) and needs no row.
-- Changes made before this version left no row and read as today's value.
CREATE TABLE org_history (
	id {{ID}},
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	kind TEXT NOT NULL,                   -- type, domain, founded_on
	old_value TEXT,
	new_value TEXT,
	effective_on TEXT NOT NULL,
	at {{INT}} NOT NULL,
	by_user {{INT}}
);
CREATE INDEX org_history_org ON org_history(org_id, effective_on);
