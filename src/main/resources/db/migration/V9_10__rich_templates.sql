-- Rich templates (issue 17): what an issue fills besides the body, the sandbox phone's rendering of a
-- template, and the click-counting redirect of URL buttons.

-- The header's value (an https media link, or the one value of a TEXT header's placeholder) and the
-- values of the template's dynamic URL buttons in order (JSON array: the article URL behind the redirect,
-- or the suffix itself for a button that does not lead through the redirect).
ALTER TABLE newsletter_issues ADD COLUMN template_header varchar(2048);
ALTER TABLE newsletter_issues ADD COLUMN template_buttons text NOT NULL DEFAULT '[]';

-- The sandbox phone shows a template as WhatsApp would: header, body, footer, buttons (JSON).
ALTER TABLE whatsapp_sandbox_messages ADD COLUMN rich text;

-- Platform table (no RLS, like dispatch_jobs): the public redirect /r/{token} has no workspace and looks
-- the token up here. The token names an issue's URL button, never a reader; the target is stored here and
-- never taken from a request. Every workspace-side read filters by tenant_id (dispatch.IssueLinks).
CREATE TABLE issue_links (
    token           varchar(43)   PRIMARY KEY,
    tenant_id       varchar(36)   NOT NULL REFERENCES tenants (id),
    issue_id        uuid          NOT NULL REFERENCES newsletter_issues (id),
    button_index    integer       NOT NULL,
    target_url      varchar(2048) NOT NULL,
    clicks          bigint        NOT NULL DEFAULT 0,
    created_at      timestamp with time zone NOT NULL,
    last_click_at   timestamp with time zone,
    CONSTRAINT issue_links_button UNIQUE (issue_id, button_index),
    CONSTRAINT issue_links_https CHECK (target_url LIKE 'https://%')
);
CREATE INDEX issue_links_tenant ON issue_links (tenant_id, issue_id);
GRANT SELECT, INSERT, UPDATE, DELETE ON issue_links TO ${app_role};
