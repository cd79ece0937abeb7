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

    /**
     * A number for display where the whole number is not needed: country code, the first and the last three digits
     * (two of short numbers), the rest as four dots whatever its length: {@code +49 151 •••• 789}. Null stays null.
     */
    public static String masked(String e164) {
        if (e164 == null) {
            return null;
        }
        try {
            PhoneNumber number = UTIL.parse(e164, null);
            String national = UTIL.getNationalSignificantNumber(number);
            int shown = national.length() >= 9 ? 3 : national.length() >= 6 ? 2 : 0;
            String start = national.substring(0, shown);
            String end = national.substring(national.length() - shown);
            return "+" + number.getCountryCode() + " " + (shown == 0 ? "" : start + " ") + "\u2022\u2022\u2022\u2022"
                    + (shown == 0 ? "" : " " + end);
        } catch (NumberParseException e) {
            return "\u2022\u2022\u2022\u2022";
        }
    }
}
