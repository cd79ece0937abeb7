package io.consentcast.web;

import java.util.List;

/**
 * A state-changing page request that {@link PageFormGuard} refused before it reached its resource: answered
 * with an error page in the user's language that says why, links back to where the form came from and, when
 * it can, offers to send the same entries again.
 */
public class PageRequestRejected extends RuntimeException {

    /** Why, and the status it is answered with. */
    public enum Reason {
        /** The body is not a form (415): page requests come from HTML forms only. */
        NOT_A_FORM(415),
        /** The form's token is missing, expired or garbled, or the session's cookie is gone (403). */
        CSRF_TOKEN(403),
        /** A list's public form was sent from a page of another site (403). */
        FOREIGN_SITE(403);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    /** The refused form's entries, to send again to {@code action} with a fresh token. */
    public record Resubmission(String action, List<Field> fields) {

        /** One entry as the browser sent it. */
        public record Field(String name, String value) {
        }
    }

    private final Reason reason;
    private final String back;
    private final transient Resubmission resubmission;

    public PageRequestRejected(Reason reason, String back, Resubmission resubmission) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.back = back;
        this.resubmission = resubmission;
    }

    public Reason reason() {
        return reason;
    }

    /** A local path to return to: the page the form came from, or the nearest page that shows it. */
    public String back() {
        return back;
    }

    /** The entries to offer for sending again, or null (not a form of this site, or a file upload). */
    public Resubmission resubmission() {
        return resubmission;
    }
}
