package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.consentcast.tenancy.TenantScope;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.scheduler.Scheduled;

/**
 * Drains {@link ReplyOutbox}: claims due replies in batches, sends them in parallel on a bounded pool
 * ({@code consentcast.whatsapp.outbox.senders}) with no transaction open during the Graph call, and records the
 * outcomes in one transaction per workspace. Woken after every commit that adds a reply, and by a scheduled sweep.
 * <p>
 * What happens after a failure follows Meta's error codes (docs/whatsapp-cloud-api.md): throughput and call-rate
 * limits, 5xx and a stopped channel are retried with exponential backoff (at least the pause Meta's error asks
 * for), the pair rate limit after its pause; permanent errors end FAILED; nothing is sent once the 24-hour window
 * the user opened has closed (EXPIRED). A send that got no answer at all may have been accepted, so it is never
 * sent again: UNKNOWN. None of this touches the consent fact the reply answers.
 */
@ApplicationScoped
public class ReplySender {

    private static final Logger LOG = Logger.getLogger(ReplySender.class);

    @Inject
    ReplyOutbox outbox;

    @Inject
    ChannelService channel;

    @Inject
    TenantScope tenantScope;

    @Inject
    WhatsAppConfig config;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry metrics;

    private final WakeablePool drains = new WakeablePool("whatsapp-outbox",
            () -> (config.outbox().senders() + config.outbox().batchSize() - 1) / config.outbox().batchSize(),
            () -> config.outbox().batchSize(), this::drainOnce);
    private ExecutorService sends;

