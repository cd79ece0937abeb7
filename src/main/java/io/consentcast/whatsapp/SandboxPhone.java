package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.consent.PhoneNumbers;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The sandbox phone: shows what the sandbox "sent", grouped by number, and lets a team member act
 * as a subscriber. What they write or tap becomes a webhook payload that goes through the same
 * inbox and processor as Meta's, and is processed right away. It exists only while the workspace's
 * channel is the sandbox (404 otherwise): in a workspace on the Cloud API a made-up message would be
 * forged consent. What it produces is recorded with the ledger source SANDBOX, never as WhatsApp proof.
 */
@ApplicationScoped
public class SandboxPhone {

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenancyService tenancy;

    @Inject
    SandboxChannel sandbox;

    @Inject
    ChannelNumbers numbers;

    @Inject
    PortfolioCapacity capacity;

    @Inject
    WebhookInbox inbox;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    Clock clock;

    public record Bubble(boolean outgoing, String text, Instant at, String status, String messageId,
            List<SandboxChannel.QuickReply> quickReplies, String templateName, TemplateLayout.Rendered rich) {
    }

    public record Conversation(String number, List<Bubble> bubbles) {
    }

    /** 404 unless the current workspace's channel is the sandbox. */
    public void requireActive() {
        if (!channelSettings.sandbox()) {
            throw ApiException.notFound("whatsapp.sandbox-only");
        }
    }

