package io.consentcast.dispatch;

import java.util.OptionalLong;

/**
 * The {@code biz_opaque_callback_data} every issue message carries: it names the delivery row, and Meta
 * echoes it in the message's status webhooks, so a status finds its delivery even when the wamid never
 * reached us (the answer was lost, or the instance died before recording it).
 */
final class DeliveryCallback {

    private static final String PREFIX = "consentcast:delivery:";

    private DeliveryCallback() {
    }

    static String of(long deliveryId) {
        return PREFIX + deliveryId;
    }

    /** The delivery named by callback data, if it is ours. */
    static OptionalLong parse(String callbackData) {
        if (callbackData == null || !callbackData.startsWith(PREFIX)) {
            return OptionalLong.empty();
        }
        try {
            return OptionalLong.of(Long.parseLong(callbackData.substring(PREFIX.length())));
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
