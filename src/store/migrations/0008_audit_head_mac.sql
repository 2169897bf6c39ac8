-- 0008: the audit chain head carries its own MAC (HMAC-SM3 with the audit
-- key over last_id and last_mac), so moving the head back after deleting
-- the newest rows is detected.  SQL cannot compute it: a fresh database
-- gets it from its first audit row; a database that already has rows is
-- signed by `zhibu audit seal` after its rows verify (src/audit/audit.h).
ALTER TABLE audit_head ADD COLUMN head_mac TEXT;
