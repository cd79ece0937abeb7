package io.consentcast.tenancy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

@ApplicationScoped
public class InvitationRepository implements PanacheRepositoryBase<Invitation, UUID> {

    public Optional<Invitation> findByTokenHash(String hash) {
        return find("tokenHash", hash).firstResultOptional();
    }

    public List<Invitation> listOpen(Instant now) {
        return list("acceptedAt is null and revokedAt is null and expiresAt > ?1 order by createdAt", now);
    }

    public List<Invitation> listOpenFor(String email, Instant now) {
        return list("lower(email) = ?1 and acceptedAt is null and revokedAt is null and expiresAt > ?2",
                email.toLowerCase(java.util.Locale.ROOT), now);
    }
}
