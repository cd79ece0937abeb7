package io.consentcast.tenancy;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.agroal.api.AgroalPoolInterceptor;

import io.quarkus.arc.Arc;

/**
 * The database half of tenant isolation. Agroal calls this when a transaction takes its
 * connection from the pool (after enlisting it, so auto-commit is off): the current workspace
 * and user are set with {@code set_config(..., true)}, which PostgreSQL forgets at commit or
 * rollback. Row-level security policies compare every row's tenant_id with that setting.
 * A connection used without a transaction gets no setting and therefore sees no tenant rows.
 */
@ApplicationScoped
public class RowLevelSecurityInterceptor implements AgroalPoolInterceptor {

    @Inject
    CurrentTenant currentTenant;

    @Override
    public void onConnectionAcquire(Connection connection) {
        try {
            if (connection.getAutoCommit()) {
                return;
            }
            String tenant = "";
            String user = "";
            if (Arc.container().requestContext().isActive()) {
                tenant = currentTenant.isSet() ? currentTenant.id() : "";
                user = currentTenant.userIdOrNull() == null ? "" : currentTenant.userIdOrNull();
            }
            try (PreparedStatement st = connection.prepareStatement(
                    "SELECT set_config('consentcast.tenant_id', ?, true), set_config('consentcast.user_id', ?, true)")) {
                st.setString(1, tenant);
                st.setString(2, user);
                st.execute();
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not set the workspace for this transaction", e);
        }
    }
}
