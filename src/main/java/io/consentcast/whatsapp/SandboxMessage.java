package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** A message "sent" through the sandbox channel, shown on the sandbox phone page. */
@Entity
@Table(name = "whatsapp_sandbox_messages")
public class SandboxMessage {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "provider_message_id", nullable = false)
    public String providerMessageId;

    @Column(name = "to_wa_id", nullable = false)
    public String to;

    /** template or text. */
    @Column(nullable = false)
    public String kind;

    @Column(name = "template_name")
    public String templateName;

    public String language;

    /** The text as the user would read it, placeholders filled in. */
    @Column(name = "rendered_text", nullable = false)
    public String renderedText;

    /** JSON array of {"text","payload"} quick-reply buttons. */
    @Column(name = "quick_replies", nullable = false)
    public String quickReplies;

    /** JSON of the template as shown ({@link TemplateLayout.Rendered}): header, body, footer, buttons; null for text. */
    public String rich;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
