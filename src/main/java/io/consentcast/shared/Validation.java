package io.consentcast.shared;

import java.util.LinkedHashMap;
import java.util.Map;

/** Collects field errors and throws one 400 with all of them. */
public final class Validation {

    private final Map<String, String> errors = new LinkedHashMap<>();

    public Validation check(boolean ok, String field, String message) {
        if (!ok && !errors.containsKey(field)) {
            errors.put(field, message);
        }
        return this;
    }

    public Validation require(String value, String field, String message) {
        return check(value != null && !value.isBlank(), field, message);
    }

    public boolean has(String field) {
        return errors.containsKey(field);
    }

    public void throwIfInvalid() {
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }
}
