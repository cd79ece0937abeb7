package io.consentcast.optin;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentQueries;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.SendResult;
import io.consentcast.whatsapp.TemplateService;
import io.consentcast.whatsapp.ChannelService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Re-permission for imported readers: a UTILITY template asks each IMPORTED subscriber of a list to confirm
 * with "JA"/"YES" (a quick-reply button); the answer is handled like a reply to "START" and appends CONFIRMED.
 * Each subscriber is handled in its own transaction, so one failure never undoes the others.
 */
@ApplicationScoped
public class RepermissionService {

    /** How many readers one request asks; the rest are asked by the next request. */
    static final int BATCH = 500;

    @Inject
    ListService lists;

    @Inject
    ConsentService consent;

    @Inject
    ConsentQueries queries;

    @Inject
    SubscriberService subscribers;

    @Inject
    TemplateService templates;

    @Inject
    ChannelService channel;

    @Inject
    OptInRequestRepository requests;

    @Inject
    OptInConfig config;

    @Inject
    Clock clock;

    public record RepermissionReport(String list, String template, int asked, Map<String, Integer> notAsked,
            long stillImported) {
    }

    public RepermissionReport askImported(String listSlug, UUID actorUserId) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        TemplateService.TemplateView template = QuarkusTransaction.joiningExisting().call(
                () -> templates.view(config.repermissionTemplate(), list.language()))
                .filter(TemplateService.TemplateView::usable)
                .filter(t -> "UTILITY".equals(t.category()))
                .orElseThrow(() -> ApiException.conflict("optin.repermission-template-missing", null));
        ConsentTextView text = consent.currentConsentText(list.id())
                .orElseThrow(() -> ApiException.conflict("optin.list-not-ready", null));
        List<UUID> imported = queries.subscribersIn(list.id(), ConsentStatus.IMPORTED, BATCH);
        Map<String, Integer> notAsked = new LinkedHashMap<>();
        int asked = 0;
        for (UUID subscriberId : imported) {
            String outcome = QuarkusTransaction.requiringNew().call(() -> ask(subscriberId, list, text, template,
                    actorUserId));
            if (outcome == null) {
                asked++;
            } else {
                notAsked.merge(outcome, 1, Integer::sum);
            }
        }
        long remaining = queries.subscribersIn(list.id(), ConsentStatus.IMPORTED, Integer.MAX_VALUE).size();
        return new RepermissionReport(list.slug(), template.name(), asked, notAsked, remaining);
    }

    /** Asks one reader; null when asked, else why not. */
    private String ask(UUID subscriberId, ListView list, ConsentTextView text, TemplateService.TemplateView template,
            UUID actorUserId) {
        Instant now = clock.instant();
        SubscriberView s = subscribers.byId(subscriberId).orElse(null);
        if (s == null || s.erased() || s.phone() == null) {
            return "erased";
        }
        if (requests.findOpen(subscriberId, list.id(), OptInRequest.WHATSAPP, now).isPresent()) {
            return "already asked, waiting for the answer";
        }
        SendResult result = channel.send(new OutgoingMessage.Template(s.phone().substring(1), template.name(),
                template.language(), template.parameterCount() > 0 ? List.of(list.name()) : List.of(),
                List.of("JA", "STOP " + list.keyword())));
        if (result instanceof SendResult.Failed failed) {
            return "not sent: " + failed.errorClass() + (failed.code() == null ? "" : " " + failed.code());
        }
        String messageId = ((SendResult.Accepted) result).messageId();
        EventView event = consent.append(NewEvent.of(subscriberId, ConsentEventType.REPERMISSION_REQUESTED,
                EventSource.ADMIN)
                .forList(list.id())
                .withActor(actorUserId)
                .withConsentText(text.id())
                .withSourceDetail("template " + template.name() + "/" + template.language() + ", message " + messageId));
        OptInRequest request = new OptInRequest();
        request.id = Ids.uuid7(clock);
        request.subscriberId = subscriberId;
        request.listId = list.id();
        request.via = OptInRequest.WHATSAPP;
        request.consentTextId = text.id();
        request.requestedEventId = event.id();
        request.startMessageId = messageId;
        request.createdAt = now;
        request.expiresAt = now.plus(config.confirmationWindow());
        requests.persist(request);
        return null;
    }

}
