package io.consentcast.shared;

import java.util.Map;

/**
 * Page numbers and page sizes from query parameters, checked in one place: a number in its range or a
 * 400 naming the parameter, so no offset can overflow.
 */
public final class Paging {

    /** The highest page number any list answers (100,000 pages of 50 or 100 rows). */
    public static final int MAX_PAGE = 100_000;

    private Paging() {
    }

    /** The page number in {@code raw} (absent: 1), from 1 to {@link #MAX_PAGE}. */
    public static int page(String raw, String parameter) {
        return number(raw, parameter, 1, MAX_PAGE, 1);
    }

    /** An integer query parameter from {@code min} to {@code max}; {@code absent} when not given. */
    public static int number(String raw, String parameter, int min, int max, int absent) {
        return number(raw, parameter, min, max, absent, "request.number-invalid");
    }

    /** As {@link #number(String, String, int, int, int)}, refused with the error code {@code code}. */
    public static int number(String raw, String parameter, int min, int max, int absent, String code) {
        if (raw == null || raw.isBlank()) {
            return absent;
        }
        try {
            int n = Integer.parseInt(raw.strip());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // answered below
        }
        throw ApiException.invalid(Map.of(parameter, code));
    }

    /** The first row of {@code page} (from 1) with {@code size} rows a page. */
    public static int offset(int page, int size) {
        return Math.toIntExact((long) (Math.max(page, 1) - 1) * size);
    }
}
