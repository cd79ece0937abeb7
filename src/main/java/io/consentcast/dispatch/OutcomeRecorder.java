package io.consentcast.dispatch;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.consentcast.dispatch.DispatchWork.Outcome;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.dispatch.DispatchWork.Sent;

/**
 * The {@link Dispatcher}'s recorder: one thread that writes the send outcomes, as many as have arrived, in one
 * transaction per issue ({@link DeliveryOutcomes#record}), retries a failed write a few times (then leaves the
 * rows SENDING for the crash rule), and pauses an issue after an error burst (many recipients failing in a row).
 */
final class OutcomeRecorder {

    private static final Logger LOG = Logger.getLogger(OutcomeRecorder.class);

    /** How many times the recorder tries to write a batch of outcomes before leaving it to the crash rule. */
    private static final int RECORD_ATTEMPTS = 4;

    private final DeliveryOutcomes outcomes;
    private final DispatchConfig config;
    private final String owner;
    private final Thread thread;
    private final BlockingQueue<Result> results = new LinkedBlockingQueue<>();
    private final AtomicInteger unrecorded = new AtomicInteger();
    private final Map<UUID, AtomicInteger> failuresInARow = new ConcurrentHashMap<>();
    private volatile boolean recorderStopping;

    /** A send's outcome waiting for the recorder. */
    private record Result(RunContext ctx, Sent sent) {
    }

    OutcomeRecorder(DeliveryOutcomes outcomes, DispatchConfig config, String owner, ThreadFactory threads) {
        this.outcomes = outcomes;
        this.config = config;
        this.owner = owner;
        this.thread = threads.newThread(this::recordLoop);
        this.thread.start();
    }

    /** Queues a send's outcome (called by the workers). */
    void add(RunContext ctx, Sent sent) {
        unrecorded.incrementAndGet();
        results.add(new Result(ctx, sent));
    }

    /** True when every queued outcome has been written (or given up on). */
    boolean idle() {
        return unrecorded.get() == 0;
    }

    /** Writes what is queued, then stops; waits at most {@code millis}. */
    void stop(long millis) throws InterruptedException {
        recorderStopping = true;
        thread.join(millis);
    }

    /** The recorder: writes whatever outcomes have arrived, one transaction per issue. */
    private void recordLoop() {
        List<Result> taken = new ArrayList<>();
        while (!(recorderStopping && results.isEmpty())) {
            try {
                Result first = results.poll(50, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                taken.add(first);
                results.drainTo(taken, 2_000);
                Map<UUID, List<Result>> byIssue = new LinkedHashMap<>();
                for (Result r : taken) {
                    byIssue.computeIfAbsent(r.ctx().issueId(), k -> new ArrayList<>()).add(r);
                }
                for (List<Result> group : byIssue.values()) {
                    record(group);
                }
            } catch (InterruptedException e) {
                if (recorderStopping) {
                    return;
                }
            } finally {
                unrecorded.addAndGet(-taken.size());
                taken.clear();
            }
        }
    }

    private void record(List<Result> group) throws InterruptedException {
        RunContext ctx = group.get(0).ctx();
        List<Sent> sent = group.stream().map(Result::sent).toList();
        for (int attempt = 1;; attempt++) {
            try {
                afterRecording(ctx, outcomes.record(ctx, sent, owner));
                return;
            } catch (RuntimeException e) {
                if (attempt >= RECORD_ATTEMPTS) {
                    // Left SENDING: after the lease the crash rule marks them FAILED outcome-unknown (visible
                    // on the issue), which is the truth as far as the database knows.
                    LOG.errorf(e, "Could not record %d outcomes of issue %s", sent.size(), ctx.issueId());
                    return;
                }
                LOG.warnf(e, "Recording %d outcomes of issue %s failed (attempt %d); retrying", sent.size(),
                        ctx.issueId(), attempt);
                Thread.sleep(200L << attempt);
            }
        }
    }

    /** An error burst (many recipients failing in a row) pauses the issue. */
    private void afterRecording(RunContext ctx, List<Outcome> recorded) {
        AtomicInteger fails = failuresInARow.computeIfAbsent(ctx.issueId(), k -> new AtomicInteger());
        for (Outcome outcome : recorded) {
            if (outcome == Outcome.SENT) {
                fails.set(0);
            } else if ((outcome == Outcome.RECIPIENT_FAILED || outcome == Outcome.AWAITING)
                    && fails.incrementAndGet() >= config.errorBurst()) {
                fails.set(0);
                outcomes.pauseForErrors(ctx);
            }
        }
    }
}
