-- Issue 13: confirmations written on the sandbox phone before the source SANDBOX existed were recorded as
-- WHATSAPP with the sandbox's message ids ('wamid.SANDBOXIN.'). Mark the CONFIRMED states they produced as
-- sandbox-confirmed, as ConsentProjection does on a rebuild, so that a workspace on the Cloud API stops
-- sending to them. consent_states is row-level secured (forced, also for this owner role): one workspace at
-- a time, with the workspace setting the policies read.
DO $$
DECLARE
    t varchar;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('consentcast.tenant_id', t, true);
        UPDATE consent_states cs SET sandbox_confirmed = TRUE
        WHERE cs.tenant_id = t AND cs.consent_state = 'CONFIRMED'
          AND EXISTS (
            SELECT 1 FROM consent_events e
            WHERE e.tenant_id = cs.tenant_id AND e.subscriber_id = cs.subscriber_id AND e.type = 'CONFIRMED'
              AND (e.list_id = cs.list_id OR e.list_id IS NULL)
              AND (e.source = 'SANDBOX' OR (e.source = 'WHATSAPP' AND e.wa_message_id LIKE 'wamid.SANDBOXIN.%'))
              AND NOT EXISTS (
                SELECT 1 FROM consent_events later
                WHERE later.tenant_id = e.tenant_id AND later.subscriber_id = e.subscriber_id
                  AND later.type = 'CONFIRMED' AND later.seq > e.seq
                  AND (later.list_id = cs.list_id OR later.list_id IS NULL)));
    END LOOP;
    PERFORM set_config('consentcast.tenant_id', '', true);
END
$$;
