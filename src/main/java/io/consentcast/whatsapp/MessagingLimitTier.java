package io.consentcast.whatsapp;

import java.util.Optional;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A business portfolio's messaging limit: how many unique WhatsApp users it may reach with business-initiated
 * (template) messages in a moving 24 hours. Meta names it by tier in the phone number's
 * {@code whatsapp_business_manager_messaging_limit} field and in {@code phone_number_quality_update} webhooks
 * ({@code TIER_2K}), and by number in {@code business_capability_update} webhooks
 * ({@code max_daily_conversations_per_business}: 250, 2000, 10000, 100000, -1 for unlimited).
 */
public enum MessagingLimitTier {
    TIER_50(50),
    TIER_250(250),
    TIER_1K(1_000),
    TIER_2K(2_000),
    TIER_10K(10_000),
    TIER_100K(100_000),
    TIER_UNLIMITED(null);

    private final Integer maxRecipients;

    MessagingLimitTier(Integer maxRecipients) {
        this.maxRecipients = maxRecipients;
    }

    /** The number of unique recipients per moving 24 hours; null when unlimited. */
    public Integer maxRecipients() {
        return maxRecipients;
    }

    public boolean unlimited() {
        return maxRecipients == null;
    }

    /**
     * Meta's value as it comes: a tier name ({@code "TIER_2K"}), a number ({@code 2000}, {@code "2000"}) or -1 for
     * unlimited. Empty for anything else, including {@code TIER_NOT_SET} (a number that never sent).
     */
    public static Optional<MessagingLimitTier> parse(JsonNode value) {
        if (value == null || value.isMissingNode() || value.isNull()) {
            return Optional.empty();
        }
        return parse(value.asText(""));
    }

    /** Meta's value as text: a tier name or a number (see {@link #parse(JsonNode)}). */
    public static Optional<MessagingLimitTier> parse(String value) {
        if (value == null) {
            return Optional.empty();
        }
        String text = value.trim();
        for (MessagingLimitTier t : values()) {
            if (t.name().equals(text)) {
                return Optional.of(t);
            }
        }
        long n;
        try {
            n = Long.parseLong(text);
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        if (n == -1) {
            return Optional.of(TIER_UNLIMITED);
        }
        for (MessagingLimitTier t : values()) {
            if (t.maxRecipients != null && t.maxRecipients == n) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** A stored tier name. */
    static MessagingLimitTier of(String name) {
        return valueOf(name);
    }
}
