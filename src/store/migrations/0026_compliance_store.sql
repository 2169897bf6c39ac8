-- 0026: compliance of 三会一课 and the risk list, kept up to date
-- (meeting/cstore.h, docs/MEETINGS.md "Kept up to date").
--
-- Results stored per branch and period (compliance_branch), per org and
-- period for the whole subtree (compliance_sum), per member at risk
-- (risk_store) and per org for its subtree (risk_sum).  A stored row is
-- good for the date it was computed on (as_of), and for ever when its
-- period ended before that date.  Triggers note every write that can
-- change a result, whoever writes it, as the org path it touches
-- (compliance_dirty: subtree 0 = the orgs on that path, 1 = the whole
-- subtree, for a rule set); the next read drops the stored rows of those
-- orgs and of their ancestors and computes them again.  Names and the
-- order of orgs and members' names are noted too: answers made from the
-- store are cached in memory while nothing is noted and no refresh ran.
CREATE TABLE compliance_dirty (
	id {{ID}},
	path {{CTEXT}} NOT NULL,
	subtree {{INT}} NOT NULL DEFAULT 0,
	tx {{INT}} NOT NULL DEFAULT 0
);
CREATE INDEX compliance_dirty_path ON compliance_dirty(path, subtree, tx);

CREATE TABLE compliance_branch (
	org_id {{INT}} NOT NULL,
	period TEXT NOT NULL,
	as_of TEXT NOT NULL,
	path {{CTEXT}} NOT NULL,
	state {{INT}} NOT NULL,
	required {{INT}} NOT NULL,
	held {{INT}} NOT NULL,
	missing {{INT}} NOT NULL,
	pending {{INT}} NOT NULL,
	types TEXT NOT NULL,
	PRIMARY KEY (org_id, period)
);
CREATE INDEX compliance_branch_path ON compliance_branch(period, path);

CREATE TABLE compliance_sum (
	org_id {{INT}} NOT NULL,
	period TEXT NOT NULL,
	as_of TEXT NOT NULL,
	data TEXT NOT NULL,
	PRIMARY KEY (org_id, period)
);

CREATE TABLE risk_store (
	member_id {{INT}} PRIMARY KEY,
	org_id {{INT}} NOT NULL,
	org_path {{CTEXT}} NOT NULL,
	months {{INT}} NOT NULL,
	level {{INT}} NOT NULL,
	last_present_ym {{INT}} NOT NULL,
	explained_to_ym {{INT}} NOT NULL,
	since_ym {{INT}} NOT NULL,
	excused_months {{INT}} NOT NULL,
	idle_months {{INT}} NOT NULL
);
CREATE INDEX risk_store_path ON risk_store(org_path);
CREATE INDEX risk_store_org ON risk_store(org_id);

CREATE TABLE risk_sum (
	org_id {{INT}} PRIMARY KEY,
	as_of TEXT NOT NULL,
	scanned {{INT}} NOT NULL
);

-- one row: refreshes take it in turn (PostgreSQL; SQLite has one writer);
-- n counts them, the version of the stored results (zb_cstore_version)
CREATE TABLE compliance_lock (
	id {{INT}} PRIMARY KEY,
	n {{INT}} NOT NULL
);
INSERT INTO compliance_lock (id, n) VALUES (1, 0);

