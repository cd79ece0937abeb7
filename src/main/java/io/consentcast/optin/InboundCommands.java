package io.consentcast.optin;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.PhoneNumbers;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Texts;
import io.consentcast.whatsapp.InboundMessage;
import io.consentcast.whatsapp.Origin;
import io.consentcast.whatsapp.QuickReplyPayload;
import io.consentcast.whatsapp.ReplyOutbox;

/**
 * What subscribers can write to a workspace's WhatsApp number, in any letter case:
 * <ul>
 * <li>{@code KEYWORD CODE} (the landing page's pre-filled message): confirms that opt-in, if the code is open
 * and was requested for the sender's number;</li>
 * <li>{@code START KEYWORD}: asks for consent by WhatsApp alone; {@code JA}/{@code YES} confirms it;</li>
 * <li>a stop word (the workspace's own, by default {@code STOP}, {@code ABMELDEN}, {@code UNSUBSCRIBE},
 * {@code ABBESTELLEN}): withdraws every list; {@code STOP KEYWORD} one list;</li>
 * <li>anything else: a short help reply, at most once a day per number.</li>
 * </ul>
 * Every reply is neutral (no promotion) and says how to stop. Handling runs inside the webhook's workspace
 * transaction, so a failure rolls back and the webhook is processed again; the reply goes to the outbox in that
 * same transaction ({@link ReplyOutbox}) and is sent after the commit.
 */
@ApplicationScoped
public class InboundCommands {

    private static final Logger LOG = Logger.getLogger(InboundCommands.class);
    private static final Set<String> YES = Set.of("JA", "YES", "J", "Y");

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    InboundLookups lookups;

    @Inject
    OptInRequestRepository requests;

    @Inject
    OptInService optIn;

    @Inject
    ReplyOutbox outbox;

    @Inject
    OptInConfig config;

    @Inject
    HelpReplyRepository helpReplies;

    @Inject
    Clock clock;

    void onInbound(@Observes InboundMessage message) {
        if (QuickReplyPayload.ours(message.buttonPayload())) {
            // A tap on a quick-reply button of an issue: ours, never read as a typed command.
            quickReply(message);
            return;
        }
        String text = normalize(firstNonBlank(message.text(), message.buttonPayload(), message.replyId(),
                message.buttonText()));
        if (text.isEmpty() || message.from() == null) {
            return;
        }
        if (PhoneNumbers.e164("+" + message.from(), null).isEmpty()) {
            // Meta vouches for the sender, but the number is unknown to our numbering plan data: record
            // nothing rather than fail the webhook forever.
            LOG.warnf("Inbound message %s from a number libphonenumber does not know; not handled", message.messageId());
            return;
        }
        String[] words = text.split(" ");
        Set<String> stopWords = stopWords();
        if (stopWords.contains(text)) {
            withdraw(message, Optional.empty());
        } else if (words.length == 2 && stopWords.contains(words[0])) {
            withdraw(message, lookups.byKeyword(words[1]));
        } else if (words.length == 2 && words[0].equals("START")) {
            start(message, words[1]);
        } else if (YES.contains(text)) {
            confirmWhatsApp(message);
        } else if (words.length == 2 && lookups.byKeyword(words[0]).isPresent()) {
            confirmCode(message, lookups.byKeyword(words[0]).get(), words[1]);
        } else if (words.length == 1 && words[0].length() == 6 && requests.findByCode(words[0]).isPresent()) {
            confirmCode(message, null, words[0]);
        } else {
            help(message);
        }
    }

