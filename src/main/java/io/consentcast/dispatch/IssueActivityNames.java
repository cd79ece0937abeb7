package io.consentcast.dispatch;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import io.consentcast.audit.ActivityNames;
import io.consentcast.audit.ActivitySubject;

/** The current titles of the workspace's issues, for the activity log (which stores issue ids). */
@ApplicationScoped
public class IssueActivityNames implements ActivityNames {

    @Inject
    EntityManager em;

    @Override
    public ActivitySubject.Type type() {
        return ActivitySubject.Type.ISSUE;
    }

    @Override
    @Transactional
    public Map<String, String> names(Collection<String> ids) {
        List<UUID> wanted = ids.stream().flatMap(id -> {
            try {
                return Stream.of(UUID.fromString(id));
            } catch (IllegalArgumentException e) {
                return Stream.empty();
            }
        }).toList();
        Map<String, String> out = new HashMap<>();
        if (wanted.isEmpty()) {
            return out;
        }
        em.createQuery("select i.id, i.title from NewsletterIssue i where i.id in (:ids)", Object[].class)
                .setParameter("ids", wanted).getResultList()
                .forEach(r -> out.put(r[0].toString(), (String) r[1]));
        return out;
    }
}
