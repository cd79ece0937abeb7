package io.consentcast.tenancy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/** PostgreSQL's row-level security is the second line of isolation, below Hibernate's tenant filter. */
@QuarkusTest
class RowLevelSecurityTest {

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    EntityManager em;

    @Test
    void aNativeQueryInWorkspaceBSeesNoneOfWorkspaceAsRows() {
        Api a = Api.newUser("rls-a");
        Api b = Api.newUser("rls-b");
        String tenantA = tenancy.findBySlug(a.createWorkspace("rls-a")).orElseThrow().id;
        String tenantB = tenancy.findBySlug(b.createWorkspace("rls-b")).orElseThrow().id;

        List<?> seenInB = scope.call(tenantB,
                () -> em.createNativeQuery("SELECT tenant_id FROM memberships").getResultList());
        assertFalse(seenInB.isEmpty(), "workspace B sees its own membership");
        assertTrue(seenInB.stream().allMatch(tenantB::equals), "only B's rows: " + seenInB);

        Number aRowsFromB = scope.call(tenantB, () -> (Number) em
                .createNativeQuery("SELECT count(*) FROM memberships WHERE tenant_id = :a")
                .setParameter("a", tenantA).getSingleResult());
        assertEquals(0, aRowsFromB.intValue());

        Number aRowsFromA = scope.call(tenantA, () -> (Number) em
                .createNativeQuery("SELECT count(*) FROM memberships WHERE tenant_id = :a")
                .setParameter("a", tenantA).getSingleResult());
        assertEquals(1, aRowsFromA.intValue());
    }

    @Test
    void withoutAWorkspaceNoTenantRowIsVisible() {
        Api a = Api.newUser("rls-none");
        a.createWorkspace("rls-none");
        Number visible = scope.platform(() -> (Number) em.createNativeQuery("SELECT count(*) FROM memberships")
                .getSingleResult());
        assertEquals(0, visible.intValue());
    }

    @Test
    void workspaceBCannotWriteRowsIntoWorkspaceA() {
        Api a = Api.newUser("rls-wa");
        Api b = Api.newUser("rls-wb");
        String tenantA = tenancy.findBySlug(a.createWorkspace("rls-wa")).orElseThrow().id;
        String tenantB = tenancy.findBySlug(b.createWorkspace("rls-wb")).orElseThrow().id;
        assertThrows(Exception.class, () -> scope.run(tenantB, () -> em.createNativeQuery(
                "INSERT INTO memberships (id, tenant_id, user_id, role, created_at)"
                        + " SELECT gen_random_uuid(), :a, user_id, 'OWNER', now() FROM memberships")
                .setParameter("a", tenantA).executeUpdate()));
    }

    @Test
    void theApplicationConnectsAsARoleThatOwnsNothingAndCannotBypassRls() {
        Object[] row = scope.platform(() -> (Object[]) em.createNativeQuery(
                "SELECT current_user, r.rolsuper, r.rolbypassrls,"
                        + " (SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner = current_user)"
                        + " FROM pg_roles r WHERE r.rolname = current_user")
                .getSingleResult());
        assertEquals("consentcast_app", row[0]);
        assertEquals(false, row[1]);
        assertEquals(false, row[2]);
        assertEquals(0, ((Number) row[3]).intValue());
    }

    @Test
    void backgroundWorkMustNameItsWorkspace() {
        assertThrows(IllegalStateException.class, () -> scope.run(null, () -> {
        }));
    }
}