    private void confirmCode(InboundMessage message, ListView keywordList, String code) {
        Optional<OptInRequest> found = requests.findByCode(code);
        if (found.isEmpty() || (keywordList != null && !found.get().listId.equals(keywordList.id()))) {
            reply(message, language(keywordList), "optin.reply.code-unknown");
            return;
        }
        OptInRequest request = found.get();
        ListView list = lookups.byId(request.listId).orElseThrow();
        SubscriberView requested = subscribers.byId(request.subscriberId).orElseThrow();
        if (request.confirmedAt != null) {
            reply(message, list.language(), "optin.reply.code-used");
            return;
        }
        if (!clock.instant().isBefore(request.expiresAt)) {
            reply(message, list.language(), "optin.reply.code-expired");
            return;
        }
        if (requested.phone() == null || !requested.phone().equals("+" + message.from())) {
            reply(message, list.language(), "optin.reply.code-other-number");
            return;
        }
        EventView confirmed = consent.append(NewEvent.of(request.subscriberId, ConsentEventType.CONFIRMED,
                source(message))
                .forList(list.id())
                .withConsentText(request.consentTextId)
                .withSourceDetail("confirmation code " + code + " for request event " + request.requestedEventId)
                .withWhatsApp(message.messageId(), message.timestamp()));
        request.confirmedAt = clock.instant();
        request.confirmedEventId = confirmed.id();
        reply(message, list.language(), "optin.reply.confirmed", list.name(), publisher(), list.keyword());
    }

    private void start(InboundMessage message, String keyword) {
        Optional<ListView> found = lookups.byKeyword(keyword);
        if (found.isEmpty()) {
            reply(message, workspaceLanguage(), "optin.reply.start-unknown", keyword);
            return;
        }
        ListView list = found.get();
        if (!list.open()) {
            reply(message, list.language(), "optin.reply.start-closed", list.name());
            return;
        }
        // The list's current consent text came with the list (InboundLookups): the reply shows the version recorded.
        if (list.consentTextId() == null) {
            reply(message, list.language(), "optin.reply.start-closed", list.name());
            return;
        }
        SubscriberView subscriber = consent.subscriberFor("+" + message.from());
        Instant now = clock.instant();
        String via = message.origin() == Origin.SANDBOX ? OptInRequest.SANDBOX : OptInRequest.WHATSAPP;
        if (requests.findOpen(subscriber.id(), list.id(), via, now).isEmpty()) {
            EventView requested = consent.append(NewEvent.of(subscriber.id(), ConsentEventType.REQUESTED,
                    source(message))
                    .forList(list.id())
                    .withConsentText(list.consentTextId())
                    .withSourceDetail("START " + list.keyword())
                    .withWhatsApp(message.messageId(), message.timestamp()));
            OptInRequest request = new OptInRequest();
            request.id = Ids.uuid7(clock);
            request.subscriberId = subscriber.id();
            request.listId = list.id();
            request.via = via;
            request.consentTextId = list.consentTextId();
            request.requestedEventId = requested.id();
            request.startMessageId = message.messageId();
            request.createdAt = now;
            request.expiresAt = now.plus(config.confirmationWindow());
            requests.persist(request);
        }
        reply(message, list.language(), "optin.reply.start", list.consentText(), publisher(), list.name());
    }

    private void confirmWhatsApp(InboundMessage message) {
        Optional<SubscriberView> subscriber = subscribers.findByPhone("+" + message.from());
        // A START made on the sandbox phone is answered only there; the sandbox may answer any (re-permission).
        List<String> vias = message.origin() == Origin.SANDBOX ? List.of(OptInRequest.WHATSAPP, OptInRequest.SANDBOX)
                : List.of(OptInRequest.WHATSAPP);
        Optional<OptInRequest> open = subscriber.flatMap(s -> requests.findNewestOpen(s.id(), vias, clock.instant()));
        if (open.isEmpty()) {
            reply(message, workspaceLanguage(), "optin.reply.nothing-pending");
            return;
        }
        OptInRequest request = open.get();
        ListView list = lookups.byId(request.listId).orElseThrow();
        EventView confirmed = consent.append(NewEvent.of(request.subscriberId, ConsentEventType.CONFIRMED,
                source(message))
                .forList(list.id())
                .withConsentText(request.consentTextId)
                .withSourceDetail("reply to START " + list.keyword() + " (message "
                        + (request.startMessageId == null ? "outcome unknown" : request.startMessageId) + ")")
                .withWhatsApp(message.messageId(), message.timestamp()));
        request.confirmedAt = clock.instant();
        request.confirmedEventId = confirmed.id();
        reply(message, list.language(), "optin.reply.confirmed", list.name(), publisher(), list.keyword());
    }

