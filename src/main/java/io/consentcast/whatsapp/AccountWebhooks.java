package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentcast.tenancy.TenantScope;

/**
 * Routes and applies the account-level webhooks of Meta's limits and quality:
 * <ul>
 * <li>{@code business_capability_update} (entry id: the WABA): {@code max_daily_conversations_per_business}
 * (250, 2000, 10000, 100000, -1 unlimited; the older {@code max_daily_conversation_per_phone} when it is the only
 * one) is the portfolio's new messaging limit ({@link MessagingLimits}).</li>
 * <li>{@code phone_number_quality_update} (entry id: the WABA; the number only by {@code display_phone_number}):
 * {@code event} (FLAGGED, UNFLAGGED, DOWNGRADE, UPGRADE, ONBOARDING, THROUGHPUT_UPGRADE) is recorded for the
 * number ({@link MarketingGuard}); {@code max_daily_conversations_per_business} (a tier such as TIER_2K) updates
 * the portfolio's limit.</li>
 * </ul>
 * The sandbox sends quality updates for its own number with {@code metadata.phone_number_id} naming it.
 */
@ApplicationScoped
public class AccountWebhooks {

    private static final Logger LOG = Logger.getLogger(AccountWebhooks.class);

    @Inject
    EntityManager em;

    @Inject
    TenantScope tenantScope;

    @Inject
    ChannelNumbers numbers;

    @Inject
    MessagingLimits limits;

    @Inject
    MarketingGuard guard;

    @Inject
    Clock clock;

    /** A routed change, or why it cannot be processed. */
    record Routed(WebhookPlan.Change change, ParkReason parked, String detail) {
    }

    /**
     * Checks and routes one account-level change into {@code work}; the parked plan when it can never be processed.
     */
    Optional<WebhookPlan> plan(WebhookProcessor processor, String source, JsonNode root, JsonNode entry, String field,
            JsonNode value, List<WebhookPlan.Change> work) {
        Optional<WebhookCheck.Problem> content = WebhookCheck.nul(root).or(() -> WebhookCheck.account(value));
        if (content.isPresent()) {
            return Optional.of(WebhookPlan.parked(content.get().reason(), content.get().detail(), null));
        }
        String wabaId = entry.path("id").asText(null);
        List<String> tenants = wabaId == null ? List.of() : processor.accountTenants(wabaId);
        Routed routed = field.equals("business_capability_update") ? capability(wabaId, value, tenants)
                : quality(processor, source, wabaId, entry, value, tenants);
        if (routed.change() == null) {
            return Optional.of(WebhookPlan.parked(routed.parked(), routed.detail(), null));
        }
        work.add(routed.change());
        return Optional.empty();
    }

    /** Routes a {@code business_capability_update}: to no workspace (the limit is the portfolio's). */
    Routed capability(String wabaId, JsonNode value, List<String> accountTenants) {
        if (accountTenants.isEmpty()) {
            return new Routed(null, ParkReason.UNKNOWN_ACCOUNT, "no workspace has connected business account " + wabaId);
        }
        Optional<MessagingLimitTier> tier = MessagingLimitTier.parse(value.path("max_daily_conversations_per_business"))
                .or(() -> MessagingLimitTier.parse(value.path("max_daily_conversation_per_phone")));
        return new Routed(new WebhookPlan.Change(null, () -> tier.ifPresentOrElse(
                t -> limits.learn(wabaId, t, PortfolioLimit.Source.WEBHOOK),
                () -> LOG.debugf("business_capability_update for %s without a messaging limit", wabaId))), null, null);
    }

    /**
     * Routes a {@code phone_number_quality_update} to the workspace whose number has the display number (Meta
     * names the number no other way); a sandbox update to the sandbox workspace it names.
     */
    Routed quality(WebhookProcessor processor, String source, String wabaId, JsonNode entry, JsonNode value,
            List<String> accountTenants) {
        String display = digits(value.path("display_phone_number").asText(""));
        String sandboxId = value.path("metadata").path("phone_number_id").asText(null);
        String tenantId = null;
        String phoneNumberId = null;
        if (InboxEntry.SOURCE_SANDBOX.equals(source)) {
            tenantId = processor.route(source, sandboxId);
            phoneNumberId = sandboxId;
        } else if (!display.isEmpty()) {
            for (String candidate : accountTenants) {
                // Any of the workspace's numbers, not only its default.
                String found = tenantScope.call(candidate, () -> numbers.byDisplayDigits(display));
                if (found != null) {
                    tenantId = candidate;
                    phoneNumberId = found;
                    break;
                }
            }
        }
        if (tenantId == null) {
            return new Routed(null, ParkReason.UNKNOWN_PHONE_NUMBER, "no workspace of business account " + wabaId
                    + " has the display number " + value.path("display_phone_number").asText(""));
        }
        String event = value.path("event").asText(null);
        Instant at = processor.epoch(entry.path("time"));
        Optional<MessagingLimitTier> tier = MessagingLimitTier.parse(value.path("max_daily_conversations_per_business"));
        String limit = value.path("max_daily_conversations_per_business").asText(value.path("current_limit").asText(null));
        String number = phoneNumberId;
        String routedTenant = tenantId;
        boolean sandbox = InboxEntry.SOURCE_SANDBOX.equals(source);
        return new Routed(new WebhookPlan.Change(tenantId, () -> {
            if (!processor.firstTime(routedTenant, "quality:" + number + ":" + event + ":" + at.getEpochSecond())) {
                return; // Meta delivered it again
            }
            guard.observe(new MarketingGuard.Observation(number,
                    sandbox ? MarketingGuard.Source.SANDBOX : MarketingGuard.Source.WEBHOOK, event, null, null, limit,
                    at));
            if (!sandbox && wabaId != null) {
                tier.ifPresent(t -> limits.learn(wabaId, t, PortfolioLimit.Source.WEBHOOK));
            }
        }), null, null);
    }

    static String digits(String s) {
        return s == null ? "" : s.replaceAll("[^0-9]", "");
    }

}
