package io.consentcast.whatsapp;

import java.time.Clock;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.tenancy.TenantScope;
import io.quarkus.scheduler.Scheduled;

/**
 * What Meta says about a connected number, read from the Graph API ({@code GET /{phone-number-id}}) when the channel
 * is saved or tested and periodically for every connected number: the portfolio's messaging limit
 * ({@code whatsapp_business_manager_messaging_limit}) goes to {@link MessagingLimits}, the quality rating and status
 * to {@link MarketingGuard}. When Meta cannot be read, the last values stay and the failed attempt is noted.
 */
@ApplicationScoped
public class NumberReadings {

    private static final Logger LOG = Logger.getLogger(NumberReadings.class);

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    ChannelSettingsService settings;

    @Inject
    GraphClient graph;

    @Inject
    MessagingLimits limits;

    @Inject
    MarketingGuard guard;

    @Inject
    Clock clock;

    /**
     * Records a successful read of the current workspace's number {@code phoneNumberId} (joining the caller's
     * transaction or in its own; the limit in a platform transaction of its own).
     */
    void apply(String businessAccountId, String phoneNumberId, GraphClient.PhoneNumberInfo info) {
        try {
            if (businessAccountId != null) {
                MessagingLimitTier.parse(info.messagingLimit())
                        .ifPresent(tier -> limits.learn(businessAccountId, tier, PortfolioLimit.Source.GRAPH));
            }
            if (phoneNumberId != null) {
                guard.observe(new MarketingGuard.Observation(phoneNumberId, MarketingGuard.Source.GRAPH, null,
                        info.qualityRating(), info.status(), info.messagingLimit(), clock.instant()));
            }
        } catch (RuntimeException e) {
            // What the caller did (saving the channel, testing it) stands; the next refresh reads the number again.
            LOG.warnf("Could not record what Meta says about number %s: %s", phoneNumberId, e.toString());
        }
    }

    /** A failed read: the limit last read stays, with the attempt and its error. */
    void failed(String businessAccountId, SendResult.Failed failure) {
        if (businessAccountId != null) {
            limits.readFailed(businessAccountId, failure.message()
                    + (failure.code() == null ? "" : " (code " + failure.code() + ")"));
        }
    }

    @Scheduled(every = "${consentcast.whatsapp.limits.refresh-every:6h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void scheduledRefresh() {
        refreshAll();
    }

    /** Reads every connected number again (one Graph call each, outside any transaction); returns how many were read. */
    public int refreshAll() {
        List<PhoneRoute> routes = tenantScope.platform(() -> em
                .createQuery("from PhoneRoute r order by r.updatedAt", PhoneRoute.class).getResultList());
        int read = 0;
        for (PhoneRoute route : routes) {
            try {
                read += refresh(route.tenantId, route.phoneNumberId) ? 1 : 0;
            } catch (RuntimeException e) {
                LOG.warnf("Reading WhatsApp number %s of workspace %s failed: %s", route.phoneNumberId, route.tenantId,
                        e.toString());
            }
        }
        int pruned = limits.prune(clock.instant());
        LOG.debugf("Read %d of %d WhatsApp numbers; %d old sends forgotten", read, routes.size(), pruned);
        return read;
    }

    /**
     * Reads one of the workspace's numbers from Meta (with the channel's token); false when it has no Cloud API
     * channel or Meta could not be read.
     */
    boolean refresh(String tenantId, String phoneNumberId) {
        ChannelSettingsService.Loaded loaded = tenantScope.call(tenantId, settings::load);
        ChannelSettings s = loaded.settings();
        if (!s.cloudApi() || loaded.accessToken() == null || phoneNumberId == null) {
            return false;
        }
        GraphClient.GraphResult r = graph.phoneNumber(phoneNumberId, loaded.accessToken());
        if (!r.ok()) {
            LOG.infof("Could not read WhatsApp number %s of workspace %s: %s", phoneNumberId, tenantId,
                    r.failure().message());
            failed(s.businessAccountId, r.failure());
            return false;
        }
        GraphClient.PhoneNumberInfo info = GraphClient.phoneInfo(r.body());
        tenantScope.run(tenantId, () -> apply(s.businessAccountId, phoneNumberId, info));
        return true;
    }
}
