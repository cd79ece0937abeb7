package io.consentcast.consent;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Readers as other features show them in tables: the masked number ({@link PhoneNumbers#masked}) of each subscriber
 * id of the current workspace, for one page of rows at a time. An erased subscriber maps to null.
 */
@ApplicationScoped
public class MaskedNumbers {

    static final int MAX_IDS = 1000;

    @Inject
    EntityManager em;

    /** Masked numbers by subscriber id; ids of other workspaces or unknown ids are missing. */
    public Map<UUID, String> of(Collection<UUID> subscriberIds) {
        Map<UUID, String> out = new HashMap<>();
        List<UUID> ids = subscriberIds.stream().filter(java.util.Objects::nonNull).distinct().limit(MAX_IDS).toList();
        if (ids.isEmpty()) {
            return out;
        }
        QuarkusTransaction.joiningExisting().run(() -> em
                .createQuery("select s.id, s.phone from Subscriber s where s.id in :ids", Object[].class)
                .setParameter("ids", ids).getResultStream()
                .forEach(r -> out.put((UUID) r[0], PhoneNumbers.masked((String) r[1]))));
        return out;
    }
}
