-- The maintenance of consent_daily_changes (V9_55): row triggers on consent_states and the rebuild from the ledger,
-- then the backfill of every existing workspace.

-- A workspace's time zone as PostgreSQL can use it: its name, or UTC when PostgreSQL does not know the name (so
-- that a consent append never fails over this cache; ConsentHistory reads with the same rule).
CREATE FUNCTION consentcast_known_zone(p_zone text) RETURNS text
    LANGUAGE plpgsql STABLE AS
$$
BEGIN
    PERFORM timezone(p_zone, now());
    RETURN coalesce(p_zone, 'UTC');
EXCEPTION WHEN OTHERS THEN
    RETURN 'UTC';
END
$$;
GRANT EXECUTE ON FUNCTION consentcast_known_zone(text) TO ${app_role};

-- One consent_states row entered, left or changed its state: one upsert into the writing backend's own row per
-- state moved. A pair's state changes at its `since` (ConsentProjection: since changes only with the visible state,
-- to the occurred_at of the event that changed it); a removed row leaves its state now.
CREATE FUNCTION consentcast_consent_days_track() RETURNS trigger
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_tenant varchar := CASE WHEN TG_OP = 'DELETE' THEN OLD.tenant_id ELSE NEW.tenant_id END;
    v_day    date;
BEGIN
    v_day := CAST(timezone(consentcast_known_zone((SELECT timezone FROM tenants WHERE id = v_tenant)),
                           CASE WHEN TG_OP = 'DELETE' THEN now() ELSE NEW.since END) AS date);
    IF TG_OP = 'INSERT' THEN
        INSERT INTO consent_daily_changes AS c (tenant_id, day, state, slot, readers)
        VALUES (v_tenant, v_day, NEW.state, pg_backend_pid(), 1)
        ON CONFLICT (tenant_id, day, state, slot) DO UPDATE SET readers = c.readers + 1;
    ELSIF TG_OP = 'UPDATE' THEN
        INSERT INTO consent_daily_changes AS c (tenant_id, day, state, slot, readers)
        VALUES (v_tenant, v_day, OLD.state, pg_backend_pid(), -1), (v_tenant, v_day, NEW.state, pg_backend_pid(), 1)
        ON CONFLICT (tenant_id, day, state, slot) DO UPDATE SET readers = c.readers + EXCLUDED.readers;
    ELSE
        INSERT INTO consent_daily_changes AS c (tenant_id, day, state, slot, readers)
        VALUES (v_tenant, v_day, OLD.state, pg_backend_pid(), -1)
        ON CONFLICT (tenant_id, day, state, slot) DO UPDATE SET readers = c.readers - 1;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER consent_states_days_insert AFTER INSERT ON consent_states
    FOR EACH ROW WHEN (NEW.list_id IS NOT NULL) EXECUTE FUNCTION consentcast_consent_days_track();
CREATE TRIGGER consent_states_days_update AFTER UPDATE OF state ON consent_states
    FOR EACH ROW WHEN (NEW.list_id IS NOT NULL AND OLD.state IS DISTINCT FROM NEW.state)
    EXECUTE FUNCTION consentcast_consent_days_track();
CREATE TRIGGER consent_states_days_delete AFTER DELETE ON consent_states
    FOR EACH ROW WHEN (OLD.list_id IS NOT NULL) EXECUTE FUNCTION consentcast_consent_days_track();

-- Rebuilds the current workspace's rows from its ledger: every change of state of every (subscriber, list) of
-- consent_states, replayed with the rules of ConsentProjection (an event for all lists applies to each of the
-- subscriber's lists; SUPPRESSED shows over any consent; ERASED withdraws and suppresses), counted on the day of
-- the event that made it. Returns the number of rows written. SECURITY INVOKER: row-level security applies.
CREATE FUNCTION consentcast_rebuild_consent_days() RETURNS bigint
    LANGUAGE plpgsql VOLATILE AS
$$
DECLARE
    v_tenant varchar := consentcast_current_tenant();
    v_zone   text;
    v_rows   bigint;
BEGIN
    IF v_tenant IS NULL THEN
        RAISE EXCEPTION 'consentcast_rebuild_consent_days: no workspace is set for this transaction'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    v_zone := consentcast_known_zone((SELECT timezone FROM tenants WHERE id = v_tenant));
    DELETE FROM consent_daily_changes WHERE tenant_id = v_tenant;
    INSERT INTO consent_daily_changes (tenant_id, day, state, slot, readers)
    WITH ev AS (
        SELECT cs.subscriber_id, cs.list_id, e.seq, e.occurred_at,
               CASE e.type WHEN 'REQUESTED' THEN 'PENDING' WHEN 'CONFIRMED' THEN 'CONFIRMED'
                   WHEN 'WITHDRAWN' THEN 'WITHDRAWN' WHEN 'EXPIRED' THEN 'EXPIRED' WHEN 'IMPORTED' THEN 'IMPORTED'
                   WHEN 'ERASED' THEN 'WITHDRAWN' END AS consent,
               CASE e.type WHEN 'SUPPRESSED' THEN true WHEN 'UNSUPPRESSED' THEN false WHEN 'ERASED' THEN true END
                   AS supp
          FROM consent_states cs
          JOIN consent_events e ON e.subscriber_id = cs.subscriber_id AND (e.list_id = cs.list_id OR e.list_id IS NULL)
         WHERE cs.tenant_id = v_tenant AND e.tenant_id = v_tenant AND cs.list_id IS NOT NULL),
    grouped AS (
        SELECT ev.*, count(consent) OVER w AS cg, count(supp) OVER w AS sg
          FROM ev WINDOW w AS (PARTITION BY subscriber_id, list_id ORDER BY seq)),
    filled AS (
        SELECT subscriber_id, list_id, seq, occurred_at,
               first_value(consent) OVER (PARTITION BY subscriber_id, list_id, cg ORDER BY seq) AS consent,
               coalesce(first_value(supp) OVER (PARTITION BY subscriber_id, list_id, sg ORDER BY seq), false) AS supp
          FROM grouped),
    states AS (
        SELECT subscriber_id, list_id, seq, occurred_at, CASE WHEN supp THEN 'SUPPRESSED' ELSE consent END AS state
          FROM filled),
    changes AS (
        SELECT CAST(timezone(v_zone, occurred_at) AS date) AS day, state,
               lag(state) OVER (PARTITION BY subscriber_id, list_id ORDER BY seq) AS before
          FROM states),
    moves AS (
        SELECT day, state, 1 AS n FROM changes WHERE state IS DISTINCT FROM before AND state IS NOT NULL
        UNION ALL
        SELECT day, before, -1 FROM changes WHERE state IS DISTINCT FROM before AND before IS NOT NULL)
    SELECT v_tenant, day, state, 0, sum(n) FROM moves GROUP BY day, state HAVING sum(n) <> 0;
    GET DIAGNOSTICS v_rows = ROW_COUNT;
    RETURN v_rows;
END
$$;

REVOKE ALL ON FUNCTION consentcast_rebuild_consent_days() FROM PUBLIC;
GRANT EXECUTE ON FUNCTION consentcast_rebuild_consent_days() TO ${app_role};

-- Backfill: every workspace, one at a time (the tables are row-level secured, also for this owner role).
DO $$
DECLARE
    t varchar;
BEGIN
    FOR t IN SELECT id FROM tenants LOOP
        PERFORM set_config('consentcast.tenant_id', t, true);
        PERFORM consentcast_rebuild_consent_days();
    END LOOP;
    PERFORM set_config('consentcast.tenant_id', '', true);
END
$$;
