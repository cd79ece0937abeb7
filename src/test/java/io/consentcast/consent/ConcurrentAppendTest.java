package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import io.consentcast.consent.Views.EventView;
import io.consentcast.shared.ApiException;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Two appends to one subscriber's chain that overlap: the second is computed from the head the first is about to move
 * (the first has written but not committed), so the database function's compare-and-set must make it wait for the
 * first, find the head moved, and compute the event again from the new head and the new consent states.
 */
@QuarkusTest
class ConcurrentAppendTest {

    @Inject
    LedgerFixture fx;

    @Inject
    ConsentService consent;

    @Inject
    SubscriberService subscribers;

    @Inject
    LedgerVerifier verifier;

    @Inject
    TenantScope scope;

    @Inject
    EntityManager em;

    @Test
    void anAppendComputedFromAMovedHeadIsComputedAgainAndTheChainStaysValid() throws Exception {
        String ws = Api.newUser("concurrent").createWorkspace("concurrent");
        String tenantId = fx.tenantId(ws);
        UUID list = UUID.randomUUID();
        SubscriberView reader = fx.in(ws, () -> consent.subscriberFor("+4915199991234"));
        CountDownLatch firstWritten = new CountDownLatch(1);
        CountDownLatch releaseFirst = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            CompletableFuture<EventView> first = CompletableFuture.supplyAsync(() -> fx.inTenant(tenantId, () -> {
                EventView e = consent.append(NewEvent.of(reader.id(), ConsentEventType.REQUESTED, EventSource.API)
                        .forList(list).withSourceDetail("first"));
                firstWritten.countDown();
                await(releaseFirst);
                return e; // commits after the second append has read the old head and waits for the row
            }), pool);
            assertTrue(firstWritten.await(30, TimeUnit.SECONDS));
            CompletableFuture<EventView> second = CompletableFuture.supplyAsync(() -> fx.inTenant(tenantId,
                    () -> consent.append(NewEvent.of(reader.id(), ConsentEventType.WITHDRAWN, EventSource.API)
                            .withSourceDetail("second"))), pool);
            // The second append has read the head (seq 0) and now waits for the first transaction's row lock.
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(this::someoneWaitsForALock);
            releaseFirst.countDown();
            EventView a = first.get(30, TimeUnit.SECONDS);
            EventView b = second.get(30, TimeUnit.SECONDS);

            assertEquals(1, a.seq());
            assertEquals(2, b.seq(), "computed again from the head the first append left");
            assertEquals(a.hash(), b.prevHash());
        } finally {
            releaseFirst.countDown();
            pool.shutdownNow();
        }
        List<EventView> events = fx.in(ws, () -> subscribers.events(reader.publicId()));
        assertEquals(List.of("first", "second"), events.stream().map(EventView::sourceDetail).toList());
        // The withdrawal for all lists also withdrew the list the first append had just made pending: the second
        // append's projection started from the states the first one wrote, not from the empty ones it read before.
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), fx.in(ws, () -> consent.stateOf(reader.id(), list)));
        assertEquals(Optional.of(ConsentStatus.WITHDRAWN), fx.in(ws, () -> consent.stateOf(reader.id(), null)));
        LedgerVerifier.Result result = fx.in(ws, () -> verifier.verify());
        assertTrue(result.valid(), () -> "ledger invalid: " + result.firstInvalid());
        assertEquals(2, result.events());
    }

    @Test
    void theAppendFunctionWritesOnlyInsideTheTransactionsWorkspace() {
        String a = Api.newUser("rls-a").createWorkspace("rls-a");
        String b = Api.newUser("rls-b").createWorkspace("rls-b");
        SubscriberView reader = fx.in(a, () -> consent.subscriberFor("+4915199995678"));
        fx.in(a, () -> consent.append(NewEvent.of(reader.id(), ConsentEventType.REQUESTED, EventSource.API)));
        String headHash = fx.in(a, () -> subscribers.events(reader.publicId())).get(0).hash();

        // Through the service: another workspace's subscriber is not found (404) and nothing is written.
        ApiException refused = org.junit.jupiter.api.Assertions.assertThrows(ApiException.class, () -> fx.in(b,
                () -> consent.append(NewEvent.of(reader.id(), ConsentEventType.WITHDRAWN, EventSource.API))));
        assertEquals(404, refused.status());
        // The function itself, called in workspace B with a correct head of A's subscriber: row-level security hides
        // the row, so the head does not move and no event is inserted.
        String event = "{\"id\":\"" + UUID.randomUUID() + "\",\"subscriber_id\":\"" + reader.id() + "\",\"seq\":2,"
                + "\"type\":\"WITHDRAWN\",\"occurred_at\":\"2026-11-30T12:00:00.000000Z\",\"source\":\"API\","
                + "\"prev_hash\":\"" + headHash + "\",\"hash\":\"" + "f".repeat(64) + "\",\"states\":[]}";
        Object written = fx.in(b, () -> em.createNativeQuery("SELECT consentcast_append_event(cast(?1 AS jsonb))")
                .setParameter(1, event).getSingleResult());
        assertEquals(Boolean.FALSE, written);
        assertEquals(1, fx.in(a, () -> subscribers.events(reader.publicId())).size());
        LedgerVerifier.Result result = fx.in(a, () -> verifier.verify());
        assertTrue(result.valid(), () -> "ledger invalid: " + result.firstInvalid());
    }

    private boolean someoneWaitsForALock() {
        return scope.platform(() -> ((Number) em.createNativeQuery("SELECT count(*) FROM pg_stat_activity"
                + " WHERE datname = current_database() AND wait_event_type = 'Lock'"
                + " AND query LIKE '%consentcast_append_event%'").getSingleResult()).longValue()) > 0;
    }

    private static void await(CountDownLatch latch) {
        try {
            if (!latch.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("not released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
