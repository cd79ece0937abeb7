package io.consentcast.tenancy;

import jakarta.enterprise.context.RequestScoped;

/**
 * The workspace of the current unit of work: set by {@link TenantRequestFilter} for requests and
 * by {@link TenantScope} for background work, and read by Hibernate ({@link WorkspaceTenantResolver})
 * and by PostgreSQL row-level security ({@link RowLevelSecurityInterceptor}). There is no default.
 */
@RequestScoped
public class CurrentTenant {

    private String id;
    private String slug;
    private Role role;
    private String userId;

    public boolean isSet() {
        return id != null;
    }

    /** The tenant id; throws when no workspace has been chosen for this unit of work. */
    public String id() {
        if (id == null) {
            throw new IllegalStateException("No workspace is set for this unit of work");
        }
        return id;
    }

    public String idOrNull() {
        return id;
    }

    public String slug() {
        return slug;
    }

    /** The caller's role in the workspace; null for public routes and background work. */
    public Role role() {
        return role;
    }

    public String userIdOrNull() {
        return userId;
    }

    void set(String id, String slug, Role role) {
        this.id = id;
        this.slug = slug;
        this.role = role;
    }

    void setUser(String userId) {
        this.userId = userId;
    }

    void clear() {
        this.id = null;
        this.slug = null;
        this.role = null;
    }
}
