package io.consentcast.lists;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.audit.ActivityNames;
import io.consentcast.audit.ActivitySubject;

/** The current names of the workspace's lists, for the activity log (which stores list ids). */
@ApplicationScoped
public class ListActivityNames implements ActivityNames {

    @Inject
    ListRepository lists;

    @Override
    public ActivitySubject.Type type() {
        return ActivitySubject.Type.LIST;
    }

    @Override
    @Transactional
    public Map<String, String> names(Collection<String> ids) {
        Set<String> wanted = Set.copyOf(ids);
        Map<String, String> out = new HashMap<>();
        lists.listAllByName().stream().filter(l -> wanted.contains(l.id.toString()))
                .forEach(l -> out.put(l.id.toString(), l.name));
        return out;
    }
}
