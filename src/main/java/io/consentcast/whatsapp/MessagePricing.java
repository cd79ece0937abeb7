package io.consentcast.whatsapp;

import java.util.Locale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The {@code pricing} object of a status webhook under per-message pricing (since 1 July 2025): whether Meta bills
 * the message ({@code billable}), the pricing category ({@code marketing}, {@code utility}, {@code authentication},
 * {@code authentication_international}, {@code marketing_lite}, {@code service}, {@code referral_conversion}), the
 * model ({@code PMP}; {@code CBP} only for free entry point conversations) and the type ({@code regular},
 * {@code free_customer_service}, {@code free_entry_point}). Values are kept as Meta sends them; any may be null.
 */
public record MessagePricing(Boolean billable, String category, String pricingModel, String type) {

    /** What the sandbox reports for free text inside the customer service window. */
    static final MessagePricing SERVICE_WINDOW = new MessagePricing(false, "service", "PMP", "free_customer_service");

    /** A billed template message of {@code templateCategory} (MARKETING, UTILITY, AUTHENTICATION). */
    static MessagePricing regular(String templateCategory) {
        String category = templateCategory == null ? "marketing" : templateCategory.toLowerCase(Locale.ROOT);
        return new MessagePricing(true, category, "PMP", "regular");
    }

    /** The status's pricing object, or null when it has none. */
    static MessagePricing of(JsonNode pricing) {
        if (pricing == null || !pricing.isObject()) {
            return null;
        }
        JsonNode billable = pricing.path("billable");
        return new MessagePricing(billable.isBoolean() ? billable.asBoolean() : null, text(pricing, "category", 64),
                text(pricing, "pricing_model", 16), text(pricing, "type", 64));
    }

    void writeTo(ObjectNode node) {
        if (billable != null) {
            node.put("billable", billable);
        }
        node.put("pricing_model", pricingModel).put("category", category).put("type", type);
    }

    private static String text(JsonNode node, String field, int max) {
        JsonNode v = node.path(field);
        if (!v.isTextual() || v.asText().isBlank()) {
            return null;
        }
        String s = v.asText();
        return s.length() > max ? s.substring(0, max) : s;
    }
}
