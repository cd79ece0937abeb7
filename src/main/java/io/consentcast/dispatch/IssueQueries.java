package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.dispatch.IssueService.Counts;
import io.consentcast.dispatch.IssueService.DeliveryPage;
import io.consentcast.dispatch.IssueService.DeliveryView;
import io.consentcast.dispatch.IssueService.IssueView;
import io.consentcast.dispatch.IssueService.TemplateRef;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Paging;
import io.consentcast.whatsapp.TemplateLayout;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** Reading issues: one with its counts, reasons and preview, the workspace's and a list's issues, an issue's deliveries. */
@ApplicationScoped
public class IssueQueries {

    static final int PAGE_SIZE = 50;

    @Inject
    EntityManager em;

    @Inject
    IssueStore store;

    @Inject
    ListService lists;

    @Inject
    DispatchSettingsService settings;

    @Inject
    IssueOutlook outlook;

    @Inject
    IssueLinks links;

    @Inject
    TemplateFiller filler;

    @Inject
    HeaderMedia headerMedia;

    @Inject
    Clock clock;

    public IssueView view(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> view(store.find(id), true));
    }

    /** All issues of the workspace, newest first (counts included). */
    public List<IssueView> all() {
        return QuarkusTransaction.joiningExisting().call(() -> em
                .createQuery("from NewsletterIssue order by createdAt desc", NewsletterIssue.class).setMaxResults(500)
                .getResultStream().map(i -> view(i, false)).toList());
    }

    /** Issues of one list, newest first: the list's archive. */
    public List<IssueView> ofList(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> em
                .createQuery("from NewsletterIssue where listId = :l order by createdAt desc", NewsletterIssue.class)
                .setParameter("l", listId).getResultStream().map(i -> view(i, false)).toList());
    }

    private IssueView view(NewsletterIssue i, boolean details) {
        ListView list = lists.byId(i.listId).orElse(null);
        Map<DeliveryState, Long> byState = new EnumMap<>(DeliveryState.class);
        Map<String, Long> excluded = new LinkedHashMap<>();
        Map<String, Long> failed = new LinkedHashMap<>();
        long delivered = 0;
        long read = 0;
        if (i.startedAt != null) {
            for (Object[] r : em.createQuery("select d.state, d.reason, d.providerStatus, count(d) from IssueDelivery d"
                    + " where d.issueId = :id group by d.state, d.reason, d.providerStatus", Object[].class)
                    .setParameter("id", i.id).getResultList()) {
                DeliveryState st = (DeliveryState) r[0];
                String reason = (String) r[1];
                String ps = (String) r[2];
                long n = (Long) r[3];
                byState.merge(st, n, Long::sum);
                if (st == DeliveryState.EXCLUDED) {
                    excluded.merge(reason == null ? "unknown" : reason, n, Long::sum);
                } else if (st == DeliveryState.FAILED) {
                    failed.merge(reason == null ? "unknown" : reason, n, Long::sum);
                }
                if ("delivered".equals(ps) || "read".equals(ps)) {
                    delivered += n;
                }
                if ("read".equals(ps)) {
                    read += n;
                }
            }
        }
        long total = byState.values().stream().mapToLong(Long::longValue).sum();
        long ex = byState.getOrDefault(DeliveryState.EXCLUDED, 0L);
        long pending = byState.getOrDefault(DeliveryState.PENDING, 0L) + byState.getOrDefault(DeliveryState.CLAIMED, 0L)
                + byState.getOrDefault(DeliveryState.SENDING, 0L);
        Counts counts = new Counts(total - ex, ex, byState.getOrDefault(DeliveryState.SENT, 0L),
                delivered, read, byState.getOrDefault(DeliveryState.FAILED, 0L), pending,
                byState.getOrDefault(DeliveryState.AWAITING, 0L), total);
        String zoned = i.scheduledAt == null ? null
                : i.scheduledAt.atZone(settings.view().zone()).toOffsetDateTime().toString();
        TemplateRef template = i.freeText() ? null : new TemplateRef(i.templateName, i.templateLanguage,
                store.parameters(i), i.templateHeader, store.buttons(i));
        TemplateLayout.Rendered message = !details || i.freeText() ? null : rendered(i);
        String preview = i.freeText() ? i.textBody : message == null ? null : message.body();
        Instant end = i.finishedAt != null ? i.finishedAt : clock.instant();
        Long duration = i.startedAt == null ? null : Math.max(0, end.getEpochSecond() - i.startedAt.getEpochSecond());
        return new IssueView(i.id, i.status, list == null ? null : list.slug(), list == null ? null : list.name(),
                i.title, template, i.textBody, preview, zoned, i.blockedReason,
                i.blockedReason == null ? null : io.consentcast.shared.Texts.english(i.blockedReason), i.pausedReason,
                i.pausedReason == null ? null : io.consentcast.shared.Texts.english(i.pausedReason), counts, excluded,
                failed, i.createdAt, i.startedAt, i.finishedAt, duration, preparation(i),
                details ? outlook.of(i, byState) : null, links.clicks(i.id), message,
                details ? headerMedia.file(i).orElse(null) : null);
    }

    /** The preparation's progress from the issue's own counters (written with each chunk): no count of the rows. */
    private static IssueService.Preparation preparation(NewsletterIssue i) {
        if (i.startedAt == null || i.audienceMembers == null && i.audienceReady) {
            return null; // not started, or started before audiences were prepared in chunks
        }
        long decided = i.audienceSize == null ? 0 : i.audienceSize;
        long excluded = i.audienceExcluded == null ? 0 : i.audienceExcluded;
        long members = i.audienceReady ? decided : Math.max(decided, i.audienceMembers == null ? 0 : i.audienceMembers);
        // Over when every member is decided, or when the issue was cancelled during it (no further chunk comes).
        return new IssueService.Preparation(members, decided, decided - excluded, excluded,
                i.audienceReady || i.status.finished());
    }

    /** The template filled with the issue's values as WhatsApp shows it; URL buttons show the article URL. */
    private TemplateLayout.Rendered rendered(NewsletterIssue i) {
        return store.findTemplate(i.templateName, i.templateLanguage)
                .map(t -> i.headerMediaId == null
                        ? t.layout().render(store.parameters(i), i.templateHeader,
                                filler.shownUrls(t.layout(), store.buttons(i)))
                        : t.layout().render(store.parameters(i), headerMedia.file(i)
                                .map(HeaderMedia.HeaderFile::fileName).orElse(null),
                                filler.shownUrls(t.layout(), store.buttons(i)), "media/" + i.headerMediaId))
                .orElse(null);
    }

    public DeliveryPage deliveries(UUID id, String state, int page) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            store.find(id);
            DeliveryState st = null;
            if (state != null && !state.isBlank()) {
                try {
                    st = DeliveryState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
                } catch (IllegalArgumentException e) {
                    throw ApiException.invalid(Map.of("state", "dispatch.state-invalid"));
                }
            }
            String where = " from IssueDelivery d where d.issueId = :id" + (st == null ? "" : " and d.state = :st");
            var count = em.createQuery("select count(d)" + where, Long.class).setParameter("id", id);
            var select = em.createQuery("select d" + where + " order by d.id", IssueDelivery.class)
                    .setParameter("id", id);
            if (st != null) {
                count.setParameter("st", st);
                select.setParameter("st", st);
            }
            int p = Math.max(page, 1);
            List<DeliveryView> items = select.setFirstResult(Paging.offset(p, PAGE_SIZE)).setMaxResults(PAGE_SIZE)
                    .getResultStream().map(d -> new DeliveryView(d.id, d.subscriberId, d.state, d.reason, d.detail,
                            d.consentEventId, d.providerMessageId, d.providerStatus, d.errorCode, d.attempts, d.sentAt,
                            d.deliveredAt, d.readAt))
                    .toList();
            return new DeliveryPage(items, count.getSingleResult(), p, PAGE_SIZE);
        });
    }
}
