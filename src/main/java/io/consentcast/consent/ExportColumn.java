package io.consentcast.consent;

import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The columns of a consent-event export, in file order (docs/LEDGER.md, "Exports"; never reordered, new columns
 * only appended), each with the SQL expression that reads it and how its value arrives in PostgreSQL's binary
 * {@code COPY} format ({@link LedgerReader#copyExportRows}). The expressions cast to the type their {@link Kind}
 * decodes, so a changed column type cannot be misread.
 */
enum ExportColumn {
    ID("id", Kind.UUID, "e.id"),
    TENANT_ID("tenant_id", Kind.TEXT, "e.tenant_id"),
    SUBSCRIBER_ID("subscriber_id", Kind.UUID, "e.subscriber_id"),
    SEQ("seq", Kind.INT8, "e.seq"),
    LIST_ID("list_id", Kind.UUID, "e.list_id"),
    TYPE("type", Kind.TEXT, "e.type"),
    OCCURRED_AT("occurred_at", Kind.TIMESTAMP, "e.occurred_at"),
    SOURCE("source", Kind.TEXT, "e.source"),
    SOURCE_DETAIL("source_detail", Kind.TEXT, "e.source_detail"),
    CONSENT_TEXT_ID("consent_text_id", Kind.UUID, "e.consent_text_id"),
    CONSENT_TEXT_SHA256("consent_text_sha256", Kind.TEXT, "e.consent_text_sha256"),
    EVIDENCE_DIGEST("evidence_digest", Kind.TEXT, "e.evidence_digest"),
    WA_MESSAGE_ID("wa_message_id", Kind.TEXT, "e.wa_message_id"),
    WA_TIMESTAMP("wa_timestamp", Kind.TIMESTAMP, "e.wa_timestamp"),
    ACTOR_USER_ID("actor_user_id", Kind.UUID, "e.actor_user_id"),
    REASON("reason", Kind.TEXT, "e.reason"),
    PREV_HASH("prev_hash", Kind.TEXT, "e.prev_hash"),
    HASH("hash", Kind.TEXT, "e.hash"),
    SUBSCRIBER_PUBLIC_ID("subscriber_public_id", Kind.TEXT, "s.public_id"),
    SUBSCRIBER_PHONE("subscriber_phone", Kind.TEXT, "s.phone"),
    SUBSCRIBER_PHONE_HMAC("subscriber_phone_hmac", Kind.TEXT, "s.phone_hmac"),
    CONSENT_TEXT_VERSION("consent_text_version", Kind.INT4, "t.version"),
    CONSENT_TEXT_LANGUAGE("consent_text_language", Kind.TEXT, "t.language"),
    EVIDENCE_SALT("evidence_salt", Kind.TEXT, "v.salt"),
    IP("ip", Kind.TEXT, "v.ip"),
    USER_AGENT("user_agent", Kind.TEXT, "v.user_agent");

    /** How a value arrives in binary COPY and how it is written. */
    enum Kind {
        /** 16 bytes, written as lowercase 8-4-4-4-12. */
        UUID("uuid", false),
        /** UTF-8 bytes as stored. */
        TEXT("text", false),
        /** 8 bytes big-endian, written in decimal; a number in NDJSON. */
        INT8("int8", true),
        /** 4 bytes big-endian, written in decimal; a number in NDJSON. */
        INT4("int4", true),
        /** Microseconds since 2000-01-01 UTC, written as the canonical instant of docs/LEDGER.md. */
        TIMESTAMP("timestamptz", false);

        final String sqlType;
        final boolean number;

        Kind(String sqlType, boolean number) {
            this.sqlType = sqlType;
            this.number = number;
        }
    }

    static final List<ExportColumn> ALL = List.of(values());

    final String header;
    final Kind kind;
    final String expression;

    ExportColumn(String header, Kind kind, String expression) {
        this.header = header;
        this.kind = kind;
        this.expression = expression;
    }

    static List<String> headers() {
        return Arrays.stream(values()).map(c -> c.header).toList();
    }

    /** The SELECT list of the export query, every column cast to the type its kind decodes. */
    static String selectList() {
        return Arrays.stream(values()).map(c -> c.expression + "::" + c.kind.sqlType + " AS " + c.header)
                .collect(Collectors.joining(", "));
    }
}
