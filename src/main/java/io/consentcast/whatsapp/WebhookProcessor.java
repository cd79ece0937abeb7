package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.shared.Ids;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Turns one stored webhook payload into workspace changes and CDI events. Each change is routed
 * by {@code metadata.phone_number_id} (template updates by the WhatsApp Business Account id) and
 * handled in its own transaction inside its workspace. Everything is idempotent: inbound
 * messages are unique by provider id, statuses only move forward, preference changes are keyed,
 * template statuses are applied only when they differ. Unknown fields and types are ignored. A
 * payload that can never be processed (malformed, unknown number, out-of-range content) is not
 * handed over at all: {@link #plan} answers it parked, with the reason.
 */
@ApplicationScoped
public class WebhookProcessor {

    private static final Logger LOG = Logger.getLogger(WebhookProcessor.class);
    static final String SANDBOX_PHONE_PREFIX = "sandbox-";

    @Inject
    EntityManager em;

    @Inject
    PhoneRoutes routes;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    @Inject
    TemplateService templates;

    @Inject
    ObjectMapper json;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    AccountWebhooks accountWebhooks;

    @Inject
    Clock clock;

    @Inject
    Event<InboundMessage> inboundEvents;

    @Inject
    Event<MessageStatusUpdate> statusEvents;

    @Inject
    Event<MarketingPreferenceChanged> preferenceEvents;

    @Inject
    Event<TemplateStatusChanged> templateEvents;

    /**
     * Checks the whole payload and routes each of its changes, without handing anything over: only when every part
     * can be processed does the plan carry the changes. A payload that can never be processed (see
     * {@link WebhookCheck}, unknown phone numbers and accounts) comes back parked. Unknown fields and message types
     * are ignored.
     */
    WebhookPlan plan(String source, String payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            return parked(ParkReason.MALFORMED_JSON, "not JSON: " + e.getOriginalMessage(), null);
        }
        Optional<WebhookCheck.Problem> envelope = WebhookCheck.envelope(root);
        if (envelope.isPresent()) {
            return parked(envelope.get(), null);
        }
        Origin origin = Origin.ofInboxSource(source);
        Instant now = clock.instant();
        List<WebhookPlan.Change> work = new ArrayList<>();
        for (JsonNode entry : root.path("entry")) {
            String wabaId = entry.path("id").asText(null);
            for (JsonNode change : entry.path("changes")) {
                String field = change.path("field").asText("");
                JsonNode value = change.path("value");
                switch (field) {
                    case "messages", "user_preferences" -> {
                        Optional<WebhookCheck.Problem> missing = WebhookCheck.phoneNumberId(value);
                        if (missing.isPresent()) {
                            return parked(missing.get(), null);
                        }
                        String phoneNumberId = value.path("metadata").path("phone_number_id").asText();
                        String tenantId = route(source, phoneNumberId);
                        if (tenantId == null) {
                            return parked(ParkReason.UNKNOWN_PHONE_NUMBER, "no workspace has connected phone number id "
                                    + phoneNumberId, null);
                        }
                        boolean messages = field.equals("messages");
                        Optional<WebhookCheck.Problem> content = WebhookCheck.nul(root)
                                .or(() -> messages ? WebhookCheck.messages(value, now) : WebhookCheck.preferences(value, now));
                        if (content.isPresent()) {
                            return parked(content.get(), tenantId);
                        }
                        work.add(new WebhookPlan.Change(tenantId, () -> {
                            if (messages) {
                                messages(tenantId, phoneNumberId, value, origin);
                            } else {
                                preferences(tenantId, value, origin);
                            }
                        }));
                    }
                    case "message_template_status_update" -> {
                        Optional<WebhookCheck.Problem> content = WebhookCheck.nul(root).or(() -> WebhookCheck.template(value));
                        if (content.isPresent()) {
                            return parked(content.get(), null);
                        }
                        List<String> tenants = wabaId == null ? List.of() : accountTenants(wabaId);
                        if (tenants.isEmpty()) {
                            return parked(ParkReason.UNKNOWN_ACCOUNT, "no workspace has connected business account "
                                    + wabaId, null);
                        }
                        String entryTime = entry.path("time").asText("");
                        work.add(new WebhookPlan.Change(null, () -> templateStatus(tenants, entryTime, value)));
                    }
                    case "business_capability_update", "phone_number_quality_update" -> {
                        Optional<WebhookPlan> parked = accountWebhooks.plan(this, source, root, entry, field, value,
                                work);
                        if (parked.isPresent()) {
                            return parked.get();
                        }
                    }
                    default -> LOG.debugf("Ignoring WhatsApp webhook field %s", field);
                }
            }
        }
        Optional<WebhookCheck.Problem> nul = WebhookCheck.nul(root);
        if (nul.isPresent()) {
            return parked(nul.get(), null); // in a part no change was routed by
        }
        return new WebhookPlan(null, work);
    }

    private static WebhookPlan parked(WebhookCheck.Problem problem, String tenantId) {
        return WebhookPlan.parked(problem.reason(), problem.detail(), tenantId);
    }

    private static WebhookPlan parked(ParkReason reason, String detail, String tenantId) {
        return WebhookPlan.parked(reason, detail, tenantId);
    }

    String route(String source, String phoneNumberId) {
        if (phoneNumberId == null) {
            return null;
        }
        if (InboxEntry.SOURCE_SANDBOX.equals(source)) {
            // Only payloads made by our own sandbox may address a sandbox workspace directly.
            if (!phoneNumberId.startsWith(SANDBOX_PHONE_PREFIX)) {
                return null;
            }
            String tenantId = phoneNumberId.substring(SANDBOX_PHONE_PREFIX.length());
            // ... and only while that workspace's channel is the sandbox: never into a workspace on the Cloud API.
            return tenantScope.platform(() -> tenancy.workspace(tenantId).isPresent())
                    && tenantScope.call(tenantId, () -> channelSettings.sandbox()) ? tenantId : null;
        }
        // Meta's webhooks: by the phone number id alone, as claimed (and verified with Meta) by one workspace.
        return routes.tenantOf(phoneNumberId);
    }

    private void messages(String tenantId, String phoneNumberId, JsonNode value, Origin origin) {
        Map<String, String> names = new HashMap<>();
        for (JsonNode c : value.path("contacts")) {
            names.put(c.path("wa_id").asText(""), c.path("profile").path("name").asText(null));
        }
        for (JsonNode m : value.path("messages")) {
            inbound(tenantId, phoneNumberId, m, names, origin);
        }
        for (JsonNode s : value.path("statuses")) {
            status(tenantId, s);
        }
        for (JsonNode e : value.path("errors")) {
            LOG.infof("WhatsApp reported error %s for workspace %s: %s", e.path("code").asText(), tenantId,
                    e.path("title").asText());
        }
    }

    /** A user's message to the workspace's number {@code phoneNumberId} (kept: the reply leaves from it). */
    private void inbound(String tenantId, String phoneNumberId, JsonNode m, Map<String, String> names, Origin origin) {
        String id = m.path("id").asText(null);
        String from = m.path("from").asText(null);
        if (id == null || from == null) {
            return;
        }
        String type = m.path("type").asText("unknown");
        String text = null;
        String payload = null;
        String buttonText = null;
        String replyId = null;
        String replyTitle = null;
        switch (type) {
            case "text" -> text = m.path("text").path("body").asText(null);
            case "button" -> {
                payload = m.path("button").path("payload").asText(null);
                buttonText = m.path("button").path("text").asText(null);
            }
            case "interactive" -> {
                JsonNode reply = m.path("interactive").has("button_reply") ? m.path("interactive").path("button_reply")
                        : m.path("interactive").path("list_reply");
                replyId = reply.path("id").asText(null);
                replyTitle = reply.path("title").asText(null);
            }
            default -> {
                // image, audio, reaction, unsupported ...: kept as type only.
            }
        }
        Instant at = epoch(m.path("timestamp"));
        String profileName = names.get(from);
        String shown = text != null ? text : buttonText != null ? buttonText : replyTitle;
        // INSERT .. ON CONFLICT DO NOTHING: of two workers handling the same message concurrently,
        // exactly one inserts; the other waits for it and then does nothing.
        int inserted = em.createNativeQuery("insert into whatsapp_inbound_messages (id, tenant_id, provider_message_id,"
                + " from_wa_id, profile_name, message_type, text, sent_at, received_at, phone_number_id)"
                + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?) on conflict do nothing")
                .setParameter(1, Ids.uuid7(clock)).setParameter(2, tenantId).setParameter(3, id).setParameter(4, from)
                .setParameter(5, profileName).setParameter(6, type).setParameter(7, shown)
                .setParameter(8, java.time.OffsetDateTime.ofInstant(at, java.time.ZoneOffset.UTC))
                .setParameter(9, java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                .setParameter(10, phoneNumberId).executeUpdate();
        if (inserted == 0) {
            LOG.debugf("Duplicate WhatsApp message %s ignored", id);
            return;
        }
        String context = m.path("context").path("id").asText(null);
        inboundEvents.fire(new InboundMessage(tenantId, from, profileName, id, at, type, text, payload, buttonText,
                replyId, replyTitle, context, origin, phoneNumberId));
    }

    static int rank(String status) {
        return switch (status) {
            case "accepted" -> 0;
            case "sent" -> 1;
            case "delivered" -> 2;
            case "read" -> 3;
            case "failed" -> 4;
            default -> -1;
        };
    }

    private void status(String tenantId, JsonNode s) {
        String id = s.path("id").asText(null);
        String status = s.path("status").asText("");
        if (id == null || rank(status) < 0) {
            LOG.debugf("Ignoring WhatsApp status %s", status);
            return;
        }
        Instant at = epoch(s.path("timestamp"));
        String recipient = s.path("recipient_id").asText(null);
        Instant now = clock.instant();
        em.createNativeQuery("insert into whatsapp_messages (id, tenant_id, provider_message_id, recipient, status,"
                + " created_at, updated_at) values (?, ?, ?, ?, 'accepted', ?, ?) on conflict do nothing")
                .setParameter(1, Ids.uuid7(clock)).setParameter(2, tenantId).setParameter(3, id)
                .setParameter(4, recipient)
                .setParameter(5, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC))
                .setParameter(6, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)).executeUpdate();
        // The row lock orders concurrent status updates of one message.
        WhatsAppMessage m = em.createQuery("from WhatsAppMessage where providerMessageId = :id", WhatsAppMessage.class)
                .setParameter("id", id).setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                .getSingleResult();
        // Stored even with a status that comes too late to count: Meta may send the pricing only with that one.
        MessagePricing pricing = MessagePricing.of(s.path("pricing"));
        if (pricing != null) {
            m.pricingBillable = pricing.billable();
            m.pricingCategory = pricing.category();
            m.pricingModel = pricing.pricingModel();
            m.pricingType = pricing.type();
        }
        if (rank(status) <= rank(m.status)) {
            LOG.debugf("WhatsApp status %s for %s after %s ignored (duplicate or out of order)", status, id, m.status);
            return;
        }
        List<MessageStatusUpdate.StatusError> errors = new ArrayList<>();
        for (JsonNode e : s.path("errors")) {
            errors.add(new MessageStatusUpdate.StatusError(e.path("code").asInt(), e.path("title").asText(null),
                    e.path("error_data").path("details").asText(e.path("message").asText(null))));
        }
        m.status = status;
        m.statusAt = at;
        m.updatedAt = clock.instant();
        if (!errors.isEmpty()) {
            m.errorCode = errors.get(0).code();
            m.errorTitle = errors.get(0).title();
        }
        em.flush();
        MessageStatusUpdate update = new MessageStatusUpdate(tenantId, id, status, at, recipient, List.copyOf(errors),
                s.path("biz_opaque_callback_data").asText(null), pricing);
        if (update.errorClass() == ErrorClass.STOP_CHANNEL) {
            // Spam blocks (131048) and policy blocks often arrive only as a failed status.
            MessageStatusUpdate.StatusError e = errors.get(0);
            channelSettings.stopInCurrentTransaction(e.code(), MetaErrors.stopReason(e.code(), e.title()));
        }
        statusEvents.fire(update);
    }

    private void preferences(String tenantId, JsonNode value, Origin origin) {
        for (JsonNode p : value.path("user_preferences")) {
            String waId = p.path("wa_id").asText(null);
            String v = p.path("value").asText("");
            String category = p.path("category").asText("marketing_messages");
            if (waId == null || !"marketing_messages".equals(category) || !(v.equals("stop") || v.equals("resume"))) {
                continue;
            }
            String ts = p.path("timestamp").asText("");
            if (!firstTime(tenantId, "pref:" + waId + ":" + v + ":" + ts)) {
                continue;
            }
            preferenceEvents.fire(new MarketingPreferenceChanged(tenantId, waId,
                    v.equals("stop") ? MarketingPreferenceChanged.Preference.STOP
                            : MarketingPreferenceChanged.Preference.RESUME,
                    epoch(p.path("timestamp")), origin));
        }
    }

    List<String> accountTenants(String wabaId) {
        return tenantScope.platform(() -> em
                .createQuery("select distinct r.tenantId from PhoneRoute r where r.businessAccountId = :w", String.class)
                .setParameter("w", wabaId).getResultList());
    }

    private void templateStatus(List<String> tenants, String entryTime, JsonNode value) {
        String templateId = value.path("message_template_id").asText(null);
        String name = value.path("message_template_name").asText(null);
        String language = value.path("message_template_language").asText(null);
        String event = value.path("event").asText(null);
        String reason = value.path("reason").asText(null);
        if (event == null) {
            return;
        }
        for (String tenantId : tenants) {
            boolean known = tenantScope.call(tenantId, () -> {
                WhatsAppTemplate current = em.createQuery(
                        "from WhatsAppTemplate where providerTemplateId = :id or (name = :n and language = :l)",
                        WhatsAppTemplate.class).setParameter("id", templateId == null ? "" : templateId)
                        .setParameter("n", name == null ? "" : name).setParameter("l", language == null ? "" : language)
                        .setLockMode(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE)
                        .getResultStream().findFirst().orElse(null);
                // Locked: of two workers handling the same update, the second sees the first one's status.
                if (current != null ? event.equals(current.status)
                        : !firstTime(tenantId, "template:" + templateId + ":" + event + ":" + entryTime)) {
                    return true; // duplicate
                }
                boolean found = templates.applyStatus(templateId, name, language, event, reason);
                templateEvents.fire(new TemplateStatusChanged(tenantId, templateId, name, language, event, reason));
                return found;
            });
            if (!known) {
                // A template created outside Consentcast: fetch the account's list to learn its content.
                try {
                    // Outside any transaction while the Graph API answers (the sync writes in its own).
                    tenantScope.call(tenantId, () -> QuarkusTransaction.suspendingExisting().call(templates::sync));
                } catch (RuntimeException e) {
                    LOG.infof("Template re-sync for workspace %s failed: %s", tenantId, e.getMessage());
                }
            }
        }
    }

    /** Whether {@code key} is seen for the first time in the workspace (recorded in its transaction). */
    boolean firstTime(String tenantId, String key) {
        return em.createNativeQuery("insert into whatsapp_event_keys (id, tenant_id, event_key, processed_at)"
                + " values (?, ?, ?, ?) on conflict do nothing").setParameter(1, Ids.uuid7(clock))
                .setParameter(2, tenantId).setParameter(3, key)
                .setParameter(4, java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                .executeUpdate() == 1;
    }

    Instant epoch(JsonNode ts) {
        try {
            return Instant.ofEpochSecond(Long.parseLong(ts.asText()));
        } catch (NumberFormatException e) {
            return clock.instant();
        }
    }
}