    @PostConstruct
    void init() {
        AtomicInteger n = new AtomicInteger();
        sends = Executors.newFixedThreadPool(Math.max(1, config.outbox().senders()), r -> {
            Thread t = new Thread(r, "whatsapp-reply-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Drains in the background: as many drains as it takes to keep {@code senders} replies on the wire. */
    public void kick() {
        drains.kick();
    }

    @Scheduled(every = "${consentcast.whatsapp.outbox.every:5s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "whatsapp-outbox")
    void sweep() {
        drainPending();
        outbox.purge();
    }

    /**
     * In the calling thread: replies left SENDING by an instance that died become UNKNOWN, then every due reply is
     * sent. Returns how many replies were handled.
     */
    public int drainPending() {
        int lost = outbox.giveUpExpiredClaims();
        if (lost > 0) {
            metrics.counter("consentcast.whatsapp.outbox.finished", "state", OutboxState.UNKNOWN.name()).increment(lost);
            LOG.warnf("%d WhatsApp replies were on the wire when their instance stopped: outcome unknown, not resent",
                    lost);
        }
        int total = 0;
        for (int n = drainOnce(); n > 0; n = drainOnce()) {
            total += n;
        }
        return total;
    }

    /** Claims one batch, sends it, records the outcomes; returns the batch's size. */
    int drainOnce() {
        List<ReplyOutbox.Claimed> batch = outbox.claim(config.outbox().batchSize());
        if (batch.isEmpty()) {
            return 0;
        }
        Map<String, List<ReplyOutbox.Claimed>> byTenant = new LinkedHashMap<>();
        batch.forEach(c -> byTenant.computeIfAbsent(c.tenantId(), k -> new ArrayList<>()).add(c));
        Map<String, List<CompletableFuture<ReplyOutbox.Finished>>> results = new LinkedHashMap<>();
        byTenant.forEach((tenantId, rows) -> results.put(tenantId, send(tenantId, rows)));
        results.forEach((tenantId, futures) -> {
            List<ReplyOutbox.Finished> finished = futures.stream().map(CompletableFuture::join).toList();
            List<ChannelService.Sent> sent = new ArrayList<>();
            for (int k = 0; k < finished.size(); k++) {
                if (finished.get(k).state() == OutboxState.SENT) {
                    sent.add(new ChannelService.Sent(finished.get(k).providerMessageId(), byTenant.get(tenantId).get(k).to()));
                }
            }
            try {
                tenantScope.run(tenantId, () -> {
                    outbox.finish(finished);
                    channel.record(sent);
                });
            } catch (RuntimeException e) {
                // The rows stay SENDING: when their claim expires they become UNKNOWN, never sent twice.
                LOG.warnf("Outcomes of %d WhatsApp replies of workspace %s could not be recorded: %s", finished.size(),
                        tenantId, e.toString());
                return;
            }
            finished.forEach(f -> metrics.counter("consentcast.whatsapp.outbox.finished", "state", f.state().name())
                    .increment());
        });
        return batch.size();
    }

    /** Sends one workspace's claimed replies in parallel, outside any transaction. */
    private List<CompletableFuture<ReplyOutbox.Finished>> send(String tenantId, List<ReplyOutbox.Claimed> rows) {
        // A reply leaves from the number the user wrote to: one sender per number of the batch.
        Map<String, ChannelService.Sender> senders = new HashMap<>();
        List<CompletableFuture<ReplyOutbox.Finished>> out = new ArrayList<>(rows.size());
        for (ReplyOutbox.Claimed c : rows) {
            if (!clock.instant().isBefore(c.windowEndsAt())) {
                out.add(CompletableFuture.completedFuture(expired(c)));
                continue;
            }
            ChannelService.Sender sender;
            try {
                sender = senders.containsKey(c.phoneNumberId()) ? senders.get(c.phoneNumberId())
                        : tenantScope.call(tenantId, () -> channel.senderFor(c.phoneNumberId()));
                senders.put(c.phoneNumberId(), sender);
            } catch (RuntimeException e) {
                // Nothing left: retry like a failure Meta answered with.
                SendResult.Failed failed = new SendResult.Failed(ErrorClass.RETRY_LATER, null,
                        "The channel settings could not be read; nothing was sent", e.toString(), null, false);
                out.add(CompletableFuture.completedFuture(outcome(c, failed, clock.instant())));
                continue;
            }
            out.add(CompletableFuture.supplyAsync(() -> {
                SendResult result;
                try {
                    result = tenantScope.call(tenantId, () -> QuarkusTransaction.suspendingExisting()
                            .call(() -> sender.send(new OutgoingMessage.Text(c.to(), c.body()))));
                } catch (RuntimeException e) {
                    LOG.warnf("WhatsApp reply %s failed unexpectedly: %s", c.id(), e.toString());
                    return new ReplyOutbox.Finished(c.id(), OutboxState.UNKNOWN, null, null, null,
                            "the send failed without an answer: " + e);
                }
                return outcome(c, result, clock.instant());
            }, sends));
        }
        return out;
    }

    /** What a send's result means for the reply. */
    ReplyOutbox.Finished outcome(ReplyOutbox.Claimed c, SendResult result, Instant now) {
        if (result instanceof SendResult.Accepted accepted) {
            return new ReplyOutbox.Finished(c.id(), OutboxState.SENT, null, accepted.messageId(), null, null);
        }
        SendResult.Failed f = (SendResult.Failed) result;
        String error = f.message() + (f.details() == null ? "" : " (" + f.details() + ")");
        return switch (f.errorClass()) {
            case OUTCOME_UNKNOWN -> {
                LOG.infof("WhatsApp reply %s got no answer: Meta may have accepted it, so it is not sent again", c.id());
                yield new ReplyOutbox.Finished(c.id(), OutboxState.UNKNOWN, null, null, null, error);
            }
            case PERMANENT_RECIPIENT, PERMANENT_ISSUE -> new ReplyOutbox.Finished(c.id(), OutboxState.FAILED, null, null,
                    f.code(), error);
            case RETRY_LATER, DELAY_RECIPIENT, STOP_CHANNEL -> {
                Instant next = now.plus(delay(c.attempts(), f.retryNotBefore()));
                yield next.isBefore(c.windowEndsAt())
                        ? new ReplyOutbox.Finished(c.id(), OutboxState.PENDING, next, null, f.code(), error)
                        : new ReplyOutbox.Finished(c.id(), OutboxState.EXPIRED, null, null, f.code(),
                                "the 24-hour window closed before a retry; last error: " + error);
            }
        };
    }

    private static ReplyOutbox.Finished expired(ReplyOutbox.Claimed c) {
        return new ReplyOutbox.Finished(c.id(), OutboxState.EXPIRED, null, null, null,
                "the 24-hour window the user opened had closed");
    }

    /** Exponential backoff from {@code backoff-base}, at least Meta's pause, at most {@code backoff-max}. */
    private Duration delay(int attempts, Duration retryNotBefore) {
        Duration exp = config.outbox().backoffBase().multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 20));
        Duration d = retryNotBefore != null && retryNotBefore.compareTo(exp) > 0 ? retryNotBefore : exp;
        return d.compareTo(config.outbox().backoffMax()) > 0 ? config.outbox().backoffMax() : d;
    }

    @PreDestroy
    void stop() {
        drains.shutdown();
        if (sends != null) {
            sends.shutdownNow();
        }
    }
}
