package io.consentcast.tenancy;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a route whose {tenant} is resolved without requiring membership: the public landing
 * pages and the invitation acceptance. The tenant is still set for the transaction, so all
 * data access stays inside that workspace.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
public @interface PublicTenantRoute {
}
