package io.consentcast.tenancy;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.LockModeType;

import io.quarkus.hibernate.orm.panache.PanacheRepositoryBase;

/** Memberships of the current workspace (Hibernate's tenant filter applies to every query here). */
@ApplicationScoped
public class MembershipRepository implements PanacheRepositoryBase<Membership, UUID> {

    public Optional<Membership> findByUser(UUID userId) {
        return find("user.id", userId).firstResultOptional();
    }

    public List<Membership> listWithUsers() {
        return find("select m from Membership m join fetch m.user order by m.createdAt").list();
    }

    /** Locks the owners' rows so that concurrent demotions or removals cannot remove the last owner. */
    public long lockAndCountOwners() {
        return find("role", Role.OWNER).withLock(LockModeType.PESSIMISTIC_WRITE).list().size();
    }

    /** The user's memberships in every workspace: a native query, allowed by the memberships_own policy. */
    @SuppressWarnings("unchecked")
    public List<Object[]> workspacesOf(UUID userId) {
        return getEntityManager().createNativeQuery(
                "SELECT t.slug, t.name, m.role FROM memberships m JOIN tenants t ON t.id = m.tenant_id"
                        + " WHERE m.user_id = :user ORDER BY t.name")
                .setParameter("user", userId)
                .getResultList();
    }
}
