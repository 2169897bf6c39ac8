-- 0007: account hardening.  Forced password change after a reset, the
-- hashes of recent passwords (no reuse of the last 5), expiring API tokens,
-- login throttling by account name and by (name, client address) in the
-- database (so every app node sees it, and unknown names are counted
-- exactly like real ones), and requests that wait for a second
-- administrator (dual control).  Design: docs/SECURITY.md, "Accounts,
-- passwords and sessions" and "Roles and 三员分立".

ALTER TABLE users ADD COLUMN must_change_pw {{INT}} NOT NULL DEFAULT 0;
ALTER TABLE users ADD COLUMN pw_changed_at {{INT}};

-- The last passwords of each account (argon2id hashes), newest kept; the
-- current password is the newest row.
CREATE TABLE password_history (
	id {{ID}},
	user_id {{INT}} NOT NULL REFERENCES users(id),
	pw_hash TEXT NOT NULL,
	set_at {{INT}} NOT NULL
);
CREATE INDEX password_history_user ON password_history(user_id, id);
INSERT INTO password_history (user_id, pw_hash, set_at) SELECT id, pw_hash, updated_at FROM users;

-- API tokens expire (default 90 days after creation).
ALTER TABLE api_tokens ADD COLUMN expires_at {{INT}};
UPDATE api_tokens SET expires_at = created_at + 7776000 WHERE expires_at IS NULL;

-- Failed logins.  tkey is 'a:' || username (every address together) or
-- 'p:' || username || '|' || address (one address); rows exist for names
-- that are not accounts too.
CREATE TABLE login_throttle (
	tkey {{CTEXT}} PRIMARY KEY,
	fails {{INT}} NOT NULL,
	first_at {{INT}} NOT NULL,
	last_at {{INT}} NOT NULL,
	locked_until {{INT}} NOT NULL DEFAULT 0
);

-- A grant or a password reset that takes effect only when a second
-- administrator confirms it.  kind: 'grant' (role_id at org_id) or
-- 'password_reset' (pw_hash becomes the password, to be changed at the
-- next login).  status: pending, confirmed, rejected.
CREATE TABLE pending_actions (
	id {{ID}},
	kind TEXT NOT NULL,
	user_id {{INT}} NOT NULL REFERENCES users(id),
	role_id TEXT REFERENCES roles(id),
	org_id {{INT}} REFERENCES orgs(id),
	org_path {{CTEXT}} NOT NULL,
	pw_hash TEXT,
	requested_by {{INT}} NOT NULL REFERENCES users(id),
	requested_at {{INT}} NOT NULL,
	status TEXT NOT NULL DEFAULT 'pending',
	decided_by {{INT}} REFERENCES users(id),
	decided_at {{INT}}
);
CREATE INDEX pending_actions_status ON pending_actions(status, id);
