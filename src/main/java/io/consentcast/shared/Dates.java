package io.consentcast.shared;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Dates and times typed by users, parsed and range-checked in one place: years 1 to 9999 (the
 * database stores far more, but nothing sensible lies outside, and PostgreSQL refuses years beyond
 * 294276 or before 4713 BC). Out-of-range values fail like unparsable ones, with a
 * {@link DateTimeParseException}, so callers answer them with the same field error.
 */
public final class Dates {

    public static final LocalDate FIRST = LocalDate.of(1, 1, 1);
    public static final LocalDate LAST = LocalDate.of(9999, 12, 31);
    private static final Instant MIN = Instant.parse("0001-01-01T00:00:00Z");
    private static final Instant MAX = Instant.parse("9999-12-31T23:59:59.999999Z");

    private Dates() {
    }

    /** An ISO-8601 date ({@code 2026-01-31}) within the range. */
    public static LocalDate date(String text) {
        LocalDate d = LocalDate.parse(text.strip());
        if (d.isBefore(FIRST) || d.isAfter(LAST)) {
            throw new DateTimeParseException("The date is out of range", text, 0);
        }
        return d;
    }

    /** An ISO-8601 time with offset ({@code 2026-01-31T12:00:00+01:00}) within the range. */
    public static Instant instant(String text) {
        Instant i = OffsetDateTime.parse(text.strip()).toInstant();
        if (i.isBefore(MIN) || i.isAfter(MAX)) {
            throw new DateTimeParseException("The time is out of range", text, 0);
        }
        return i;
    }
}
