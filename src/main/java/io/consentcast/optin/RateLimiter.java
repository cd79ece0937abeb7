package io.consentcast.optin;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/**
 * Sliding-window limits for the public landing pages, per IP address and per phone number, held in
 * memory by each instance (a flood hits every instance behind the load balancer at about the same
 * rate). People filling in the form once or twice never meet them.
 */
@ApplicationScoped
public class RateLimiter {

    private final Map<String, Deque<Long>> hits = new ConcurrentHashMap<>();

    @Inject
    Clock clock;

    /** Records one attempt under {@code key}; false when more than {@code limit} fall within {@code window}. */
    public boolean tryAcquire(String key, int limit, Duration window) {
        long now = clock.millis();
        long from = now - window.toMillis();
        Deque<Long> q = hits.computeIfAbsent(key, k -> new ArrayDeque<>());
        synchronized (q) {
            while (!q.isEmpty() && q.peekFirst() <= from) {
                q.pollFirst();
            }
            if (q.size() >= limit) {
                return false;
            }
            q.addLast(now);
            return true;
        }
    }

    /** Whether {@code key} already has {@code limit} attempts within {@code window}; records nothing. */
    public boolean exhausted(String key, int limit, Duration window) {
        Deque<Long> q = hits.get(key);
        if (q == null) {
            return false;
        }
        long from = clock.millis() - window.toMillis();
        synchronized (q) {
            return q.stream().filter(t -> t > from).count() >= limit;
        }
    }

    /** Forgets keys whose attempts have all aged out, so memory stays bounded. */
    @Scheduled(every = "5m", concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evict() {
        long from = clock.millis() - Duration.ofHours(2).toMillis();
        hits.entrySet().removeIf(e -> {
            synchronized (e.getValue()) {
                return e.getValue().isEmpty() || e.getValue().peekLast() <= from;
            }
        });
    }

    void clear() {
        hits.clear();
    }
}
