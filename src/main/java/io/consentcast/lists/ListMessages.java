package io.consentcast.lists;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the list pages ({@code lists:key}); English and German in messages/lists_*.properties. */
@MessageBundle(value = "lists", locale = "en")
public interface ListMessages {
    @Message String nav();
    @Message String title();
    @Message String none();
    @Message String create();
    @Message String new_title();
    @Message String edit_title();
    @Message String save();
    @Message String field_name();
    @Message String field_slug();
    @Message String field_slug_hint();
    @Message String field_description();
    @Message String field_language();
    @Message String field_purpose();
    @Message String purpose_marketing();
    @Message String purpose_utility();
    @Message String field_keyword();
    @Message String field_keyword_hint();
    @Message String field_consent();
    @Message String field_consent_hint();
    @Message String field_imprint();
    @Message String field_privacy();
    @Message String field_legal_hint();
    @Message String status();
    @Message String status_open();
    @Message String status_closed();
    @Message String close();
    @Message String reopen();
    @Message String consent_version(int version);
    @Message String share_title();
    @Message String share_link();
    @Message String share_qr();
    @Message String share_svg();
    @Message String share_png();
    @Message String share_embed();
    @Message String open_page();
    @Message String import_csv();

    // Confirmations of destructive actions (issue 16).
    @Message String close_confirm(String name);
    // Several sending numbers (issue 17).
    @Message String field_sending_number();
    @Message String field_sending_number_hint();
    @Message String sending_number_default(String number);
    @Message String sending_number();
    @Message String sending_number_fallback(String number);
}
