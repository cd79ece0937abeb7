package io.consentcast.tenancy;

import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceException;

import io.consentcast.shared.ApiException;
import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Creates workspaces and answers who may enter which one. */
@ApplicationScoped
public class TenancyService {

    @Inject
    TenantRepository tenants;

    @Inject
    MembershipRepository memberships;

    @Inject
    TenantScope tenantScope;

    @Inject
    AppUserRepository users;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Clock clock;

    public record NewWorkspace(String slug, String name, String locale, String timezone) {
    }

    /** Published in the transaction that creates a workspace, for the activity log. */
    public record WorkspaceCreated(String tenantId, UUID creatorId, String name) {
    }

    @Inject
    jakarta.enterprise.event.Event<WorkspaceCreated> workspaceCreated;

    /** Validates and creates a workspace; the creator becomes its OWNER. */
    public Tenant create(NewWorkspace request, AppUser creator) {
        String slug = request.slug() == null ? null : request.slug().trim();
        String name = request.name() == null ? null : request.name().trim();
        Validation v = new Validation();
        v.text("name", request.name());
        String slugProblem = WorkspaceRules.slugProblem(slug);
        v.check(slugProblem == null, "slug", slugProblem);
        v.require(name, "name", "name.required");
        v.check(name == null || name.length() <= 120, "name", "name.too-long");
        v.check(request.locale() != null && WorkspaceRules.LOCALES.contains(request.locale()), "locale",
                "locale.invalid");
        v.check(WorkspaceRules.validZone(request.timezone()), "timezone",
                "timezone.invalid");
        v.throwIfInvalid();
        if (findBySlug(slug).isPresent()) {
            throw slugTaken();
        }
        String id = UUID.randomUUID().toString();
        try {
            return tenantScope.call(id, () -> {
                Tenant t = new Tenant();
                t.id = id;
                t.slug = slug;
                t.name = name;
                t.locale = request.locale();
                t.timezone = request.timezone();
                t.createdAt = clock.instant();
                tenants.persist(t);
                Membership m = new Membership();
                m.id = Ids.uuid7(clock);
                m.user = memberships.getEntityManager().getReference(AppUser.class, creator.id);
                m.role = Role.OWNER;
                m.createdAt = t.createdAt;
                memberships.persist(m);
                tenants.flush();
                workspaceCreated.fire(new WorkspaceCreated(id, creator.id, name));
                return t;
            });
        } catch (PersistenceException e) {
            // The unique slug index decides a race between two sign-ups for the same address.
            if (findBySlug(slug).isPresent()) {
                throw slugTaken();
            }
            throw e;
        }
    }

    public boolean slugAvailable(String slug) {
        return WorkspaceRules.slugProblem(slug) == null && findBySlug(slug).isEmpty();
    }

    /** A workspace's identity: what every request under {@code /p/{tenant}} and {@code /api/workspaces/{tenant}} resolves first. */
    public record WorkspaceRef(String id, String slug) {
    }

    /** A slug that names no workspace (not cached: the workspace may be created later). */
    private static final class NoSuchWorkspace extends RuntimeException {
        NoSuchWorkspace() {
            super(null, null, false, false);
        }
    }

    @Inject
    @CacheName("workspace-slugs")
    Cache slugs;

    /**
     * The workspace a slug names, cached: slugs never change and workspaces are never deleted, so an entry is
     * never stale (a slug that names nothing is not cached). Every public page and API request resolves one.
     */
    public Optional<WorkspaceRef> refBySlug(String slug) {
        if (slug == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(slugs.<String, WorkspaceRef>get(slug, s -> findBySlug(s)
                    .map(t -> new WorkspaceRef(t.id, t.slug)).orElseThrow(NoSuchWorkspace::new)).await().indefinitely());
        } catch (NoSuchWorkspace e) {
            return Optional.empty();
        }
    }

    public Optional<Tenant> findBySlug(String slug) {
        if (slug == null) {
            return Optional.empty();
        }
        return QuarkusTransaction.joiningExisting().call(() -> tenants.findBySlug(slug));
    }

    /** What other features may know about a workspace. */
    public record WorkspaceInfo(String id, String slug, String name, String locale, String timezone) {
    }

    /** A workspace by id, for other features (which never hold the entity). */
    public Optional<WorkspaceInfo> workspace(String id) {
        return findById(id).map(t -> new WorkspaceInfo(t.id, t.slug, t.name, t.locale, t.timezone));
    }

    /** {@link #create(NewWorkspace, AppUser)} for the caller of the request, for pages outside this feature. */
    public WorkspaceInfo create(NewWorkspace request, Caller creator) {
        Tenant t = create(request, creator.user());
        return new WorkspaceInfo(t.id, t.slug, t.name, t.locale, t.timezone);
    }

    Optional<Tenant> findById(String id) {
        return QuarkusTransaction.joiningExisting().call(() -> Optional.ofNullable(tenants.findById(id)));
    }

    /** The user's role in the workspace, looked up inside that workspace; empty for non-members. */
    public Optional<Role> roleOf(String tenantId, UUID userId) {
        return tenantScope.call(tenantId, () -> memberships.findByUser(userId).map(m -> m.role));
    }

    /** Every workspace's id, for platform jobs that then work in each workspace through {@link TenantScope}. */
    public List<String> allTenantIds() {
        return QuarkusTransaction.joiningExisting().call(
                () -> tenants.getEntityManager().createQuery("select t.id from Tenant t order by t.id", String.class)
                        .getResultList());
    }

    /**
     * Serialises workspace-wide operations of the current transaction (numbering consent-text versions,
     * writing a ledger checkpoint) by locking the workspace's row until commit.
     */
    public void lockCurrentWorkspace() {
        tenants.getEntityManager().find(Tenant.class, currentTenant.id(), LockModeType.PESSIMISTIC_WRITE);
    }

    /** How people appear in records and logs: their e-mail address, else their name; unknown ids are left out. */
    public Map<UUID, String> userLabels(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> users.list("id in ?1", Set.copyOf(userIds)).stream()
                .collect(Collectors.toMap(u -> u.id, u -> u.email != null ? u.email : u.displayName())));
    }

    /** A person as the activity log names them: their name (else e-mail address), and the address when known. */
    public record Person(String name, String email) {
    }

    /** The people behind {@code userIds}, by id; unknown ids are left out. */
    public Map<UUID, Person> people(Collection<UUID> userIds) {
        if (userIds.isEmpty()) {
            return Map.of();
        }
        return QuarkusTransaction.joiningExisting().call(() -> users.list("id in ?1", Set.copyOf(userIds)).stream()
                .collect(Collectors.toMap(u -> u.id, u -> new Person(u.displayName(), u.email))));
    }

    private static ApiException slugTaken() {
        return ApiException.conflict("slug.taken", Map.of("slug", "slug.taken"));
    }
}
