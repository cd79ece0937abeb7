package io.consentcast.lists;

import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.whatsapp.ListNumbers;

/** The lists' sending numbers, for the channel ({@link ListNumbers}). */
@ApplicationScoped
public class ListNumbersProvider implements ListNumbers {

    @Inject
    ListRepository lists;

    @Override
    @Transactional
    public String sendingNumberOf(UUID listId) {
        return listId == null ? null : lists.findByIdOptional(listId).map(l -> l.sendingPhoneNumberId).orElse(null);
    }

    @Override
    @Transactional
    public List<String> listsUsing(String phoneNumberId) {
        return lists.list("sendingPhoneNumberId = ?1 order by name", phoneNumberId).stream().map(l -> l.name).toList();
    }
}
