package io.consentcast.consent;

import java.util.Optional;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberUtil;
import com.google.i18n.phonenumbers.Phonenumber.PhoneNumber;

/** Reads phone numbers as people write them and normalises them to E.164 (+4915123456789). */
public final class PhoneNumbers {

    private static final PhoneNumberUtil UTIL = PhoneNumberUtil.getInstance();

    private PhoneNumbers() {
    }

    /**
     * The country in which a workspace reads numbers written without a country code (and which its forms
     * preselect): Germany for German workspaces, else the United Kingdom.
     */
    public static String workspaceRegion(String workspaceLocale) {
        return "de".equals(workspaceLocale) ? "DE" : "GB";
    }

    /** Whether the input names its country itself ({@code +49 ...} or {@code 0049 ...}). */
    public static boolean hasCountryCode(String input) {
        String raw = input == null ? "" : input.strip();
        return raw.startsWith("+") || raw.startsWith("00");
    }

    /** The E.164 form of a valid number, empty when {@code input} is no valid number. */
    public static Optional<String> e164(String input, String defaultRegion) {
        if (input == null || input.isBlank() || input.length() > 40) {
            return Optional.empty();
        }
        String raw = input.strip();
        if (raw.startsWith("00")) {
            raw = "+" + raw.substring(2);
        }
        try {
            PhoneNumber number = UTIL.parse(raw, defaultRegion);
            if (!UTIL.isValidNumber(number)) {
                return Optional.empty();
            }
            return Optional.of(UTIL.format(number, PhoneNumberUtil.PhoneNumberFormat.E164));
        } catch (NumberParseException e) {
            return Optional.empty();
        }
    }
}
