package io.consentcast.tenancy;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;

/**
 * The team of the current workspace: members, roles and invitations. All rules about who may
 * change whom live here; resources only translate.
 */
@ApplicationScoped
public class TeamService {

    private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$");

    @Inject
    MembershipRepository memberships;

    @Inject
    InvitationRepository invitations;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ConsentcastConfig config;

    @Inject
    Clock clock;

    @Inject
    Event<TeamChanged> teamChanged;

    public record MemberView(UUID id, String email, String name, Role role, Instant since) {
    }

    public record InvitationView(UUID id, String email, Role role, Instant expiresAt) {
    }

    /** A new invitation; {@code link} holds the secret token and is shown exactly once. */
    public record CreatedInvitation(UUID id, String email, Role role, Instant expiresAt, String link) {
    }

    /** What changed in a team. */
    public enum Change {
        INVITED, INVITATION_REVOKED, JOINED, ROLE_CHANGED, REMOVED
    }

    /**
     * Published after each change to the team, for the activity log. {@code subjectId}: the invitation (INVITED,
     * INVITATION_REVOKED) or the member's user id; {@code previousRole} only for ROLE_CHANGED.
     */
    public record TeamChanged(String tenantId, UUID actorId, Change change, UUID subjectId, String email, Role role,
            Role previousRole) {
    }

    @Transactional
    public List<MemberView> members() {
        return memberships.listWithUsers().stream()
                .map(m -> new MemberView(m.id, m.user.email, m.user.displayName(), m.role, m.createdAt))
                .toList();
    }

    @Transactional
    public List<InvitationView> openInvitations() {
        return invitations.listOpen(clock.instant()).stream()
                .map(i -> new InvitationView(i.id, i.email, i.role, i.expiresAt))
                .toList();
    }

    @Transactional
    public CreatedInvitation invite(String email, String roleName, AppUser actor, Role actorRole) {
        String address = email == null ? null : email.trim();
        Role role = Role.parse(roleName);
        Validation v = new Validation();
        v.text("email", address); // a page form's value has not passed the JSON reader's check
        v.check(address != null && address.length() <= 320 && EMAIL.matcher(address).matches(), "email",
                "email.invalid");
        v.check(role != null, "role", "role.invalid");
        v.throwIfInvalid();
        if (role == Role.OWNER && actorRole != Role.OWNER) {
            throw ApiException.forbidden("team.owner-only");
        }
        boolean alreadyMember = memberships.listWithUsers().stream()
                .anyMatch(m -> m.user.email != null && m.user.email.equalsIgnoreCase(address));
        if (alreadyMember) {
            throw ApiException.conflict("team.already-member", java.util.Map.of("email", "team.already-member"));
        }
        Instant now = clock.instant();
        // A new invitation replaces older open ones for the same address: only the newest link works.
        invitations.listOpenFor(address, now).forEach(i -> i.revokedAt = now);
        String token = Ids.token(32);
        Invitation inv = new Invitation();
        inv.id = Ids.uuid7(clock);
        inv.email = address;
        inv.role = role;
        inv.tokenHash = Ids.sha256Hex(token);
        inv.invitedBy = actor.id;
        inv.createdAt = now;
        inv.expiresAt = now.plus(config.invitationValidity());
        invitations.persist(inv);
        teamChanged.fire(new TeamChanged(currentTenant.id(), actor.id, Change.INVITED, inv.id, address, role, null));
        String link = config.baseUrl().replaceAll("/+$", "") + "/join/" + currentTenant.slug() + "/" + token;
        return new CreatedInvitation(inv.id, inv.email, inv.role, inv.expiresAt, link);
    }

    @Transactional
    public void revokeInvitation(UUID id, AppUser actor) {
        Invitation inv = invitations.findByIdOptional(id)
                .orElseThrow(() -> ApiException.notFound("There is no such invitation."));
        if (inv.isOpen(clock.instant())) {
            inv.revokedAt = clock.instant();
            teamChanged.fire(new TeamChanged(currentTenant.id(), actor.id, Change.INVITATION_REVOKED, inv.id, inv.email,
                    inv.role, null));
        }
    }

    /**
     * What the invitation page shows before the invitee accepts. {@code emailVerified}: the identity provider
     * vouches for the user's address ({@link Caller#emailVerified()}); an unverified address is refused (403).
     */
    @Transactional
    public InvitationView inspect(String token, AppUser user, boolean emailVerified) {
        Invitation inv = usable(token, user, emailVerified);
        return new InvitationView(inv.id, inv.email, inv.role, inv.expiresAt);
    }

