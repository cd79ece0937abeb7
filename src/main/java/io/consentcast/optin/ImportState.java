package io.consentcast.optin;

/** Where an import job is: waiting for a worker, being applied chunk by chunk, finished, or given up. */
public enum ImportState {
    QUEUED, RUNNING, DONE, FAILED;

    public boolean finished() {
        return this == DONE || this == FAILED;
    }
}
