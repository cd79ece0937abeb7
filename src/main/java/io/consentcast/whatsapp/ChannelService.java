package io.consentcast.whatsapp;

import java.time.Clock;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The one entry point for sending WhatsApp messages in the current workspace. It picks the
 * workspace's configured channel (sandbox by default), refuses to send while the channel is
 * stopped, records accepted messages for status tracking, and stops the channel when Meta
 * answers with a STOP_CHANNEL error (token invalid, policy block, spam limit).
 */
@ApplicationScoped
public class ChannelService {

    private static final Logger LOG = Logger.getLogger(ChannelService.class);

    @Inject
    ChannelSettingsService settings;

    @Inject
    Instance<WhatsAppChannel> channels;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    jakarta.enterprise.event.Event<RecipientSuppressed> suppressed;

    /**
     * Sends one message in the current workspace; provider errors come back classified, never thrown. A database
     * failure before the message leaves (the channel settings cannot be read, e.g. the connection pool is exhausted)
     * comes back as {@link ErrorClass#RETRY_LATER}: nothing was sent, so the caller may simply try again. A failure
     * recording an accepted message for status tracking does not undo the answer: the message has left and Meta's
     * wamid is returned (its status webhooks record it later). Called inside a transaction, either failure still
     * marks that transaction for rollback.
     */
    public SendResult send(OutgoingMessage message) {
        String tenantId = currentTenant.id();
        ChannelSettingsService.Loaded loaded;
        try {
            loaded = settings.load();
        } catch (RuntimeException e) {
            LOG.warnf("WhatsApp channel settings of workspace %s could not be read; nothing sent: %s", tenantId,
                    e.toString());
            return new SendResult.Failed(ErrorClass.RETRY_LATER, null,
                    "The channel settings could not be read; nothing was sent", e.toString(), null, false);
        }
        ChannelSettings s = loaded.settings();
        if (s.stoppedAt != null) {
            return new SendResult.Failed(ErrorClass.STOP_CHANNEL, s.stoppedCode,
                    "The WhatsApp channel is stopped: " + s.stoppedReason, null, null, false);
        }
        WhatsAppChannel channel = channel(s.type);
        SendResult result = channel.send(s, loaded.accessToken(), message);
        if (result instanceof SendResult.Accepted accepted) {
            try {
                record(accepted.messageId(), message.to());
            } catch (RuntimeException e) {
                LOG.warnf("WhatsApp message %s of workspace %s was accepted but not recorded for status tracking: %s",
                        accepted.messageId(), tenantId, e.toString());
            }
        } else if (result instanceof SendResult.Failed failed) {
            LOG.infof("WhatsApp send failed in workspace %s: %s (code %s)", tenantId, failed.errorClass(),
                    failed.code());
            if (failed.errorClass() == ErrorClass.STOP_CHANNEL) {
                settings.markStopped(tenantId, failed.code(), MetaErrors.stopReason(failed.code(), failed.message()));
            }
            if (failed.suppressRecipient()) {
                try {
                    suppressed.fire(new RecipientSuppressed(tenantId, message.to(), failed.code(), failed.message(),
                            clock.instant()));
                } catch (RuntimeException e) {
                    // The send result stands; the suppression is recorded again at the next refused send.
                    LOG.warnf(e, "Could not record the marketing stop of a recipient in workspace %s", tenantId);
                }
            }
        }
        return result;
    }

    /** The type of the workspace's channel: {@code sandbox} or {@code cloud-api}. */
    public String activeType() {
        return settings.view().type();
    }

    public boolean stopped() {
        return settings.view().stopped();
    }

    WhatsAppChannel channel(String type) {
        for (WhatsAppChannel c : channels) {
            if (c.type().equals(type)) {
                return c;
            }
        }
        throw new IllegalStateException("No WhatsApp channel of type " + type);
    }

    private void record(String providerMessageId, String recipient) {
        // A status webhook may have overtaken this answer: then the row exists already.
        QuarkusTransaction.joiningExisting().run(() -> {
            java.time.OffsetDateTime now = java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC);
            em.createNativeQuery("insert into whatsapp_messages (id, tenant_id, provider_message_id, recipient, status,"
                    + " status_at, created_at, updated_at) values (?, ?, ?, ?, 'accepted', ?, ?, ?) on conflict do nothing")
                    .setParameter(1, Ids.uuid7(clock)).setParameter(2, currentTenant.id())
                    .setParameter(3, providerMessageId).setParameter(4, recipient).setParameter(5, now)
                    .setParameter(6, now).setParameter(7, now).executeUpdate();
        });
    }
}
