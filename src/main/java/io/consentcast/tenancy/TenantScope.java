package io.consentcast.tenancy;

import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.arc.Arc;
import io.quarkus.arc.ManagedContext;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Runs work for one explicitly named workspace in its own transaction: the way background jobs,
 * webhook processing and workspace creation choose a tenant. There is no default: a null
 * tenant id is refused.
 */
@ApplicationScoped
public class TenantScope {

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantRepository tenants;

    /** Runs {@code work} in a new transaction inside workspace {@code tenantId} and returns its result. */
    public <T> T call(String tenantId, Supplier<T> work) {
        return inWorkspace(tenantId, () -> QuarkusTransaction.requiringNew().call(work::get));
    }

    /**
     * Runs {@code work} inside workspace {@code tenantId} with no transaction open on the thread (a caller's is
     * suspended meanwhile); whatever {@code work} writes opens its own. For calls to the outside world that must not
     * hold a database transaction, such as a WhatsApp send: the dispatch workers send every message this way, which
     * costs no transaction begun and suspended per message.
     */
    public <T> T outsideTransaction(String tenantId, Supplier<T> work) {
        return inWorkspace(tenantId, () -> QuarkusTransaction.isActive()
                ? QuarkusTransaction.suspendingExisting().call(work::get) : work.get());
    }

    private <T> T inWorkspace(String tenantId, Supplier<T> work) {
        if (tenantId == null || tenantId.isBlank() || WorkspaceTenantResolver.NO_TENANT.equals(tenantId)) {
            throw new IllegalStateException("Background work must name its workspace explicitly");
        }
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = false;
        if (!requestContext.isActive()) {
            requestContext.activate();
            activated = true;
        }
        String previousId = currentTenant.idOrNull();
        String previousSlug = currentTenant.slug();
        Role previousRole = currentTenant.role();
        try {
            currentTenant.set(tenantId, previousId != null && previousId.equals(tenantId) ? previousSlug : null,
                    previousId != null && previousId.equals(tenantId) ? previousRole : null);
            return work.get();
        } finally {
            if (activated) {
                requestContext.terminate();
            } else if (previousId == null) {
                currentTenant.clear();
            } else {
                currentTenant.set(previousId, previousSlug, previousRole);
            }
        }
    }

    public void run(String tenantId, Runnable work) {
        call(tenantId, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs platform work (no workspace) in a new transaction with a request context, for jobs
     * that only touch platform tables such as the webhook inbox or the job queue.
     */
    public <T> T platform(Supplier<T> work) {
        ManagedContext requestContext = Arc.container().requestContext();
        boolean activated = false;
        if (!requestContext.isActive()) {
            requestContext.activate();
            activated = true;
        }
        try {
            return QuarkusTransaction.requiringNew().call(work::get);
        } finally {
            if (activated) {
                requestContext.terminate();
            }
        }
    }
}