-- SQLite: one writer at a time, so a mark already waiting covers the
-- same path for this writer too.
--@sqlite CREATE TRIGGER cdirty_meetings_ins AFTER INSERT ON meetings BEGIN INSERT INTO compliance_dirty (path) SELECT NEW.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_meetings_del AFTER DELETE ON meetings BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_meetings_upd AFTER UPDATE OF org_path, type, held_on, quorum_ok ON meetings WHEN OLD.org_path IS NOT NEW.org_path OR OLD.type IS NOT NEW.type OR OLD.held_on IS NOT NEW.held_on OR OLD.quorum_ok IS NOT NEW.quorum_ok BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.org_path AND subtree = 0); INSERT INTO compliance_dirty (path) SELECT NEW.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_att_ins AFTER INSERT ON meeting_attendance BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = NEW.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_att_del AFTER DELETE ON meeting_attendance BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = OLD.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_att_upd AFTER UPDATE OF member_id, status, held_ym ON meeting_attendance WHEN OLD.member_id IS NOT NEW.member_id OR OLD.status IS NOT NEW.status OR OLD.held_ym IS NOT NEW.held_ym BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id IN (OLD.member_id, NEW.member_id) AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_expl_ins AFTER INSERT ON risk_explanations BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = NEW.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_expl_del AFTER DELETE ON risk_explanations BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = OLD.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_expl_upd AFTER UPDATE ON risk_explanations BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id IN (OLD.member_id, NEW.member_id) AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_members_ins AFTER INSERT ON members BEGIN INSERT INTO compliance_dirty (path) SELECT NEW.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_members_del AFTER DELETE ON members BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_members_upd AFTER UPDATE OF org_id, org_path, status, join_date, name, category ON members WHEN OLD.org_id IS NOT NEW.org_id OR OLD.org_path IS NOT NEW.org_path OR OLD.status IS NOT NEW.status OR OLD.join_date IS NOT NEW.join_date OR OLD.name IS NOT NEW.name OR OLD.category IS NOT NEW.category BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.org_path AND subtree = 0); INSERT INTO compliance_dirty (path) SELECT NEW.org_path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.org_path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_orgs_ins AFTER INSERT ON orgs BEGIN INSERT INTO compliance_dirty (path) SELECT NEW.path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_orgs_del AFTER DELETE ON orgs BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_orgs_upd AFTER UPDATE OF parent_id, path, type, founded_on, dissolved_on, name, sort_order ON orgs WHEN OLD.parent_id IS NOT NEW.parent_id OR OLD.path IS NOT NEW.path OR OLD.type IS NOT NEW.type OR OLD.founded_on IS NOT NEW.founded_on OR OLD.dissolved_on IS NOT NEW.dissolved_on OR OLD.name IS NOT NEW.name OR OLD.sort_order IS NOT NEW.sort_order BEGIN INSERT INTO compliance_dirty (path) SELECT OLD.path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = OLD.path AND subtree = 0); INSERT INTO compliance_dirty (path) SELECT NEW.path WHERE NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = NEW.path AND subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_posts_ins AFTER INSERT ON committee_posts BEGIN INSERT INTO compliance_dirty (path) SELECT o.path FROM orgs o WHERE o.id = NEW.org_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = o.path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_posts_del AFTER DELETE ON committee_posts BEGIN INSERT INTO compliance_dirty (path) SELECT o.path FROM orgs o WHERE o.id = OLD.org_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = o.path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_posts_upd AFTER UPDATE ON committee_posts BEGIN INSERT INTO compliance_dirty (path) SELECT o.path FROM orgs o WHERE o.id IN (OLD.org_id, NEW.org_id) AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = o.path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_rules_ins AFTER INSERT ON rule_sets BEGIN INSERT INTO compliance_dirty (path, subtree) VALUES (COALESCE((SELECT path FROM orgs WHERE id = NEW.org_id), '/'), 1); END;
--@sqlite CREATE TRIGGER cdirty_rules_del AFTER DELETE ON rule_sets BEGIN INSERT INTO compliance_dirty (path, subtree) VALUES (COALESCE((SELECT path FROM orgs WHERE id = OLD.org_id), '/'), 1); END;
--@sqlite CREATE TRIGGER cdirty_rules_upd AFTER UPDATE ON rule_sets BEGIN INSERT INTO compliance_dirty (path, subtree) VALUES (COALESCE((SELECT path FROM orgs WHERE id = OLD.org_id), '/'), 1); INSERT INTO compliance_dirty (path, subtree) VALUES (COALESCE((SELECT path FROM orgs WHERE id = NEW.org_id), '/'), 1); END;

