package io.consentcast.tenancy;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/** A person who logged in through OIDC, identified by the token's {@code sub}. */
@Entity
@Table(name = "app_users")
public class AppUser {

    @Id
    public UUID id;

    @Column(nullable = false, unique = true)
    public String subject;

    public String email;

    public String name;

    /** The user's chosen page language, or null to follow the browser. */
    public String locale;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "last_seen_at", nullable = false)
    public Instant lastSeenAt;

    public String displayName() {
        if (name != null && !name.isBlank()) {
            return name;
        }
        return email != null ? email : subject;
    }
}
