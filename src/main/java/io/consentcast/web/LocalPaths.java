package io.consentcast.web;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Optional;

/**
 * Redirect targets that come from the request ({@code /lang/de?return=...}, the page a rejected form came
 * from): only a path on this site is accepted, so no value can send the browser to another site or break
 * the {@code Location} header.
 */
public final class LocalPaths {

    /** Longer values are not a page of ours. */
    static final int MAX_LENGTH = 2000;

    private LocalPaths() {
    }

    /**
     * The value as a local path (with its query), or empty for anything else: no value, too long, not
     * starting with exactly one {@code /} ({@code //host} and {@code /\host} are other sites to browsers),
     * a backslash, a space or a control character anywhere (CR/LF would split the header), or not a
     * valid URI reference.
     */
    public static Optional<String> local(String value) {
        if (value == null || value.isEmpty() || value.length() > MAX_LENGTH || value.charAt(0) != '/'
                || value.startsWith("//")) {
            return Optional.empty();
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c <= ' ' || c == 0x7f || c == '\\') {
                return Optional.empty();
            }
        }
        try {
            URI uri = new URI(value);
            if (uri.isAbsolute() || uri.getRawAuthority() != null || uri.getRawPath() == null
                    || !uri.getRawPath().startsWith("/") || uri.getRawPath().startsWith("//")) {
                return Optional.empty();
            }
            String ascii = uri.toASCIIString();
            int hash = ascii.indexOf('#');
            return Optional.of(hash < 0 ? ascii : ascii.substring(0, hash));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
