package io.consentcast.consent;

import java.util.List;
import java.util.Objects;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Re-checks the whole ledger of the current workspace in one streaming pass: every event's hash
 * over its content, the link to its predecessor, gap-free sequence numbers, the chain head kept on
 * the subscriber, the evidence digests, the workspace checkpoints and the consent texts. Reports the first problem found.
 */
@ApplicationScoped
public class LedgerVerifier {

    @Inject
    LedgerReader reader;

    @Inject
    LedgerConfig config;

    @Inject
    LedgerCheckpoints checkpoints;

    @Inject
    CurrentTenant currentTenant;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Result(boolean valid, long events, Invalid firstInvalid) {
    }

    /** The first event (or subscriber, or consent text) that failed, and why. */
    public record Invalid(String id, String reason) {
    }

    /** Verifies in a transaction of its own (with the long streaming timeout). */
    public Result verify() {
        String tenantId = currentTenant.id();
        return QuarkusTransaction.requiringNew().timeout((int) config.streamTimeout().toSeconds())
                .call(() -> verifyInTransaction(tenantId));
    }

    Result verifyInTransaction(String tenantId) {
        Check check = new Check();
        reader.stream(tenantId, LedgerReader.Filter.ALL, check::accept);
        check.finishSubscriber();
        if (check.first == null) {
            List<String> lost = reader.subscribersWithLostEvents(tenantId);
            if (!lost.isEmpty()) {
                check.first = new Invalid(lost.get(0), "the subscriber's chain head records events, but none are left");
            }
        }
        if (check.first == null) {
            check.first = checkpoints.verify(tenantId);
        }
        if (check.first == null) {
            List<UUID> altered = reader.alteredConsentTexts(tenantId);
            if (!altered.isEmpty()) {
                check.first = new Invalid(altered.get(0).toString(), "the consent text does not match its sha256");
            }
        }
        return new Result(check.first == null, check.events, check.first);
    }

    /** The state of one pass; events arrive ordered by subscriber and seq. */
    private static final class Check {
        long events;
        Invalid first;
        UUID subscriber;
        long expectedSeq;
        String expectedPrev;
        LedgerReader.Row last;

        void accept(LedgerReader.Row row) {
            events++;
            LedgerHash.Content c = row.content();
            if (!c.subscriberId().equals(subscriber)) {
                finishSubscriber();
                subscriber = c.subscriberId();
                expectedSeq = 1;
                expectedPrev = LedgerHash.GENESIS;
            }
            if (first == null) {
                String problem = problem(row);
                if (problem != null) {
                    first = new Invalid(c.id().toString(), problem);
                }
            }
            expectedSeq = c.seq() + 1;
            expectedPrev = row.hash();
            last = row;
        }

        private String problem(LedgerReader.Row row) {
            LedgerHash.Content c = row.content();
            if (c.seq() != expectedSeq) {
                return c.seq() > expectedSeq
                        ? "sequence gap: expected seq " + expectedSeq + " but found " + c.seq() + " (events missing)"
                        : "sequence out of order: expected seq " + expectedSeq + " but found " + c.seq();
            }
            if (!expectedPrev.equals(c.prevHash())) {
                return "prev_hash does not match the hash of the previous event";
            }
            if (!LedgerHash.hash(c).equals(row.hash())) {
                return "hash does not match the event's content";
            }
            if (row.evidencePresent() && !Objects.equals(c.evidenceDigest(),
                    LedgerHash.evidenceDigest(row.evidenceSalt(), row.ip(), row.userAgent()))) {
                return "the stored IP address or user agent does not match evidence_digest";
            }
            if (c.consentTextId() != null && !Objects.equals(c.consentTextSha256(), row.consentTextStoredSha256())) {
                return "consent_text_sha256 does not match the stored consent text";
            }
            return null;
        }

        void finishSubscriber() {
            if (last == null || first != null) {
                return;
            }
            if (last.subscriberLastSeq() != last.content().seq() || !last.hash().equals(last.subscriberLastHash())) {
                first = new Invalid(last.content().id().toString(),
                        "the subscriber's chain head (seq " + last.subscriberLastSeq()
                                + ") does not end at this event: later events are missing");
            }
        }
    }
}
