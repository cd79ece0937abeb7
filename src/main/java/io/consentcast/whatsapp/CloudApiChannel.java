package io.consentcast.whatsapp;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Sends through Meta's Cloud API with the workspace's phone number and token. */
@ApplicationScoped
public class CloudApiChannel implements WhatsAppChannel {

    @Inject
    GraphClient graph;

    @Override
    public ChannelType type() {
        return ChannelType.CLOUD_API;
    }

    @Override
    public SendResult send(ChannelSettings settings, String accessToken, OutgoingMessage message) {
        if (accessToken == null || settings.phoneNumberId == null) {
            return new SendResult.Failed(ErrorClass.STOP_CHANNEL, null, "The Cloud API channel is not configured",
                    null, null, false);
        }
        return graph.send(settings.phoneNumberId, accessToken, message);
    }
}
