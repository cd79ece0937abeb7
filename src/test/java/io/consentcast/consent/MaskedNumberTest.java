package io.consentcast.consent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** How a number is shown in tables: country code, first and last digits, the rest hidden whatever its length. */
class MaskedNumberTest {

    @Test
    void numbersAreMaskedInTheMiddle() {
        assertEquals("+49 151 \u2022\u2022\u2022\u2022 789", PhoneNumbers.masked("+4915123456789"));
        assertEquals("+44 740 \u2022\u2022\u2022\u2022 123", PhoneNumbers.masked("+447400123123"));
        assertEquals("+1 202 \u2022\u2022\u2022\u2022 111", PhoneNumbers.masked("+12025550111"));
        assertNull(PhoneNumbers.masked(null));
    }
}
