package io.consentcast.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The least role a member needs for a tenant-scoped endpoint (pages and API alike).
 * Enforced by {@link TenantRequestFilter}; without it any member (VIEWER) may call.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface MinRole {
    Role value();
}
