package io.consentcast.dispatch;

import java.util.List;

/**
 * The state of one delivery row. PENDING waits for a worker, CLAIMED is held by a worker (not yet
 * handed to the channel), SENDING has passed the consent gate and is being handed to the channel;
 * AWAITING was handed to the channel but its outcome is unknown (the answer was lost after the request
 * was written, or its instance died): it is never sent again and waits, until {@code lease_until} (the
 * end of {@code consentcast.dispatch.outcome-window}), for a status webhook naming it. SENT, EXCLUDED
 * and FAILED are final (a SENT row may still turn FAILED by a status webhook, a FAILED
 * {@code outcome-unknown} row SENT by a late one). Stored by name; native SQL writes it through
 * {@link io.consentcast.shared.SqlValues#literal}.
 */
public enum DeliveryState {
    PENDING, CLAIMED, SENDING, AWAITING, SENT, EXCLUDED, FAILED;

    /** Rows without a final decision: an issue is done when none is left. */
    static final List<DeliveryState> OPEN = List.of(PENDING, CLAIMED, SENDING, AWAITING);

    /** Rows that were (maybe) handed to the channel and wait for their outcome. */
    static final List<DeliveryState> IN_FLIGHT = List.of(SENDING, AWAITING);
}
