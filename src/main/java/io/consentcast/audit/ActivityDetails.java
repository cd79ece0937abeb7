package io.consentcast.audit;

import java.time.Instant;
import java.util.List;

import io.consentcast.tenancy.Role;

/**
 * The typed details of an activity, stored as JSON with the entry. Each {@link ActivityKind} names the one record it
 * takes. Names recorded here (a list's name, an issue's title, an e-mail address) are the names at the time of the
 * action: the log prefers the current name of the subject and falls back to these. Each record is shown with the
 * text {@code activity.details.<record>} of {@code i18n/activity_*.properties}, its components as arguments in
 * order.
 */
public sealed interface ActivityDetails {

    /** The subject's name as recorded at the time, shown when its feature no longer knows it; null if none. */
    default String recordedName() {
        return null;
    }

    /** Nothing beyond the subject. */
    record None() implements ActivityDetails {
    }

    /** The name or title of the subject at the time (list, workspace, issue). */
    record Named(String name) implements ActivityDetails {

        @Override
        public String recordedName() {
            return name;
        }
    }

    /** A list was edited: its name and which fields changed. */
    record ListEdited(String name, List<String> changed) implements ActivityDetails {

        @Override
        public String recordedName() {
            return name;
        }
    }

    /** A new version of a list's consent text. */
    record ConsentTextPublished(String list, int version, String language) implements ActivityDetails {

        @Override
        public String recordedName() {
            return list;
        }
    }

    /** A member invited, an invitation revoked, a member who joined or was removed: address and role. */
    record Member(String email, Role role) implements ActivityDetails {

        @Override
        public String recordedName() {
            return email;
        }
    }

    /** A member's role changed. */
    record RoleChanged(String email, Role from, Role to) implements ActivityDetails {

        @Override
        public String recordedName() {
            return email;
        }
    }

    /** An import was uploaded. */
    record ImportStarted(String list, String file, boolean dryRun, int rows) implements ActivityDetails {

        @Override
        public String recordedName() {
            return file;
        }
    }

    /** An import finished (or failed) with its counts. */
    record ImportFinished(String list, String file, boolean dryRun, boolean failed, int rows, int imported,
            int rejected) implements ActivityDetails {

        @Override
        public String recordedName() {
            return file;
        }
    }

    /** A download of consent events (ledger export) and its filters; empty filters are null. */
    record LedgerExported(String format, String from, String to, String list, String subscriber)
            implements ActivityDetails {
    }

    /** A download of the activity log and its filters; empty filters are null. */
    record ActivityExported(String member, String kind, String from, String to) implements ActivityDetails {
    }

    /** A withdrawal recorded by a member for a reader (letter, phone call). */
    record Withdrawn(String list, String reason) implements ActivityDetails {
    }

    /** The ledger's evidence settings. */
    record LedgerSettings(boolean recordClientData, boolean truncateIp, int retentionMonths)
            implements ActivityDetails {
    }

    /** Expired evidence (IP address, browser) deleted by retention. */
    record EvidencePurged(int records, int retentionMonths) implements ActivityDetails {
    }

    /** Opt-in settings: stop words and accent colour. */
    record OptInSettings(List<String> stopWords, String accentColor) implements ActivityDetails {
    }

    /** A new logo for the public pages. */
    record Logo(String type, int bytes) implements ActivityDetails {
    }

    /** The WhatsApp channel saved: Meta's Cloud API or the sandbox, whether it was switched, the sending number. */
    record Channel(boolean cloudApi, boolean switched, String displayPhoneNumber) implements ActivityDetails {
    }

    /** A sending number of the channel added, made the default or removed: Meta's display number and its id. */
    record ChannelNumber(String displayPhoneNumber, String phoneNumberId) implements ActivityDetails {
    }

    /** Message templates read from the account. */
    record TemplatesSynced(int count, int removed) implements ActivityDetails {
    }

    /** Sample data loaded into a new list. */
    record SampleData(String list, int confirmed, int pending, int withdrawn, int imported, int suppressed)
            implements ActivityDetails {

        @Override
        public String recordedName() {
            return list;
        }
    }

    /** Imported readers asked to confirm their consent again. */
    record Repermission(String list, String template, int asked) implements ActivityDetails {

        @Override
        public String recordedName() {
            return list;
        }
    }

    /** Dispatch settings: rate, sending hours, consent expiry. */
    record DispatchSettings(int ratePerSecond, String sendingHoursStart, String sendingHoursEnd,
            int consentExpiryMonths) implements ActivityDetails {
    }

    /** An issue scheduled for a time. */
    record IssueScheduled(String title, Instant at) implements ActivityDetails {

        @Override
        public String recordedName() {
            return title;
        }
    }

    /** An issue's sending finished: its title and counts. */
    record IssueCompleted(String title, long sent, long failed) implements ActivityDetails {

        @Override
        public String recordedName() {
            return title;
        }
    }
}
