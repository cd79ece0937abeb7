package io.consentcast.dispatch;

import java.util.UUID;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.cache.Cache;
import io.quarkus.cache.CacheName;

/**
 * What {@link IssueOutlook} keeps per issue between the issue page's polls, once the issue's audience is
 * materialised:
 * <ul>
 * <li>the cost estimate, keyed by the issue, its number of sendable rows, the template's pricing category and the
 * rate card's date: rows are only ever added while PREPARING and afterwards only move to EXCLUDED, never back, so
 * the same number of sendable rows is the same set of recipients, and any change of it (the gate excluding a reader)
 * computes the estimate again;</li>
 * <li>how many of the issue's open recipients the portfolio already reached in the last 24 hours, keyed by the
 * issue and its status (a pause, resume or cancel computes it again), for {@code issue-outlook-window}'s validity
 * (30 seconds): the one figure of the plan that needs the recipients' numbers. The other figures of the plan (open
 * rows, the limit, the usage, when capacity comes back) are read on every poll.</li>
 * </ul>
 */
@ApplicationScoped
public class OutlookCache {

    /** The estimate's key: the same issue, sendable rows, category and rate card give the same estimate. */
    public record EstimateKey(UUID issueId, long sendable, Object category, String rateCard) {
    }

    private record WindowKey(UUID issueId, IssueStatus status) {
    }

    @Inject
    @CacheName("issue-outlook-estimate")
    Cache estimates;

    @Inject
    @CacheName("issue-outlook-window")
    Cache window;

    IssueOutlook.Estimate estimate(EstimateKey key, Supplier<IssueOutlook.Estimate> compute) {
        if (key.category() == null) {
            return compute.get();
        }
        return estimates.<EstimateKey, IssueOutlook.Estimate>get(key, k -> compute.get()).await().indefinitely();
    }

    long inWindow(UUID issueId, IssueStatus status, Supplier<Long> compute) {
        return window.<WindowKey, Long>get(new WindowKey(issueId, status), k -> compute.get()).await().indefinitely();
    }
}
