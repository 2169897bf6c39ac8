-- 0023: the version of "who may do what".  Every node caches principals
-- (user, grants with their org paths) by session or token hash
-- (auth/pcache.h); a cached principal is good while this number is the one
-- it was loaded under.  Triggers bump it on every change that can change a
-- principal or end a session, whoever writes (a server node, another node,
-- a command such as `zhibu user revoke`): grants, the account columns a
-- principal reads, sessions ended, API tokens revoked, role permissions,
-- org paths and names, a member's org.  Not on a session's idle stamp or a
-- token's last use, which change on reads.
CREATE TABLE auth_version (
	id {{INT}} PRIMARY KEY,
	v {{INT}} NOT NULL
);
INSERT INTO auth_version (id, v) VALUES (1, 1);

--@sqlite CREATE TRIGGER auth_v_grants_ins AFTER INSERT ON grants BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_grants_upd AFTER UPDATE ON grants BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_grants_del AFTER DELETE ON grants BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_users_upd AFTER UPDATE OF username, display_name, pw_hash, member_id, disabled, must_change_pw ON users WHEN OLD.username IS NOT NEW.username OR OLD.display_name IS NOT NEW.display_name OR OLD.pw_hash IS NOT NEW.pw_hash OR OLD.member_id IS NOT NEW.member_id OR OLD.disabled IS NOT NEW.disabled OR OLD.must_change_pw IS NOT NEW.must_change_pw BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_users_del AFTER DELETE ON users BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_sessions_upd AFTER UPDATE OF token_hash, user_id, created_at, expires_at ON sessions WHEN OLD.token_hash IS NOT NEW.token_hash OR OLD.user_id IS NOT NEW.user_id OR OLD.created_at IS NOT NEW.created_at OR OLD.expires_at IS NOT NEW.expires_at BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_sessions_del AFTER DELETE ON sessions BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_tokens_upd AFTER UPDATE OF token_hash, user_id, revoked_at, expires_at ON api_tokens WHEN OLD.token_hash IS NOT NEW.token_hash OR OLD.user_id IS NOT NEW.user_id OR OLD.revoked_at IS NOT NEW.revoked_at OR OLD.expires_at IS NOT NEW.expires_at BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_tokens_del AFTER DELETE ON api_tokens BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_roles_upd AFTER UPDATE ON roles BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_roles_del AFTER DELETE ON roles BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_orgs_upd AFTER UPDATE OF path, name ON orgs WHEN OLD.path IS NOT NEW.path OR OLD.name IS NOT NEW.name BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_orgs_del AFTER DELETE ON orgs BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_members_upd AFTER UPDATE OF org_path ON members WHEN OLD.org_path IS NOT NEW.org_path BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_members_del AFTER DELETE ON members BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;

-- Updates count only when a watched value changes (an edit of a member
-- rewrites its org_path unchanged).  PostgreSQL: deferred to the commit,
-- so the row lock on auth_version is the last lock a transaction takes (no
-- lock-order cycle with rows it wrote before) and is held only while it
-- commits; bumped once per transaction (a transaction-local setting), not
-- once per row of a large move.
--@pg CREATE FUNCTION zb_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
--@pg BEGIN
--@pg 	IF coalesce(current_setting('zhibu.auth_bumped', true), '') <> '1' THEN
--@pg 		UPDATE auth_version SET v = v + 1 WHERE id = 1;
--@pg 		PERFORM set_config('zhibu.auth_bumped', '1', true);
--@pg 	END IF;
--@pg 	RETURN NULL;
--@pg END $$;
--@pg CREATE CONSTRAINT TRIGGER auth_v_grants AFTER INSERT OR UPDATE OR DELETE ON grants DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_users_upd AFTER UPDATE OF username, display_name, pw_hash, member_id, disabled, must_change_pw ON users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.username IS DISTINCT FROM NEW.username OR OLD.display_name IS DISTINCT FROM NEW.display_name OR OLD.pw_hash IS DISTINCT FROM NEW.pw_hash OR OLD.member_id IS DISTINCT FROM NEW.member_id OR OLD.disabled IS DISTINCT FROM NEW.disabled OR OLD.must_change_pw IS DISTINCT FROM NEW.must_change_pw) EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_users_del AFTER DELETE ON users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_sessions_upd AFTER UPDATE OF token_hash, user_id, created_at, expires_at ON sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.created_at IS DISTINCT FROM NEW.created_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at) EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_sessions_del AFTER DELETE ON sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_tokens_upd AFTER UPDATE OF token_hash, user_id, revoked_at, expires_at ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.token_hash IS DISTINCT FROM NEW.token_hash OR OLD.user_id IS DISTINCT FROM NEW.user_id OR OLD.revoked_at IS DISTINCT FROM NEW.revoked_at OR OLD.expires_at IS DISTINCT FROM NEW.expires_at) EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_tokens_del AFTER DELETE ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_roles AFTER UPDATE OR DELETE ON roles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_orgs_upd AFTER UPDATE OF path, name ON orgs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.path IS DISTINCT FROM NEW.path OR OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_orgs_del AFTER DELETE ON orgs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_members_upd AFTER UPDATE OF org_path ON members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW WHEN (OLD.org_path IS DISTINCT FROM NEW.org_path) EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_members_del AFTER DELETE ON members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
