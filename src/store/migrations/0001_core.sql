-- 0001: org tree, accounts, roles granted at org nodes, sessions, API
-- tokens, the chained audit trail, settings and dated rule sets.

CREATE TABLE orgs (
	id {{ID}},
	parent_id {{INT}} REFERENCES orgs(id),
	path {{CTEXT}} NOT NULL UNIQUE,          -- '/1/5/23/': ids from the root
	depth {{INT}} NOT NULL,
	name TEXT NOT NULL,
	short_name TEXT,
	code {{CTEXT}} UNIQUE,
	type TEXT NOT NULL,                      -- committee, general_branch, branch, ...
	domain TEXT,                             -- rural, community, organ, ...
	founded_on TEXT,
	address TEXT,
	contact TEXT,
	dissolved_on TEXT,                       -- 撤销: kept, read-only
	sort_order {{INT}} NOT NULL DEFAULT 0,
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);
CREATE INDEX orgs_parent ON orgs(parent_id, sort_order, id);

CREATE TABLE users (
	id {{ID}},
	username {{CTEXT}} NOT NULL UNIQUE,
	display_name TEXT,
	pw_hash TEXT NOT NULL,
	member_id {{INT}},
	disabled {{INT}} NOT NULL DEFAULT 0,
	failed_count {{INT}} NOT NULL DEFAULT 0,
	locked_until {{INT}} NOT NULL DEFAULT 0,
	last_login_at {{INT}},
	created_at {{INT}} NOT NULL,
	updated_at {{INT}} NOT NULL
);

-- Roles are named bundles of permissions (comma-separated names).
CREATE TABLE roles (
	id TEXT PRIMARY KEY,
	name TEXT NOT NULL,
	perms TEXT NOT NULL,
	builtin {{INT}} NOT NULL DEFAULT 0
);
INSERT INTO roles (id, name, perms, builtin) VALUES
 ('org_admin', '组织部管理员', 'org.read,org.write,member.read,member.write,member.sensitive,member.import,member.export,meeting.read,meeting.write,meeting.unlock,stats.read,user.manage', 1),
 ('party_worker', '党务工作者', 'org.read,member.read,member.write,member.import,member.export,meeting.read,meeting.write,stats.read', 1),
 ('member', '党员', 'self.read,self.write,meeting.signin', 1),
 ('sys_admin', '系统管理员', 'org.read,user.manage,settings.manage', 1),
 ('sec_admin', '安全管理员', 'org.read,role.grant', 1),
 ('audit_admin', '审计管理员', 'org.read,audit.read', 1);

-- A role granted to a user at an org node holds for the node's subtree.
CREATE TABLE grants (
	id {{ID}},
	user_id {{INT}} NOT NULL REFERENCES users(id),
	role_id TEXT NOT NULL REFERENCES roles(id),
	org_id {{INT}} NOT NULL REFERENCES orgs(id),
	created_at {{INT}} NOT NULL,
	created_by {{INT}},
	UNIQUE (user_id, role_id, org_id)
);

-- Only hashes of session tokens are stored.
CREATE TABLE sessions (
	token_hash {{CTEXT}} PRIMARY KEY,
	user_id {{INT}} NOT NULL REFERENCES users(id),
	created_at {{INT}} NOT NULL,
	last_seen {{INT}} NOT NULL,
	expires_at {{INT}} NOT NULL,
	ip TEXT
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE api_tokens (
	id {{ID}},
	user_id {{INT}} NOT NULL REFERENCES users(id),
	name TEXT NOT NULL,
	token_hash {{CTEXT}} NOT NULL UNIQUE,
	prefix TEXT NOT NULL,
	created_at {{INT}} NOT NULL,
	last_used_at {{INT}},
	revoked_at {{INT}}
);

-- Audit trail: each row's mac = HMAC-SM3(audit key, prev_mac | row).
CREATE TABLE audit_log (
	id {{ID}},
	at {{INT}} NOT NULL,
	user_id {{INT}},
	username TEXT,
	ip TEXT,
	action TEXT NOT NULL,
	object_type TEXT,
	object_id TEXT,
	org_path {{CTEXT}},
	detail TEXT,
	prev_mac TEXT NOT NULL,
	mac TEXT NOT NULL
);
CREATE INDEX audit_at ON audit_log(at);
CREATE INDEX audit_user ON audit_log(user_id, id);
CREATE INDEX audit_object ON audit_log(object_type, object_id, id);
CREATE TABLE audit_head (
	id {{INT}} PRIMARY KEY,
	last_id {{INT}} NOT NULL,
	last_mac TEXT NOT NULL
);

CREATE TABLE settings (
	key TEXT PRIMARY KEY,
	value TEXT NOT NULL
);

-- Dated rule sets (rules are data): a kind ('meeting_freq', 'dues_bands',
-- 'org_structure', 'terms', ...) set at an org node (NULL: national
-- default) effective from a date; the newest effective set at the nearest
-- ancestor wins.  data is JSON.
CREATE TABLE rule_sets (
	id {{ID}},
	kind TEXT NOT NULL,
	org_id {{INT}} REFERENCES orgs(id),
	effective_from TEXT NOT NULL,
	name TEXT NOT NULL,
	data TEXT NOT NULL,
	created_at {{INT}} NOT NULL,
	created_by {{INT}}
);
CREATE INDEX rule_sets_kind ON rule_sets(kind, org_id, effective_from);

INSERT INTO audit_head (id, last_id, last_mac) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');
