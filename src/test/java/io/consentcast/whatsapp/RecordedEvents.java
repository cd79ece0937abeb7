package io.consentcast.whatsapp;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** Collects the channel's hand-over events, as the opt-in and delivery code would receive them. */
@ApplicationScoped
public class RecordedEvents {

    public final List<InboundMessage> inbound = new CopyOnWriteArrayList<>();
    public final List<MessageStatusUpdate> statuses = new CopyOnWriteArrayList<>();
    public final List<MarketingPreferenceChanged> preferences = new CopyOnWriteArrayList<>();
    public final List<TemplateStatusChanged> templates = new CopyOnWriteArrayList<>();
    public final List<MarketingGuardChanged> guard = new CopyOnWriteArrayList<>();

    void on(@Observes MarketingGuardChanged e) {
        guard.add(e);
    }

    public List<MarketingGuardChanged> guard(String tenantId) {
        return guard.stream().filter(e -> e.tenantId().equals(tenantId)).toList();
    }

    void on(@Observes InboundMessage e) {
        inbound.add(e);
    }

    void on(@Observes MessageStatusUpdate e) {
        statuses.add(e);
    }

    void on(@Observes MarketingPreferenceChanged e) {
        preferences.add(e);
    }

    void on(@Observes TemplateStatusChanged e) {
        templates.add(e);
    }

    public List<InboundMessage> inbound(String tenantId) {
        return inbound.stream().filter(e -> e.tenantId().equals(tenantId)).toList();
    }

    public List<MessageStatusUpdate> statuses(String tenantId) {
        return statuses.stream().filter(e -> e.tenantId().equals(tenantId)).toList();
    }

    public List<MarketingPreferenceChanged> preferences(String tenantId) {
        return preferences.stream().filter(e -> e.tenantId().equals(tenantId)).toList();
    }

    public List<TemplateStatusChanged> templates(String tenantId) {
        return templates.stream().filter(e -> e.tenantId().equals(tenantId)).toList();
    }
}