-- PostgreSQL: writers run side by side, so a mark is shared only within
-- its own transaction (tx); a mark of another transaction may already be
-- taken by a refresh that cannot see this one's rows.
--@pg CREATE FUNCTION zb_cmark(p TEXT, s BIGINT) RETURNS void LANGUAGE plpgsql AS $$
--@pg BEGIN
--@pg 	IF p IS NOT NULL AND NOT EXISTS (SELECT 1 FROM compliance_dirty WHERE path = p AND subtree = s AND tx = txid_current()) THEN
--@pg 		INSERT INTO compliance_dirty (path, subtree, tx) VALUES (p, s, txid_current());
--@pg 	END IF;
--@pg END $$;
--@pg CREATE FUNCTION zb_cmark_row() RETURNS trigger LANGUAGE plpgsql AS $$
--@pg BEGIN
--@pg 	IF TG_TABLE_NAME = 'meetings' OR TG_TABLE_NAME = 'members' THEN
--@pg 		IF TG_OP <> 'INSERT' THEN PERFORM zb_cmark(OLD.org_path, 0); END IF;
--@pg 		IF TG_OP <> 'DELETE' THEN PERFORM zb_cmark(NEW.org_path, 0); END IF;
--@pg 	ELSIF TG_TABLE_NAME = 'orgs' THEN
--@pg 		IF TG_OP <> 'INSERT' THEN PERFORM zb_cmark(OLD.path, 0); END IF;
--@pg 		IF TG_OP <> 'DELETE' THEN PERFORM zb_cmark(NEW.path, 0); END IF;
--@pg 	ELSIF TG_TABLE_NAME = 'committee_posts' THEN
--@pg 		IF TG_OP <> 'INSERT' THEN PERFORM zb_cmark((SELECT path FROM orgs WHERE id = OLD.org_id), 0); END IF;
--@pg 		IF TG_OP <> 'DELETE' THEN PERFORM zb_cmark((SELECT path FROM orgs WHERE id = NEW.org_id), 0); END IF;
--@pg 	ELSIF TG_TABLE_NAME = 'rule_sets' THEN
--@pg 		IF TG_OP <> 'INSERT' THEN PERFORM zb_cmark(COALESCE((SELECT path FROM orgs WHERE id = OLD.org_id), '/'), 1); END IF;
--@pg 		IF TG_OP <> 'DELETE' THEN PERFORM zb_cmark(COALESCE((SELECT path FROM orgs WHERE id = NEW.org_id), '/'), 1); END IF;
--@pg 	ELSE
--@pg 		IF TG_OP <> 'INSERT' THEN PERFORM zb_cmark((SELECT org_path FROM members WHERE id = OLD.member_id), 0); END IF;
--@pg 		IF TG_OP <> 'DELETE' THEN PERFORM zb_cmark((SELECT org_path FROM members WHERE id = NEW.member_id), 0); END IF;
--@pg 	END IF;
--@pg 	RETURN NULL;
--@pg END $$;
--@pg CREATE TRIGGER cdirty_meetings AFTER INSERT OR DELETE ON meetings FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_meetings_upd AFTER UPDATE OF org_path, type, held_on, quorum_ok ON meetings FOR EACH ROW WHEN (OLD.org_path IS DISTINCT FROM NEW.org_path OR OLD.type IS DISTINCT FROM NEW.type OR OLD.held_on IS DISTINCT FROM NEW.held_on OR OLD.quorum_ok IS DISTINCT FROM NEW.quorum_ok) EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_att AFTER INSERT OR DELETE ON meeting_attendance FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_att_upd AFTER UPDATE OF member_id, status, held_ym ON meeting_attendance FOR EACH ROW WHEN (OLD.member_id IS DISTINCT FROM NEW.member_id OR OLD.status IS DISTINCT FROM NEW.status OR OLD.held_ym IS DISTINCT FROM NEW.held_ym) EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_expl AFTER INSERT OR DELETE OR UPDATE ON risk_explanations FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_members AFTER INSERT OR DELETE ON members FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_members_upd AFTER UPDATE OF org_id, org_path, status, join_date, name, category ON members FOR EACH ROW WHEN (OLD.org_id IS DISTINCT FROM NEW.org_id OR OLD.org_path IS DISTINCT FROM NEW.org_path OR OLD.status IS DISTINCT FROM NEW.status OR OLD.join_date IS DISTINCT FROM NEW.join_date OR OLD.name IS DISTINCT FROM NEW.name OR OLD.category IS DISTINCT FROM NEW.category) EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_orgs AFTER INSERT OR DELETE ON orgs FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_orgs_upd AFTER UPDATE OF parent_id, path, type, founded_on, dissolved_on, name, sort_order ON orgs FOR EACH ROW WHEN (OLD.parent_id IS DISTINCT FROM NEW.parent_id OR OLD.path IS DISTINCT FROM NEW.path OR OLD.type IS DISTINCT FROM NEW.type OR OLD.founded_on IS DISTINCT FROM NEW.founded_on OR OLD.dissolved_on IS DISTINCT FROM NEW.dissolved_on OR OLD.name IS DISTINCT FROM NEW.name OR OLD.sort_order IS DISTINCT FROM NEW.sort_order) EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_posts AFTER INSERT OR DELETE OR UPDATE ON committee_posts FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_rules AFTER INSERT OR DELETE OR UPDATE ON rule_sets FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
