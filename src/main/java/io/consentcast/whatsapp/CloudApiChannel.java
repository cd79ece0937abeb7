package io.consentcast.whatsapp;

import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

/**
 * Sends through Meta's Cloud API with the workspace's phone number and token. A template message Meta accepted
 * is business-initiated: it is recorded for the portfolio's messaging limit ({@link MessagingLimits}) here, where
 * the acceptance is known, whoever sent it (issues, replies, tests).
 */
@ApplicationScoped
public class CloudApiChannel implements WhatsAppChannel {

    private static final Logger LOG = Logger.getLogger(CloudApiChannel.class);

    @Inject
    GraphClient graph;

    @Inject
    MessagingLimits limits;

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
        SendResult result = graph.send(settings.phoneNumberId, accessToken, message);
        if (result.accepted() && message instanceof OutgoingMessage.Template && settings.businessAccountId != null) {
            try {
                limits.recordSend(settings.tenantId, settings.businessAccountId, settings.phoneNumberId, message.to());
            } catch (RuntimeException e) {
                // The message has left: the answer stands. The portfolio's count misses this recipient.
                LOG.warnf("Template send %s of workspace %s accepted but not counted for the messaging limit: %s",
                        ((SendResult.Accepted) result).messageId(), settings.tenantId, e.toString());
            }
        }
        return result;
    }

    @Override
    public SendResult sendCountingLater(ChannelSettings settings, String accessToken, OutgoingMessage message) {
        if (accessToken == null || settings.phoneNumberId == null) {
            return send(settings, accessToken, message);
        }
        return graph.send(settings.phoneNumberId, accessToken, message);
    }

    /** One batched insert in its own platform transaction (per recorder batch, not per message). */
    @Override
    public void countSends(ChannelSettings settings, List<String> recipients) {
        if (settings.businessAccountId == null || recipients.isEmpty()) {
            return;
        }
        limits.recordSends(settings.tenantId, settings.businessAccountId, settings.phoneNumberId, recipients);
    }

    @Override
    public SendResult upload(ChannelSettings settings, String accessToken, MediaService.MediaUpload media) {
        if (accessToken == null || settings.phoneNumberId == null) {
            return new SendResult.Failed(ErrorClass.STOP_CHANNEL, null, "The Cloud API channel is not configured",
                    null, null, false);
        }
        return graph.uploadMedia(settings.phoneNumberId, accessToken, media.content());
    }
}
