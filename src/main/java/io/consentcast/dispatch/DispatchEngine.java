package io.consentcast.dispatch;

import java.util.UUID;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.quarkus.scheduler.Scheduled;

/** This instance's {@link Dispatcher}, driven by the scheduler ({@code consentcast.dispatch.every}). */
@ApplicationScoped
public class DispatchEngine {

    @Inject
    DispatchWork work;

    @Inject
    DispatchJobs jobs;

    @Inject
    DeliveryOutcomes outcomes;

    @Inject
    DispatchConfig config;

    private volatile Dispatcher dispatcher;

    Dispatcher dispatcher() {
        Dispatcher d = dispatcher;
        if (d == null) {
            synchronized (this) {
                if (dispatcher == null) {
                    dispatcher = new Dispatcher(work, jobs, outcomes, config,
                            config.instanceId().orElse("i-" + UUID.randomUUID().toString().substring(0, 8)),
                            config.workers());
                }
                d = dispatcher;
            }
        }
        return d;
    }

    @Scheduled(every = "${consentcast.dispatch.every:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            identity = "dispatch")
    void tick() {
        dispatcher().runOnce();
    }

    /** Runs one pass now (pages use it after "send now", so small issues go out at once). */
    public void runOnce() {
        dispatcher().runOnce();
    }

    @PreDestroy
    void stop() {
        if (dispatcher != null) {
            dispatcher.close();
        }
    }
}
