package io.consentcast.whatsapp;

import java.util.List;
import java.util.UUID;

/**
 * What the channel needs to know about the lists' sending numbers, implemented by the lists feature (which stores
 * them): the number a list names, and which lists name a number. Called in the current workspace.
 */
public interface ListNumbers {

    /** The phone number id the list names, or null (the workspace's default, or no such list). */
    String sendingNumberOf(UUID listId);

    /** The names of the current workspace's lists that name {@code phoneNumberId}. */
    List<String> listsUsing(String phoneNumberId);
}
