package io.consentcast.consent;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.UUID;

/**
 * The canonical serialization and hashes of ledger events (version 1), documented for auditors in
 * docs/LEDGER.md. Any change here must become a new version, never an edit.
 *
 * <pre>
 * canonical = "consentcast-ledger-v1\n" + field("id") + field("tenant_id") + ... + field("prev_hash")
 * field(name) = name "=" ( "-" if null | byteLength(utf8(value)) ":" value ) "\n"
 * hash = lowercase hex SHA-256 of utf8(canonical)
 * </pre>
 */
public final class LedgerHash {

    /** prev_hash of a subscriber's first event. */
    public static final String GENESIS = "0".repeat(64);

    static final String EVENT_HEADER = "consentcast-ledger-v1\n";
    static final String EVIDENCE_HEADER = "consentcast-evidence-v1\n";
    static final String CHECKPOINT_HEADER = "consentcast-checkpoint-v1\n";

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'")
            .withZone(ZoneOffset.UTC);

    private LedgerHash() {
    }

    /** The hashed content of one event, in canonical field order. */
    public record Content(UUID id, String tenantId, UUID subscriberId, long seq, UUID listId, String type,
            Instant occurredAt, String source, String sourceDetail, UUID consentTextId, String consentTextSha256,
            String evidenceDigest, String waMessageId, Instant waTimestamp, UUID actorUserId, String reason,
            String prevHash) {

        static Content of(ConsentEvent e) {
            return new Content(e.id, e.tenantId, e.subscriberId, e.seq, e.listId, e.type.name(), e.occurredAt,
                    e.source.name(), e.sourceDetail, e.consentTextId, e.consentTextSha256, e.evidenceDigest,
                    e.waMessageId, e.waTimestamp, e.actorUserId, e.reason, e.prevHash);
        }
    }

    public static String canonical(Content c) {
        StringBuilder sb = new StringBuilder(512).append(EVENT_HEADER);
        field(sb, "id", c.id());
        field(sb, "tenant_id", c.tenantId());
        field(sb, "subscriber_id", c.subscriberId());
        field(sb, "seq", Long.toString(c.seq()));
        field(sb, "list_id", c.listId());
        field(sb, "type", c.type());
        field(sb, "occurred_at", time(c.occurredAt()));
        field(sb, "source", c.source());
        field(sb, "source_detail", c.sourceDetail());
        field(sb, "consent_text_id", c.consentTextId());
        field(sb, "consent_text_sha256", c.consentTextSha256());
        field(sb, "evidence_digest", c.evidenceDigest());
        field(sb, "wa_message_id", c.waMessageId());
        field(sb, "wa_timestamp", time(c.waTimestamp()));
        field(sb, "actor_user_id", c.actorUserId());
        field(sb, "reason", c.reason());
        field(sb, "prev_hash", c.prevHash());
        return sb.toString();
    }

    public static String hash(Content c) {
        return sha256Hex(canonical(c));
    }

    /**
     * The hash of a workspace checkpoint: {@code headsDigest} is the SHA-256 of one line
     * {@code "<subscriber_id> <seq> <hash>\n"} per recorded head, ordered by subscriber id.
     */
    public static String checkpointHash(String tenantId, long seq, Instant createdAt, long heads, String headsDigest,
            String prevHash) {
        StringBuilder sb = new StringBuilder(256).append(CHECKPOINT_HEADER);
        field(sb, "tenant_id", tenantId);
        field(sb, "seq", Long.toString(seq));
        field(sb, "created_at", time(createdAt));
        field(sb, "heads", Long.toString(heads));
        field(sb, "heads_digest", headsDigest);
        field(sb, "prev_hash", prevHash);
        return sha256Hex(sb.toString());
    }

    /** One line of a checkpoint's heads digest. */
    public static String headLine(UUID subscriberId, long seq, String hash) {
        return subscriberId + " " + seq + " " + hash + "\n";
    }

    /** Commitment to an event's personal evidence; null when there is none. */
    public static String evidenceDigest(String salt, String ip, String userAgent) {
        if (ip == null && userAgent == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(256).append(EVIDENCE_HEADER);
        field(sb, "salt", salt);
        field(sb, "ip", ip);
        field(sb, "user_agent", userAgent);
        return sha256Hex(sb.toString());
    }

    /** Instants as stored and hashed: UTC, microsecond precision (what PostgreSQL keeps). */
    public static Instant truncate(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }

    /** The canonical text form of an instant: 2026-11-28T17:01:07.123456Z. */
    public static String time(Instant instant) {
        return instant == null ? null : TIME.format(instant);
    }

    public static String sha256Hex(String value) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            return HexFormat.of().formatHex(digest.digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void field(StringBuilder sb, String name, Object value) {
        sb.append(name).append('=');
        if (value == null) {
            sb.append('-');
        } else {
            String s = value.toString();
            sb.append(s.getBytes(StandardCharsets.UTF_8).length).append(':').append(s);
        }
        sb.append('\n');
    }
}
