package io.consentcast.web;

/**
 * Whether the current workspace talks to WhatsApp through the sandbox (which plays Meta's part) rather
 * than the Cloud API. Implemented by the WhatsApp feature; the page shell asks it to show the sandbox
 * phone's link only where the sandbox phone exists.
 */
public interface ChannelKind {

    /** True when the current workspace's channel is the sandbox. Needs a workspace and a worker thread. */
    boolean sandbox();
}
