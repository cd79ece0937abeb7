package io.consentcast.optin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.shared.PublicPageChanged;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CacheResult;

/**
 * What a landing page shows besides the reader's own input (the list with its current consent text, the
 * brand settings, the publisher's name and country), read in one transaction and cached per workspace and list: the
 * page and its form submission read it for every reader, and it changes rarely. A change on this instance
 * empties the cache when its transaction commits ({@link PublicPageChanged}); other instances see it
 * within {@code quarkus.cache.caffeine."landing-pages".expire-after-write} (10 s). A submission records the
 * consent text version it took from here, which is the one its page showed.
 */
@ApplicationScoped
public class LandingPageData {

    static final String CACHE = "landing-pages";

    /** {@code defaultRegion}: the country the form preselects (the workspace's). */
    public record Page(OptInService.LandingList landing, OptInSettingsService.View brand, String publisher,
            String defaultRegion) {
    }

    @Inject
    OptInService optIn;

    @Inject
    OptInSettingsService settings;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    @CacheName(CACHE)
    Cache cache;

    /** The page data of list {@code listSlug} in workspace {@code tenantId}, which must be the current one. */
    @CacheResult(cacheName = CACHE)
    @Transactional
    public Page page(String tenantId, String listSlug) {
        if (!tenantId.equals(currentTenant.id())) {
            // The key must name the workspace the data is read in, or one workspace's page could show another's.
            throw new IllegalStateException("Landing page data asked for another workspace than the current one");
        }
        TenancyService.WorkspaceInfo workspace = tenancy.workspace(tenantId).orElseThrow();
        return new Page(optIn.landing(listSlug), settings.view(), workspace.name(),
                LandingRegions.defaultRegion(workspace));
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PublicPageChanged change) {
        cache.invalidateAll().await().indefinitely();
    }
}
