-- Issue 13: what the sandbox phone produces is recorded with its own ledger source, never as WHATSAPP.
ALTER TABLE consent_events DROP CONSTRAINT consent_events_source;
ALTER TABLE consent_events ADD CONSTRAINT consent_events_source
    CHECK (source IN ('LANDING_PAGE', 'WHATSAPP', 'API', 'ADMIN', 'IMPORT', 'SYSTEM', 'SANDBOX'));

-- Whether the consent of a CONFIRMED state was confirmed through the sandbox (the projection sets it from
-- the confirming event's source). A workspace on the Cloud API does not send to such readers.
ALTER TABLE consent_states ADD COLUMN sandbox_confirmed boolean NOT NULL DEFAULT FALSE;
