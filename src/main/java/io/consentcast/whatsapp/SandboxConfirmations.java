package io.consentcast.whatsapp;

/**
 * How many readers of the current workspace confirmed their consent only through the sandbox phone. The
 * channel page tells an admin who switches to the Cloud API that these readers get nothing until they
 * confirm on WhatsApp. Implemented where consent is known (optin), so that this feature keeps out of it.
 */
public interface SandboxConfirmations {

    long readers();
}
