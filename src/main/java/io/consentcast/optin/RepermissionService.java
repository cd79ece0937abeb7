package io.consentcast.optin;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
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
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.ErrorClass;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.PortfolioCapacity;
import io.consentcast.whatsapp.SendResult;
import io.consentcast.whatsapp.TemplateService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Re-permission for imported readers: a UTILITY template asks each IMPORTED subscriber of a list to confirm
 * with "JA"/"YES" (a quick-reply button); the answer is handled like a reply to "START" and appends CONFIRMED.
 * Each reader takes two short transactions around a send that runs with no transaction open (no database
 * connection is held while Meta answers): the first decides whether to ask (the reader exists and has no open
 * request), the second records what the send did (the REPERMISSION_REQUESTED event and the open request). One
 * reader's failure never undoes the others. A definite failure records nothing; a send whose answer never came
 * ({@link ErrorClass#OUTCOME_UNKNOWN}: the message may have left) is recorded as an open request whose event
 * says so, so a "JA" still confirms and no later run asks that reader again before the request expires.
 */
@ApplicationScoped
public class RepermissionService {

    @Inject
    ActivityLog activity;

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
    ChannelNumbers numbers;

    @Inject
    PortfolioCapacity capacity;

    @Inject
    OptInRequestRepository requests;

    @Inject
    OptInConfig config;

    @Inject
    Clock clock;

    /**
     * What one request did: {@code asked} readers got the template; {@code outcomeUnknown} readers' sends got no
     * answer (they may have been asked, have an open request and are not asked again while it is open);
     * {@code notAsked} counts the others by reason.
     */
    public record RepermissionReport(String list, String template, int asked, int outcomeUnknown,
            Map<String, Integer> notAsked, long stillImported, Instant capacityFrom) {
    }

    /** Why a reader was not asked: the portfolio's messaging limit had no room (see {@code capacityFrom}). */
    static final String LIMIT_REACHED = "messaging limit reached";

    /** What became of one reader. */
    enum Result {
        ASKED, OUTCOME_UNKNOWN, NOT_ASKED
    }

    /** One reader's outcome; {@code reason} says why not asked, or what is unknown. */
    record Outcome(Result result, String reason) {
        static final Outcome ASKED = new Outcome(Result.ASKED, null);

        static Outcome notAsked(String reason) {
            return new Outcome(Result.NOT_ASKED, reason);
        }
    }

    /**
     * Reader to ask, read in the deciding transaction, with the reference of the capacity reserved for the send; or
     * why not ({@code capacityFrom}: when the messaging limit has room again).
     */
    private record Decision(String phone, String skipReason, String reservation, Instant capacityFrom) {
        Decision(String phone, String skipReason) {
            this(phone, skipReason, null, null);
        }
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
        int unknown = 0;
        Instant[] capacityFrom = new Instant[1];
        for (UUID subscriberId : imported) {
            Outcome outcome = ask(subscriberId, list, text, template, actorUserId, capacityFrom);
            switch (outcome.result()) {
                case ASKED -> asked++;
                case OUTCOME_UNKNOWN -> unknown++;
                case NOT_ASKED -> notAsked.merge(outcome.reason(), 1, Integer::sum);
            }
        }
        long remaining = queries.subscribersIn(list.id(), ConsentStatus.IMPORTED, Integer.MAX_VALUE).size();
        int askedNow = asked;
        QuarkusTransaction.requiringNew().run(() -> activity.record(actorUserId, ActivityKind.REPERMISSION_ASKED,
                ActivitySubject.list(list.id()), new ActivityDetails.Repermission(list.name(), template.name(), askedNow)));
        return new RepermissionReport(list.slug(), template.name(), asked, unknown, notAsked, remaining,
                capacityFrom[0]);
    }

    /**
     * Asks one reader: decide and reserve the portfolio's capacity (short transaction), send (no transaction), record
     * (short transaction). The question is a business-initiated template outside any service window: it counts toward
     * the messaging limit of the list's number's portfolio, so it is reserved first like an issue's message and not
     * sent when the limit has no room; a send Meta refused gives its place back.
     */
    private Outcome ask(UUID subscriberId, ListView list, ConsentTextView text, TemplateService.TemplateView template,
            UUID actorUserId, Instant[] capacityFrom) {
        Decision decision = QuarkusTransaction.requiringNew().call(() -> decide(subscriberId, list));
        if (decision.skipReason() != null) {
            if (decision.capacityFrom() != null && capacityFrom[0] == null) {
                capacityFrom[0] = decision.capacityFrom();
            }
            return Outcome.notAsked(decision.skipReason());
        }
        ChannelNumbers.SendingNumber from = numbers.forList(list.id());
        SendResult result = QuarkusTransaction.suspendingExisting().call(() -> channel.sendFrom(from.phoneNumberId(),
                new OutgoingMessage.Template(decision.phone().substring(1), template.name(), template.language(),
                        template.parameterCount() > 0 ? List.of(list.name()) : List.of(),
                        List.of("JA", "STOP " + list.keyword()), null, template.placeholders())));
        String messageId;
        String sent;
        Outcome outcome;
        if (result instanceof SendResult.Accepted accepted) {
            messageId = accepted.messageId();
            sent = "message " + messageId;
            outcome = Outcome.ASKED;
        } else {
            SendResult.Failed failed = (SendResult.Failed) result;
            if (failed.errorClass() != ErrorClass.OUTCOME_UNKNOWN) {
                // Meta refused it (or it never left): the reserved place goes back to the portfolio.
                QuarkusTransaction.requiringNew().run(() -> capacity.release(List.of(decision.reservation())));
                return Outcome.notAsked("not sent: " + failed.errorClass()
                        + (failed.code() == null ? "" : " " + failed.code()));
            }
            // The request was written and no answer came: the reader may have the question. Recorded as asked (so a
            // "JA" confirms and no later run sends it again while the request is open), marked as unknown.
            messageId = null;
            String why = failed.message() == null ? "no answer" : failed.message();
            sent = "message outcome unknown (" + (why.length() > 300 ? why.substring(0, 300) : why) + ")";
            outcome = new Outcome(Result.OUTCOME_UNKNOWN, why);
        }
        QuarkusTransaction.requiringNew().run(() -> record(subscriberId, list, text, template, actorUserId,
                messageId, sent));
        return outcome;
    }

    /** Whether to ask: the reader's phone, or why not. */
    private Decision decide(UUID subscriberId, ListView list) {
        SubscriberView s = subscribers.byId(subscriberId).orElse(null);
        if (s == null || s.erased() || s.phone() == null) {
            return new Decision(null, "erased");
        }
        if (requests.findOpen(subscriberId, list.id(), OptInRequest.WHATSAPP, clock.instant()).isPresent()) {
            return new Decision(null, "already asked, waiting for the answer");
        }
        ChannelNumbers.SendingNumber from = numbers.forList(list.id());
        String to = s.phone().substring(1);
        String ref = "consentcast:repermission:" + Ids.uuid7(clock);
        Instant now = clock.instant();
        if (!capacity.reserve(from, List.of(to), List.of(ref), now).denied().isEmpty()) {
            return new Decision(null, LIMIT_REACHED, null,
                    capacity.capacityTimes(from, now, 0, 1).stream().findFirst().orElse(null));
        }
        return new Decision(s.phone(), null, ref, null);
    }

    /** Records a sent (or maybe sent) question: the ledger event and the open request its answer confirms. */
    private void record(UUID subscriberId, ListView list, ConsentTextView text, TemplateService.TemplateView template,
            UUID actorUserId, String messageId, String sent) {
        Instant now = clock.instant();
        EventView event = consent.append(NewEvent.of(subscriberId, ConsentEventType.REPERMISSION_REQUESTED,
                EventSource.ADMIN)
                .forList(list.id())
                .withActor(actorUserId)
                .withConsentText(text.id())
                .withSourceDetail("template " + template.name() + "/" + template.language() + ", " + sent));
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
    }

}
