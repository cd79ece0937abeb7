package io.consentcast.dispatch;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;
import jakarta.persistence.PersistenceException;

import io.consentcast.whatsapp.ChannelService;

/**
 * Test-only: the production {@link DispatchWork}, which the engine ({@link Dispatcher}) uses, with database
 * failures injected on demand right before a send (reading the channel's settings, the consent gate); the
 * failures after it are {@link FaultInjectingOutcomes}. Passes everything through unless a test arms it;
 * {@link #reset()} disarms.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class FaultInjectingDispatchWork extends DispatchWork {

    private final AtomicInteger senderFailures = new AtomicInteger();
    private final AtomicInteger gateFailures = new AtomicInteger();
    private volatile Consumer<List<Row>> beforeGate;

    /** The next {@code n} reads of the channel's settings for a batch fail. */
    public void failSenders(int n) {
        senderFailures.set(n);
    }

    /** The next {@code n} consent-gate transactions fail. */
    public void failGates(int n) {
        gateFailures.set(n);
    }

    /** Runs {@code hook} with the rows about to pass the consent gate, before each gate transaction. */
    public void beforeGate(Consumer<List<Row>> hook) {
        beforeGate = hook;
    }

    public void reset() {
        senderFailures.set(0);
        gateFailures.set(0);
        beforeGate = null;
    }

    static void maybeFail(AtomicInteger failures, String where) {
        if (failures.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
            throw new PersistenceException("injected database failure: " + where);
        }
    }

    @Override
    public ChannelService.Sender sender(RunContext ctx) {
        maybeFail(senderFailures, "reading the channel settings");
        return super.sender(ctx);
    }

    @Override
    public GateResult gate(RunContext ctx, List<Row> rows, String owner) {
        Consumer<List<Row>> hook = beforeGate;
        if (hook != null) {
            hook.accept(rows);
        }
        maybeFail(gateFailures, "consent gate");
        return super.gate(ctx, rows, owner);
    }
}
