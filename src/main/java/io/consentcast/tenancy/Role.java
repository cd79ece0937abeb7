package io.consentcast.tenancy;

/**
 * A member's role in one workspace. Each role includes every right of the roles below it.
 * <ul>
 * <li>VIEWER: read the dashboard, lists, subscribers, issues and their results.</li>
 * <li>EDITOR: also compose and edit issues and drafts.</li>
 * <li>ADMIN: also send and schedule issues, manage lists, the channel, team (except owners),
 * exports, erasures and workspace settings.</li>
 * <li>OWNER: also make or remove owners. The last owner cannot leave or be demoted.</li>
 * </ul>
 */
public enum Role {
    VIEWER, EDITOR, ADMIN, OWNER;

    public boolean atLeast(Role other) {
        return compareTo(other) >= 0;
    }

    public static Role parse(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Role.valueOf(value.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
