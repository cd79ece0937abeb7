-- CSV imports as background jobs (optin.ImportJobs, optin.ImportWorker). The upload is validated and
-- its rows are stored in one short transaction; a worker then applies them in chunks, each chunk in
-- its own transaction that also moves the job's counters, so a job resumes after its last committed
-- chunk when an instance dies. import_queue is the platform table instances claim from (no tenant
-- RLS, like dispatch_jobs); the other three tables are tenant-owned.

CREATE TABLE import_jobs (
    id                 uuid         PRIMARY KEY,
    tenant_id          varchar(36)  NOT NULL REFERENCES tenants (id),
    list_id            uuid         NOT NULL REFERENCES lists (id),
    file_name          varchar(200) NOT NULL,
    region             varchar(2)   NOT NULL,
    dry_run            boolean      NOT NULL,
    actor_user_id      uuid,
    state              varchar(16)  NOT NULL,
    total_rows         integer      NOT NULL,
    processed_rows     integer      NOT NULL,
    imported_rows      integer      NOT NULL,
    rejected_rows      integer      NOT NULL,
    attempts           integer      NOT NULL,
    failure            varchar(500),
    created_at         timestamp with time zone NOT NULL,
    started_at         timestamp with time zone,
    finished_at        timestamp with time zone,
    CONSTRAINT import_jobs_state CHECK (state IN ('QUEUED', 'RUNNING', 'DONE', 'FAILED'))
);
CREATE INDEX import_jobs_list ON import_jobs (tenant_id, list_id, created_at);

-- The rows of the file, as read at upload (seq 1..total_rows in file order); deleted when the job ends.
CREATE TABLE import_rows (
    job_id             uuid         NOT NULL REFERENCES import_jobs (id),
    seq                integer      NOT NULL,
    tenant_id          varchar(36)  NOT NULL REFERENCES tenants (id),
    row_number         integer      NOT NULL,
    phone              varchar(100),
    e164               varchar(20),
    duplicate_row      boolean      NOT NULL,
    opted_in_at        varchar(100),
    source             varchar(301),
    consent_text       varchar(1501),
    PRIMARY KEY (job_id, seq)
);

-- The report: every row that was not taken, with its reason.
CREATE TABLE import_rejections (
    job_id             uuid         NOT NULL REFERENCES import_jobs (id),
    row_number         integer      NOT NULL,
    tenant_id          varchar(36)  NOT NULL REFERENCES tenants (id),
    phone              varchar(100),
    reason             varchar(32)  NOT NULL,
    PRIMARY KEY (job_id, row_number)
);

-- Platform table: one row per job that still has work, claimed with FOR UPDATE SKIP LOCKED and a lease.
CREATE TABLE import_queue (
    job_id             uuid         PRIMARY KEY,
    tenant_id          varchar(36)  NOT NULL REFERENCES tenants (id),
    created_at         timestamp with time zone NOT NULL,
    lease_until        timestamp with time zone,
    lease_owner        varchar(64)
);
