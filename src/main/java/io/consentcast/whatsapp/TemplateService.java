package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.shared.Ids;
import io.consentcast.tenancy.CurrentTenant;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The workspace's message templates: synced from the WhatsApp Business Account (or the sandbox's
 * samples), updated by status webhooks. Only APPROVED templates are usable for sending.
 */
@ApplicationScoped
public class TemplateService {

    @Inject
    ActivityLog activity;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    ChannelSettingsService settings;

    @Inject
    GraphClient graph;

    @Inject
    ObjectMapper json;

    @Inject
    Clock clock;

    @Inject
    ConsentcastConfig config;

    public record TemplateView(String name, String language, String category, String status, String bodyText,
            int parameterCount, List<String> placeholders, List<String> quickReplies, boolean usable,
            String statusReason, Instant syncedAt, TemplateLayout layout) {
    }

    public record SyncResult(int count, int removed) {
    }

    /** All templates of the workspace; a sandbox workspace gets its sample templates on first look. */
    List<WhatsAppTemplate> list() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            List<WhatsAppTemplate> all = query();
            if (all.isEmpty() && !settings.load().settings().cloudApi()) {
                upsertAll(SandboxTemplates.samples(json, config.baseUrl()));
                all = query();
            }
            return all;
        });
    }

    public List<TemplateView> views() {
        return list().stream().map(this::view).toList();
    }

    Optional<WhatsAppTemplate> find(String name, String language) {
        return list().stream().filter(t -> t.name.equals(name) && t.language.equals(language)).findFirst();
    }

    /** One template of the workspace, by name and language. */
    public Optional<TemplateView> view(String name, String language) {
        return find(name, language).map(this::view);
    }

    /** Reads all templates from the account (Cloud API) or the sandbox samples and replaces the stored list. */
    public SyncResult sync() {
        ChannelSettingsService.Loaded loaded = settings.load();
        List<JsonNode> remote;
        if (loaded.settings().cloudApi()) {
            GraphClient.GraphResult r = graph.listTemplates(loaded.settings().businessAccountId,
                    loaded.accessToken());
            if (!r.ok()) {
                if (r.failure().errorClass() == ErrorClass.STOP_CHANNEL) {
                    settings.markStopped(currentTenant.id(), r.failure().code(), r.failure().message());
                }
                throw new ApiException(502, "Bad Gateway", "whatsapp.sync-failed", java.util.Map.of());
            }
            remote = new ArrayList<>();
            r.body().forEach(remote::add);
        } else {
            remote = SandboxTemplates.samples(json, config.baseUrl());
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Set<String> seen = upsertAll(remote);
            int removed = 0;
            for (WhatsAppTemplate t : query()) {
                if (!seen.contains(t.name + "|" + t.language)) {
                    em.remove(t);
                    removed++;
                }
            }
            activity.record(ActivityKind.TEMPLATES_SYNCED, ActivitySubject.of(ActivitySubject.Type.TEMPLATES),
                    new ActivityDetails.TemplatesSynced(seen.size(), removed));
            return new SyncResult(seen.size(), removed);
        });
    }

    /**
     * Applies a template status webhook; returns false if the template is not known here (the
     * caller then re-syncs).
     */
    boolean applyStatus(String providerTemplateId, String name, String language, String status, String reason) {
        List<WhatsAppTemplate> matches = em.createQuery(
                "from WhatsAppTemplate where providerTemplateId = :id or (name = :n and language = :l)",
                WhatsAppTemplate.class).setParameter("id", providerTemplateId == null ? "" : providerTemplateId)
                .setParameter("n", name == null ? "" : name).setParameter("l", language == null ? "" : language)
                .getResultList();
        for (WhatsAppTemplate t : matches) {
            t.status = status;
            t.statusReason = reason == null || "NONE".equals(reason) ? null : reason;
            t.syncedAt = clock.instant();
        }
        return !matches.isEmpty();
    }

    private List<WhatsAppTemplate> query() {
        return em.createQuery("from WhatsAppTemplate order by name, language", WhatsAppTemplate.class)
                .getResultList();
    }

    private Set<String> upsertAll(List<JsonNode> remote) {
        Set<String> seen = new HashSet<>();
        Instant now = clock.instant();
        for (JsonNode n : remote) {
            String name = n.path("name").asText(null);
            String language = n.path("language").asText(null);
            if (name == null || language == null) {
                continue;
            }
            seen.add(name + "|" + language);
            WhatsAppTemplate t = em.createQuery("from WhatsAppTemplate where name = :n and language = :l",
                    WhatsAppTemplate.class).setParameter("n", name).setParameter("l", language).getResultStream()
                    .findFirst().orElse(null);
            boolean fresh = t == null;
            if (fresh) {
                t = new WhatsAppTemplate();
                t.id = Ids.uuid7(clock);
                t.name = name;
                t.language = language;
            }
            fill(t, n);
            t.syncedAt = now;
            if (fresh) {
                em.persist(t);
            }
        }
        em.flush();
        return seen;
    }

    void fill(WhatsAppTemplate t, JsonNode n) {
        t.providerTemplateId = n.path("id").asText(null);
        t.category = n.path("category").asText(null);
        t.status = n.path("status").asText("PENDING");
        JsonNode components = n.path("components");
        t.components = components.isArray() ? components.toString() : "[]";
        TemplateLayout layout = TemplateLayout.parse(components);
        String body = layout.body();
        List<String> quickReplies = layout.quickReplies();
        t.bodyText = body;
        List<String> placeholders = TemplateBody.placeholders(body);
        t.parameterCount = placeholders.size();
        t.placeholders = write(placeholders);
        t.quickReplies = write(quickReplies);
    }

    TemplateView view(WhatsAppTemplate t) {
        return new TemplateView(t.name, t.language, t.category, t.status, t.bodyText, t.parameterCount,
                read(t.placeholders), read(t.quickReplies), t.usable(), t.statusReason, t.syncedAt,
                TemplateLayout.parse(t.components, json));
    }

    List<String> read(String array) {
        try {
            return List.of(json.readValue(array, String[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    private String write(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
