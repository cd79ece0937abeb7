package io.consentcast.audit;

import java.util.Arrays;
import java.util.Optional;

import io.consentcast.audit.ActivityDetails.*;
import io.consentcast.audit.ActivitySubject.Type;

/**
 * Every kind of change a member (or the system on their behalf) makes in a workspace. The {@link #code} is what
 * the log stores and the API and CSV show; it never changes (older entries carry the same codes). Each kind is
 * about one {@link ActivitySubject.Type} and takes one {@link ActivityDetails} record. Labels:
 * {@code activity.kind.<code>} in {@code i18n/activity_*.properties}.
 */
public enum ActivityKind {
    WORKSPACE_CREATED("workspace.created", Type.WORKSPACE, Named.class),

    LIST_CREATED("list.created", Type.LIST, Named.class),
    LIST_EDITED("list.edited", Type.LIST, ListEdited.class),
    LIST_CLOSED("list.closed", Type.LIST, Named.class),
    LIST_REOPENED("list.reopened", Type.LIST, Named.class),
    CONSENT_TEXT_PUBLISHED("consent-text.published", Type.LIST, ConsentTextPublished.class),

    IMPORT_STARTED("import.started", Type.IMPORT, ImportStarted.class),
    IMPORT_FINISHED("import.finished", Type.IMPORT, ImportFinished.class),
    SAMPLE_DATA_LOADED("sample-data.loaded", Type.LIST, SampleData.class),
    REPERMISSION_ASKED("repermission.asked", Type.LIST, Repermission.class),

    LEDGER_EXPORTED("consent-events.exported", Type.LEDGER, LedgerExported.class),
    SUBSCRIBER_EXPORTED("subscriber.exported", Type.SUBSCRIBER, None.class),
    SUBSCRIBER_ERASED("subscriber.erased", Type.SUBSCRIBER, None.class),
    CONSENT_WITHDRAWN("consent.withdrawn-by-member", Type.SUBSCRIBER, Withdrawn.class),
    EVIDENCE_PURGED("evidence.purged", Type.LEDGER, EvidencePurged.class),
    ACTIVITY_EXPORTED("activity.exported", Type.ACTIVITY, ActivityExported.class),

    CHANNEL_SAVED("channel.saved", Type.CHANNEL, Channel.class),
    CHANNEL_NUMBER_ADDED("channel.number-added", Type.CHANNEL, ChannelNumber.class),
    CHANNEL_NUMBER_DEFAULT("channel.number-default", Type.CHANNEL, ChannelNumber.class),
    CHANNEL_NUMBER_REMOVED("channel.number-removed", Type.CHANNEL, ChannelNumber.class),
    CHANNEL_MARKETING_RESUMED("channel.marketing-resumed", Type.CHANNEL, ChannelNumber.class),
    TEMPLATES_SYNCED("templates.synced", Type.TEMPLATES, TemplatesSynced.class),

    MEMBER_INVITED("member.invited", Type.INVITATION, Member.class),
    INVITATION_REVOKED("member.invitation-revoked", Type.INVITATION, Member.class),
    MEMBER_JOINED("member.joined", Type.MEMBER, Member.class),
    MEMBER_ROLE_CHANGED("member.role-changed", Type.MEMBER, RoleChanged.class),
    MEMBER_REMOVED("member.removed", Type.MEMBER, Member.class),

    OPTIN_SETTINGS_CHANGED("optin.settings-changed", Type.SETTINGS, OptInSettings.class),
    OPTIN_LOGO_CHANGED("optin.logo-changed", Type.SETTINGS, Logo.class),
    LEDGER_SETTINGS_CHANGED("ledger-settings.changed", Type.SETTINGS, LedgerSettings.class),
    DISPATCH_SETTINGS_CHANGED("dispatch-settings.changed", Type.SETTINGS, DispatchSettings.class),

    ISSUE_CREATED("issue.created", Type.ISSUE, Named.class),
    ISSUE_EDITED("issue.edited", Type.ISSUE, Named.class),
    ISSUE_DUPLICATED("issue.duplicated", Type.ISSUE, Named.class),
    ISSUE_SCHEDULED("issue.scheduled", Type.ISSUE, IssueScheduled.class),
    ISSUE_SENT("issue.sent", Type.ISSUE, Named.class),
    ISSUE_PAUSED("issue.paused", Type.ISSUE, Named.class),
    ISSUE_RESUMED("issue.resumed", Type.ISSUE, Named.class),
    ISSUE_CANCELLED("issue.cancelled", Type.ISSUE, Named.class),
    ISSUE_COMPLETED("issue.completed", Type.ISSUE, IssueCompleted.class);

    public final String code;
    public final ActivitySubject.Type subject;
    public final Class<? extends ActivityDetails> details;

    ActivityKind(String code, ActivitySubject.Type subject, Class<? extends ActivityDetails> details) {
        this.code = code;
        this.subject = subject;
        this.details = details;
    }

    /** The kind stored as {@code code}; empty for a code of an older version without a kind. */
    public static Optional<ActivityKind> ofCode(String code) {
        return Arrays.stream(values()).filter(k -> k.code.equals(code)).findFirst();
    }

    /** The message key of the kind's label. */
    public String labelKey() {
        return "activity.kind." + code;
    }
}
