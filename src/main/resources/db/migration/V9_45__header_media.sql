-- Uploaded header media of rich templates (issue 17): a file a member uploaded for an issue's IMAGE, VIDEO or
-- DOCUMENT header, kept in the workspace (tenant-owned, row-level security in V9_46), and the Graph media id Meta
-- gave it when it was uploaded for a sending number (re-uploaded when older than consentcast.media.reuse-for or
-- when the list sends from another number; Meta keeps media ids for 30 days). Owned by whatsapp.MediaService.
CREATE TABLE whatsapp_media (
    id                   uuid          PRIMARY KEY,
    tenant_id            varchar(36)   NOT NULL REFERENCES tenants (id),
    format               varchar(16)   NOT NULL,
    content_type         varchar(64)   NOT NULL,
    file_name            varchar(255)  NOT NULL,
    size_bytes           bigint        NOT NULL,
    sha256               varchar(64)   NOT NULL,
    content              bytea         NOT NULL,
    meta_media_id        varchar(128),
    meta_phone_number_id varchar(128),
    meta_uploaded_at     timestamp with time zone,
    upload_error         varchar(1024),
    upload_failed_at     timestamp with time zone,
    created_at           timestamp with time zone NOT NULL,
    CONSTRAINT whatsapp_media_format CHECK (format IN ('IMAGE', 'VIDEO', 'DOCUMENT')),
    CONSTRAINT whatsapp_media_size CHECK (size_bytes > 0 AND size_bytes = octet_length(content))
);
CREATE INDEX whatsapp_media_tenant ON whatsapp_media (tenant_id);

-- The issue's uploaded header file (null: none; the header is then template_header's https link, if any). Each
-- issue has its own file (a duplicate copies it), so replacing one never touches another issue.
ALTER TABLE newsletter_issues ADD COLUMN header_media_id uuid REFERENCES whatsapp_media (id);
CREATE INDEX newsletter_issues_header_media ON newsletter_issues (header_media_id) WHERE header_media_id IS NOT NULL;
