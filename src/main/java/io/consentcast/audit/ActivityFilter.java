package io.consentcast.audit;

import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import io.consentcast.shared.ApiException;

/**
 * The filters of the activity log: who acted, which kind, from and to which day (inclusive, in the workspace's time
 * zone). Every field may be empty. Parsed from request parameters; a bad value is a 400 naming the field.
 */
public record ActivityFilter(UUID member, ActivityKind kind, LocalDate from, LocalDate to) {

    public static final ActivityFilter NONE = new ActivityFilter(null, null, null, null);

    /** Parses the parameters; 400 ({@link ApiException#invalid}) with every bad field. */
    public static ActivityFilter parse(String member, String kind, String from, String to) {
        Map<String, String> errors = new LinkedHashMap<>();
        UUID m = null;
        if (present(member)) {
            try {
                m = UUID.fromString(member.strip());
            } catch (IllegalArgumentException e) {
                errors.put("member", "activity.member-invalid");
            }
        }
        ActivityKind k = null;
        if (present(kind)) {
            String value = kind.strip();
            k = ActivityKind.ofCode(value).orElseGet(() -> Arrays.stream(ActivityKind.values())
                    .filter(x -> x.name().equals(value)).findFirst().orElse(null));
            if (k == null) {
                errors.put("kind", "activity.kind-invalid");
            }
        }
        LocalDate f = date(from, "from", errors);
        LocalDate t = date(to, "to", errors);
        if (f != null && t != null && t.isBefore(f)) {
            errors.put("to", "activity.range-invalid");
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        return new ActivityFilter(m, k, f, t);
    }

    private static LocalDate date(String value, String field, Map<String, String> errors) {
        if (!present(value)) {
            return null;
        }
        try {
            LocalDate d = LocalDate.parse(value.strip());
            if (d.getYear() < 2000 || d.getYear() > 9999) {
                errors.put(field, "activity.date-invalid");
                return null;
            }
            return d;
        } catch (DateTimeParseException e) {
            errors.put(field, "activity.date-invalid");
            return null;
        }
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }

    /** The first instant of {@code from} in {@code zone}, or null. */
    java.time.Instant fromInstant(ZoneId zone) {
        return from == null ? null : from.atStartOfDay(zone).toInstant();
    }

    /** The first instant after {@code to} in {@code zone}, or null. */
    java.time.Instant toInstantExclusive(ZoneId zone) {
        return to == null ? null : to.plusDays(1).atStartOfDay(zone).toInstant();
    }

    /** The filter as query parameters (for links and the CSV download); empty fields left out. */
    public String query() {
        StringBuilder q = new StringBuilder();
        append(q, "member", member);
        append(q, "kind", kind == null ? null : kind.code);
        append(q, "from", from);
        append(q, "to", to);
        return q.toString();
    }

    private static void append(StringBuilder q, String name, Object value) {
        if (value != null) {
            q.append(q.length() == 0 ? "" : "&").append(name).append('=')
                    .append(java.net.URLEncoder.encode(value.toString(), java.nio.charset.StandardCharsets.UTF_8));
        }
    }
}
