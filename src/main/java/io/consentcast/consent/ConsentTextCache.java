package io.consentcast.consent;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.quarkus.cache.CacheResult;

/**
 * Consent text versions by id, for appends that name the version shown (every landing-page submission and every
 * START): versions never change (a trigger refuses it), so a version read once is kept without invalidation. The key
 * names the workspace the version was read in, which must be the current one: row-level security hides other
 * workspaces' versions from the read, and the key keeps one workspace from ever being answered from another's entry.
 * An unknown id is remembered as unknown too: ids are random UUIDv7s generated when a version is published, so no
 * id a request names can become a version later.
 */
@ApplicationScoped
class ConsentTextCache {

    static final String CACHE = "consent-text-versions";

    @Inject
    EntityManager em;

    @Inject
    io.consentcast.tenancy.CurrentTenant currentTenant;

    /** A copy of version {@code id} of workspace {@code tenantId} (the current one); null when unknown there. */
    @CacheResult(cacheName = CACHE)
    @Transactional
    ConsentText byId(String tenantId, UUID id) {
        if (!tenantId.equals(currentTenant.id())) {
            throw new IllegalStateException("Consent text asked for another workspace than the current one");
        }
        ConsentText found = em.find(ConsentText.class, id);
        if (found == null) {
            return null;
        }
        ConsentText copy = new ConsentText();
        copy.id = found.id;
        copy.tenantId = found.tenantId;
        copy.listId = found.listId;
        copy.version = found.version;
        copy.language = found.language;
        copy.text = found.text;
        copy.sha256 = found.sha256;
        copy.createdBy = found.createdBy;
        copy.createdAt = found.createdAt;
        return copy;
    }
}