    /**
     * Accepts an invitation for the logged-in user; single use, expiring, bound to the invited address, which the
     * identity provider must have verified ({@code emailVerified}).
     */
    @Transactional
    public Role accept(String token, AppUser user, boolean emailVerified) {
        Invitation inv = usable(token, user, emailVerified);
        Instant now = clock.instant();
        inv.acceptedAt = now;
        inv.acceptedBy = user.id;
        Membership existing = memberships.findByUser(user.id).orElse(null);
        if (existing != null) {
            return existing.role;
        }
        Membership m = new Membership();
        m.id = Ids.uuid7(clock);
        m.user = memberships.getEntityManager().getReference(AppUser.class, user.id);
        m.role = inv.role;
        m.createdAt = now;
        memberships.persist(m);
        teamChanged.fire(new TeamChanged(currentTenant.id(), user.id, Change.JOINED, user.id, inv.email, inv.role, null));
        return m.role;
    }

    private Invitation usable(String token, AppUser user, boolean emailVerified) {
        Invitation inv = token == null ? null
                : invitations.findByTokenHash(Ids.sha256Hex(token)).orElse(null);
        if (inv == null || inv.revokedAt != null) {
            throw ApiException.notFound("invitation.not-found");
        }
        if (inv.acceptedAt != null) {
            throw ApiException.gone("invitation.used");
        }
        if (!clock.instant().isBefore(inv.expiresAt)) {
            throw ApiException.gone("invitation.expired");
        }
        if (user.email == null || !user.email.toLowerCase(Locale.ROOT).equals(inv.email.toLowerCase(Locale.ROOT))) {
            throw ApiException.forbidden("invitation.wrong-user");
        }
        if (!emailVerified) {
            // Anyone can register an account with any address: only the provider's verification proves it is theirs.
            throw ApiException.forbidden("invitation.email-unverified");
        }
        return inv;
    }

    @Transactional
    public MemberView changeRole(UUID memberId, String roleName, AppUser actor, Role actorRole) {
        Role role = Role.parse(roleName);
        new Validation().check(role != null, "role", "role.invalid").throwIfInvalid();
        Membership m = memberships.findByIdOptional(memberId)
                .orElseThrow(() -> ApiException.notFound("team.member-not-found"));
        if ((m.role == Role.OWNER || role == Role.OWNER) && actorRole != Role.OWNER) {
            throw ApiException.forbidden("team.owner-only");
        }
        if (m.role == Role.OWNER && role != Role.OWNER && memberships.lockAndCountOwners() <= 1) {
            throw ApiException.conflict("team.last-owner", java.util.Map.of("role", "team.last-owner"));
        }
        Role before = m.role;
        m.role = role;
        if (before != role) {
            teamChanged.fire(new TeamChanged(currentTenant.id(), actor.id, Change.ROLE_CHANGED, m.user.id,
                    m.user.email, role, before));
        }
        return new MemberView(m.id, m.user.email, m.user.displayName(), m.role, m.createdAt);
    }

    @Transactional
    public void remove(UUID memberId, AppUser actor, Role actorRole) {
        Membership m = memberships.findByIdOptional(memberId)
                .orElseThrow(() -> ApiException.notFound("team.member-not-found"));
        if (m.role == Role.OWNER && actorRole != Role.OWNER) {
            throw ApiException.forbidden("team.owner-only");
        }
        if (m.role == Role.OWNER && memberships.lockAndCountOwners() <= 1) {
            throw ApiException.conflict("team.last-owner", null);
        }
        memberships.delete(m);
        teamChanged.fire(new TeamChanged(currentTenant.id(), actor.id, Change.REMOVED, m.user.id, m.user.email, m.role,
                null));
    }

    // The same operations for the caller of the request, for pages outside this feature (web.TeamPages and
    // web.WorkspacePages), which never hold the user entity.

    public CreatedInvitation invite(String email, String roleName, Caller actor, Role actorRole) {
        return invite(email, roleName, actor.user(), actorRole);
    }

    public void revokeInvitation(UUID id, Caller actor) {
        revokeInvitation(id, actor.user());
    }

    public InvitationView inspect(String token, Caller user) {
        return inspect(token, user.user(), user.emailVerified());
    }

    public Role accept(String token, Caller user) {
        return accept(token, user.user(), user.emailVerified());
    }

    public MemberView changeRole(UUID memberId, String roleName, Caller actor, Role actorRole) {
        return changeRole(memberId, roleName, actor.user(), actorRole);
    }

    public void remove(UUID memberId, Caller actor, Role actorRole) {
        remove(memberId, actor.user(), actorRole);
    }
}
