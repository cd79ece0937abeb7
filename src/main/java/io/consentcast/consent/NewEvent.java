package io.consentcast.consent;

import java.time.Instant;
import java.util.UUID;

/**
 * What a caller wants to record in the ledger; {@link ConsentService#append(NewEvent)} adds id,
 * time, sequence and hashes. Build with {@link #of} and the {@code with...} methods, e.g.
 * {@code NewEvent.of(subscriber, CONFIRMED, WHATSAPP).forList(list).withWhatsApp(msgId, ts)}.
 *
 * @param listId null means "all lists of the workspace"
 * @param truncateIp store only the network part of {@code ip} (IPv4 /24, IPv6 /48)
 */
public record NewEvent(UUID subscriberId, UUID listId, ConsentEventType type, EventSource source, String sourceDetail,
        UUID consentTextId, String ip, boolean truncateIp, String userAgent, String waMessageId, Instant waTimestamp,
        UUID actorUserId, String reason) {

    public static NewEvent of(UUID subscriberId, ConsentEventType type, EventSource source) {
        return new NewEvent(subscriberId, null, type, source, null, null, null, false, null, null, null, null, null);
    }

    public NewEvent forList(UUID list) {
        return new NewEvent(subscriberId, list, type, source, sourceDetail, consentTextId, ip, truncateIp, userAgent,
                waMessageId, waTimestamp, actorUserId, reason);
    }

    /** The landing page URL, the import file, the job... whatever locates the source. */
    public NewEvent withSourceDetail(String detail) {
        return new NewEvent(subscriberId, listId, type, source, detail, consentTextId, ip, truncateIp, userAgent,
                waMessageId, waTimestamp, actorUserId, reason);
    }

    /** The consent text version that was shown. */
    public NewEvent withConsentText(UUID textId) {
        return new NewEvent(subscriberId, listId, type, source, sourceDetail, textId, ip, truncateIp, userAgent,
                waMessageId, waTimestamp, actorUserId, reason);
    }

    public NewEvent withClient(String ipAddress, boolean truncate, String agent) {
        return new NewEvent(subscriberId, listId, type, source, sourceDetail, consentTextId, ipAddress, truncate, agent,
                waMessageId, waTimestamp, actorUserId, reason);
    }

    /** The inbound WhatsApp message that proves control of the number, and its timestamp. */
    public NewEvent withWhatsApp(String messageId, Instant timestamp) {
        return new NewEvent(subscriberId, listId, type, source, sourceDetail, consentTextId, ip, truncateIp, userAgent,
                messageId, timestamp, actorUserId, reason);
    }

    public NewEvent withActor(UUID userId) {
        return new NewEvent(subscriberId, listId, type, source, sourceDetail, consentTextId, ip, truncateIp, userAgent,
                waMessageId, waTimestamp, userId, reason);
    }

    public NewEvent withReason(String why) {
        return new NewEvent(subscriberId, listId, type, source, sourceDetail, consentTextId, ip, truncateIp, userAgent,
                waMessageId, waTimestamp, actorUserId, why);
    }
}
