package io.consentcast.dispatch;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.jboss.logging.Logger;

import io.consentcast.dispatch.DispatchWork.Batch;
import io.consentcast.dispatch.DispatchWork.JobRef;
import io.consentcast.dispatch.DispatchWork.Outcome;
import io.consentcast.dispatch.DispatchWork.Row;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.whatsapp.SendResult;

/**
 * One instance's dispatch loop: starts due issues, re-checks running ones, and feeds delivery rows
 * to a fixed pool of worker threads (each makes one blocking channel call at a time), paced per
 * phone number by a {@link TokenBucket}. Several dispatchers (in one JVM or on several instances)
 * share the work through the database: jobs and rows are claimed with FOR UPDATE SKIP LOCKED and
 * leases, so each row is handed to exactly one worker.
 */
public class Dispatcher implements AutoCloseable {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);

    private final DispatchWork work;
    private final DispatchConfig config;
    private final String owner;
    private final ExecutorService pool;
    private final Semaphore inflight;
    private final int capacity;
    private final Map<String, TokenBucket> buckets = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, TokenBucket> issueBuckets = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, AtomicInteger> inflightByIssue = new ConcurrentHashMap<>();
    private final Map<java.util.UUID, AtomicInteger> failuresInARow = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public Dispatcher(DispatchWork work, DispatchConfig config, String owner, int workers) {
        this.work = work;
        this.config = config;
        this.owner = owner;
        this.capacity = Math.max(1, workers);
        this.inflight = new Semaphore(capacity);
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(capacity, r -> {
            Thread t = new Thread(r, "dispatch-" + owner + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public String owner() {
        return owner;
    }

    /**
     * One pass: starts due issues, re-checks running ones, then sends until no row is due any more
     * (rows waiting for a retry are left for a later pass) and every worker is idle again.
     */
    public void runOnce() {
        startAndRecheck();
        long nextCheck = System.nanoTime() + config.recheck().toNanos();
        while (!closed) {
            List<JobRef> running = work.runningJobs();
            int claimed = 0;
            for (JobRef job : running) {
                claimed += feed(job);
            }
            if (claimed == 0) {
                if (inflight.availablePermits() == capacity) {
                    for (JobRef job : running) {
                        work.finishIfDone(job);
                    }
                    return;
                }
                sleep(20);
            }
            if (System.nanoTime() - nextCheck > 0) {
                startAndRecheck();
                nextCheck = System.nanoTime() + config.recheck().toNanos();
            }
        }
    }

    private void startAndRecheck() {
        for (JobRef job : work.claimJobs(DispatchJob.START, owner, 20)) {
            try {
                work.advance(job, owner);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Starting issue %s failed; retried after the job lease", job.issueId());
            }
        }
        for (JobRef job : work.claimJobs(DispatchJob.RUN, owner, 20)) {
            try {
                work.recheck(job, owner);
            } catch (RuntimeException e) {
                LOG.warnf(e, "Re-checking issue %s failed; retried after the job lease", job.issueId());
            }
        }
    }

    /** Claims as many rows of one issue as there are free workers and hands them over; returns how many. */
    private int feed(JobRef job) {
        int room = Math.min(inflight.availablePermits(), config.batchSize());
        AtomicInteger mine = inflightByIssue.computeIfAbsent(job.issueId(), k -> new AtomicInteger());
        TokenBucket known = issueBuckets.get(job.issueId());
        if (known != null) {
            // Hold no more than about ten seconds of sending, so claimed rows never outlive their lease.
            room = Math.min(room, known.rate() * 10 - mine.get());
        }
        if (room <= 0) {
            return 0;
        }
        if (room <= 0) {
            sleep(5);
            return 0;
        }
        Batch batch;
        try {
            batch = work.claim(job, owner, room);
        } catch (RuntimeException e) {
            LOG.warnf(e, "Claiming rows of issue %s failed", job.issueId());
            return 0;
        }
        if (batch.rows().isEmpty()) {
            return 0;
        }
        TokenBucket bucket = buckets.computeIfAbsent(batch.context().phoneKey(),
                k -> new TokenBucket(batch.context().rate()));
        bucket.rate(batch.context().rate());
        issueBuckets.put(job.issueId(), bucket);
        for (Row row : batch.rows()) {
            inflight.acquireUninterruptibly();
            mine.incrementAndGet();
            try {
                pool.execute(() -> {
                    try {
                        process(batch.context(), row, bucket);
                    } finally {
                        mine.decrementAndGet();
                        inflight.release();
                    }
                });
            } catch (RuntimeException e) {
                mine.decrementAndGet();
                inflight.release();
                throw e;
            }
        }
        return batch.rows().size();
    }

    /** Rate, consent gate, send, record: one row from claim to outcome. */
    private void process(RunContext ctx, Row row, TokenBucket bucket) {
        try {
            bucket.acquire();
            String to = work.gate(ctx, row, owner);
            if (to == null) {
                return;
            }
            SendResult result = work.send(ctx, to);
            Outcome outcome = work.record(ctx, row, result, owner);
            AtomicInteger fails = failuresInARow.computeIfAbsent(ctx.issueId(), k -> new AtomicInteger());
            switch (outcome) {
                case SENT -> fails.set(0);
                case RETRY -> bucket.coolDown(config.backoffBase()); // the whole number slows down
                case RECIPIENT_FAILED -> {
                    if (fails.incrementAndGet() >= config.errorBurst()) {
                        fails.set(0);
                        work.pauseForErrors(ctx);
                    }
                }
                default -> {
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            // The row keeps its state: CLAIMED returns to PENDING after the lease; SENDING is resolved by the crash rule.
            LOG.warnf(e, "Dispatch of row %d of issue %s failed", row.id(), ctx.issueId());
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops taking work and waits briefly for the workers to finish their current message. */
    @Override
    public void close() {
        closed = true;
        pool.shutdown();
        try {
            pool.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
