package io.consentcast.whatsapp;

import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.tenancy.TenantScope;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;

/**
 * The webhook route table (phone number id → workspace) as the inbox reads it for every webhook: routed numbers are
 * kept in memory, so a message costs no transaction of its own to find its workspace. A route change on this instance
 * ({@link ChannelSettingsService} claims or releases a number) empties the cache when its transaction commits; other
 * instances follow within {@code quarkus.cache.caffeine."phone-routes".expire-after-write} (10 s). Unrouted numbers
 * are not kept: a number claimed a moment ago is found at once. A number can only move to another workspace after its
 * workspace released it (a claimed number is refused to everyone else), so the window in which another instance still
 * routes to the releasing workspace is those 10 s after the release.
 */
@ApplicationScoped
class PhoneRoutes {

    static final String CACHE = "phone-routes";

    /** Fired inside a transaction that changes the route table. */
    record Changed() {
    }

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    @CacheName(CACHE)
    Cache cache;

    /** The workspace that claimed this phone number id, or null. */
    String tenantOf(String phoneNumberId) {
        CaffeineCache caffeine = cache.as(CaffeineCache.class);
        CompletableFuture<String> hit = caffeine.getIfPresent(phoneNumberId);
        if (hit != null) {
            return hit.join();
        }
        String tenantId = tenantScope.platform(() -> {
            PhoneRoute r = em.find(PhoneRoute.class, phoneNumberId);
            return r == null ? null : r.tenantId;
        });
        if (tenantId != null) {
            caffeine.put(phoneNumberId, CompletableFuture.completedFuture(tenantId));
        }
        return tenantId;
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) Changed change) {
        cache.invalidateAll().await().indefinitely();
    }
}
