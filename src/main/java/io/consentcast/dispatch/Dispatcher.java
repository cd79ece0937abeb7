package io.consentcast.dispatch;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.consentcast.dispatch.DispatchWork.Batch;
import io.consentcast.dispatch.DispatchWork.Gated;
import io.consentcast.dispatch.DispatchWork.JobRef;
import io.consentcast.dispatch.DispatchWork.Row;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.dispatch.DispatchWork.Sent;
import io.consentcast.whatsapp.ChannelService;
import io.consentcast.whatsapp.ErrorClass;
import io.consentcast.whatsapp.SendResult;

/**
 * One instance's dispatch loop: starts due issues, re-checks running ones and sends their rows.
 * Several dispatchers (in one JVM or on several instances) share the work through the database:
 * jobs and rows are claimed with FOR UPDATE SKIP LOCKED and leases, so each row is handed to
 * exactly one worker.
 *
 * <p>
 * The hot path is a pipeline that keeps database work per message small and batched:
 * <ol>
 * <li>a <b>feeder</b> per sending issue claims a batch of rows (one transaction), opens the
 * channel's sender once for the batch, then, a twentieth of a second's worth at a time, passes rows
 * through the consent gate (one transaction per slice) and waits for as many slots of the phone
 * number's {@link TokenBucket} as passed, so consent is read about 50 ms before the send;</li>
 * <li>a fixed pool of <b>workers</b> makes the blocking channel calls, holding no database
 * connection;</li>
 * <li>one <b>recorder</b> writes the outcomes, as many as have arrived, in one transaction per
 * issue (accepted messages as one batched statement).</li>
 * </ol>
 * A <b>preparer</b> thread per preparing issue whose preparation this instance holds decides the audience chunk
 * by chunk ({@link DispatchJobs#prepare}) while the feeders already send the rows decided so far.
 */
