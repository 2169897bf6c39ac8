-- 0029: 党费 (dues/dues.h, docs/DUES.md).
--
-- Money is integer fen (分) everywhere; months are integers yyyymm.
-- A dues base is dated: the row with the newest from_ym <= a month is the
-- base of that month (a pay change applies from the month it starts).
CREATE TABLE dues_bases (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	from_ym {{INT}} NOT NULL,
	kind TEXT NOT NULL,                    -- salary pension farmer student unemployed relief
	amount_fen {{INT}} NOT NULL,           -- monthly base (after-tax pay, pension, ...)
	created_by {{INT}},
	created_at {{INT}} NOT NULL,
	UNIQUE (member_id, from_ym)
);

-- A payment is never edited or deleted: a mistake is undone by a
-- reversing row (reverses = the payment undone, amounts negated), at most
-- one per payment.  kind 'monthly' pays months (dues_lines); 'voluntary'
-- is a one-off voluntary payment (一次性自愿交纳, 1000 yuan or more) with
-- no months.
CREATE TABLE dues_payments (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	kind TEXT NOT NULL,                    -- monthly | voluntary
	amount_fen {{INT}} NOT NULL,
	paid_on TEXT NOT NULL,
	method TEXT NOT NULL,                  -- cash | transfer | online
	reverses {{INT}} UNIQUE REFERENCES dues_payments(id),
	note TEXT,
	created_by {{INT}},
	created_at {{INT}} NOT NULL
);
CREATE INDEX dues_payments_member ON dues_payments(member_id, paid_on);

-- What a payment paid for each month.
CREATE TABLE dues_lines (
	payment_id {{INT}} NOT NULL REFERENCES dues_payments(id),
	member_id {{INT}} NOT NULL,
	ym {{INT}} NOT NULL,
	amount_fen {{INT}} NOT NULL,
	PRIMARY KEY (payment_id, ym)
);
CREATE INDEX dues_lines_member ON dues_lines(member_id, ym);

-- 减免: the branch decides (decided_on, decided_by), the level above
-- approves (state approved/rejected, approved_by).  kind 'reduce' sets
-- the monthly due to amount_fen, 'exempt' to nothing.
CREATE TABLE dues_reductions (
	id {{ID}},
	member_id {{INT}} NOT NULL REFERENCES members(id),
	kind TEXT NOT NULL,                    -- reduce | exempt
	from_ym {{INT}} NOT NULL,
	to_ym {{INT}} NOT NULL,
	amount_fen {{INT}} NOT NULL,
	reason TEXT NOT NULL,
	decided_on TEXT NOT NULL,
	decided_by {{INT}},
	state TEXT NOT NULL,                   -- pending | approved | rejected
	approved_by {{INT}},
	approved_at {{INT}},
	approval_note TEXT,
	created_at {{INT}} NOT NULL
);
CREATE INDEX dues_reductions_member ON dues_reductions(member_id, from_ym);

-- The 2008 规定 (中组发〔2008〕3号) as the national default of rule kind
-- "dues": one rate on the whole monthly base, band tops inclusive, rates
-- in 万分之 (permyriad: 50 = 0.5%), sums in fen.
INSERT INTO rule_sets (kind, org_id, effective_from, name, data, created_at) VALUES
('dues', NULL, '2008-04-01', '全国：党费交纳比例（中组发〔2008〕3号）',
 '{"salary":[{"upto_fen":300000,"permyriad":50},{"upto_fen":500000,"permyriad":100},{"upto_fen":1000000,"permyriad":150},{"permyriad":200}],"pension":[{"upto_fen":500000,"permyriad":50},{"permyriad":100}],"farmer_fen":20,"student_fen":20,"unemployed_fen":20,"relief_fen":20,"voluntary_min_fen":100000,"source":"《关于中国共产党党费收缴、使用和管理的规定》（中组发〔2008〕3号）"}', 0);

-- Arrears count toward the 自行脱党 risk months (meeting/compliance.h):
-- the stored risks carry both runs and are computed again.
ALTER TABLE risk_store ADD COLUMN life_months {{INT}} NOT NULL DEFAULT 0;
ALTER TABLE risk_store ADD COLUMN dues_months {{INT}} NOT NULL DEFAULT 0;
ALTER TABLE risk_store ADD COLUMN dues_since_ym {{INT}} NOT NULL DEFAULT 0;
DELETE FROM risk_store;
DELETE FROM risk_sum;

--@sqlite CREATE TRIGGER cdirty_dues_lines_ins AFTER INSERT ON dues_lines BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = NEW.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_dues_bases_ins AFTER INSERT ON dues_bases BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = NEW.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_dues_bases_upd AFTER UPDATE ON dues_bases BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id IN (OLD.member_id, NEW.member_id) AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_dues_red_ins AFTER INSERT ON dues_reductions BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id = NEW.member_id AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@sqlite CREATE TRIGGER cdirty_dues_red_upd AFTER UPDATE ON dues_reductions BEGIN INSERT INTO compliance_dirty (path) SELECT m.org_path FROM members m WHERE m.id IN (OLD.member_id, NEW.member_id) AND NOT EXISTS (SELECT 1 FROM compliance_dirty d WHERE d.path = m.org_path AND d.subtree = 0); END;
--@pg CREATE TRIGGER cdirty_dues_lines AFTER INSERT ON dues_lines FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_dues_bases AFTER INSERT OR UPDATE ON dues_bases FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
--@pg CREATE TRIGGER cdirty_dues_red AFTER INSERT OR UPDATE ON dues_reductions FOR EACH ROW EXECUTE FUNCTION zb_cmark_row();
