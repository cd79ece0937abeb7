package io.consentcast.whatsapp;

import java.util.List;

/**
 * One way of talking to WhatsApp for a workspace: the Cloud API or the sandbox. Callers use
 * {@link ChannelService}, which picks the workspace's configured implementation.
 */
public interface WhatsAppChannel {

    /** Which of the two this is. */
    ChannelType type();

    /** Sends one message for the workspace whose settings are given; never throws for provider errors. */
    SendResult send(ChannelSettings settings, String accessToken, OutgoingMessage message);

    /**
     * As {@link #send}, except that a template Meta accepts is not counted for the portfolio's messaging limit here:
     * the caller counts its accepted sends in batches with {@link #countSends} (the dispatch recorder). A channel
     * that counts inside its own send (the sandbox stores each message in a transaction anyway) keeps doing so.
     */
    default SendResult sendCountingLater(ChannelSettings settings, String accessToken, OutgoingMessage message) {
        return send(settings, accessToken, message);
    }

    /** Counts accepted template sends to {@code recipients} for the messaging limit (see {@link #sendCountingLater}). */
    default void countSends(ChannelSettings settings, List<String> recipients) {
    }

    /**
     * Uploads a header file for the number the settings name (Cloud API: {@code POST /{phone-number-id}/media});
     * accepted with the media id as {@link SendResult.Accepted#messageId()}; never throws for provider errors.
     */
    SendResult upload(ChannelSettings settings, String accessToken, MediaService.MediaUpload media);
}
