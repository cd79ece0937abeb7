package io.consentcast.dispatch;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Paces the sends of one phone number: at most {@code rate} per second, with a burst allowance of
 * a twentieth of a second's worth, and a cool-down that holds every sender back after Meta signals
 * a throughput limit. Callers reserve a slot and sleep until it comes.
 */
final class TokenBucket {

    private final Object lock = new Object();
    private volatile int rate;
    private long nextFree = System.nanoTime();
    private long coolUntil = System.nanoTime();

    TokenBucket(int rate) {
        this.rate = Math.max(1, rate);
    }

    void rate(int perSecond) {
        this.rate = Math.max(1, perSecond);
    }

    int rate() {
        return rate;
    }

    /** Blocks until the caller may send one message. */
    void acquire() throws InterruptedException {
        acquire(1);
    }

    /** Blocks until the caller may send {@code messages} messages (a batch takes that many slots). */
    void acquire(int messages) throws InterruptedException {
        long wait;
        synchronized (lock) {
            long now = System.nanoTime();
            long interval = TimeUnit.SECONDS.toNanos(1) / rate;
            long burst = TimeUnit.MILLISECONDS.toNanos(50);
            long slot = Math.max(nextFree, now - burst);
            if (coolUntil - slot > 0) {
                slot = coolUntil;
            }
            nextFree = slot + interval * Math.max(1, messages);
            wait = slot - now;
        }
        if (wait > 0) {
            TimeUnit.NANOSECONDS.sleep(wait);
        }
    }

    /** Holds every sender of this number back for {@code pause}. */
    void coolDown(Duration pause) {
        synchronized (lock) {
            long until = System.nanoTime() + pause.toNanos();
            if (until - coolUntil > 0) {
                coolUntil = until;
            }
        }
    }
}
