package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.List;

/**
 * A message we sent changed state: sent, delivered, read or failed. Fired only for forward
 * transitions (sent &lt; delivered &lt; read, failed is final), at most once per message and status,
 * so consumers see a monotonic sequence even though Meta delivers statuses out of order, skips
 * some (read without delivered) and repeats them. Fired inside the workspace's transaction.
 * {@code callbackData} is the message's {@code biz_opaque_callback_data} as Meta echoes it (null when none):
 * it names what was sent even when the sender never learnt the wamid (its answer was lost).
 * {@code pricing} is the status's {@code pricing} object (billable, category, model, type; null when it had none):
 * the actual cost basis of the message.
 */
public record MessageStatusUpdate(String tenantId, String providerMessageId, String status, Instant timestamp,
        String recipient, List<StatusError> errors, String callbackData, MessagePricing pricing) {

    public MessageStatusUpdate(String tenantId, String providerMessageId, String status, Instant timestamp,
            String recipient, List<StatusError> errors, String callbackData) {
        this(tenantId, providerMessageId, status, timestamp, recipient, errors, callbackData, null);
    }

    public MessageStatusUpdate(String tenantId, String providerMessageId, String status, Instant timestamp,
            String recipient, List<StatusError> errors) {
        this(tenantId, providerMessageId, status, timestamp, recipient, errors, null, null);
    }

    /** Meta's error on a failed status: the same codes as {@link MetaErrors}. */
    public record StatusError(int code, String title, String details) {
    }

    /** How a sender should treat the failure, classified like a synchronous send error. */
    public ErrorClass errorClass() {
        if (errors == null || errors.isEmpty()) {
            return null;
        }
        StatusError e = errors.get(0);
        return MetaErrors.classify(400, e.code(), e.title(), e.details()).errorClass();
    }
}
