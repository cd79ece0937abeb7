package io.consentcast.consent;

import java.util.Map;
import java.util.UUID;

import io.consentcast.shared.ApiException;

/**
 * The names of the workspace's lists, for consent pages and exports. The lists feature implements it;
 * the consent feature depends only on this interface (lists already depend on consent).
 */
public interface ListNames {

    /** Every list of the current workspace by id: its name. */
    Map<UUID, String> names();

    /**
     * Refuses a list id that is not one of the current workspace's lists (another workspace's or
     * none): 404 naming {@code field}, so no consent text or ledger event can point at it. Null passes.
     */
    default void require(UUID listId, String field) {
        if (listId != null && !names().containsKey(listId)) {
            throw new ApiException(404, "Not Found", "consent.list-unknown", Map.of(field, "consent.list-unknown"));
        }
    }
}