    private void withdraw(InboundMessage message, Optional<ListView> list) {
        SubscriberView subscriber = consent.subscriberFor("+" + message.from());
        NewEvent event = NewEvent.of(subscriber.id(), ConsentEventType.WITHDRAWN, source(message))
                .withSourceDetail(list.map(l -> "STOP " + l.keyword()).orElse("STOP"))
                .withWhatsApp(message.messageId(), message.timestamp());
        if (!subscriber.erased()) {
            consent.append(list.map(l -> event.forList(l.id())).orElse(event));
        }
        if (list.isPresent()) {
            reply(message, list.get().language(), "optin.reply.withdrawn-one", list.get().name(), publisher());
        } else {
            reply(message, workspaceLanguage(), "optin.reply.withdrawn-all", publisher());
        }
    }

    /**
     * The "Unsubscribe" quick reply of an issue withdraws its list exactly like {@code STOP KEYWORD}, recorded with
     * the payload as source detail; a second tap on a list already left records nothing more. A payload of ours
     * that names no list of this workspace (or that we do not know) is ignored: no ledger entry, no reply.
     */
    private void quickReply(InboundMessage message) {
        Optional<ListView> list = QuickReplyPayload.unsubscribedList(message.buttonPayload()).flatMap(lookups::byId);
        if (list.isEmpty() || message.from() == null || PhoneNumbers.e164("+" + message.from(), null).isEmpty()) {
            LOG.debugf("Quick reply %s with a payload that names nothing here; ignored", message.messageId());
            return;
        }
        Optional<SubscriberView> subscriber = subscribers.findByPhone("+" + message.from());
        boolean subscribed = subscriber.filter(s -> !s.erased())
                .flatMap(s -> consent.stateOf(s.id(), list.get().id()))
                .filter(st -> st != ConsentStatus.WITHDRAWN && st != ConsentStatus.SUPPRESSED).isPresent();
        if (subscribed) {
            consent.append(NewEvent.of(subscriber.get().id(), ConsentEventType.WITHDRAWN, source(message))
                    .forList(list.get().id())
                    .withSourceDetail("quick reply " + message.buttonPayload())
                    .withWhatsApp(message.messageId(), message.timestamp()));
        }
        reply(message, list.get().language(), "optin.reply.withdrawn-one", list.get().name(), publisher());
    }

    private void help(InboundMessage message) {
        Instant now = clock.instant();
        HelpReply last = helpReplies.find("waId", message.from()).firstResult();
        if (last != null && Duration.between(last.sentAt, now).compareTo(Duration.ofDays(1)) < 0) {
            return;
        }
        if (last == null) {
            last = new HelpReply();
            last.id = Ids.uuid7(clock);
            last.waId = message.from();
            last.sentAt = now;
            helpReplies.persist(last);
        } else {
            last.sentAt = now;
        }
        reply(message, workspaceLanguage(), "optin.reply.help", publisher());
    }

    /**
     * Replies inside the 24-hour window the subscriber just opened, through the outbox: the reply commits with the
     * consent fact and leaves after the commit, outside any transaction. A failed reply never undoes the consent fact.
     */
    private void reply(InboundMessage message, String language, String code, Object... args) {
        String body = Texts.resolve(code, Locale.forLanguageTag(language), args);
        outbox.enqueue(new ReplyOutbox.Reply(message.from(), body, code, message.messageId(), message.timestamp(),
                message.phoneNumberId()));
    }

    /** The ledger source of what a message makes: WHATSAPP for Meta's webhooks, SANDBOX for the sandbox phone. */
    static EventSource source(Origin origin) {
        return origin == Origin.SANDBOX ? EventSource.SANDBOX : EventSource.WHATSAPP;
    }

    private static EventSource source(InboundMessage message) {
        return source(message.origin());
    }

    private Set<String> stopWords() {
        return lookups.workspace().stopWords();
    }

    private String publisher() {
        return lookups.workspace().name();
    }

    private String workspaceLanguage() {
        return lookups.workspace().language();
    }

    private String language(ListView list) {
        return list == null ? workspaceLanguage() : list.language();
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v;
            }
        }
        return null;
    }

    static String normalize(String text) {
        if (text == null) {
            return "";
        }
        return text.trim().replaceAll("[\\p{Punct}&&[^-]]+$", "").replaceAll("\\s+", " ").toUpperCase(Locale.ROOT);
    }
}
