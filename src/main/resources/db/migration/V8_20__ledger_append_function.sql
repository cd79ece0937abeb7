-- The ledger append as one round trip (issue 18, docs/LEDGER.md "Appending"). The application computes the
-- event (id, seq, prev_hash, hash: LedgerHash, the only implementation of the hash) and the changed consent state
-- rows (ConsentProjection, the only implementation of the projection) from the chain head and states it read; this
-- function then, in one statement:
--   1. moves the subscriber's chain head from (seq - 1, prev_hash) to (seq, hash): a compare-and-set that takes the
--      row lock, so two appends for one subscriber serialise on the head exactly as SELECT ... FOR UPDATE did, and
--      an append computed from a head another transaction has moved in the meantime changes nothing;
--   2. inserts the event and its evidence;
--   3. deletes, updates or inserts the consent_states rows the projection changed.
-- It returns false (and writes nothing) when the head had moved or the subscriber is not visible: the caller reads
-- the head again and recomputes. SECURITY INVOKER: it runs as the application role, so row-level security and the
-- append-only triggers apply to every statement in it as they do to the application's own; the rows it writes
-- belong to the transaction's workspace (consentcast.tenant_id), and an UPDATE of a subscriber of another workspace
-- finds no row.
--
-- p: {"id", "subscriber_id", "seq", "list_id", "type", "occurred_at", "source", "source_detail", "consent_text_id",
--     "consent_text_sha256", "evidence_digest", "wa_message_id", "wa_timestamp", "actor_user_id", "reason",
--     "prev_hash", "hash",
--     "evidence": {"salt", "ip", "user_agent"} (absent when the event has none),
--     "states": [{"id", "list_id", "state", "consent_state", "suppressed", "since", "last_event_id",
--                 "sandbox_confirmed", "remove"}]}
-- Instants are ISO-8601 UTC text with microseconds, as hashed.
CREATE FUNCTION consentcast_append_event(p jsonb) RETURNS boolean
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_tenant     varchar := consentcast_current_tenant();
    v_subscriber uuid    := (p ->> 'subscriber_id')::uuid;
    v_seq        bigint  := (p ->> 'seq')::bigint;
BEGIN
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'consentcast_append_event: no workspace is set for this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;

    UPDATE subscribers SET last_seq = v_seq, last_hash = p ->> 'hash'
     WHERE id = v_subscriber AND last_seq = v_seq - 1 AND last_hash = p ->> 'prev_hash';
    IF NOT FOUND THEN
        RETURN false;
    END IF;

    INSERT INTO consent_events (id, tenant_id, subscriber_id, seq, list_id, type, occurred_at, source, source_detail,
                                consent_text_id, consent_text_sha256, evidence_digest, wa_message_id, wa_timestamp,
                                actor_user_id, reason, prev_hash, hash)
    VALUES ((p ->> 'id')::uuid, v_tenant, v_subscriber, v_seq, (p ->> 'list_id')::uuid, p ->> 'type',
            (p ->> 'occurred_at')::timestamptz, p ->> 'source', p ->> 'source_detail', (p ->> 'consent_text_id')::uuid,
            p ->> 'consent_text_sha256', p ->> 'evidence_digest', p ->> 'wa_message_id',
            (p ->> 'wa_timestamp')::timestamptz, (p ->> 'actor_user_id')::uuid, p ->> 'reason', p ->> 'prev_hash',
            p ->> 'hash');

    IF jsonb_typeof(p -> 'evidence') = 'object' THEN
        INSERT INTO consent_evidence (event_id, tenant_id, subscriber_id, salt, ip, user_agent)
        VALUES ((p ->> 'id')::uuid, v_tenant, v_subscriber, p -> 'evidence' ->> 'salt', p -> 'evidence' ->> 'ip',
                p -> 'evidence' ->> 'user_agent');
    END IF;

    IF jsonb_typeof(p -> 'states') = 'array' THEN
        DELETE FROM consent_states c
         USING jsonb_to_recordset(p -> 'states') AS x(list_id uuid, remove boolean)
         WHERE x.remove AND c.subscriber_id = v_subscriber AND c.list_id IS NOT DISTINCT FROM x.list_id;

        UPDATE consent_states c
           SET state = x.state, consent_state = x.consent_state, suppressed = x.suppressed, since = x.since,
               last_event_id = x.last_event_id, sandbox_confirmed = x.sandbox_confirmed
          FROM jsonb_to_recordset(p -> 'states') AS x(list_id uuid, state varchar, consent_state varchar,
               suppressed boolean, since timestamptz, last_event_id uuid, sandbox_confirmed boolean, remove boolean)
         WHERE NOT x.remove AND c.subscriber_id = v_subscriber AND c.list_id IS NOT DISTINCT FROM x.list_id;

        INSERT INTO consent_states (id, tenant_id, subscriber_id, list_id, state, consent_state, suppressed, since,
                                    last_event_id, sandbox_confirmed)
        SELECT x.id, v_tenant, v_subscriber, x.list_id, x.state, x.consent_state, x.suppressed, x.since,
               x.last_event_id, x.sandbox_confirmed
          FROM jsonb_to_recordset(p -> 'states') AS x(id uuid, list_id uuid, state varchar, consent_state varchar,
               suppressed boolean, since timestamptz, last_event_id uuid, sandbox_confirmed boolean, remove boolean)
         WHERE NOT x.remove
           AND NOT EXISTS (SELECT 1 FROM consent_states c
                            WHERE c.subscriber_id = v_subscriber AND c.list_id IS NOT DISTINCT FROM x.list_id);
    END IF;
    RETURN true;
END
$$;

REVOKE ALL ON FUNCTION consentcast_append_event(jsonb) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION consentcast_append_event(jsonb) TO ${app_role};
