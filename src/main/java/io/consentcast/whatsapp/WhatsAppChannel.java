package io.consentcast.whatsapp;

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
     * Uploads a header file for the number the settings name (Cloud API: {@code POST /{phone-number-id}/media});
     * accepted with the media id as {@link SendResult.Accepted#messageId()}; never throws for provider errors.
     */
    SendResult upload(ChannelSettings settings, String accessToken, MediaService.MediaUpload media);
}
