package io.consentcast.whatsapp;

import java.util.List;

/**
 * A stored webhook payload, checked and routed by {@link WebhookProcessor#plan}: its changes, each to be run inside
 * the transaction of its workspace, or why it is parked (then it has no changes and nothing is handed over).
 */
record WebhookPlan(Parked parked, List<Change> changes) {

    /** Why a payload can never be processed, and the workspace it was routed to (null: none could be named). */
    record Parked(ParkReason reason, String detail, String tenantId) {
    }

    /** One change of a payload: {@code work} runs in workspace {@code tenantId}'s transaction; null: its own transactions. */
    record Change(String tenantId, Runnable work) {
    }

    static WebhookPlan parked(ParkReason reason, String detail, String tenantId) {
        return new WebhookPlan(new Parked(reason, ChannelSettingsService.truncate(detail, 500), tenantId), List.of());
    }

    /** The one workspace whose single transaction handles the whole payload, or null. */
    String singleWorkspace() {
        return parked == null && changes.size() == 1 ? changes.get(0).tenantId() : null;
    }
}