public class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private static final long RUNNING_READ_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    /** How often a feeder re-reads its instance's share of the number's rate while it sends a batch. */
    private static final long SHARE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final DispatchWork work;
    private final DispatchJobs jobs;
    private final DeliveryOutcomes outcomes;
    private final DispatchConfig config;
    private final String owner;
    private final ExecutorService pool;
    private final ExecutorService feederPool;
    private final ExecutorService preparerPool;
    private final OutcomeRecorder recorder;
    private final Semaphore inflight;
    private final int capacity;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<UUID, Future<Integer>> feeders = new ConcurrentHashMap<>();
    private final Map<UUID, Future<?>> preparers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Dispatcher(DispatchWork work, DispatchJobs jobs, DeliveryOutcomes outcomes, DispatchConfig config,
            String owner, int workers) {
        this.work = work;
        this.jobs = jobs;
        this.outcomes = outcomes;
        this.config = config;
        this.owner = owner;
        this.capacity = Math.max(1, workers);
        this.inflight = new Semaphore(capacity);
        this.pool = Executors.newFixedThreadPool(capacity, threads("dispatch-" + owner + "-"));
        this.feederPool = Executors.newCachedThreadPool(threads("dispatch-feed-" + owner + "-"));
        this.preparerPool = Executors.newCachedThreadPool(threads("dispatch-prepare-" + owner + "-"));
        this.recorder = new OutcomeRecorder(outcomes, config, owner, threads("dispatch-record-" + owner + "-"));
    }

    static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    public String owner() {
        return owner;
    }

    /**
     * One pass: starts due issues, re-checks running ones, then sends until no row is due any more
     * (rows waiting for a retry are left for a later pass) and every outcome is recorded.
     */
    public void runOnce() {
        startAndRecheck();
        long nextCheck = System.nanoTime() + config.recheck().toNanos();
        List<DispatchJobs.Running> running = List.of();
        long nextRead = System.nanoTime();
        while (!closed) {
            // The feeders are watched every 20 ms (in memory); the running issues are read from the
            // database every 250 ms (reading them at every turn took 8% of the CPU at 1,000 messages/s).
            if (System.nanoTime() - nextRead >= 0) {
                running = jobs.runningJobs();
                nextRead = System.nanoTime() + RUNNING_READ_NANOS;
                for (DispatchJobs.Running r : running) {
                    if (r.claimable()) {
                        keepPreparing(r.job());
                    }
                }
            }
            boolean active = false;
            for (DispatchJobs.Running r : running) {
                active |= keepFed(r.job());
            }
            if (!active && idle()) {
                for (DispatchJobs.Running r : running) {
                    jobs.finishIfDone(r.job());
                }
                work.leaveNumbers(owner); // the others sending on these numbers take the whole rate again
                return;
            }
            sleep(20);
            if (System.nanoTime() - nextCheck > 0) {
                startAndRecheck();
                nextCheck = System.nanoTime() + config.recheck().toNanos();
            }
        }
    }

    /**
     * Starts a feeder for a sending issue unless one is running. Returns whether work may still be
     * coming: a feeder runs, or the last one claimed rows (so the next may find more).
     */
    private boolean keepFed(JobRef job) {
        Future<Integer> f = feeders.get(job.issueId());
        if (f != null && !f.isDone()) {
            return true;
        }
        if (f != null) {
            feeders.remove(job.issueId());
            return claimed(f) > 0;
        }
        try {
            feeders.put(job.issueId(), feederPool.submit(() -> feed(job)));
            return true;
        } catch (RejectedExecutionException e) {
            return false; // closing
        }
    }

    private static int claimed(Future<Integer> f) {
        try {
            return f.get();
        } catch (ExecutionException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    private boolean idle() {
        // A preparation that has just ended may have written rows after the last feeder found none: not idle
        // this once, so the next turn starts a feeder for them.
        boolean justPrepared = preparers.values().removeIf(Future::isDone);
        return !justPrepared && inflight.availablePermits() == capacity && recorder.idle() && preparers.isEmpty();
    }

    /** Takes over a preparation nobody holds (a new one, or one whose worker died) and decides it on a thread of its own. */
    private void keepPreparing(JobRef job) {
        Future<?> f = preparers.get(job.issueId());
        if ((f != null && !f.isDone()) || !jobs.claimPreparation(job, owner)) {
            return;
        }
        try {
            preparers.put(job.issueId(), preparerPool.submit(() -> prepare(job)));
        } catch (RejectedExecutionException e) {
            // closing: the lease expires and another instance takes the preparation over
        }
    }

    /** A preparer: chunk after chunk until the audience is decided, the issue cancelled or the lease lost. */
    private void prepare(JobRef job) {
        try {
            while (!closed && jobs.prepare(job, owner)) {
                // each chunk commits on its own; the feeders send its PENDING rows meanwhile
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "Preparing the audience of issue %s failed; taken over after the job lease", job.issueId());
        }
    }

    private void startAndRecheck() {
        for (JobRef job : jobs.claimJobs(JobKind.START, owner, 20)) {
            try {
                // A header file goes to Meta for the list's number before the start, with no transaction open.
                jobs.uploadHeader(job);
                jobs.advance(job, owner);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Starting issue %s failed; retried after the job lease", job.issueId());
            }
        }
        for (JobRef job : jobs.claimJobs(JobKind.RUN, owner, 20)) {
            try {
                jobs.recheck(job, owner);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Re-checking issue %s failed; retried after the job lease", job.issueId());
            }
        }
    }

    /** The feeder of one issue: claims batches until none is due; returns how many rows it claimed. */
    private int feed(JobRef job) {
        int total = 0;
        try {
            while (!closed) {
                Batch batch = work.claim(job, owner, config.batchSize());
                if (batch.rows().isEmpty()) {
                    return total;
                }
                total += batch.rows().size();
                if (!send(batch)) {
                    return total;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // Rows not given back (see giveBack) keep their state: CLAIMED returns to PENDING after the lease.
            LOG.warnf(e, "Feeding issue %s failed; rows not given back return after their lease", job.issueId());
        }
        return total;
    }

    /** Gates, paces and hands over one claimed batch; false when the issue stopped sending. */
    private boolean send(Batch batch) throws InterruptedException {
        RunContext ctx = batch.context();
        TokenBucket bucket = buckets.computeIfAbsent(ctx.phoneKey(), k -> new TokenBucket(ctx.rate()));
        bucket.rate(ctx.rate());
        ChannelService.Sender sender;
        try {
            sender = work.sender(ctx);
        } catch (RuntimeException e) {
            giveBack(ctx, batch.rows(), e); // nothing was sent: the rows go back at once
            throw e;
        }
        // A twentieth of a second's worth per gate, so consent is read about 50 ms before the send;
        // when most readers of a slice are excluded (they take no sending slot), the next slice is larger.
        int most = Math.min(config.batchSize(), capacity);
        int target = Math.max(1, Math.min(most, ctx.rate() / 20));
        int slice = target;
        List<Row> rows = batch.rows();
        int from = 0;
        long nextShare = System.nanoTime() + SHARE_NANOS;
        while (from < rows.size() && !closed) {
            if (System.nanoTime() - nextShare >= 0) {
                bucket.rate(work.rateShare(ctx, owner)); // instances joining or leaving the number
                nextShare = System.nanoTime() + SHARE_NANOS;
            }
            List<Row> part = rows.subList(from, Math.min(rows.size(), from + slice));
            from += part.size();
            inflight.acquire(part.size());
            DispatchWork.GateResult gate;
            try {
                gate = work.gate(ctx, part, owner);
            } catch (RuntimeException e) {
                inflight.release(part.size());
                giveBack(ctx, rows.subList(from - part.size(), rows.size()), e); // none of them was sent
                throw e;
            }
            List<Gated> passed = gate.passed();
            inflight.release(part.size() - passed.size());
            if (!gate.sending()) {
                // Paused or cancelled: the gate gave this slice back; the rest of the batch goes back too, so
                // that a resumed issue continues at once instead of after the lease.
                work.release(ctx, rows.subList(from, rows.size()), owner);
                return false;
            }
            slice = passed.size() * 2 < part.size() ? Math.min(most, slice * 2) : target;
            if (!passed.isEmpty()) {
                acquireSlots(bucket, passed.size());
            }
            for (Gated g : passed) {
                try {
                    pool.execute(() -> sendOne(ctx, sender, g, bucket));
                } catch (RejectedExecutionException e) {
                    inflight.release(); // closing: the row is resolved by the crash rule
                }
            }
        }
        if (from < rows.size()) {
            work.release(ctx, rows.subList(from, rows.size()), owner); // closing: not sent, not lost
        }
        return !closed;
    }

    /**
     * A database failure before the send (the channel's settings or the gate could not be read): the rows
     * still CLAIMED by this instance go back to PENDING at once, so they are sent later like after a
     * retryable error. Should the database refuse that too, they come back after their lease.
     */
    private void giveBack(RunContext ctx, List<Row> rows, RuntimeException cause) {
        try {
            work.release(ctx, rows, owner);
        } catch (RuntimeException e) {
            LOG.warnf("Could not give back %d claimed rows of issue %s (%s); they return after their lease",
                    rows.size(), ctx.issueId(), e.toString());
        }
        LOG.warnf("Database failure before sending %d rows of issue %s; nothing sent, they are sent later: %s",
                rows.size(), ctx.issueId(), cause.toString());
    }

    /** Waits for the number's sending slots; gated rows are SENDING, so they go out even if interrupted. */
    private static void acquireSlots(TokenBucket bucket, int messages) {
        try {
            bucket.acquire(messages);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** A worker: one blocking channel call, its outcome queued for the recorder. */
    private void sendOne(RunContext ctx, ChannelService.Sender sender, Gated g, TokenBucket bucket) {
        try {
            SendResult result = work.send(ctx, sender, g);
            if (result instanceof SendResult.Failed f
                    && (f.errorClass() == ErrorClass.RETRY_LATER || f.errorClass() == ErrorClass.OUTCOME_UNKNOWN)) {
                bucket.coolDown(config.backoffBase()); // the whole number slows down
            }
            recorder.add(ctx, new Sent(g.row(), g.to(), result, sender));
        } catch (RuntimeException e) {
            // The row stays SENDING: the crash rule settles it (outcome unknown), it is never sent twice.
            LOG.warnf(e, "Dispatch of row %d of issue %s failed", g.row().id(), ctx.issueId());
        } finally {
            inflight.release();
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking work, waits briefly for the messages on the wire, and records their outcomes. */
    @Override
    public void close() {
        closed = true;
        try {
            preparerPool.shutdown();
            feederPool.shutdown();
            feederPool.awaitTermination(10, TimeUnit.SECONDS);
            preparerPool.awaitTermination(10, TimeUnit.SECONDS);
            pool.shutdown();
            pool.awaitTermination(10, TimeUnit.SECONDS);
            recorder.stop(TimeUnit.SECONDS.toMillis(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
