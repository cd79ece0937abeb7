package io.consentcast.optin;

import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.TransactionPhase;
import jakarta.inject.Inject;

import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.PublicPageChanged;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.quarkus.cache.CaffeineCache;

/**
 * What answering an inbound message looks up besides the sender's own records, kept in memory per workspace: the
 * workspace's name, language and stop words, and its lists by keyword and by id (each with its current consent text).
 * Every START, JA and STOP needs some of them, and they change rarely. A change on this instance empties the cache
 * when its transaction commits ({@link PublicPageChanged}: lists, their consent texts, the opt-in settings); other
 * instances follow within {@code quarkus.cache.caffeine."inbound-lookups".expire-after-write} (10 s), as for the
 * landing pages. Only lists that exist are kept: a keyword nobody has is looked up again, so a new list answers at once.
 * Keys name the workspace, which must be the current one (the reads run under its row-level security).
 */
@ApplicationScoped
public class InboundLookups {

    static final String CACHE = "inbound-lookups";

    /** The workspace facts every reply uses. */
    public record Workspace(String name, String language, Set<String> stopWords) {
    }

    private record WorkspaceKey(String tenantId) {
    }

    private record KeywordKey(String tenantId, String keyword) {
    }

    private record ListKey(String tenantId, UUID listId) {
    }

    @Inject
    ListService lists;

    @Inject
    OptInSettingsService settings;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    @CacheName(CACHE)
    Cache cache;

    /** The current workspace's name, language and stop words. */
    public Workspace workspace() {
        String tenantId = currentTenant.id();
        return cached(new WorkspaceKey(tenantId), () -> {
            TenancyService.WorkspaceInfo w = tenancy.workspace(tenantId).orElseThrow();
            return Optional.of(new Workspace(w.name(), w.locale(), Set.copyOf(settings.stopWords())));
        }).orElseThrow();
    }

    /** The current workspace's list with this keyword (upper case), if any. */
    public Optional<ListView> byKeyword(String keyword) {
        return keyword == null ? Optional.empty()
                : cached(new KeywordKey(currentTenant.id(), keyword), () -> lists.byKeyword(keyword));
    }

    /** The current workspace's list with this id, if any. */
    public Optional<ListView> byId(UUID id) {
        return cached(new ListKey(currentTenant.id(), id), () -> lists.byId(id));
    }

    @SuppressWarnings("unchecked")
    private <T> Optional<T> cached(Object key, Supplier<Optional<T>> read) {
        CaffeineCache caffeine = cache.as(CaffeineCache.class);
        CompletableFuture<Object> hit = caffeine.getIfPresent(key);
        if (hit != null) {
            return Optional.of((T) hit.join());
        }
        Optional<T> found = read.get();
        found.ifPresent(value -> caffeine.put(key, CompletableFuture.completedFuture(value)));
        return found;
    }

    void onChange(@Observes(during = TransactionPhase.AFTER_SUCCESS) PublicPageChanged change) {
        cache.invalidateAll().await().indefinitely();
    }
}
