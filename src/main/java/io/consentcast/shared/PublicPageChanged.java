package io.consentcast.shared;

/**
 * Something the public pages of a workspace show has changed (a list, its consent text, the brand settings).
 * Fired inside the changing transaction; caches of public-page data observe it after the commit.
 */
public record PublicPageChanged(String tenantId) {
}
