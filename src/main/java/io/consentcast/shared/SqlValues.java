package io.consentcast.shared;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/** Values for and from native SQL: one way to bind an instant and to read a uuid column, for every feature. */
public final class SqlValues {

    private SqlValues() {
    }

    /** An instant as a {@code timestamp with time zone} parameter (UTC). */
    public static OffsetDateTime ts(Instant i) {
        return i == null ? null : OffsetDateTime.ofInstant(i, ZoneOffset.UTC);
    }

    /** A uuid column's value, whether the driver returns a {@link UUID} or its text. */
    public static UUID uuid(Object o) {
        return o == null ? null : o instanceof UUID u ? u : UUID.fromString(o.toString());
    }
}
