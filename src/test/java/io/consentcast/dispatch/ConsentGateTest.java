package io.consentcast.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.consentcast.consent.ConsentAudience.Recipient;
import io.consentcast.consent.ConsentStatus;

/** Every decision of the consent gate, one rule at a time. */
class ConsentGateTest {

    private static final Instant NOW = Instant.parse("2026-12-01T05:30:00Z");
    private static final UUID EVENT = UUID.randomUUID();

    private static Recipient recipient(String phone, boolean erased, ConsentStatus state, boolean suppressed,
            Instant interaction) {
        return new Recipient(UUID.randomUUID(), phone, erased, state, suppressed, interaction, EVENT, interaction,
                false);
    }

    private static Recipient confirmed() {
        return recipient("+4915112345678", false, ConsentStatus.CONFIRMED, false, NOW.minusSeconds(86_400));
    }

    private static String reason(Recipient r) {
        return ConsentGate.decide(r, NOW, 24, true).reason();
    }

    @Test
    void aConfirmedReaderIsSentToWithTheConsentEventThatJustifiesIt() {
        ConsentGate.Decision d = ConsentGate.decide(confirmed(), NOW, 24, true);
        assertTrue(d.send());
        assertEquals(EVENT, d.consentEventId());
        assertEquals("4915112345678", d.to());
    }

    @Test
    void everyOtherReaderIsExcludedWithTheReason() {
        assertEquals(ConsentGate.ERASED, reason(null));
        assertEquals(ConsentGate.ERASED,
                reason(recipient(null, true, ConsentStatus.SUPPRESSED, true, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.WITHDRAWN,
                reason(recipient("+4915112345678", false, ConsentStatus.WITHDRAWN, false, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.SUPPRESSED,
                reason(recipient("+4915112345678", false, ConsentStatus.SUPPRESSED, true, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.SUPPRESSED,
                reason(recipient("+4915112345678", false, ConsentStatus.CONFIRMED, true, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.EXPIRED,
                reason(recipient("+4915112345678", false, ConsentStatus.EXPIRED, false, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.NOT_CONFIRMED,
                reason(recipient("+4915112345678", false, ConsentStatus.PENDING, false, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.NOT_CONFIRMED,
                reason(recipient("+4915112345678", false, ConsentStatus.IMPORTED, false, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.NOT_CONFIRMED,
                reason(recipient("+4915112345678", false, null, false, null)));
        assertEquals(ConsentGate.INVALID_NUMBER,
                reason(recipient("12", false, ConsentStatus.CONFIRMED, false, NOW.minusSeconds(60))));
        assertEquals(ConsentGate.INVALID_NUMBER,
                reason(recipient(null, false, ConsentStatus.CONFIRMED, false, NOW.minusSeconds(60))));
    }

    @Test
    void consentWithoutInteractionForLongerThanTheWorkspaceSettingExpires() {
        Instant old = NOW.atOffset(ZoneOffset.UTC).minusMonths(25).toInstant();
        Instant recent = NOW.atOffset(ZoneOffset.UTC).minusMonths(23).toInstant();
        Recipient stale = recipient("+4915112345678", false, ConsentStatus.CONFIRMED, false, old);
        Recipient fresh = recipient("+4915112345678", false, ConsentStatus.CONFIRMED, false, recent);
        assertEquals(ConsentGate.EXPIRED, ConsentGate.decide(stale, NOW, 24, true).reason());
        assertTrue(ConsentGate.decide(fresh, NOW, 24, true).send());
        assertEquals(ConsentGate.EXPIRED, ConsentGate.decide(fresh, NOW, 12, true).reason());
    }

    @Test
    void aReaderConfirmedOnlyThroughTheSandboxIsSentToOnlyWhileTheChannelIsTheSandbox() {
        Recipient r = confirmed();
        Recipient sandbox = new Recipient(r.subscriberId(), r.phone(), false, ConsentStatus.CONFIRMED, false,
                r.since(), EVENT, r.lastInteraction(), true);
        assertEquals(ConsentGate.SANDBOX_ONLY, ConsentGate.decide(sandbox, NOW, 24, true).reason(),
                "a workspace on the Cloud API does not send on sandbox evidence");
        assertTrue(ConsentGate.decide(sandbox, NOW, 24, false).send(), "the sandbox sends to its own test readers");
        assertTrue(ConsentGate.decide(r, NOW, 24, true).send(), "a real confirmation is not affected");
    }
}
