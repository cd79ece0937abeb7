package io.consentcast.dispatch;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.consentcast.testsupport.Fixtures;

/** Workspaces with a list and confirmed readers, and a way to drive the engine until an issue settles. */
@ApplicationScoped
public class DispatchFixture {

    private static final AtomicLong NUMBERS = new AtomicLong(System.nanoTime() % 1_000_000L);

    @Inject
    TenantScope scope;

    @Inject
    TenancyService tenancy;

    @Inject
    ConsentService consent;

    @Inject
    DispatchWork work;

    @Inject
    DispatchJobs jobs;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    DispatchConfig config;

    public record Workspace(Api owner, String slug, String tenantId, UUID listId, UUID consentTextId, String list) {

        String issues() {
            return "/api/tenants/" + slug + "/issues";
        }
    }

    /** A workspace (sandbox channel) with a German MARKETING list and sending hours all day. */
    public Workspace workspace(String prefix) {
        Api owner = Api.newUser(prefix);
        String slug = owner.createWorkspace(prefix);
        var list = owner.req().body(Fixtures.germanList("morgen", "MORGEN")).post("/api/tenants/" + slug + "/lists")
                .then().statusCode(201).extract();
        owner.req().body(Map.of("sendingHoursStart", "00:00", "sendingHoursEnd", "00:00"))
                .put("/api/tenants/" + slug + "/dispatch-settings").then().statusCode(200);
        return new Workspace(owner, slug, tenancy.findBySlug(slug).orElseThrow().id,
                UUID.fromString(list.path("id")), UUID.fromString(list.path("consentTextId")), "morgen");
    }

    /** A fresh German mobile number. */
    public static String number() {
        return "+49151" + String.format("%08d", NUMBERS.incrementAndGet() % 100_000_000L);
    }

    /** A subscriber CONFIRMED for the workspace's list, through the ledger; returns the subscriber id. */
    public UUID confirmed(Workspace w, String phone) {
        return scope.call(w.tenantId(), () -> {
            UUID id = consent.subscriberFor(phone).id();
            consent.append(NewEvent.of(id, ConsentEventType.CONFIRMED, EventSource.WHATSAPP).forList(w.listId())
                    .withConsentText(w.consentTextId()).withWhatsApp("wamid.in." + UUID.randomUUID(), Instant.now()));
            return id;
        });
    }

    public void event(Workspace w, UUID subscriber, ConsentEventType type, boolean allLists) {
        scope.run(w.tenantId(), () -> {
            NewEvent e = NewEvent.of(subscriber, type, EventSource.WHATSAPP)
                    .withWhatsApp("wamid.ev." + UUID.randomUUID(), Instant.now());
            consent.append(allLists ? e : e.forList(w.listId()));
        });
    }

    @Inject
    io.consentcast.consent.SubscriberService subscribers;

    @Inject
    jakarta.persistence.EntityManager em;

    /** Erases a subscriber (GDPR), as an admin would. */
    public void erase(Workspace w, UUID subscriber) {
        scope.run(w.tenantId(), () -> {
            String publicId = (String) em.createNativeQuery("select public_id from subscribers where id = ?1")
                    .setParameter(1, subscriber).getSingleResult();
            subscribers.erase(publicId, UUID.randomUUID());
        });
    }

    /** Makes the workspace's waiting jobs due now (instead of after the re-check interval). */
    public void advanceJobs(Workspace w) {
        scope.platform(() -> em.createNativeQuery("update dispatch_jobs set due_at = ?1, lease_until = null"
                + " where tenant_id = ?2").setParameter(1, java.time.OffsetDateTime.now().minusSeconds(1))
                .setParameter(2, w.tenantId()).executeUpdate());
    }

    /** How many messages the sandbox channel received in the workspace. */
    public long sandboxMessages(Workspace w) {
        return scope.call(w.tenantId(), () -> ((Number) em.createNativeQuery(
                "select count(*) from whatsapp_sandbox_messages where tenant_id = ?1").setParameter(1, w.tenantId())
                .getSingleResult()).longValue());
    }

    public Dispatcher dispatcher(String name, int workers) {
        return new Dispatcher(work, jobs, outcomes, config, name, workers);
    }

    /** A draft with the sandbox's MARKETING template; returns its id. */
    public String draft(Workspace w, String title) {
        return w.owner().req().body(Map.of("list", w.list(), "title", title, "template",
                Map.of("name", "newsletter_issue", "language", "de", "parameters", java.util.List.of(title))))
                .post(w.issues()).then().statusCode(201).extract().path("id");
    }

    public String status(Workspace w, String id) {
        return w.owner().req().get(w.issues() + "/" + id).then().statusCode(200).extract().path("status");
    }

    /**
     * Decides a started issue's whole audience as the engine's preparer does ({@link DispatchJobs#claimPreparation},
     * then {@link DispatchJobs#prepare} chunk after chunk) without sending anything; returns the chunks written.
     */
    public int prepare(Workspace w, String id) {
        DispatchWork.JobRef job = new DispatchWork.JobRef(UUID.fromString(id), w.tenantId());
        if (!jobs.claimPreparation(job, "test-preparer")) {
            throw new AssertionError("issue " + id + " has no preparation to take");
        }
        int chunks = 1;
        while (jobs.prepare(job, "test-preparer")) {
            chunks++;
        }
        return chunks;
    }

    /** Runs the dispatcher until the issue is no longer preparing or sending (retries included); returns the final status. */
    public String drain(Dispatcher d, Workspace w, String id) {
        d.runOnce();
        String status = status(w, id);
        for (int i = 0; i < 400 && ("PREPARING".equals(status) || "SENDING".equals(status) || "SCHEDULED".equals(status)); i++) {
            d.runOnce();
            status = status(w, id);
            if ("SENDING".equals(status) || "PREPARING".equals(status)) {
                sleep(25);
            }
        }
        return status;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
