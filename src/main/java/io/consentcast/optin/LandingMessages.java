package io.consentcast.optin;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the public landing pages ({@code optin:key}); messages/optin_*.properties. */
@MessageBundle(value = "optin", locale = "en")
public interface LandingMessages {
    @Message String subscribe_title(String list);
    @Message String by(String publisher);
    @Message String consent_heading();
    @Message String country();
    @Message String phone();
    @Message String agree();
    @Message String submit();
    @Message String closed();
    @Message String imprint();
    @Message String privacy();
    @Message String unsubscribe_link();
    @Message String honeypot_label();
    @Message String confirm_title();
    @Message String confirm_text();
    @Message String confirm_button();
    @Message String confirm_qr();
    @Message String confirm_manual(String message, String number);
    @Message String confirm_expiry();
    @Message String unsubscribe_title(String list);
    @Message String unsubscribe_text();
    @Message String unsubscribe_submit();
    @Message String unsubscribe_done();
    @Message String back();
    @Message String import_title(String list);
    @Message String import_preview();
    @Message String import_done();
    @Message String import_counts(int rows, int imported, int rejected);
    @Message String import_row();
    @Message String import_reason();
    @Message String import_upload();
    @Message String import_hint();
    @Message String import_file();
    @Message String import_dry_run();
    @Message String import_submit();
    @Message String import_limits(int rows, int megabytes);
    @Message String import_charset();
    @Message String import_charset_hint();
    @Message String import_recent();
    @Message String import_none();
    @Message String import_file_column();
    @Message String import_state_column();
    @Message String import_rows_column();
    @Message String import_taken_column();
    @Message String import_rejected_column();
    @Message String import_open();
    @Message("{#when state}{#is QUEUED}Waiting to start{#is RUNNING}Running{#is DONE}Finished{#else}Stopped{/when}")
    String import_state(ImportState state);
    @Message String import_progress(int processed, int rows, int imported, int rejected);
    @Message String import_refresh_hint();
    @Message String import_failed();
    @Message String import_report_cut(int shown, int total);
    @Message String import_back_to_form();
    @Message String repermission_title();
    @Message String repermission_hint();
    @Message String repermission_submit();
    @Message String repermission_done(int asked, long stillImported);
    @Message String repermission_unknown(int outcomeUnknown);
    @Message String settings_title();
    @Message String settings_stop_words();
    @Message String settings_stop_words_hint();
    @Message String settings_accent();
    @Message String settings_logo();
    @Message String settings_logo_file();
    @Message String settings_logo_upload();

    // issue 16 (i18n): number examples of the preselected country
    /** How to write the number, with the preselected country's example mobile number ({@link LandingRegions#example}). */
    @Message String phone_hint_example(String national, String international);
    /** Why an import did not take a row ({@link RejectReason}), in the page's language. */
    @Message String reject_reason(String code);
    /** Why a re-permission run did not ask a reader ({@code RepermissionService}'s reasons, English in the API). */
    @Message String not_asked_reason(String reason);
    @Message String not_asked_not_sent();
    @Message String repermission_limit(String time);
}
