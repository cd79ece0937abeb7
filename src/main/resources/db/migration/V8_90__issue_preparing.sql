-- Issue 18, "send now" answers at once: the audience is decided by the engine in subscriber-range chunks while
-- the issue is PREPARING (docs/DISPATCH.md, preparing the audience). The statuses are
-- io.consentcast.dispatch.IssueStatus, the job kinds io.consentcast.dispatch.JobKind.
ALTER TABLE newsletter_issues DROP CONSTRAINT newsletter_issues_status;
ALTER TABLE newsletter_issues ADD CONSTRAINT newsletter_issues_status CHECK (status IN ('DRAFT', 'SCHEDULED',
    'BLOCKED', 'PREPARING', 'SENDING', 'PAUSED', 'CANCELLED', 'DONE'));

-- The preparation's progress, written with each chunk in the chunk's transaction: the last subscriber id decided
-- (the keyset cursor; NULL before the first chunk), the list's members counted when the preparation began, the
-- rows written so far (audience_size) and how many of them were excluded at once; audience_ready once every
-- member has its row. Issues that existed before this migration count as ready (those that had started had their
-- audience written in one statement; a draft's flag is set afresh when it starts): the default true fills the
-- existing rows (row-level security would hide them from an UPDATE here), then the default becomes false.
ALTER TABLE newsletter_issues ADD COLUMN audience_after uuid;
ALTER TABLE newsletter_issues ADD COLUMN audience_members integer;
ALTER TABLE newsletter_issues ADD COLUMN audience_excluded integer;
ALTER TABLE newsletter_issues ADD COLUMN audience_ready boolean NOT NULL DEFAULT true;
ALTER TABLE newsletter_issues ALTER COLUMN audience_ready SET DEFAULT false;

ALTER TABLE dispatch_jobs DROP CONSTRAINT dispatch_jobs_kind;
ALTER TABLE dispatch_jobs ADD CONSTRAINT dispatch_jobs_kind CHECK (kind IN ('START', 'PREPARE', 'RUN'));
