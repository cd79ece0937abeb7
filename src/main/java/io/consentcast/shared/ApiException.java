package io.consentcast.shared;

import java.util.Map;

/**
 * A failure the caller can act on. Rendered as problem details under /api and as an
 * error page (or form error) on pages.
 */
public class ApiException extends RuntimeException {

    private final int status;
    private final String title;
    private final Map<String, String> errors;

    public ApiException(int status, String title, String detail, Map<String, String> errors) {
        super(detail);
        this.status = status;
        this.title = title;
        this.errors = errors == null ? Map.of() : Map.copyOf(errors);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(400, "Bad Request", detail, Map.of());
    }

    public static ApiException invalid(Map<String, String> errors) {
        return new ApiException(400, "Bad Request", "request.invalid", errors);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(404, "Not Found", detail, Map.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(403, "Forbidden", detail, Map.of());
    }

    public static ApiException conflict(String detail, Map<String, String> errors) {
        return new ApiException(409, "Conflict", detail, errors);
    }

    public static ApiException gone(String detail) {
        return new ApiException(410, "Gone", detail, Map.of());
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }

    public Map<String, String> errors() {
        return errors;
    }

    public Problem toProblem(java.util.Locale locale) {
        java.util.Map<String, String> texts = new java.util.LinkedHashMap<>();
        errors.forEach((field, code) -> texts.put(field, Texts.resolve(code, locale)));
        return new Problem("about:blank", title, status, Texts.resolve(getMessage(), locale), texts);
    }
}
