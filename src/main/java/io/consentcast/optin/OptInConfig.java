package io.consentcast.optin;

import java.time.Duration;
import java.util.List;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Opt-in and opt-out settings ({@code consentcast.optin.*}). */
@ConfigMapping(prefix = "consentcast.optin")
public interface OptInConfig {

    /** How long a landing-page code or a "START" request can be confirmed. */
    @WithDefault("PT48H")
    Duration confirmationWindow();

    /** Words that withdraw consent ("STOP" alone: all lists; "STOP KEYWORD": one list), in any letter case. */
    @WithDefault("STOP,ABMELDEN,UNSUBSCRIBE,ABBESTELLEN")
    List<String> stopWords();

    /** Landing-page submissions allowed per IP address within {@link #ipWindow()}. */
    @WithDefault("30")
    int ipLimit();

    @WithDefault("PT10M")
    Duration ipWindow();

    /** Landing-page submissions allowed per phone number within {@link #numberWindow()}. */
    @WithDefault("5")
    int numberLimit();

    @WithDefault("PT1H")
    Duration numberWindow();

    /** The approved UTILITY template that asks imported readers to confirm (one body variable: the list name). */
    @WithDefault("subscription_confirm")
    String repermissionTemplate();

    /**
     * Public-page requests ({@code /p/...}) one instance works on at once; more are answered at once with
     * 503 and {@code Retry-After} instead of queueing for the database (load shedding, {@link PublicPageShedding}).
     */
    @WithDefault("48")
    int maxConcurrentRequests();
}
