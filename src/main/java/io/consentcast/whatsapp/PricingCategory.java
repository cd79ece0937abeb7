package io.consentcast.whatsapp;

/** The template categories Meta prices per delivered message (a template's {@code category}). */
public enum PricingCategory {
    MARKETING, UTILITY, AUTHENTICATION
}
