package io.consentcast.whatsapp;

/**
 * Meta changed a template's status (APPROVED, REJECTED, PAUSED, DISABLED, ...). The templates
 * table is already updated when this is fired (inside the workspace's transaction).
 */
public record TemplateStatusChanged(String tenantId, String providerTemplateId, String name, String language,
        String status, String reason) {
}
