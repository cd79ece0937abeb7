package io.consentcast.whatsapp;

import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.hibernate.Session;
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
    ChannelNumbers numbers;

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
        return sendFrom(null, message);
    }

    /**
     * {@link #send(OutgoingMessage)} from one of the workspace's numbers ({@code phoneNumberId}; null or a number the
     * workspace does not have: the default, {@link ChannelNumbers#resolve(String)}).
     */
    public SendResult sendFrom(String phoneNumberId, OutgoingMessage message) {
        String tenantId = currentTenant.id();
        Sender sender;
        try {
            sender = senderFor(phoneNumberId);
        } catch (RuntimeException e) {
            LOG.warnf("WhatsApp channel settings of workspace %s could not be read; nothing sent: %s", tenantId,
                    e.toString());
            return new SendResult.Failed(ErrorClass.RETRY_LATER, null,
                    "The channel settings could not be read; nothing was sent", e.toString(), null, false);
        }
        SendResult result = sender.send(message);
        if (result instanceof SendResult.Accepted accepted) {
            try {
                record(List.of(new Sent(accepted.messageId(), message.to())));
            } catch (RuntimeException e) {
                LOG.warnf("WhatsApp message %s of workspace %s was accepted but not recorded for status tracking: %s",
                        accepted.messageId(), tenantId, e.toString());
            }
        }
        return result;
    }

    /**
     * A sender bound to the current workspace's channel as it is now: the settings are read and the
     * token decrypted once, so a batch of messages costs no database work per message on the Cloud
     * API (the sandbox stores each message). The caller records what was accepted with
     * {@link #record(List)}, in batches, for status tracking.
     */
    public Sender sender() {
        return senderFor(null);
    }

    /**
     * A sender from one of the workspace's numbers ({@code phoneNumberId}; null or a number the workspace does not
     * have: the default, {@link ChannelNumbers#resolve(String)}): Meta's phone number id in the Graph URL, its
     * account counted for the messaging limit. Same token and stop state as the channel.
     */
    public Sender senderFor(String phoneNumberId) {
        ChannelSettingsService.Loaded loaded = settings.load();
        ChannelSettings s = loaded.settings();
        if (s.cloudApi()) {
            ChannelNumbers.SendingNumber n = numbers.resolve(phoneNumberId);
            s = s.sendingFrom(n.phoneNumberId(), n.businessAccountId(), n.displayPhoneNumber());
        }
        return new Sender(currentTenant.id(), s, loaded.accessToken(), channel(s.type));
    }

    /** A sender from the number a list sends from ({@link ChannelNumbers#forList(UUID)}). */
    public Sender senderForList(UUID listId) {
        return senderFor(numbers.forList(listId).phoneNumberId());
    }

    /** A message the channel accepted: Meta's id and the recipient. */
    public record Sent(String providerMessageId, String recipient) {
    }

    /**
     * One workspace's channel, ready to send. Thread-safe: the dispatch workers share one. A channel
     * stopped by Meta (STOP_CHANNEL) refuses every later message of the sender at once.
     */
    public final class Sender {
        private final String tenantId;
        private final ChannelSettings settings;
        private final String accessToken;
        private final WhatsAppChannel channel;
        private volatile SendResult.Failed stopped;

        Sender(String tenantId, ChannelSettings settings, String accessToken, WhatsAppChannel channel) {
            this.tenantId = tenantId;
            this.settings = settings;
            this.accessToken = accessToken;
            this.channel = channel;
            if (settings.stoppedAt != null) {
                stopped = new SendResult.Failed(ErrorClass.STOP_CHANNEL, settings.stoppedCode,
                        "The WhatsApp channel is stopped: " + settings.stoppedReason, null, null, false);
            }
        }

        /**
         * The number this sender sends from, as header uploads are keyed ({@code whatsapp_media.meta_phone_number_id}):
         * Meta's phone number id, or {@code sandbox}.
         */
        public String numberKey() {
            return MediaService.numberKey(settings.cloudApi() ? settings.phoneNumberId : null);
        }

        /** Uploads a header file for this sender's number; provider errors come back classified, never thrown. */
        public SendResult upload(MediaService.MediaUpload media) {
            SendResult.Failed stop = stopped;
            return stop != null ? stop : channel.upload(settings, accessToken, media);
        }

        /** Sends one message (in the sender's workspace); provider errors come back classified, never thrown. */
        public SendResult send(OutgoingMessage message) {
            return send(message, false);
        }

        /**
         * As {@link #send(OutgoingMessage)}, but an accepted template is not counted for the portfolio's messaging
         * limit at once: the caller counts a batch of accepted sends with {@link #countSends} (the dispatch
         * recorder, one insert per batch instead of one transaction per message on the sending thread).
         */
        public SendResult sendCountingLater(OutgoingMessage message) {
            return send(message, true);
        }

        /**
         * Counts accepted template sends to {@code recipients} for the messaging limit, in one platform transaction of
         * its own. A failure is logged and swallowed: the messages have left, the portfolio's count misses them.
         */
        public void countSends(List<String> recipients) {
            if (recipients.isEmpty()) {
                return;
            }
            try {
                channel.countSends(settings, recipients);
            } catch (RuntimeException e) {
                LOG.warnf("%d accepted template sends of workspace %s not counted for the messaging limit: %s",
                        recipients.size(), tenantId, e.toString());
            }
        }

        private SendResult send(OutgoingMessage message, boolean countLater) {
            SendResult.Failed stop = stopped;
            if (stop != null) {
                return stop;
            }
            SendResult result = countLater ? channel.sendCountingLater(settings, accessToken, message)
                    : channel.send(settings, accessToken, message);
            if (result instanceof SendResult.Failed failed) {
                LOG.infof("WhatsApp send failed in workspace %s: %s (code %s)", tenantId, failed.errorClass(),
                        failed.code());
                if (failed.errorClass() == ErrorClass.STOP_CHANNEL) {
                    stopped = new SendResult.Failed(ErrorClass.STOP_CHANNEL, failed.code(),
                            "The WhatsApp channel is stopped: " + failed.message(), null, null, false);
                    ChannelService.this.settings.markStopped(tenantId, failed.code(),
                            MetaErrors.stopReason(failed.code(), failed.message()));
                }
                if (failed.suppressRecipient()) {
                    try {
                        suppressed.fire(new RecipientSuppressed(tenantId, message.to(), failed.code(),
                                failed.message(), clock.instant()));
                    } catch (RuntimeException e) {
                        // The send result stands; the suppression is recorded again at the next refused send.
                        LOG.warnf(e, "Could not record the marketing stop of a recipient in workspace %s", tenantId);
                    }
                }
            }
            return result;
        }
    }

    public boolean stopped() {
        return settings.view().stopped();
    }

    WhatsAppChannel channel(ChannelType type) {
        for (WhatsAppChannel c : channels) {
            if (c.type() == type) {
                return c;
            }
        }
        throw new IllegalStateException("No WhatsApp channel of type " + type);
    }

    /**
     * Records accepted messages of the current workspace for status tracking (joining the caller's
     * transaction) and returns the statuses their status webhooks have already brought (beyond "accepted"):
     * a webhook may overtake the sender's own record of the wamid, and the caller brings its own record
     * up to date with what is returned. The insert waits for a concurrent webhook's insert of the same
     * message, so a status is either returned here or finds the caller's committed record.
     */
    public List<MessageStatusUpdate> record(List<Sent> sent) {
        if (sent.isEmpty()) {
            return List.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            em.unwrap(Session.class).doWork(c -> {
                OffsetDateTime now = OffsetDateTime.ofInstant(clock.instant(), ZoneOffset.UTC);
                try (PreparedStatement ps = c.prepareStatement("insert into whatsapp_messages (id, tenant_id,"
                        + " provider_message_id, recipient, status, status_at, created_at, updated_at)"
                        + " values (?, ?, ?, ?, 'accepted', ?, ?, ?) on conflict do nothing")) {
                    for (Sent m : sent) {
                        ps.setObject(1, Ids.uuid7(clock));
                        ps.setString(2, currentTenant.id());
                        ps.setString(3, m.providerMessageId());
                        ps.setString(4, m.recipient());
                        ps.setObject(5, now);
                        ps.setObject(6, now);
                        ps.setObject(7, now);
                        ps.addBatch();
                    }
                    ps.executeBatch();
                }
            });
            List<String> ids = sent.stream().map(Sent::providerMessageId).toList();
            return em.createQuery("from WhatsAppMessage where providerMessageId in (:ids) and status <> 'accepted'",
                    WhatsAppMessage.class).setParameter("ids", ids).getResultStream()
                    .map(m -> new MessageStatusUpdate(m.tenantId, m.providerMessageId, m.status, m.statusAt,
                            m.recipient, m.errorCode == null ? List.of()
                                    : List.of(new MessageStatusUpdate.StatusError(m.errorCode, m.errorTitle, null)),
                            null, m.pricing()))
                    .toList();
        });
    }
}
