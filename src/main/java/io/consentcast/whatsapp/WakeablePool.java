package io.consentcast.whatsapp;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

import org.jboss.logging.Logger;

/**
 * Up to {@code max} background runners that call {@code drainOnce} (which claims and handles one batch and returns its
 * size) until it finds nothing, woken by {@link #kick()}. A kick starts one more runner unless all run already; a
 * runner that finds nothing looks again when a kick came in meanwhile, and a full batch wakes another runner. Used by
 * the webhook inbox and the reply outbox; both also have a scheduled sweep for what a restart interrupted.
 */
final class WakeablePool {

    private static final Logger LOG = Logger.getLogger(WakeablePool.class);

    private final String name;
    private final IntSupplier max;
    private final IntSupplier batchSize;
    private final IntSupplier drainOnce;
    private final ExecutorService threads;
    private final AtomicInteger running = new AtomicInteger();
    private final AtomicLong kicks = new AtomicLong();

    WakeablePool(String name, IntSupplier max, IntSupplier batchSize, IntSupplier drainOnce) {
        this.name = name;
        this.max = max;
        this.batchSize = batchSize;
        this.drainOnce = drainOnce;
        this.threads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    void kick() {
        kicks.incrementAndGet();
        int limit = Math.max(1, max.getAsInt());
        for (int r = running.get(); r < limit; r = running.get()) {
            if (running.compareAndSet(r, r + 1)) {
                try {
                    threads.execute(this::run);
                } catch (RejectedExecutionException e) {
                    running.decrementAndGet(); // shutting down
                }
                return;
            }
        }
    }

    private void run() {
        long seen = kicks.get();
        try {
            while (true) {
                seen = kicks.get();
                int n = drainOnce.getAsInt();
                if (n == 0) {
                    if (kicks.get() == seen) {
                        return;
                    }
                } else if (n >= batchSize.getAsInt()) {
                    kick(); // more is waiting: another runner helps
                }
            }
        } catch (RuntimeException e) {
            LOG.warnf(e, "%s: a background run failed; the scheduled sweep will retry", name);
        } finally {
            running.decrementAndGet();
            if (kicks.get() != seen) {
                kick(); // a kick came while this runner was leaving
            }
        }
    }

    void shutdown() {
        threads.shutdownNow();
    }
}
