package io.consentcast.bench;

import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.HdrHistogram.Histogram;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.PoolOptions;

/**
 * A load generator on one Vert.x event loop, in the benchmark JVM (not the application's).
 *
 * <p>
 * {@link #open}: an open model. Arrivals are scheduled at a fixed rate whatever the answers do, and each latency
 * is measured from the arrival's <em>intended</em> start, so a stalled server shows up as latency instead of as
 * fewer requests (no coordinated omission). Connections are pooled (HTTP/1.1 keep-alive); an arrival that finds
 * every connection busy waits in the client's queue, and that wait counts.
 *
 * <p>
 * {@link #closed}: a closed model, {@code concurrency} users each starting again as soon as they finish, to find
 * the most the server does (its capacity).
 */
final class OpenLoad implements AutoCloseable {

    /** One unit of work (one arrival); records its own sub-timings in the phase. Runs on the event loop. */
    interface Scenario {
        Future<?> run(long index, long intendedStartNanos, Phase phase);
    }

    final Vertx vertx;
    final HttpClient client;

    OpenLoad(int connections) {
        vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1).setWorkerPoolSize(1));
        client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true).setTcpNoDelay(true)
                .setConnectTimeout(10_000).setIdleTimeout(60).setIdleTimeoutUnit(TimeUnit.SECONDS),
                new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(-1));
    }

    /** Latencies (microseconds) and outcomes of one phase; touched only on the event loop while it runs. */
    static final class Phase {
        final String name;
        final Map<String, Histogram> histograms = new TreeMap<>();
        final Map<String, Long> errors = new TreeMap<>();
        long ok;
        long issued;
        long inFlight;
        long unfinished;
        long startNanos;
        long lastCompletionNanos;
        double targetRate;
        int concurrency;
        /** Set when the wait ended: answers arriving later are not counted. */
        volatile boolean over;

        Phase(String name) {
            this.name = name;
        }

        void record(String what, long nanos) {
            if (over) {
                return;
            }
            histograms.computeIfAbsent(what, k -> new Histogram(TimeUnit.MINUTES.toMicros(10), 3))
                    .recordValue(Math.max(0, Math.min(nanos / 1000, TimeUnit.MINUTES.toMicros(10))));
        }

        void error(Throwable t) {
            if (over) {
                return;
            }
            String kind = t instanceof StatusException s ? "status-" + s.status : t.getClass().getSimpleName();
            errors.merge(kind, 1L, Long::sum);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum() + unfinished;
        }

        double seconds() {
            return (lastCompletionNanos - startNanos) / 1e9;
        }

        double achievedRate() {
            return seconds() <= 0 ? 0 : ok / seconds();
        }

        Histogram histogram(String what) {
            return histograms.get(what);
        }

        Map<String, Object> summary() {
            Map<String, Object> r = Bench.object();
            if (targetRate > 0) {
                r.put("model", "open (fixed arrival rate)");
                r.put("targetPerSecond", targetRate);
            } else {
                r.put("model", "closed (as fast as " + concurrency + " concurrent users go)");
            }
            r.put("issued", issued);
            r.put("ok", ok);
            r.put("errors", errors);
            r.put("unfinished", unfinished);
            r.put("seconds", Bench.round(seconds(), 2));
            r.put("achievedPerSecond", Bench.round(achievedRate(), 1));
            Map<String, Object> lat = Bench.object();
            histograms.forEach((k, h) -> lat.put(k, latency(h)));
            r.put("latencyMs", lat);
            return r;
        }

        static Map<String, Object> latency(Histogram h) {
            Map<String, Object> m = Bench.object();
            m.put("count", h.getTotalCount());
            m.put("p50", ms(h.getValueAtPercentile(50)));
            m.put("p90", ms(h.getValueAtPercentile(90)));
            m.put("p99", ms(h.getValueAtPercentile(99)));
            m.put("p99.9", ms(h.getValueAtPercentile(99.9)));
            m.put("max", ms(h.getMaxValue()));
            m.put("mean", Bench.round(h.getMean() / 1000.0, 2));
            return m;
        }

        static double ms(long micros) {
            return Bench.round(micros / 1000.0, 2);
        }
    }

    /** An answer with an unexpected HTTP status. */
    static final class StatusException extends RuntimeException {
        final int status;

        StatusException(int status, String what) {
            super(what + " answered " + status, null, false, false);
            this.status = status;
        }
    }

    /**
     * Starts {@code rate} arrivals per second for {@code duration}, then waits up to {@code grace} for the last
     * answers; arrivals still open then count as unfinished. Latency of the whole arrival is recorded as
     * {@code total}, from its intended start.
     */
    Phase open(String name, double rate, Duration duration, Duration grace, Scenario scenario) {
        Phase phase = new Phase(name);
        phase.targetRate = rate;
        long total = Math.max(1, Math.round(rate * duration.toNanos() / 1e9));
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            long t0 = System.nanoTime();
            phase.startNanos = t0;
            phase.lastCompletionNanos = t0;
            vertx.setPeriodic(1, timer -> {
                long now = System.nanoTime();
                long due = Math.min(total, (long) Math.floor((now - t0) * rate / 1e9) + 1);
                while (phase.issued < due) {
                    long k = phase.issued++;
                    long intended = t0 + (long) (k * 1e9 / rate);
                    launch(phase, scenario, k, intended).onComplete(ar -> {
                        if (settle(phase, ar, intended) && phase.issued == total && phase.inFlight == 0) {
                            done.complete(null);
                        }
                    });
                }
                if (phase.issued >= total) {
                    vertx.cancelTimer(timer);
                }
            });
        });
        await(done, phase, duration.plus(grace));
        return phase;
    }

    /** {@code concurrency} users, each starting its next arrival as soon as the last one finished, for {@code duration}. */
    Phase closed(String name, int concurrency, Duration duration, Scenario scenario) {
        Phase phase = new Phase(name);
        phase.concurrency = concurrency;
        CompletableFuture<Void> done = new CompletableFuture<>();
        vertx.runOnContext(v -> {
            long t0 = System.nanoTime();
            long end = t0 + duration.toNanos();
            phase.startNanos = t0;
            phase.lastCompletionNanos = t0;
            for (int u = 0; u < concurrency; u++) {
                user(phase, scenario, end, done);
            }
        });
        await(done, phase, duration.plusSeconds(30));
        return phase;
    }

    /** Starts one arrival, counted in flight; a scenario that throws is a failed arrival. */
    private static Future<?> launch(Phase phase, Scenario scenario, long k, long intendedNanos) {
        phase.inFlight++;
        try {
            return scenario.run(k, intendedNanos, phase);
        } catch (RuntimeException e) {
            return Future.failedFuture(e);
        }
    }

    /** Records how an arrival ended (latency from its intended start); false once the phase is over. */
    private static boolean settle(Phase phase, io.vertx.core.AsyncResult<?> ar, long intendedNanos) {
        if (phase.over) {
            return false;
        }
        phase.inFlight--;
        long end = System.nanoTime();
        phase.lastCompletionNanos = Math.max(phase.lastCompletionNanos, end);
        if (ar.succeeded()) {
            phase.ok++;
            phase.record("total", end - intendedNanos);
        } else {
            phase.error(ar.cause());
        }
        return true;
    }

    private void user(Phase phase, Scenario scenario, long endNanos, CompletableFuture<Void> done) {
        long start = System.nanoTime();
        if (start >= endNanos) {
            if (phase.inFlight == 0) {
                done.complete(null);
            }
            return;
        }
        long k = phase.issued++;
        launch(phase, scenario, k, start).onComplete(ar -> {
            if (settle(phase, ar, start)) {
                user(phase, scenario, endNanos, done);
            }
        });
    }

    private void await(CompletableFuture<Void> done, Phase phase, Duration timeout) {
        try {
            done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            CompletableFuture<Void> ended = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                phase.over = true;
                ended.complete(null);
            });
            ended.join();
        } catch (TimeoutException e) {
            CompletableFuture<Void> counted = new CompletableFuture<>();
            vertx.runOnContext(v -> {
                phase.unfinished = phase.inFlight;
                phase.over = true;
                counted.complete(null);
            });
            counted.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        client.close();
        vertx.close().toCompletionStage().toCompletableFuture().orTimeout(20, TimeUnit.SECONDS).join();
    }
}
