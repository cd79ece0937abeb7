package io.consentcast.whatsapp;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the sending numbers ({@code numbers:key}); {@code messages/numbers_en.properties}, {@code messages/numbers_de.properties}. */
@MessageBundle(value = "numbers", locale = "en")
public interface NumberMessages {

    @Message String title();
    @Message String lead();
    @Message String link();
    @Message String sandbox();
    @Message String number();
    @Message String phone_number_id();
    @Message String quality();
    @Message String marketing_paused();
    @Message String lists();
    @Message String is_default();
    @Message String make_default();
    @Message String remove();
    @Message String remove_confirm(String number);
    @Message String none_of_lists();
    @Message String add_title();
    @Message String add_hint();
    @Message String add();
    @Message String added();
    @Message String default_set();
    @Message String removed();
    @Message String marketing_resumed();
    @Message String pause_reason(String reason);
    @Message String resume_marketing();
    @Message String resume_waits();
}
