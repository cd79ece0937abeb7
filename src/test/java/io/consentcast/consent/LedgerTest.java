package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.consent.Views.EventView;
import io.consentcast.consent.Views.StateView;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.shared.ApiException;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/** The ledger through the service API other features call. */
@QuarkusTest
class LedgerTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    LedgerVerifier verifier;

    private final UUID newsletter = UUID.randomUUID();
    private final UUID offers = UUID.randomUUID();

    private String workspace() {
        return Api.newUser("ledger").createWorkspace("ledger");
    }

    @Test
    void everyEventTypeIsChainedAndProjected() {
        String ws = workspace();
        UUID admin = UUID.randomUUID();
        SubscriberView s = fx.in(ws, () -> consent.subscriberFor("0151 23456789"));
        assertEquals("+4915123456789", s.phone());
        ConsentTextView text = fx.in(ws, () -> consent.publishConsentText(newsletter, "de",
                "Ja, ich möchte den Newsletter per WhatsApp erhalten. Abmelden jederzeit mit STOP.", admin));

        List<EventView> appended = new ArrayList<>();
        fx.run(ws, () -> {
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED, EventSource.LANDING_PAGE)
                    .forList(newsletter).withSourceDetail("https://consentcast.example/p/news")
                    .withConsentText(text.id()).withClient("203.0.113.77", true, "Mozilla/5.0 (Test)")));
            assertEquals(Optional.of(ConsentStatus.PENDING), consent.stateOf(s.id(), newsletter));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP)
                    .forList(newsletter).withConsentText(text.id())
                    .withWhatsApp("wamid.HBgLNDkxNTEyMzQ1Njc4OQ", Instant.parse("2026-11-28T10:15:30Z"))));
            assertEquals(Optional.of(ConsentStatus.CONFIRMED), consent.stateOf(s.id(), newsletter));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.SUPPRESSED, EventSource.SYSTEM)
                    .withReason("Meta error 131050: user stopped marketing messages")));
            assertEquals(Optional.of(ConsentStatus.SUPPRESSED), consent.stateOf(s.id(), newsletter));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.UNSUPPRESSED, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.resume", null)));
            assertEquals(Optional.of(ConsentStatus.CONFIRMED), consent.stateOf(s.id(), newsletter));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.IMPORTED, EventSource.IMPORT)
                    .forList(offers).withSourceDetail("import offers.csv line 7").withActor(admin)));
            assertEquals(Optional.of(ConsentStatus.IMPORTED), consent.stateOf(s.id(), offers));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.REPERMISSION_REQUESTED,
                    EventSource.SYSTEM).forList(offers).withReason("re-permission campaign for imported numbers")));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.EXPIRED, EventSource.SYSTEM)
                    .forList(offers).withReason("no answer to the re-permission request within 30 days")));
            assertEquals(Optional.of(ConsentStatus.EXPIRED), consent.stateOf(s.id(), offers));
            appended.add(consent.append(NewEvent.of(s.id(), ConsentEventType.WITHDRAWN, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.stop", Instant.parse("2026-11-28T11:00:00Z")).withSourceDetail("STOP")));
            assertEquals(Optional.of(ConsentStatus.WITHDRAWN), consent.stateOf(s.id(), newsletter));
            assertEquals(Optional.of(ConsentStatus.WITHDRAWN), consent.stateOf(s.id(), offers));
        });
        fx.in(ws, () -> subscribers.erase(s.publicId(), admin));

        List<EventView> events = fx.in(ws, () -> subscribers.events(s.publicId()));
        assertEquals(EnumSet.allOf(ConsentEventType.class),
                events.stream().map(EventView::type).collect(Collectors.toCollection(() -> EnumSet.noneOf(ConsentEventType.class))));
        String prev = LedgerHash.GENESIS;
        for (int i = 0; i < events.size(); i++) {
            EventView e = events.get(i);
            assertEquals(i + 1, e.seq());
            assertEquals(prev, e.prevHash());
            prev = e.hash();
        }
        EventView requested = appended.get(0);
        assertEquals("203.0.113.0", requested.ip(), "the IP address is stored truncated");
        assertEquals(text.sha256(), requested.consentTextSha256());
        assertEquals(LedgerHash.sha256Hex(text.text()), text.sha256());
        assertEquals(ConsentEventType.ERASED, events.get(events.size() - 1).type());
        assertNull(events.get(0).ip(), "erasure removed the IP address");
        assertNotNull(events.get(0).evidenceDigest(), "the commitment to it remains");
        assertEquals(Optional.of(ConsentStatus.SUPPRESSED), fx.in(ws, () -> consent.stateOf(s.id(), newsletter)));

        LedgerVerifier.Result result = fx.in(ws, () -> verifier.verify());
        assertTrue(result.valid(), () -> "ledger invalid: " + result.firstInvalid());
        assertEquals(events.size(), result.events());
    }

    @Test
    void numbersAreNormalisedAndInvalidOnesRefused() {
        String ws = workspace();
        SubscriberView a = fx.in(ws, () -> subscribers.subscriberFor("+49 (151) 234-56789"));
        SubscriberView b = fx.in(ws, () -> subscribers.subscriberFor("0049 15123456789", "4915123456789"));
        SubscriberView c = fx.in(ws, () -> subscribers.subscriberFor("015123456789"));
        assertEquals(a.id(), b.id());
        assertEquals(a.id(), c.id());
        assertEquals("4915123456789", fx.in(ws, () -> subscribers.get(a.publicId())).waId());
        assertTrue(a.publicId().length() >= 16, "an opaque public id");
        ApiException bad = assertThrows(ApiException.class, () -> fx.in(ws, () -> subscribers.subscriberFor("12345")));
        assertEquals(400, bad.status());
        assertEquals("consent.phone-invalid", bad.errors().get("phone"));
        // The same number in another workspace is another subscriber.
        String other = workspace();
        SubscriberView elsewhere = fx.in(other, () -> subscribers.subscriberFor("+4915123456789"));
        assertTrue(!elsewhere.id().equals(a.id()));
        assertThrows(ApiException.class, () -> fx.in(other, () -> subscribers.get(a.publicId())));
    }

    @Test
    void appendsWithoutTheirEvidenceAreRefused() {
        String ws = workspace();
        SubscriberView s = fx.in(ws, () -> consent.subscriberFor("+4915112345678"));
        ConsentTextView otherListText = fx.in(ws, () -> consent.publishConsentText(offers, "en", "Offers, yes.", null));
        assertEquals("consent.actor-required", refused(ws, NewEvent.of(s.id(), ConsentEventType.WITHDRAWN,
                EventSource.ADMIN)).errors().get("actorUserId"));
        assertEquals("consent.wa-message-required", refused(ws, NewEvent.of(s.id(), ConsentEventType.CONFIRMED,
                EventSource.WHATSAPP)).errors().get("waMessageId"));
        assertEquals("consent.reason-required", refused(ws, NewEvent.of(s.id(), ConsentEventType.EXPIRED,
                EventSource.SYSTEM)).errors().get("reason"));
        assertEquals("consent.ip-invalid", refused(ws, NewEvent.of(s.id(), ConsentEventType.REQUESTED,
                EventSource.LANDING_PAGE).withClient("example.org", false, null)).errors().get("ip"));
        assertEquals("consent.erase-via-subscriber", refused(ws, NewEvent.of(s.id(), ConsentEventType.ERASED,
                EventSource.API)).errors().get("type"));
        assertEquals("consent.text-list-mismatch", refused(ws, NewEvent.of(s.id(), ConsentEventType.REQUESTED,
                EventSource.API).forList(newsletter).withConsentText(otherListText.id())).errors().get("consentTextId"));
        assertEquals(404, refused(ws, NewEvent.of(UUID.randomUUID(), ConsentEventType.REQUESTED, EventSource.API))
                .status());
        assertTrue(fx.in(ws, () -> subscribers.events(s.publicId())).isEmpty(), "nothing was recorded");

        fx.in(ws, () -> subscribers.erase(s.publicId(), UUID.randomUUID()));
        ApiException erased = refused(ws, NewEvent.of(s.id(), ConsentEventType.IMPORTED, EventSource.IMPORT));
        assertEquals(409, erased.status());
        // Re-importing the erased number finds the erased subscriber: it stays suppressed.
        SubscriberView again = fx.in(ws, () -> consent.subscriberFor("+49 151 12345678"));
        assertEquals(s.id(), again.id());
        assertTrue(again.erased());
        assertNull(again.phone());
        assertEquals(Optional.of(ConsentStatus.SUPPRESSED), fx.in(ws, () -> consent.stateOf(s.id(), newsletter)));
    }

    private ApiException refused(String ws, NewEvent event) {
        return assertThrows(ApiException.class, () -> fx.in(ws, () -> consent.append(event)));
    }

    @Test
    void consentTextsAreVersionedOnlyWhenChanged() {
        String ws = workspace();
        ConsentTextView v1 = fx.in(ws, () -> consent.publishConsentText(newsletter, "de", "Text eins\r\n", null));
        ConsentTextView same = fx.in(ws, () -> consent.publishConsentText(newsletter, "de", "  Text eins", null));
        ConsentTextView v2 = fx.in(ws, () -> consent.publishConsentText(newsletter, "de", "Text zwei", null));
        ConsentTextView otherList = fx.in(ws, () -> consent.publishConsentText(offers, "en", "Text one", null));
        assertEquals(1, v1.version());
        assertEquals(v1.id(), same.id());
        assertEquals(2, v2.version());
        assertEquals(1, otherList.version());
        assertEquals("Text eins", v1.text());
        assertEquals(Optional.of(v2), fx.in(ws, () -> consent.currentConsentText(newsletter)));
        assertEquals(Optional.empty(), fx.in(ws, () -> consent.currentConsentText(null)));
        ApiException bad = assertThrows(ApiException.class,
                () -> fx.in(ws, () -> consent.publishConsentText(newsletter, "fr", " ", null)));
        assertEquals(Set.of("language", "text"), bad.errors().keySet());
    }

    @Test
    void rebuildingFromTheLedgerGivesTheSameState() {
        String ws = workspace();
        UUID admin = UUID.randomUUID();
        fx.run(ws, () -> {
            for (int i = 0; i < 6; i++) {
                SubscriberView s = consent.subscriberFor("+49151000000" + (10 + i));
                consent.append(NewEvent.of(s.id(), ConsentEventType.REQUESTED, EventSource.API).forList(newsletter));
                if (i % 2 == 0) {
                    consent.append(NewEvent.of(s.id(), ConsentEventType.CONFIRMED, EventSource.WHATSAPP)
                            .forList(newsletter).withWhatsApp("wamid." + i, null));
                }
                if (i % 3 == 0) {
                    consent.append(NewEvent.of(s.id(), ConsentEventType.IMPORTED, EventSource.IMPORT).forList(offers)
                            .withActor(admin));
                    consent.append(NewEvent.of(s.id(), ConsentEventType.SUPPRESSED, EventSource.SYSTEM)
                            .withReason("undeliverable"));
                }
                if (i == 3) {
                    consent.append(NewEvent.of(s.id(), ConsentEventType.UNSUPPRESSED, EventSource.SYSTEM)
                            .withReason("delivered again"));
                    consent.append(NewEvent.of(s.id(), ConsentEventType.WITHDRAWN, EventSource.ADMIN).withActor(admin));
                }
            }
        });
        String erased = fx.in(ws, () -> consent.subscriberFor("+4915100000010")).publicId();
        fx.in(ws, () -> subscribers.erase(erased, admin));

        List<StateView> before = fx.in(ws, () -> consent.allStates());
        assertTrue(before.size() >= 8);
        long replayed = fx.in(ws, () -> consent.rebuildStates());
        List<StateView> after = fx.in(ws, () -> consent.allStates());
        assertEquals(before, after);
        assertEquals(fx.in(ws, () -> verifier.verify()).events(), replayed);
    }

    @Test
    void parallelWritersKeepEveryChainValid() throws Exception {
        String ws = workspace();
        SubscriberView shared = fx.in(ws, () -> consent.subscriberFor("+4915199990000"));
        String tenantId = fx.tenantId(ws);
        int writers = 6;
        int perWriter = 8;
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Callable<Void>> tasks = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                int writer = w;
                tasks.add(() -> {
                    SubscriberView own = fx.inTenant(tenantId, () -> consent.subscriberFor("+491519999000" + (writer + 1)));
                    for (int n = 0; n < perWriter; n++) {
                        int i = n;
                        UUID target = i % 2 == 0 ? shared.id() : own.id();
                        ConsentEventType type = i % 4 < 2 ? ConsentEventType.REQUESTED : ConsentEventType.WITHDRAWN;
                        fx.inTenant(tenantId, () -> consent.append(NewEvent.of(target, type, EventSource.API).forList(newsletter)
                                .withSourceDetail("writer " + writer + " #" + i)));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(tasks)) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        List<EventView> sharedEvents = fx.in(ws, () -> subscribers.events(shared.publicId()));
        assertEquals(writers * perWriter / 2, sharedEvents.size());
        for (int i = 0; i < sharedEvents.size(); i++) {
            assertEquals(i + 1, sharedEvents.get(i).seq());
        }
        LedgerVerifier.Result result = fx.in(ws, () -> verifier.verify());
        assertTrue(result.valid(), () -> "ledger invalid: " + result.firstInvalid());
        assertEquals(writers * perWriter, result.events());
    }
}
