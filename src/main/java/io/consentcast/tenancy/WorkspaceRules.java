package io.consentcast.tenancy;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.Set;
import java.util.regex.Pattern;

/** The rules for a workspace's slug, name, language and time zone. */
public final class WorkspaceRules {

    public static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{1,38})[a-z0-9]$");
    public static final Set<String> LOCALES = Set.of("de", "en");
    /** Words that would collide with our own paths or mislead readers. */
    public static final Set<String> RESERVED = Set.of("admin", "api", "app", "assets", "auth", "billing", "consentcast",
            "dashboard", "docs", "help", "join", "lang", "login", "logout", "new", "null", "p", "q", "root", "settings",
            "signup", "static", "status", "support", "system", "t", "webhooks", "whatsapp", "www");

    private WorkspaceRules() {
    }

    /** Null when the slug is acceptable, else the reason. */
    public static String slugProblem(String slug) {
        if (slug == null || slug.isBlank()) {
            return "slug.required";
        }
        if (slug.length() < 3 || slug.length() > 40) {
            return "slug.length";
        }
        if (!SLUG.matcher(slug).matches()) {
            return "slug.format";
        }
        if (RESERVED.contains(slug)) {
            return "slug.reserved";
        }
        return null;
    }

    public static boolean validZone(String zone) {
        if (zone == null || zone.isBlank()) {
            return false;
        }
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }
}
