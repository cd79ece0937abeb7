package io.consentcast.optin;

import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;

/**
 * Load shedding for the public pages ({@code /p/...}): at most
 * {@link OptInConfig#maxConcurrentRequests()} requests are worked on at once; the next one is answered at
 * once with 503, {@code Retry-After} and a short page in German and English, instead of waiting for a
 * worker thread and a database connection until it times out with a 500 (what a viral article did before,
 * docs/PERFORMANCE.md). A reader whose submission is refused keeps the filled-in form (the browser's
 * back button) and nothing was stored. Shed requests are counted in
 * {@code consentcast_public_requests_shed_total}; the requests in progress are the gauge
 * {@code consentcast_public_requests_in_flight}.
 */
@ApplicationScoped
public class PublicPageShedding {

    static final String RETRY_AFTER_SECONDS = "5";

    static final String PAGE = """
            <!DOCTYPE html>
            <html lang="de"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
            <title>Einen Moment bitte / One moment please</title><link rel="stylesheet" href="/assets/app.css"></head>
            <body class="public"><main class="public-main">
            <h1>Einen Moment bitte</h1>
            <p>Gerade sind sehr viele Leserinnen und Leser hier. Bitte versuchen Sie es in ein paar Sekunden noch
            einmal; Ihre Angaben wurden nicht gespeichert.</p>
            <h1 lang="en">One moment please</h1>
            <p lang="en">Very many readers are here right now. Please try again in a few seconds; nothing you entered
            was stored.</p>
            </main></body></html>
            """;

    private final AtomicInteger inFlight = new AtomicInteger();

    void install(@Observes Router router, OptInConfig config, MeterRegistry registry) {
        int limit = config.maxConcurrentRequests();
        Counter shed = Counter.builder("consentcast.public.requests.shed")
                .description("Public-page requests answered 503 because the instance was busy").register(registry);
        Gauge.builder("consentcast.public.requests.in.flight", inFlight, AtomicInteger::get)
                .description("Public-page requests in progress").register(registry);
        // Before Quarkus REST's route, so a refused request costs no worker thread.
        router.route("/p/*").order(Integer.MIN_VALUE + 1000).handler(ctx -> admit(ctx, limit, shed));
    }

    private void admit(RoutingContext ctx, int limit, Counter shed) {
        if (inFlight.incrementAndGet() > limit) {
            inFlight.decrementAndGet();
            shed.increment();
            ctx.response().setStatusCode(503).putHeader("Retry-After", RETRY_AFTER_SECONDS)
                    .putHeader("Content-Type", "text/html; charset=utf-8").putHeader("Cache-Control", "no-store")
                    .end(PAGE);
            return;
        }
        ctx.addEndHandler(done -> inFlight.decrementAndGet());
        ctx.next();
    }

    /** Requests in progress (tests). */
    int inFlight() {
        return inFlight.get();
    }
}
