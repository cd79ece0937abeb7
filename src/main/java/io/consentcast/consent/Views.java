package io.consentcast.consent;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

/** What the consent feature hands out: plain records, never entities. */
public final class Views {

    private Views() {
    }

    public record SubscriberView(UUID id, String publicId, String phone, String waId, Instant createdAt,
            Instant erasedAt) {

        static SubscriberView of(Subscriber s) {
            return new SubscriberView(s.id, s.publicId, s.phone, s.waId, s.createdAt, s.erasedAt);
        }

        public boolean erased() {
            return erasedAt != null;
        }
    }

    public record ConsentTextView(UUID id, UUID listId, int version, String language, String text, String sha256,
            UUID createdBy, Instant createdAt) {

        static ConsentTextView of(ConsentText t) {
            return new ConsentTextView(t.id, t.listId, t.version, t.language, t.text, t.sha256, t.createdBy,
                    t.createdAt);
        }
    }

    /**
     * One ledger event with its (possibly purged) personal evidence. {@code evidenceWithheld}: the event has IP
     * address or browser evidence that this caller may not see (ADMIN and OWNER only); {@code ip} and
     * {@code userAgent} are null then.
     */
    public record EventView(UUID id, long seq, UUID listId, ConsentEventType type, Instant occurredAt,
            EventSource source, String sourceDetail, UUID consentTextId, String consentTextSha256, String ip,
            String userAgent, String evidenceDigest, String waMessageId, Instant waTimestamp, UUID actorUserId,
            String reason, String prevHash, String hash, boolean evidenceWithheld) {

        static EventView of(ConsentEvent e, ConsentEvidence v) {
            return new EventView(e.id, e.seq, e.listId, e.type, e.occurredAt, e.source, e.sourceDetail,
                    e.consentTextId, e.consentTextSha256, v == null ? null : v.ip, v == null ? null : v.userAgent,
                    e.evidenceDigest, e.waMessageId, e.waTimestamp, e.actorUserId, e.reason, e.prevHash, e.hash,
                    false);
        }

        /** The same event without IP address and browser, for members below ADMIN. */
        EventView withoutEvidenceDetails() {
            boolean held = ip != null || userAgent != null;
            return new EventView(id, seq, listId, type, occurredAt, source, sourceDetail, consentTextId,
                    consentTextSha256, null, null, evidenceDigest, waMessageId, waTimestamp, actorUserId, reason,
                    prevHash, hash, held);
        }
    }

    /** The consent state for one list; listId null is the "all lists" row. */
    public record StateView(UUID subscriberId, UUID listId, ConsentStatus state, ConsentStatus consent,
            boolean suppressed, Instant since, UUID lastEventId) {

        static StateView of(ConsentState s) {
            return new StateView(s.subscriberId, s.listId, s.state, s.consentState, s.suppressed, s.since,
                    s.lastEventId);
        }
    }

    /** Everything held about one subscriber (GDPR Art. 15/20). */
    public record SubscriberExport(SubscriberView subscriber, List<StateView> states, List<EventView> events,
            List<ConsentTextView> consentTexts, Instant exportedAt) {
    }
}
