package io.consentcast.tenancy;

import java.lang.reflect.Method;

import jakarta.inject.Inject;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ResourceInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.consentcast.shared.ApiException;

/**
 * The one place where a request finds its workspace. Every matched route with a {@code {tenant}}
 * path parameter ({@code /api/tenants/{tenant}/...}, {@code /t/{tenant}/...}, {@code /p/{tenant}/...})
 * passes here before its resource method runs:
 * <ol>
 * <li>the slug is resolved to a workspace, else 404;</li>
 * <li>unless the route is a {@link PublicTenantRoute}, the caller must be a member, else 404 (existence
 * is not revealed), and hold the route's {@link MinRole}, else 403;</li>
 * <li>the workspace is put into {@link CurrentTenant}, from where Hibernate and PostgreSQL take it.</li>
 * </ol>
 */
public class TenantRequestFilter {

    static final String NOT_FOUND = "workspace.not-found";

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Caller caller;

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION + 100)
    public void resolveTenant(ContainerRequestContext request, ResourceInfo resource) {
        String slug = request.getUriInfo().getPathParameters().getFirst("tenant");
        if (slug == null) {
            return;
        }
        TenancyService.WorkspaceRef tenant = tenancy.refBySlug(slug).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        if (annotation(resource, PublicTenantRoute.class) != null) {
            if (caller.isAuthenticated()) {
                caller.user();
            }
            currentTenant.set(tenant.id(), tenant.slug(), null);
            return;
        }
        if (!caller.isAuthenticated()) {
            throw new jakarta.ws.rs.NotAuthorizedException("Bearer");
        }
        AppUser user = caller.user();
        Role role = tenancy.roleOf(tenant.id(), user.id).orElseThrow(() -> ApiException.notFound(NOT_FOUND));
        MinRole min = annotation(resource, MinRole.class);
        if (min != null && !role.atLeast(min.value())) {
            throw ApiException.forbidden("workspace.role-too-low");
        }
        currentTenant.set(tenant.id(), tenant.slug(), role);
    }

    private static <A extends java.lang.annotation.Annotation> A annotation(ResourceInfo resource, Class<A> type) {
        Method method = resource.getResourceMethod();
        if (method != null && method.isAnnotationPresent(type)) {
            return method.getAnnotation(type);
        }
        Class<?> cls = resource.getResourceClass();
        return cls == null ? null : cls.getAnnotation(type);
    }
}
