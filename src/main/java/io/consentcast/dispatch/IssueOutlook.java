package io.consentcast.dispatch;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.consentcast.consent.ConsentAudience;
import io.consentcast.lists.ListService;
import io.consentcast.shared.Texts;
import io.consentcast.web.DateTimes;
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.CostEstimates;
import io.consentcast.whatsapp.PortfolioCapacity;
import io.consentcast.whatsapp.PricingCategory;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * What Meta's limits and prices mean for one issue: the sending plan against the portfolio's messaging limit (how
 * many go now, when the rest go, in the sending hours), the cost estimate for its recipients and template
 * category, the billable messages Meta reported for it, and the preflight's warnings. Shown on the issue page and
 * in the issue API ({@link IssueService.IssueView#outlook}).
 */
@ApplicationScoped
public class IssueOutlook {

    @Inject
    EntityManager em;

    @Inject
    IssueStore store;

    @Inject
    ListService lists;

    @Inject
    ConsentAudience audience;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchSettingsService settings;

    @Inject
    PortfolioCapacity limits;

    @Inject
    ChannelNumbers numbers;

    @Inject
    CostEstimates costs;

    @Inject
    Preflight preflight;

    @Inject
    Clock clock;

    @Inject
    OutlookCache cache;

    /** The issue's outlook; parts that do not apply are null (no plan once nothing is left to send). */
    public record Outlook(Plan plan, Estimate estimate, Billing billing, List<Warning> warnings) {
    }

    /**
     * The plan against the portfolio's messaging limit for the recipients still to send: {@code goNow} of
     * {@code recipients} may go now ({@code alreadyInWindow} of them cost no capacity), {@code later} wait for
     * capacity from {@code restFrom} (the first) to {@code lastAt} (the last), both moved into the sending hours and
     * given in the workspace's time zone. {@code waiting}: the issue's rows the limit holds back right now.
     */
    public record Plan(String tier, Integer limit, Long remaining, long recipients, long alreadyInWindow,
            long goNow, long later, String restFrom, String lastAt, long waiting, @JsonIgnore Instant restAt) {
    }

    /** The estimate for the recipients (not excluded) and the template's category, from the rate card. */
    public record Estimate(String category, String currency, long recipients, BigDecimal total, long unrecognised,
            String rateCardValidFrom, String rateCardSource) {

        /** Priced by an example card rather than Meta's ({@link io.consentcast.whatsapp.RateCard#example()}). */
        public boolean exampleCard() {
            return io.consentcast.whatsapp.RateCard.isExample(rateCardSource);
        }
    }

    /**
     * What Meta's status webhooks reported: {@code billable} messages (their {@code pricing.billable}), {@code free}
     * ones, by pricing category, and the {@code amount} the rate card gives for the billable ones.
     */
    public record Billing(long billable, long free, Map<String, Long> byCategory, BigDecimal amount,
            String currency) {
    }

    /**
     * A preflight warning: the message code, its arguments (numbers, and times as instants) and the English text.
     * {@code zone}: the workspace's, in which times are written.
     */
    public record Warning(String code, List<Object> args, String message, @JsonIgnore ZoneId zone) {

        /** The text in a page language, times written by the one date formatter ({@link DateTimes}). */
        public String text(Locale locale) {
            return Texts.resolve(code, locale, args.stream()
                    .map(a -> a instanceof Instant t ? DateTimes.dateTime(t, locale, zone) : a).toArray());
        }
    }

    /**
     * The outlook of an issue whose rows were counted by state ({@code byState}, empty before the start). Once the
     * audience is materialised (started, not PREPARING) the issue page's poll reads no recipient: the estimate is
     * cached per issue while its sendable rows stay the same ({@link OutlookCache}), the plan is computed from the
     * counts of open rows and the portfolio's usage, with the open recipients already in the window cached for a short
     * time (docs/PERFORMANCE.md, section 7).
     */
    Outlook of(NewsletterIssue i, Map<DeliveryState, Long> byState) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            // While the engine still decides a started issue's audience (PREPARING) its rows are incomplete: the
            // list's eligible audience stands for them (readers already sent to are in the window and cost nothing).
            boolean started = i.startedAt != null && !i.preparing();
            boolean finished = i.status.finished();
            Plan plan;
            Estimate estimate;
            if (started) {
                plan = finished || i.freeText() ? null : materialisedPlan(i, byState);
                long sendable = byState.values().stream().mapToLong(Long::longValue).sum()
                        - byState.getOrDefault(DeliveryState.EXCLUDED, 0L);
                estimate = i.freeText() ? null : cache.estimate(new OutlookCache.EstimateKey(i.id, sendable,
                        category(i), String.valueOf(costs.rateCard().validFrom())), () -> estimate(i, sendable(i)));
            } else {
                List<String> phones = finished ? List.of() : open(i, false);
                plan = finished || i.freeText() ? null : plan(i, phones);
                estimate = estimate(i, phones);
            }
            Billing billing = i.startedAt != null ? billing(i.id) : null;
            List<Warning> warnings = new ArrayList<>();
            if (!finished) {
                if (plan != null && plan.later() > 0) {
                    warnings.add(warning("dispatch.warning-limit-shortfall", String.valueOf(plan.goNow()),
                            String.valueOf(plan.recipients()), settings.view().nextInsideSendingHours(plan.restAt())));
                }
                ChannelNumbers.SendingNumber paused = i.startedAt == null
                        ? lists.byId(i.listId).map(preflight::pausedNumber).orElse(null) : null;
                if (paused != null) {
                    warnings.add(warning("dispatch.warning-marketing-paused",
                            paused.displayPhoneNumber() != null ? paused.displayPhoneNumber() : paused.numberKey()));
                }
            }
            return new Outlook(plan, estimate, billing, warnings);
        });
    }

    private Warning warning(String code, Object... args) {
        ZoneId zone = settings.view().zone();
        Warning w = new Warning(code, List.of(args), null, zone);
        return new Warning(code, w.args(), w.text(Locale.ENGLISH), zone);
    }

    /** The numbers still to send: the eligible audience before the start, the open rows after it. */
    private List<String> open(NewsletterIssue i, boolean started) {
        if (!started) {
            return audience.eligiblePhones(i.listId, !channelSettings.sandbox());
        }
        return audience.phones(em.createQuery("select d.subscriberId from IssueDelivery d where d.issueId = :id"
                + " and d.state in (:open)", UUID.class).setParameter("id", i.id)
                .setParameter("open", List.of(DeliveryState.PENDING, DeliveryState.CLAIMED)).getResultList());
    }

    /** The numbers of a started issue's rows that were not excluded (sent, to send, failed). */
    private List<String> sendable(NewsletterIssue i) {
        return audience.phones(em.createQuery("select d.subscriberId from IssueDelivery d where d.issueId = :id"
                + " and d.state <> :excluded", UUID.class).setParameter("id", i.id)
                .setParameter("excluded", DeliveryState.EXCLUDED).getResultList());
    }

    /**
     * The plan of a materialised issue: its open rows (PENDING, CLAIMED) are the recipients; how many of them the
     * portfolio already reached in the window is the one figure that needs their numbers, cached per issue for a
     * short time ({@link OutlookCache#inWindow}) and never more than the open rows.
     */
    private Plan materialisedPlan(NewsletterIssue i, Map<DeliveryState, Long> byState) {
        Instant now = clock.instant();
        ChannelNumbers.SendingNumber from = numbers.forList(i.listId);
        long open = byState.getOrDefault(DeliveryState.PENDING, 0L) + byState.getOrDefault(DeliveryState.CLAIMED, 0L);
        long known = open == 0 ? 0 : Math.min(open, cache.inWindow(i.id, i.status,
                () -> (long) limits.inWindow(from, digits(open(i, true)), now).size()));
        return toPlan(limits.plan(from, open, known, now), waiting(i, now));
    }

    private static List<String> digits(List<String> phones) {
        return phones.stream().map(p -> p.startsWith("+") ? p.substring(1) : p).toList();
    }

    private long waiting(NewsletterIssue i, Instant now) {
        return i.startedAt == null ? 0 : em.createQuery("select count(d) from IssueDelivery d where"
                + " d.issueId = :id and d.state = :pending and d.nextAttemptAt > :now", Long.class)
                .setParameter("id", i.id).setParameter("pending", DeliveryState.PENDING).setParameter("now", now)
                .getSingleResult();
    }

    private Plan toPlan(java.util.Optional<PortfolioCapacity.Plan> plan, long waiting) {
        DispatchSettingsService.SettingsView s = settings.view();
        return plan.map(p -> new Plan(p.tier().name(), p.limit(), p.remaining(), p.recipients(), p.alreadyInWindow(),
                p.goNow(), p.later(), shown(s, p.restFrom()), shown(s, p.lastAt()), waiting, p.restFrom()))
                .orElse(null);
    }

    private Plan plan(NewsletterIssue i, List<String> phones) {
        Instant now = clock.instant();
        // The portfolio of the list's number: numbers of one portfolio share its limit, other portfolios have their own.
        return toPlan(limits.plan(numbers.forList(i.listId), digits(phones), now), waiting(i, now));
    }

    /** A time moved to the next start of the sending hours when outside them, in the workspace's zone (ISO-8601). */
    static String shown(DispatchSettingsService.SettingsView s, Instant at) {
        return at == null ? null : s.nextInsideSendingHours(at).atZone(s.zone()).toOffsetDateTime().toString();
    }

    private Estimate estimate(NewsletterIssue i, List<String> phones) {
        if (i.freeText()) {
            return null;
        }
        PricingCategory category = category(i);
        if (category == null) {
            return null;
        }
        CostEstimates.Estimate e = costs.estimate(phones, category);
        return new Estimate(category.name(), e.currency(), e.recipients(), e.total(), e.unrecognised(),
                String.valueOf(e.validFrom()), e.rateCardSource());
    }

    private PricingCategory category(NewsletterIssue i) {
        return i.freeText() ? null : store.findTemplate(i.templateName, i.templateLanguage)
                .map(t -> CostEstimates.category(t.category())).orElse(null);
    }

    private Billing billing(UUID issueId) {
        Map<String, Long> byCategory = new LinkedHashMap<>();
        long billable = 0;
        long free = 0;
        BigDecimal amount = BigDecimal.ZERO;
        for (Object[] r : em.createQuery("select d.pricingBillable, d.pricingCategory, count(d), sum(d.pricingAmount)"
                + " from IssueDelivery d where d.issueId = :id and d.pricingBillable is not null"
                + " group by d.pricingBillable, d.pricingCategory", Object[].class).setParameter("id", issueId)
                .getResultList()) {
            long n = (Long) r[2];
            if (Boolean.TRUE.equals(r[0])) {
                billable += n;
                byCategory.merge(r[1] == null ? "unknown" : (String) r[1], n, Long::sum);
                amount = amount.add(r[3] == null ? BigDecimal.ZERO : (BigDecimal) r[3]);
            } else {
                free += n;
            }
        }
        return new Billing(billable, free, byCategory, amount.setScale(2, java.math.RoundingMode.HALF_UP),
                costs.rateCard().currency());
    }

    /** One month (workspace time zone, {@code yyyy-MM}) of billable messages and their amount by the rate card. */
    public record MonthBilling(String month, long billable, BigDecimal amount, String currency) {
    }

    /**
     * The workspace's billable messages per month (by the month they were sent, in its time zone), newest first,
     * the last {@code months} months that had any: what Meta's status webhooks reported as billable.
     */
    public List<MonthBilling> billingByMonth(int months) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            String zone = settings.view().timezone();
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("SELECT to_char(sent_at AT TIME ZONE ?1, 'YYYY-MM') AS month,"
                    + " COUNT(*), COALESCE(SUM(pricing_amount), 0) FROM issue_deliveries WHERE pricing_billable"
                    + " AND sent_at IS NOT NULL GROUP BY 1 ORDER BY 1 DESC LIMIT ?2").setParameter(1, zone)
                    .setParameter(2, months).getResultList();
            String currency = costs.rateCard().currency();
            return rows.stream().map(r -> new MonthBilling((String) r[0], ((Number) r[1]).longValue(),
                    new BigDecimal(r[2].toString()).setScale(2, java.math.RoundingMode.HALF_UP), currency)).toList();
        });
    }
}
