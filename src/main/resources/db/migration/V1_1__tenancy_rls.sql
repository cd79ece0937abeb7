-- PostgreSQL only: the application role and row-level security for tenancy.
-- The application connects as ${app_role}, which owns nothing; every
-- transaction sets consentcast.tenant_id (and consentcast.user_id) with
-- set_config(..., true) before its first statement (RowLevelSecurityInterceptor).

GRANT USAGE ON SCHEMA public TO ${app_role};
GRANT SELECT, INSERT, UPDATE ON tenants, app_users TO ${app_role};
GRANT SELECT, INSERT, UPDATE, DELETE ON memberships, invitations TO ${app_role};

-- Helper: the tenant of the current transaction, NULL when none is set.
CREATE FUNCTION consentcast_current_tenant() RETURNS varchar
    LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('consentcast.tenant_id', true), '') $$;

CREATE FUNCTION consentcast_current_user() RETURNS varchar
    LANGUAGE sql STABLE AS
$$ SELECT NULLIF(current_setting('consentcast.user_id', true), '') $$;

GRANT EXECUTE ON FUNCTION consentcast_current_tenant(), consentcast_current_user() TO ${app_role};

ALTER TABLE memberships ENABLE ROW LEVEL SECURITY;
ALTER TABLE memberships FORCE ROW LEVEL SECURITY;
-- A member sees the memberships of the current workspace, and a user sees
-- their own memberships in every workspace (the workspace switcher).
CREATE POLICY memberships_tenant ON memberships
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
CREATE POLICY memberships_own ON memberships FOR SELECT
    USING (user_id::text = consentcast_current_user());

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
ALTER TABLE invitations FORCE ROW LEVEL SECURITY;
CREATE POLICY invitations_tenant ON invitations
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
