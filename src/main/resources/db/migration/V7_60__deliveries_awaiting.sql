-- Issue 14, exactly once: a delivery whose send has an unknown outcome (the request was written, the answer
-- lost, or its instance died) waits in AWAITING for a status webhook naming it (biz_opaque_callback_data);
-- lease_until is then the end of that wait (consentcast.dispatch.outcome-window). The states are
-- io.consentcast.dispatch.DeliveryState.
ALTER TABLE issue_deliveries DROP CONSTRAINT issue_deliveries_state;
ALTER TABLE issue_deliveries ADD CONSTRAINT issue_deliveries_state
    CHECK (state IN ('PENDING', 'CLAIMED', 'SENDING', 'AWAITING', 'SENT', 'EXCLUDED', 'FAILED'));

-- Platform table: which instance is sending on which phone number right now, so that every instance takes
-- rate / (instances sending on the number) whatever issues they send (docs/DISPATCH.md, rate limiting).
CREATE TABLE dispatch_senders (
    phone_key     varchar(128) NOT NULL,
    instance_id   varchar(64)  NOT NULL,
    active_until  timestamp with time zone NOT NULL,
    CONSTRAINT dispatch_senders_pk PRIMARY KEY (phone_key, instance_id)
);
