-- Landing page views per list and day (UTC), for the opt-in funnel on the dashboard. Counted in memory on
-- each public landing GET and added here in batches (optin.PageViews); tenant-owned, row-level security
-- as in V1_1__tenancy_rls.sql.
CREATE TABLE landing_page_views (
    tenant_id  varchar(36)  NOT NULL REFERENCES tenants (id),
    list_id    uuid         NOT NULL REFERENCES lists (id),
    day        date         NOT NULL,
    views      bigint       NOT NULL,
    CONSTRAINT landing_page_views_key PRIMARY KEY (tenant_id, list_id, day)
);

GRANT SELECT, INSERT, UPDATE ON landing_page_views TO ${app_role};
ALTER TABLE landing_page_views ENABLE ROW LEVEL SECURITY;
ALTER TABLE landing_page_views FORCE ROW LEVEL SECURITY;
CREATE POLICY landing_page_views_tenant ON landing_page_views
    USING (tenant_id = consentcast_current_tenant())
    WITH CHECK (tenant_id = consentcast_current_tenant());
