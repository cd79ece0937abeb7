package io.consentcast.shared;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.List;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Values for and from native SQL: one way to bind an instant, to read a uuid column and to write an enum stored
 * by name, for every feature (native SQL never spells a state such as {@code 'PENDING'} itself).
 */
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

    /**
     * Enum constants stored by name as SQL literals, comma-separated ({@code 'SENDING', 'AWAITING'}), for a
     * native statement's {@code state = ...} or {@code state IN (...)}. Names are Java identifiers, so no quoting
     * is needed beyond the apostrophes.
     */
    @SafeVarargs
    public static <E extends Enum<E>> String literal(E... values) {
        return literals(List.of(values));
    }

    /** As {@link #literal}, for a collection. */
    public static String literals(Collection<? extends Enum<?>> values) {
        return values.stream().map(v -> "'" + v.name() + "'").collect(Collectors.joining(", "));
    }

    /** An enum stored by name as a bind parameter (null stays null). */
    public static String name(Enum<?> value) {
        return value == null ? null : value.name();
    }
}
