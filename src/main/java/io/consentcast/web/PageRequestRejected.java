package io.consentcast.web;

/**
 * A state-changing page request that {@link PageFormGuard} refused before it reached its resource: answered
 * with an error page in the user's language that says why and links back to where the form came from.
 */
public class PageRequestRejected extends RuntimeException {

    /** Why, and the status it is answered with. */
    public enum Reason {
        /** The body is not a form (415): page requests come from HTML forms only. */
        NOT_A_FORM(415),
        /** The CSRF token or its cookie is missing, stale or garbled (403). */
        CSRF_TOKEN(403);

        private final int status;

        Reason(int status) {
            this.status = status;
        }

        public int status() {
            return status;
        }
    }

    private final Reason reason;
    private final String back;

    public PageRequestRejected(Reason reason, String back) {
        super(reason.name(), null, false, false);
        this.reason = reason;
        this.back = back;
    }

    public Reason reason() {
        return reason;
    }

    /** A local path to return to: the page the form came from, or the nearest page that shows it. */
    public String back() {
        return back;
    }
}
