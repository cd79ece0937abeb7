package io.consentcast.dispatch;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.consentcast.shared.ApiException;
import io.consentcast.whatsapp.TemplateService;
import io.consentcast.whatsapp.TemplateService.TemplateView;

/**
 * The issue rows and what every part of the dispatch feature reads from them: an issue by id (404 when it is
 * not the caller's workspace's), locked for a change, its template parameters, the workspace's template of that
 * name and language.
 */
@ApplicationScoped
public class IssueStore {

    @Inject
    EntityManager em;

    @Inject
    TemplateService templates;

    @Inject
    ObjectMapper json;

    void flush() {
        em.flush();
    }

    NewsletterIssue find(UUID id) {
        NewsletterIssue i = id == null ? null : em.find(NewsletterIssue.class, id);
        if (i == null) {
            throw ApiException.notFound("dispatch.issue-not-found");
        }
        return i;
    }

    NewsletterIssue lock(UUID id) {
        NewsletterIssue i = find(id);
        em.lock(i, LockModeType.PESSIMISTIC_WRITE);
        em.refresh(i);
        return i;
    }

    List<String> parameters(NewsletterIssue i) {
        return readList(i.templateParameters);
    }

    /** The values of the issue's dynamic URL buttons in order. */
    List<String> buttons(NewsletterIssue i) {
        return readList(i.templateButtons);
    }

    private List<String> readList(String array) {
        try {
            return array == null ? List.of() : List.of(json.readValue(array, String[].class));
        } catch (JsonProcessingException e) {
            return List.of();
        }
    }

    String writeParameters(List<String> values) {
        try {
            return json.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    Optional<TemplateView> findTemplate(String name, String language) {
        return templates.views().stream().filter(t -> t.name().equals(name) && t.language().equals(language))
                .findFirst();
    }
}
