package io.consentcast.dispatch;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the issue pages ({@code issues:key}); English and German in messages/issues_*.properties. */
@MessageBundle(value = "issues", locale = "en")
public interface IssueMessages {
    @Message String nav();
    @Message String title();
    @Message String none();
    @Message String create();
    @Message String new_title();
    @Message String edit_title();
    @Message String archive_title(String list);
    @Message String archive_link();
    @Message String field_list();
    @Message String field_title();
    @Message String field_template();
    @Message String field_template_hint();
    @Message String field_parameter(int n);
    @Message String field_text();
    @Message String field_text_hint();
    @Message String field_scheduled();
    @Message String field_scheduled_hint(String zone);
    @Message String preview();
    @Message String save_draft();
    @Message String schedule();
    @Message String send_now();
    @Message String pause();
    @Message String resume();
    @Message String cancel();
    @Message String duplicate();
    @Message String edit();
    @Message String status();
    @Message String status_DRAFT();
    @Message String status_SCHEDULED();
    @Message String status_BLOCKED();
    @Message String status_SENDING();
    @Message String status_PAUSED();
    @Message String status_CANCELLED();
    @Message String status_DONE();
    @Message String status_PREPARING();
    @Message String preparing_title();
    @Message String preparing_decided();
    @Message String preparing_members();
    @Message String preparing_eligible();
    @Message String preparing_excluded();
    @Message String scheduled_at();
    @Message String blocked_because();
    @Message String paused_because();
    @Message String progress();
    @Message String counts();
    @Message String count_eligible();
    @Message String count_excluded();
    @Message String count_sent();
    @Message String count_delivered();
    @Message String count_read();
    @Message String count_failed();
    @Message String count_pending();
    @Message String count_awaiting();
    @Message String awaiting_explained(long count, long minutes);
    @Message String excluded_reasons();
    @Message String failed_reasons();
    @Message String duration(long seconds);
    @Message String deliveries();
    @Message String delivery_state();
    @Message String delivery_reason();
    @Message String delivery_consent();
    @Message String delivery_message();
    @Message String all_states();
    @Message String next_page();
    @Message String previous_page();
    @Message String reason_erased();
    @Message String reason_not_confirmed();
    @Message String reason_sandbox_only();
    @Message String sandbox_only_notice(long count);
    @Message String reason_withdrawn();
    @Message String reason_suppressed();
    @Message String reason_expired();
    @Message String reason_invalid_number();
    @Message String reason_cancelled();
    @Message String reason_outcome_unknown();
    @Message String reason_retries_exhausted();
    @Message String settings_title();
    @Message String settings_rate();
    @Message String settings_hours_start();
    @Message String settings_hours_end();
    @Message String settings_expiry();
    @Message String settings_save();
    @Message String confirm_cancel();

    // issue 16 (i18n): delivery states, the template language warning
    /** A delivery's state in words ({@code SENT}: Sent, Gesendet). */
    @Message String delivery_state_label(String state);
    /** Shown before sending when the template's language is not the list's ({@link TemplateLanguageCheck}). */
    @Message String template_language_warning(String template, String templateLanguage, String list, String listLanguage);
    /** The compose form's warning (script) when the chosen template's language is not the chosen list's. */
    @Message String template_language_mismatch();

    // --- Meta's messaging limit, quality pause and cost (issue 17, limit-aware) ---
    @Message String outlook_title();
    @Message String plan_now(long goNow, long recipients);
    @Message String plan_later(long later, String restFrom, String lastAt);
    @Message String plan_waiting(long waiting);
    @Message String plan_limit(String tier, long remaining);
    @Message String cost_estimate(String total, String currency, long recipients, String category);
    @Message String cost_unrecognised(long count);
    @Message String cost_rate_card_example(String validFrom);
    @Message String billable(long billable, String amount, String currency, long free);

    // Rich templates (issue 17)
    @Message String count_clicks();
    @Message String field_header();
    @Message String field_header_hint();
    @Message String field_button(int n);
    @Message String field_buttons_hint();

    // When an issue goes out: scheduled (not started yet), started, or sent (issue 16).
    @Message String when();
    @Message String started_at();
    @Message String sent_at();
}
