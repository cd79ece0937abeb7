package io.consentcast.consent;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.UUID;

import io.consentcast.shared.Dates;
import io.consentcast.shared.Paging;
import io.consentcast.shared.Validation;

/** The subscriber directory's filters as typed in a URL, checked with a message per bad parameter. */
public record DirectoryFilter(UUID list, ConsentStatus state, Instant from, Instant to, int page) {

    public static DirectoryFilter parse(String list, String state, String from, String to, String page) {
        Validation v = new Validation();
        UUID listId = null;
        if (blank(list) == null) {
            listId = null;
        } else {
            try {
                listId = UUID.fromString(list.trim());
            } catch (IllegalArgumentException e) {
                v.check(false, "list", "directory.filter-list");
            }
        }
        ConsentStatus status = null;
        if (blank(state) != null) {
            try {
                status = ConsentStatus.valueOf(state.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                v.check(false, "state", "directory.filter-state");
            }
        }
        Instant fromAt = date(from, v, "from");
        Instant toAt = date(to, v, "to");
        if (toAt != null) {
            toAt = toAt.plusSeconds(86_400); // "to" names the last day included
        }
        int p = 1;
        if (blank(page) != null) {
            try {
                p = Integer.parseInt(page.trim());
                v.check(p >= 1 && p <= Paging.MAX_PAGE, "page", "directory.filter-page");
            } catch (NumberFormatException e) {
                v.check(false, "page", "directory.filter-page");
            }
        }
        v.throwIfInvalid();
        return new DirectoryFilter(listId, status, fromAt, toAt, p);
    }

    private static Instant date(String value, Validation v, String field) {
        if (blank(value) == null) {
            return null;
        }
        try {
            return Dates.date(value).atStartOfDay(ZoneOffset.UTC).toInstant();
        } catch (DateTimeParseException e) {
            v.check(false, field, "directory.filter-date");
            return null;
        }
    }

    private static String blank(String s) {
        return s == null || s.isBlank() ? null : s;
    }
}
