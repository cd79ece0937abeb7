package io.consentcast.optin;

import java.time.Instant;
import java.util.Collection;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class OptInRequestRepository implements PanacheRepositoryBase<OptInRequest, UUID> {

    public Optional<OptInRequest> findByCode(String code) {
        return find("code", code).firstResultOptional();
    }

    /** The open request of this subscriber for this list made the same way, if any. */
    public Optional<OptInRequest> findOpen(UUID subscriberId, UUID listId, String via, Instant now) {
        return find("subscriberId = ?1 and listId = ?2 and via = ?3 and confirmedAt is null and expiresAt > ?4"
                + " order by createdAt desc", subscriberId, listId, via, now).firstResultOptional();
    }

    /** The newest open request of a subscriber made one of the ways {@code vias} (what a "JA" answers). */
    public Optional<OptInRequest> findNewestOpen(UUID subscriberId, Collection<String> vias, Instant now) {
        return find("subscriberId = ?1 and via in ?2 and confirmedAt is null and expiresAt > ?3"
                + " order by createdAt desc", subscriberId, vias, now).firstResultOptional();
    }
}
