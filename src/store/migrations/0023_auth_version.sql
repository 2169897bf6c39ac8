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
--@sqlite CREATE TRIGGER auth_v_users_upd AFTER UPDATE OF username, display_name, pw_hash, member_id, disabled, must_change_pw ON users BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_users_del AFTER DELETE ON users BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_sessions_upd AFTER UPDATE OF token_hash, user_id, created_at, expires_at ON sessions BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_sessions_del AFTER DELETE ON sessions BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_tokens_upd AFTER UPDATE OF token_hash, user_id, revoked_at, expires_at ON api_tokens BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_tokens_del AFTER DELETE ON api_tokens BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_roles_upd AFTER UPDATE ON roles BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_roles_del AFTER DELETE ON roles BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_orgs_upd AFTER UPDATE OF path, name ON orgs BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_orgs_del AFTER DELETE ON orgs BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_members_upd AFTER UPDATE OF org_path ON members BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;
--@sqlite CREATE TRIGGER auth_v_members_del AFTER DELETE ON members BEGIN UPDATE auth_version SET v = v + 1 WHERE id = 1; END;

-- PostgreSQL: deferred to the commit, so the row lock on auth_version is
-- the last lock a transaction takes (no lock-order cycle with rows it
-- wrote before) and is held only while it commits.
--@pg CREATE FUNCTION zb_auth_bump() RETURNS trigger LANGUAGE plpgsql AS $$
--@pg BEGIN
--@pg 	UPDATE auth_version SET v = v + 1 WHERE id = 1;
--@pg 	RETURN NULL;
--@pg END $$;
--@pg CREATE CONSTRAINT TRIGGER auth_v_grants AFTER INSERT OR UPDATE OR DELETE ON grants DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_users_upd AFTER UPDATE OF username, display_name, pw_hash, member_id, disabled, must_change_pw ON users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_users_del AFTER DELETE ON users DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_sessions_upd AFTER UPDATE OF token_hash, user_id, created_at, expires_at ON sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_sessions_del AFTER DELETE ON sessions DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_tokens_upd AFTER UPDATE OF token_hash, user_id, revoked_at, expires_at ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_tokens_del AFTER DELETE ON api_tokens DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_roles AFTER UPDATE OR DELETE ON roles DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_orgs_upd AFTER UPDATE OF path, name ON orgs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_orgs_del AFTER DELETE ON orgs DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_members_upd AFTER UPDATE OF org_path ON members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
--@pg CREATE CONSTRAINT TRIGGER auth_v_members_del AFTER DELETE ON members DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION zb_auth_bump();
