package io.consentcast.audit;

import java.util.UUID;

/**
 * What an activity was about: the kind of thing and its id. The id is stored (not the name), so a renamed list or
 * issue still names the right thing; the log shows the current name, resolved through the owning feature
 * ({@link ActivityNames}).
 */
public record ActivitySubject(Type type, String id) {

    /** The kinds of things an activity can be about. */
    public enum Type {
        WORKSPACE, LIST, MEMBER, INVITATION, SUBSCRIBER, IMPORT, ISSUE, CHANNEL, TEMPLATES, SETTINGS, LEDGER, ACTIVITY
    }

    public ActivitySubject {
        if (type == null) {
            throw new IllegalArgumentException("type");
        }
        if (id != null && id.length() > 80) {
            throw new IllegalArgumentException("id too long");
        }
    }

    public static ActivitySubject of(Type type, Object id) {
        return new ActivitySubject(type, id == null ? null : id.toString());
    }

    public static ActivitySubject list(UUID id) {
        return of(Type.LIST, id);
    }

    public static ActivitySubject member(UUID userId) {
        return of(Type.MEMBER, userId);
    }

    public static ActivitySubject issue(UUID id) {
        return of(Type.ISSUE, id);
    }

    public static ActivitySubject subscriber(String publicId) {
        return of(Type.SUBSCRIBER, publicId);
    }

    /** A subject without an id of its own (the workspace's channel, its settings, its ledger). */
    public static ActivitySubject of(Type type) {
        return new ActivitySubject(type, null);
    }
}
