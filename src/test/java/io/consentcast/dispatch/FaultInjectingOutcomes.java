package io.consentcast.dispatch;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import io.consentcast.dispatch.DispatchWork.Outcome;
import io.consentcast.dispatch.DispatchWork.RunContext;
import io.consentcast.dispatch.DispatchWork.Sent;

/**
 * Test-only: the production {@link DeliveryOutcomes}, which the engine's recorder uses, with database failures
 * injected on demand right after a send (recording its outcome), and a hook that runs before each attempt.
 * Passes everything through unless a test arms it; {@link #reset()} disarms.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FaultInjectingOutcomes extends DeliveryOutcomes {

    private final AtomicInteger recordFailures = new AtomicInteger();
    private volatile Consumer<List<Sent>> beforeRecord;

    /** The next {@code n} attempts to record outcomes fail (the recorder tries each batch four times). */
    public void failRecords(int n) {
        recordFailures.set(n);
    }

    /** Runs {@code hook} with the outcomes about to be recorded, before each attempt. */
    public void beforeRecord(Consumer<List<Sent>> hook) {
        beforeRecord = hook;
    }

    public void reset() {
        recordFailures.set(0);
        beforeRecord = null;
    }

    @Override
    public List<Outcome> record(RunContext ctx, List<Sent> sent, String owner) {
        Consumer<List<Sent>> hook = beforeRecord;
        if (hook != null) {
            hook.accept(sent);
        }
        FaultInjectingDispatchWork.maybeFail(recordFailures, "recording outcomes");
        return super.record(ctx, sent, owner);
    }
}
