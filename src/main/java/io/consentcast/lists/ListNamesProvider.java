package io.consentcast.lists;

import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.consent.ListNames;

@ApplicationScoped
public class ListNamesProvider implements ListNames {

    @Inject
    ListRepository lists;

    @Override
    @Transactional
    public Map<UUID, String> names() {
        return lists.listAllByName().stream().collect(Collectors.toMap(l -> l.id, l -> l.name));
    }
}
