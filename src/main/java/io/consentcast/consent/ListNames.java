package io.consentcast.consent;

import java.util.Map;
import java.util.UUID;

/**
 * The names of the workspace's lists, for consent pages and exports. The lists feature implements it;
 * the consent feature depends only on this interface (lists already depend on consent).
 */
public interface ListNames {

    /** Every list of the current workspace by id: its name. */
    Map<UUID, String> names();
}
