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

    /**
     * Refuses text that {@link InputText} does not accept (NUL and other control characters, unpaired
     * surrogates, oversized values): form posts reach services without the JSON reader's check.
     */
    public Validation text(String field, String value) {
        InputText.Fault fault = InputText.fault(value);
        return check(fault == null, field, fault == null ? null : fault.code);
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
