package io.consentcast.dispatch;

/**
 * The state of one delivery row. PENDING waits for a worker, CLAIMED is held by a worker (not yet
 * handed to the channel), SENDING has passed the consent gate and is being handed to the channel;
 * SENT, EXCLUDED and FAILED are final (a SENT row may still turn FAILED by a status webhook).
 */
public enum DeliveryState {
    PENDING, CLAIMED, SENDING, SENT, EXCLUDED, FAILED
}