    public List<Conversation> conversations() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            Map<String, List<Bubble>> byNumber = new LinkedHashMap<>();
            Map<String, String> statuses = new java.util.HashMap<>();
            for (WhatsAppMessage m : em.createQuery("from WhatsAppMessage", WhatsAppMessage.class).getResultList()) {
                statuses.put(m.providerMessageId, m.status);
            }
            for (SandboxMessage m : em.createQuery("from SandboxMessage order by createdAt", SandboxMessage.class)
                    .getResultList()) {
                byNumber.computeIfAbsent(m.to, k -> new ArrayList<>()).add(new Bubble(true, m.renderedText,
                        m.createdAt, statuses.getOrDefault(m.providerMessageId, "accepted"), m.providerMessageId,
                        sandbox.quickReplies(m), m.templateName, sandbox.rendered(m)));
            }
            for (InboundMessageRecord r : em.createQuery("from InboundMessageRecord order by sentAt",
                    InboundMessageRecord.class).getResultList()) {
                byNumber.computeIfAbsent(r.fromWaId, k -> new ArrayList<>()).add(new Bubble(false,
                        r.text == null ? "[" + r.type + "]" : r.text, r.receivedAt, null, r.providerMessageId,
                        List.of(), null, null));
            }
            List<Conversation> out = new ArrayList<>();
            byNumber.forEach((number, bubbles) -> {
                bubbles.sort(Comparator.comparing(Bubble::at));
                out.add(new Conversation(number, bubbles));
            });
            out.sort(Comparator.comparing((Conversation c) -> c.bubbles().get(c.bubbles().size() - 1).at()).reversed());
            return out;
        });
    }

    /** The subscriber {@code number} writes {@code text} to the workspace. Returns the normalised number. */
    public String write(String number, String text) {
        requireActive();
        String from = normalise(number);
        Validation v = new Validation();
        v.check(from != null, "number", "whatsapp.sandbox-number-invalid");
        v.check(text != null && !text.isBlank() && text.length() <= 4096, "text", "whatsapp.sandbox-text-invalid");
        v.throwIfInvalid();
        Instant now = clock.instant();
        String payload = sandbox.inbound(currentTenant.id(), from, "Sandbox " + from.substring(from.length() - 4),
                "wamid.SANDBOXIN." + UUID.randomUUID().toString().replace("-", ""), text.strip(), null, null, now);
        deliver(payload);
        return from;
    }

    /** The subscriber taps quick-reply button {@code index} of our message {@code messageId}. */
    public String tap(String number, String messageId, int index) {
        requireActive();
        String from = normalise(number);
        SandboxMessage m = QuarkusTransaction.joiningExisting().call(() -> em
                .createQuery("from SandboxMessage where providerMessageId = :id", SandboxMessage.class)
                .setParameter("id", messageId == null ? "" : messageId).getResultStream().findFirst().orElse(null));
        if (from == null || m == null || !m.to.equals(from)) {
            throw ApiException.notFound("whatsapp.sandbox-message-not-found");
        }
        List<SandboxChannel.QuickReply> buttons = sandbox.quickReplies(m);
        if (index < 0 || index >= buttons.size()) {
            throw ApiException.badRequest("whatsapp.sandbox-button-invalid");
        }
        SandboxChannel.QuickReply button = buttons.get(index);
        Instant now = clock.instant();
        deliver(sandbox.inbound(currentTenant.id(), from, "Sandbox " + from.substring(from.length() - 4),
                "wamid.SANDBOXIN." + UUID.randomUUID().toString().replace("-", ""), null, button, messageId, now));
        if (SandboxTemplates.STOP_PROMOTIONS.equals(button.text())) {
            // WhatsApp's own "Stop promotions" button also reports a marketing preference change.
            deliver(sandbox.marketingStop(currentTenant.id(), from, now));
        }
        return from;
    }

    /**
     * Sends an approved template to {@code number} through the sandbox channel, so the phone can be
     * tried without the opt-in flows.
     */
    public SendResult sendSample(String number, String template, String variables) {
        requireActive();
        String to = normalise(number);
        Validation v = new Validation();
        v.check(to != null, "number", "whatsapp.sandbox-number-invalid");
        v.check(template != null && template.contains("|"), "template", "whatsapp.sandbox-template-invalid");
        v.throwIfInvalid();
        String[] nameLang = template.split("\\|", 2);
        List<String> params = variables == null || variables.isBlank() ? List.of()
                : variables.strip().lines().map(String::strip).toList();
        // A template is business-initiated: it takes a place in the (sandbox) portfolio's messaging limit first,
        // refused when there is none, given back when the send is refused.
        return QuarkusTransaction.joiningExisting().call(() -> {
            ChannelNumbers.SendingNumber from = numbers.resolve(null);
            String ref = "consentcast:sample:" + Ids.uuid7(clock);
            if (!capacity.reserve(from, List.of(to), List.of(ref), clock.instant()).denied().isEmpty()) {
                throw ApiException.conflict("whatsapp.messaging-limit-reached",
                        java.util.Map.of("number", "whatsapp.messaging-limit-reached"));
            }
            SendResult result = sandbox.send(ChannelSettings.sandboxDefault(currentTenant.id()), null,
                    new OutgoingMessage.Template(to, nameLang[0], nameLang[1], params, List.of(), null, List.of(),
                            sandbox.sampleExtras(nameLang[0], nameLang[1])));
            if (!result.accepted()) {
                capacity.release(List.of(ref));
            }
            return result;
        });
    }

    /** Plays Meta's quality report for the sandbox number: FLAGGED (marketing pauses) or UNFLAGGED. */
    public void qualityReport(String event) {
        requireActive();
        if (!"FLAGGED".equals(event) && !"UNFLAGGED".equals(event)) {
            throw ApiException.invalid(java.util.Map.of("event", "whatsapp.sandbox-quality-invalid"));
        }
        deliver(sandbox.qualityUpdate(currentTenant.id(), event, clock.instant()));
    }

    /** Stores the payload in the inbox (committed) and processes it at once, as the inbox worker would. */
    private void deliver(String payload) {
        UUID id = QuarkusTransaction.requiringNew().call(() -> inbox.store(InboxEntry.SOURCE_SANDBOX, payload, false));
        if (inbox.process(id) == null) {
            // The background worker claimed it first (its sweep takes every pending row): wait for it, so
            // that what the user wrote has happened when the page shows the conversation again.
            inbox.awaitHandled(id, java.time.Duration.ofSeconds(10));
        }
    }

    /**
     * The WhatsApp id (E.164 digits) of a number written as on the landing page ("0151 23456789" read in the
     * workspace's country, "+49 151 23456789", "0049 ..."), or of a WhatsApp id itself; null when it is neither.
     */
    String normalise(String number) {
        if (number == null) {
            return null;
        }
        String compact = number.strip();
        if (!compact.startsWith("0") || compact.startsWith("00")) {
            return waId(number); // international (+49 ..., 0049 ...) or already a WhatsApp id (4915...)
        }
        String region = PhoneNumbers.workspaceRegion(tenancy.workspace(currentTenant.id())
                .map(TenancyService.WorkspaceInfo::locale).orElse(null));
        return PhoneNumbers.e164(number, region).map(e164 -> e164.substring(1)).orElse(null);
    }

    private static String waId(String number) {
        String digits = number.replaceAll("[\\s()./-]", "");
        if (digits.startsWith("+")) {
            digits = digits.substring(1);
        } else if (digits.startsWith("00")) {
            digits = digits.substring(2);
        }
        return digits.matches("[1-9][0-9]{6,14}") ? digits : null;
    }
}
