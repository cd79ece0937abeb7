package io.consentcast.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.vertx.ext.web.RoutingContext;

/**
 * Which entry of the workspace navigation the current page belongs to, for {@code aria-current} in
 * {@code layout.html} ({@code inject:nav}): the first path segment after {@code /t/{workspace}/}, empty for the
 * dashboard.
 */
@Named("nav")
@RequestScoped
public class ShellNav {

    @Inject
    RoutingContext routing;

    private String section;

    /** The page's section: {@code issues} for {@code /t/my-paper/issues/...}, empty for the dashboard. */
    public String section() {
        if (section == null) {
            String[] parts = routing.request().path().split("/");
            // "", "t", workspace, section, ...
            section = parts.length > 3 && "t".equals(parts[1]) ? parts[3] : "";
        }
        return section;
    }

    /** Whether the page belongs to {@code name} ("" for the dashboard). */
    public boolean at(String name) {
        return section().equals(name);
    }
}
