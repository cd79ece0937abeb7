package io.consentcast.optin;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.PhoneNumbers;
import io.consentcast.consent.SubscriberService;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;

/**
 * Double opt-in from the landing page, and withdrawal on the web. The rules that confirm or
 * withdraw from WhatsApp messages live in {@link InboundCommands}.
 */
@ApplicationScoped
public class OptInService {

    /** Codes avoid letters and digits that are easy to confuse (0/O, 1/I/L). */
    private static final char[] CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789".toCharArray();
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    ListService lists;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    OptInRequestRepository requests;


    @Inject
    OptInConfig config;

    @Inject
    Clock clock;

    @Inject
    io.consentcast.whatsapp.ChannelNumbers numbers;

    /** What the landing page needs to show "Confirm in WhatsApp". */
    public record PendingConfirmation(String listName, String keyword, String code, String message, String waLink,
            String businessNumber) {
    }

    /**
     * The public facts of an open list, for its landing page; {@code businessNumber} is the number readers write to
     * as international digits (empty while the workspace has no WhatsApp number).
     */
    public record LandingList(ListView list, ConsentTextView consentText, String businessNumber) {
    }

    /** The list behind a public landing page; 404 when unknown. A closed list is returned (the page says so). */
    @Transactional
    public LandingList landing(String listSlug) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("optin.list-not-found"));
        // The list's sending number: readers write to it, so their confirmation and replies use it too.
        return new LandingList(list, consent.currentConsentText(list.id()).orElse(null),
                numbers.forList(list.id()).digits());
    }

    /**
     * The landing-page form was submitted: appends REQUESTED with the shown consent text and the client's
     * evidence and returns the code to send from WhatsApp. The same number submitted again while its request
     * is open gets the same code and no new record.
     */
    @Transactional
    public PendingConfirmation requestFromWeb(String listSlug, String phoneInput, String region, boolean consentGiven,
            String ip, String userAgent, String pageUrl) {
        return requestFromWeb(landing(listSlug), phoneInput, region, consentGiven, ip, userAgent, pageUrl);
    }

    /** As {@link #requestFromWeb(String, String, String, boolean, String, String, String)}, for the list and consent text the page showed. */
    @Transactional
    public PendingConfirmation requestFromWeb(LandingList landing, String phoneInput, String region, boolean consentGiven,
            String ip, String userAgent, String pageUrl) {
        ListView list = landing.list();
        if (!list.open()) {
            throw ApiException.conflict("optin.list-closed", null);
        }
        Optional<String> e164 = PhoneNumbers.e164(phoneInput, region);
        Validation v = new Validation();
        v.check(phoneInput != null && !phoneInput.isBlank(), "phone", "optin.phone-required");
        v.check(v.has("phone") || e164.isPresent(), "phone", invalidPhone(phoneInput));
        v.check(consentGiven, "consent", "optin.consent-required");
        v.throwIfInvalid();
        if (landing.consentText() == null) {
            throw ApiException.conflict("optin.list-not-ready", null);
        }
        String business = landing.businessNumber();
        if (business.isEmpty()) {
            throw ApiException.conflict("optin.channel-not-ready", Map.of());
        }
        SubscriberView subscriber = consent.subscriberFor(e164.get());
        Instant now = clock.instant();
        OptInRequest request = requests.findOpen(subscriber.id(), list.id(), OptInRequest.WEB, now).orElse(null);
        if (request == null) {
            EventView requested = consent.append(NewEvent.of(subscriber.id(), ConsentEventType.REQUESTED,
                    EventSource.LANDING_PAGE)
                    .forList(list.id())
                    .withSourceDetail(pageUrl)
                    .withConsentText(landing.consentText().id())
                    .withClient(ip, false, userAgent));
            request = new OptInRequest();
            request.id = Ids.uuid7(clock);
            request.subscriberId = subscriber.id();
            request.listId = list.id();
            request.via = OptInRequest.WEB;
            request.code = uniqueCode();
            request.consentTextId = landing.consentText().id();
            request.requestedEventId = requested.id();
            request.createdAt = now;
            request.expiresAt = now.plus(config.confirmationWindow());
            requests.persist(request);
        }
        String message = list.keyword() + " " + request.code;
        String link = "https://wa.me/" + business + "?text=" + URLEncoder.encode(message, StandardCharsets.UTF_8)
                .replace("+", "%20");
        return new PendingConfirmation(list.name(), list.keyword(), request.code, message, link, "+" + business);
    }

    /**
     * The unsubscribe page: withdraws the number from the list. Nobody proved control of the number, so
     * the event is marked as an unverified web withdrawal; it never reveals whether the number was subscribed.
     */
    @Transactional
    public void withdrawFromWeb(String listSlug, String phoneInput, String region, String ip, String userAgent,
            String pageUrl) {
        ListView list = lists.bySlug(listSlug).orElseThrow(() -> ApiException.notFound("optin.list-not-found"));
        Optional<String> e164 = PhoneNumbers.e164(phoneInput, region);
        Validation v = new Validation();
        v.check(phoneInput != null && !phoneInput.isBlank(), "phone", "optin.phone-required");
        v.check(v.has("phone") || e164.isPresent(), "phone", invalidPhone(phoneInput));
        v.throwIfInvalid();
        subscribers.findByPhone(e164.get()).ifPresent(subscriber -> {
            if (subscriber.erased()) {
                return;
            }
            consent.append(NewEvent.of(subscriber.id(), ConsentEventType.WITHDRAWN, EventSource.LANDING_PAGE)
                    .forList(list.id())
                    .withSourceDetail(pageUrl)
                    .withClient(ip, false, userAgent)
                    .withReason("unverified web withdrawal"));
        });
    }

    private String uniqueCode() {
        for (int attempt = 0; attempt < 20; attempt++) {
            char[] c = new char[6];
            for (int i = 0; i < c.length; i++) {
                c[i] = CODE_ALPHABET[RANDOM.nextInt(CODE_ALPHABET.length)];
            }
            String code = new String(c);
            if (requests.findByCode(code).isEmpty()) {
                return code;
            }
        }
        throw new IllegalStateException("Could not find a free confirmation code");
    }

    /**
     * Why a number is invalid: one written with its country code has wrong digits (asking for the country code
     * again would mislead); one without is checked in the chosen country.
     */
    private static String invalidPhone(String phoneInput) {
        return PhoneNumbers.hasCountryCode(phoneInput) ? "optin.phone-invalid-digits" : "optin.phone-invalid";
    }
}
