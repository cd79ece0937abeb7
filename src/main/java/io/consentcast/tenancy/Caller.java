package io.consentcast.tenancy;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.persistence.PersistenceException;

import org.eclipse.microprofile.jwt.JsonWebToken;

import io.consentcast.shared.Ids;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.security.identity.SecurityIdentity;

/**
 * The authenticated person behind this request: the OIDC token's {@code sub}, with e-mail and name
 * from the token. The matching {@link AppUser} row is created on first sight and refreshed when the
 * token's e-mail or name change.
 */
@RequestScoped
public class Caller {

    @Inject
    SecurityIdentity identity;

    @Inject
    AppUserRepository users;

    @Inject
    MembershipRepository memberships;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Clock clock;

    @Inject
    IdentityConfig identityConfig;

    private AppUser user;
    private List<WorkspaceSummary> workspaces;

    public boolean isAuthenticated() {
        return identity != null && !identity.isAnonymous();
    }

    /** The caller's user record (inside this feature); requires an authenticated request. */
    AppUser user() {
        if (user == null) {
            if (!isAuthenticated()) {
                throw new IllegalStateException("Not authenticated");
            }
            user = loadOrCreate();
            currentTenant.setUser(user.id.toString());
        }
        return user;
    }

    Optional<AppUser> userIfAuthenticated() {
        return isAuthenticated() ? Optional.of(user()) : Optional.empty();
    }

    /** The caller's user id (the actor of what they do); requires an authenticated request. */
    public UUID userId() {
        return user().id;
    }

    /**
     * Whether the identity provider vouches for the caller's e-mail address: the token's {@code email_verified}
     * claim is true. Invitations are bound to an address, so only a verified one may accept them. A token without
     * the claim counts as verified only outside production with {@link IdentityConfig#emailVerifiedWithoutClaim()}
     * (the dev login).
     */
    public boolean emailVerified() {
        if (!isAuthenticated() || !(identity.getPrincipal() instanceof JsonWebToken jwt)) {
            return false;
        }
        Object value = jwt.getClaim("email_verified");
        if (value == null) {
            return identityConfig.emailVerifiedWithoutClaim() && LaunchMode.current() != LaunchMode.NORMAL;
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return value == jakarta.json.JsonValue.TRUE || "true".equals(value.toString());
    }

    /** The caller's display name, or empty when nobody is signed in. */
    public Optional<String> displayName() {
        return userIfAuthenticated().map(AppUser::displayName);
    }

    /** The caller's workspaces with their role, across all workspaces. */
    public List<WorkspaceSummary> workspaces() {
        if (workspaces == null) {
            AppUser u = user();
            workspaces = QuarkusTransaction.requiringNew().call(() -> memberships.workspacesOf(u.id).stream()
                    .map(r -> new WorkspaceSummary((String) r[0], (String) r[1], Role.valueOf((String) r[2])))
                    .toList());
        }
        return workspaces;
    }

    /** Forgets the cached workspace list after a change in this request. */
    public void refreshWorkspaces() {
        workspaces = null;
    }

    private AppUser loadOrCreate() {
        String subject = claim("sub");
        if (subject == null || subject.isBlank()) {
            subject = identity.getPrincipal().getName();
        }
        String email = claim("email");
        String name = claim("name");
        if (name == null) {
            name = claim("preferred_username");
        }
        final String sub = subject;
        final String mail = email;
        final String display = name;
        try {
            return QuarkusTransaction.requiringNew().call(() -> upsert(sub, mail, display));
        } catch (PersistenceException e) {
            // Two first requests of the same new user raced on the unique subject: the row exists now.
            return QuarkusTransaction.requiringNew().call(() -> upsert(sub, mail, display));
        }
    }

    private AppUser upsert(String subject, String email, String name) {
        Instant now = clock.instant();
        Optional<AppUser> existing = users.findBySubject(subject);
        if (existing.isPresent()) {
            AppUser u = existing.get();
            if (email != null && !email.equals(u.email)) {
                u.email = email;
            }
            if (name != null && !name.equals(u.name)) {
                u.name = name;
            }
            if (Duration.between(u.lastSeenAt, now).toMinutes() >= 60) {
                u.lastSeenAt = now;
            }
            return u;
        }
        AppUser u = new AppUser();
        u.id = Ids.uuid7(clock);
        u.subject = subject;
        u.email = email;
        u.name = name;
        u.createdAt = now;
        u.lastSeenAt = now;
        users.persistAndFlush(u);
        return u;
    }

    private String claim(String name) {
        if (identity.getPrincipal() instanceof JsonWebToken jwt) {
            Object value = jwt.getClaim(name);
            if (value instanceof jakarta.json.JsonString js) {
                return js.getString();
            }
            return value == null ? null : value.toString();
        }
        return null;
    }

    public record WorkspaceSummary(String slug, String name, Role role) {
    }
}
