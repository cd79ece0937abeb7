package io.consentcast.web;

import java.util.List;
import java.util.Locale;
import java.util.Optional;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.ws.rs.core.HttpHeaders;

import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.Role;
import io.quarkus.runtime.BlockingOperationControl;
import io.vertx.ext.web.RoutingContext;

/**
 * What every page needs besides its own data, available in templates as {@code inject:page}:
 * the language, the logged-in user, their workspaces, the current workspace and role, and the
 * flash message of the previous request.
 */
@Named("page")
@RequestScoped
public class PageContext {

    public static final String LANG_COOKIE = "cc_lang";

    @Inject
    RoutingContext routing;

    @Inject
    Caller caller;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ChannelKind channelKind;

    @Inject
    io.consentcast.tenancy.TenancyService tenancy;

    private Locale forced;
    private Boolean sandbox;
    private Locale resolved;
    private java.time.ZoneId zone;
    private FlashView flash;
    private boolean flashRead;

    /** Pages with a fixed language (a list's landing page) set it here. */
    public void forceLocale(Locale locale) {
        this.forced = locale;
    }

    public Locale locale() {
        if (forced != null) {
            return forced;
        }
        if (resolved == null) {
            resolved = resolve();
        }
        return resolved;
    }

    public String lang() {
        return locale().getLanguage();
    }

    private Locale resolve() {
        var cookie = routing.request().getCookie(LANG_COOKIE);
        if (cookie != null && Languages.supported(cookie.getValue())) {
            return Locale.forLanguageTag(cookie.getValue());
        }
        String header = routing.request().getHeader(HttpHeaders.ACCEPT_LANGUAGE);
        return Languages.fromAcceptLanguage(header);
    }

    /**
     * The time zone every date and time of the page is shown in ({@link DateTimes}): the current workspace's,
     * else UTC (pages outside a workspace, error pages rendered on an I/O thread). Once per request.
     */
    public java.time.ZoneId zone() {
        if (zone == null) {
            zone = currentTenant.isSet() && BlockingOperationControl.isBlockingAllowed()
                    ? tenancy.workspace(currentTenant.id()).map(w -> safeZone(w.timezone())).orElse(java.time.ZoneOffset.UTC)
                    : java.time.ZoneOffset.UTC;
        }
        return zone;
    }

    private static java.time.ZoneId safeZone(String id) {
        try {
            return id == null ? java.time.ZoneOffset.UTC : java.time.ZoneId.of(id);
        } catch (java.time.DateTimeException e) {
            return java.time.ZoneOffset.UTC;
        }
    }

    public boolean loggedIn() {
        return caller.isAuthenticated();
    }

    public String userName() {
        if (!BlockingOperationControl.isBlockingAllowed()) {
            return "";
        }
        return caller.displayName().orElse("");
    }

    /**
     * The workspace switcher. Empty for pages rendered on an I/O thread (error pages for requests that
     * failed before reaching a worker thread), which must not touch the database.
     */
    public List<Caller.WorkspaceSummary> workspaces() {
        if (!caller.isAuthenticated() || !BlockingOperationControl.isBlockingAllowed()) {
            return List.of();
        }
        return caller.workspaces();
    }

    public boolean inWorkspace() {
        return currentTenant.isSet() && currentTenant.role() != null;
    }

    public String tenant() {
        return currentTenant.slug();
    }

    public String tenantName() {
        if (!currentTenant.isSet()) {
            return "";
        }
        return workspaces().stream().filter(w -> w.slug().equals(currentTenant.slug())).map(Caller.WorkspaceSummary::name)
                .findFirst().orElse(currentTenant.slug());
    }

    /** Whether the current workspace's channel is the sandbox (its phone page exists only then); once per request. */
    public boolean sandbox() {
        if (!inWorkspace() || !BlockingOperationControl.isBlockingAllowed()) {
            return false;
        }
        if (sandbox == null) {
            sandbox = channelKind.sandbox();
        }
        return sandbox;
    }

    public Role role() {
        return currentTenant.role();
    }

    /** Whether the caller's role in the current workspace is at least {@code role}. */
    public boolean can(String role) {
        return currentTenant.role() != null && currentTenant.role().atLeast(Role.valueOf(role));
    }

    public String path() {
        return routing.request().path();
    }

    /** The flash message of the previous request in the page language, or null. */
    public FlashView flash() {
        if (!flashRead) {
            flashRead = true;
            Flash.Message m = Flash.consume(routing);
            flash = m == null ? null : new FlashView(m.kind(), io.consentcast.shared.Texts.resolve(m.key(), locale()));
        }
        return flash;
    }

    public record FlashView(String kind, String text) {
    }

    /**
     * The field errors of a failed form submission in the page language; an error without fields is
     * shown at the top of the form under the key {@code _form}.
     */
    public java.util.Map<String, String> formErrors(io.consentcast.shared.ApiException e) {
        java.util.Map<String, String> out = new java.util.LinkedHashMap<>();
        e.errors().forEach((field, code) -> out.put(field, io.consentcast.shared.Texts.resolve(code, locale())));
        if (out.isEmpty()) {
            out.put("_form", io.consentcast.shared.Texts.resolve(e.getMessage(), locale()));
        }
        return out;
    }
}
