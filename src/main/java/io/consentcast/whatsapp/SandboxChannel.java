package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Plays Meta's part without an account: a "sent" message is stored for the sandbox phone page,
 * checked like Meta checks it (template approved and in that language, parameter count, the
 * 24-hour window for free text: same error codes), and answered by simulated sent, delivered
 * and read statuses that travel through the webhook inbox like Meta's.
 */
@ApplicationScoped
public class SandboxChannel implements WhatsAppChannel {

    static final String DISPLAY_NUMBER = "+1 555 0100";

    /** Media ids the sandbox gives uploaded header files: this prefix and the file's id. */
    static final String MEDIA_PREFIX = "sandbox-media.";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TemplateService templates;

    @Inject
    WebhookInbox inbox;

    @Inject
    ObjectMapper json;

    @Inject
    MessagingLimits limits;

    @Inject
    Clock clock;

    public record QuickReply(String text, String payload) {
    }

    @Override
    public ChannelType type() {
        return ChannelType.SANDBOX;
    }

    @Override
    public SendResult send(ChannelSettings settings, String accessToken, OutgoingMessage message) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            String to = message.to() == null ? "" : message.to().replaceAll("[^0-9]", "");
            if (to.length() < 6 || to.length() > 15) {
                return MetaErrors.classify(400, 100, "Invalid parameter", "to must be a phone number");
            }
            SandboxMessage m = new SandboxMessage();
            m.id = Ids.uuid7(clock);
            m.tenantId = currentTenant.id();
            m.providerMessageId = "wamid.SANDBOX." + m.id.toString().replace("-", "");
            m.to = to;
            m.createdAt = clock.instant();
            List<QuickReply> buttons = new ArrayList<>();
            MessagePricing pricing = MessagePricing.SERVICE_WINDOW;
            if (message instanceof OutgoingMessage.Text text) {
                Instant windowStart = clock.instant().minus(Duration.ofHours(24));
                long recent = em.createQuery("select count(r) from InboundMessageRecord r where r.fromWaId = :f"
                        + " and r.sentAt > :since", Long.class).setParameter("f", to).setParameter("since", windowStart)
                        .getSingleResult();
                if (recent == 0) {
                    return MetaErrors.classify(400, MetaErrors.OUTSIDE_WINDOW,
                            "Re-engagement message", "More than 24 hours have passed since the recipient last replied");
                }
                m.kind = "text";
                m.renderedText = text.body();
            } else if (message instanceof OutgoingMessage.Template t) {
                WhatsAppTemplate template = templates.find(t.name(), t.language()).orElse(null);
                if (template == null || !template.usable()) {
                    return MetaErrors.classify(404, MetaErrors.TEMPLATE_MISSING, "Template name does not exist in the translation",
                            "template name (" + t.name() + ") does not exist in " + t.language());
                }
                if (template.parameterCount != t.bodyParameters().size()) {
                    return MetaErrors.classify(400, MetaErrors.PARAMETER_COUNT, "Number of parameters does not match the expected number of params",
                            "body: number of localizable_params (" + t.bodyParameters().size()
                                    + ") does not match the expected number of params (" + template.parameterCount + ")");
                }
                TemplateLayout layout = TemplateLayout.parse(template.components, json);
                OutgoingMessage.Extras extras = t.extras();
                if ((layout.mediaHeader() || layout.header() != null && layout.header().needsText())
                        && extras.headerValue() == null && extras.headerMediaId() == null) {
                    return MetaErrors.classify(400, MetaErrors.PARAMETER_COUNT, "Number of parameters does not match the expected number of params",
                            "header: format " + layout.header().format() + " requires a parameter");
                }
                List<String> urls = new ArrayList<>();
                for (int index : layout.dynamicUrlButtons()) {
                    String suffix = extras.urlButtons().stream().filter(b -> b.index() == index).map(OutgoingMessage.UrlButton::suffix)
                            .findFirst().orElse(null);
                    if (suffix == null) {
                        return MetaErrors.classify(400, MetaErrors.PARAMETER_COUNT, "Number of parameters does not match the expected number of params",
                                "button at index " + index + ": url requires a parameter");
                    }
                    urls.add(layout.buttons().get(index).urlPrefix() + suffix);
                }
                for (int i = 0; i < layout.buttons().size(); i++) {
                    TemplateLayout.Button b = layout.buttons().get(i);
                    if (b.type() == TemplateLayout.ButtonType.QUICK_REPLY) {
                        String payload = i < t.quickReplyPayloads().size() && t.quickReplyPayloads().get(i) != null
                                ? t.quickReplyPayloads().get(i) : b.text();
                        buttons.add(new QuickReply(b.text(), payload));
                    }
                }
                m.kind = "template";
                m.templateName = t.name();
                m.language = t.language();
                String src = mediaPath(extras.headerMediaId());
                if (extras.headerMediaId() != null && src == null) {
                    return MetaErrors.classify(400, 131053, "Media upload error", "Unknown media id " + extras.headerMediaId());
                }
                TemplateLayout.Rendered shown = src == null ? layout.render(t.bodyParameters(), extras.headerValue(), urls)
                        : layout.render(t.bodyParameters(), extras.headerValue(), urls, src);
                m.renderedText = shown.body();
                m.rich = write(shown);
                pricing = MessagePricing.regular(template.category);
                // Business-initiated: counted for the sandbox portfolio's messaging limit, as Meta counts it.
                limits.recordSend(m.tenantId, MessagingLimits.sandboxAccount(m.tenantId),
                        WebhookProcessor.SANDBOX_PHONE_PREFIX + m.tenantId, to);
            }
            m.quickReplies = write(buttons);
            em.persist(m);
            Instant now = clock.instant();
            inbox.store(InboxEntry.SOURCE_SANDBOX, statuses(m.tenantId, m.providerMessageId, to,
                    List.of("sent", "delivered", "read"), now, message.callbackData(), pricing));
            return new SendResult.Accepted(m.providerMessageId);
        });
    }

    /**
     * The sandbox's upload: nothing leaves the application; the file's id in the workspace is its media id
     * ({@link #MEDIA_PREFIX}), so the sandbox phone shows the stored file itself.
     */
    @Override
    public SendResult upload(ChannelSettings settings, String accessToken, MediaService.MediaUpload media) {
        return new SendResult.Accepted(MEDIA_PREFIX + media.id());
    }

    /** The workspace-relative path the sandbox phone loads a header file from, for a sandbox media id; else null. */
    static String mediaPath(String mediaId) {
        if (mediaId == null || !mediaId.startsWith(MEDIA_PREFIX)) {
            return null;
        }
        try {
            return "media/" + java.util.UUID.fromString(mediaId.substring(MEDIA_PREFIX.length()));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * A sample send's header and URL buttons: the template's example media (or "Sample" for a TEXT header's value)
     * and the suffix "sample" for each dynamic URL button (a sample leads to no counted link).
     */
    OutgoingMessage.Extras sampleExtras(String name, String language) {
        TemplateLayout layout = templates.find(name, language).map(t -> TemplateLayout.parse(t.components, json))
                .orElse(TemplateLayout.EMPTY);
        TemplateLayout.Header h = layout.header();
        String header = h == null ? null : h.format().media() ? h.example() : h.needsText() ? "Sample" : null;
        return new OutgoingMessage.Extras(h == null ? null : h.format(), header,
                layout.dynamicUrlButtons().stream().map(i -> new OutgoingMessage.UrlButton(i, "sample")).toList());
    }

    /** How a template message looks on the phone (header, body, footer, buttons); null for a text message. */
    TemplateLayout.Rendered rendered(SandboxMessage m) {
        try {
            return m.rich == null ? null : json.readValue(m.rich, TemplateLayout.Rendered.class);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    List<QuickReply> quickReplies(SandboxMessage m) {
        try {
            return List.of(json.readValue(m.quickReplies, QuickReply[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private String write(Object value) {
        try {
            return json.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A webhook envelope for a sandbox workspace, as Meta would send it for its number. */
    ObjectNode envelope(String tenantId, String field, ObjectNode value) {
        ObjectNode root = json.createObjectNode().put("object", "whatsapp_business_account");
        ObjectNode entry = root.putArray("entry").addObject().put("id", "sandbox");
        value.put("messaging_product", "whatsapp");
        value.putObject("metadata").put("display_phone_number", DISPLAY_NUMBER.replaceAll("[^0-9]", ""))
                .put("phone_number_id", WebhookProcessor.SANDBOX_PHONE_PREFIX + tenantId);
        entry.putArray("changes").addObject().put("field", field).set("value", value);
        return root;
    }

    /**
     * Status webhooks for a sent message; like Meta, each echoes the message's callback data (when it had one) and
     * carries the message's pricing object (templates: billable, by the template's category; free text: free inside
     * the customer service window).
     */
    String statuses(String tenantId, String messageId, String recipient, List<String> steps, Instant start,
            String callbackData, MessagePricing pricing) {
        ObjectNode value = json.createObjectNode();
        ArrayNode list = value.putArray("statuses");
        long t = start.getEpochSecond();
        for (String step : steps) {
            ObjectNode status = list.addObject().put("id", messageId).put("status", step)
                    .put("timestamp", String.valueOf(t++)).put("recipient_id", recipient);
            if (callbackData != null) {
                status.put("biz_opaque_callback_data", callbackData);
            }
            if (pricing != null && !step.equals("read")) {
                pricing.writeTo(status.putObject("pricing"));
            }
        }
        return envelope(tenantId, "messages", value).toString();
    }

    /** A user's message (text, or a quick-reply tap answering {@code contextId}) as Meta's webhook. */
    String inbound(String tenantId, String from, String profileName, String messageId, String text,
            QuickReply button, String contextId, Instant at) {
        ObjectNode value = json.createObjectNode();
        value.putArray("contacts").addObject().put("wa_id", from).putObject("profile").put("name", profileName);
        ObjectNode msg = value.putArray("messages").addObject().put("from", from).put("id", messageId)
                .put("timestamp", String.valueOf(at.getEpochSecond()));
        if (button != null) {
            msg.put("type", "button");
            msg.putObject("button").put("payload", button.payload()).put("text", button.text());
            msg.putObject("context").put("from", DISPLAY_NUMBER.replaceAll("[^0-9]", "")).put("id", contextId);
        } else {
            msg.put("type", "text");
            msg.putObject("text").put("body", text);
        }
        return envelope(tenantId, "messages", value).toString();
    }

    /**
     * Meta's phone_number_quality_update for the sandbox number ({@code FLAGGED} or {@code UNFLAGGED}); like every
     * sandbox payload it names the sandbox number in {@code metadata.phone_number_id}, where Meta's names none.
     */
    String qualityUpdate(String tenantId, String event, Instant at) {
        ObjectNode value = json.createObjectNode().put("display_phone_number", DISPLAY_NUMBER.replaceAll("[^0-9]", ""))
                .put("event", event).put("current_limit", "TIER_250");
        ObjectNode root = envelope(tenantId, "phone_number_quality_update", value);
        ((ObjectNode) root.path("entry").path(0)).put("time", at.getEpochSecond());
        return root.toString();
    }

    /** Meta's user_preferences webhook for a marketing stop. */
    String marketingStop(String tenantId, String waId, Instant at) {
        ObjectNode value = json.createObjectNode();
        value.putArray("contacts").addObject().put("wa_id", waId);
        value.putArray("user_preferences").addObject().put("wa_id", waId)
                .put("detail", "User requested to stop marketing messages").put("category", "marketing_messages")
                .put("value", "stop").put("timestamp", at.getEpochSecond());
        return envelope(tenantId, "user_preferences", value).toString();
    }
}
