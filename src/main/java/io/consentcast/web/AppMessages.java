package io.consentcast.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the application shell and the workspace pages, used in templates as {@code msg:key}.
 * English is in {@code messages/msg_en.properties}, German in {@code messages/msg_de.properties}.
 * Features keep their own bundles next to their pages.
 */
@MessageBundle(value = "msg", locale = "en")
public interface AppMessages {

    @Message String app_tagline();
    @Message String nav_dashboard();
    @Message String nav_team();
    @Message String nav_workspaces();
    @Message String nav_new_workspace();
    @Message String nav_login();
    @Message String nav_logout();
    @Message String nav_language();
    @Message String skip_to_content();

    @Message String home_title();
    @Message String home_lead();
    @Message String home_point_consent();
    @Message String home_point_stop();
    @Message String home_point_proof();
    @Message String home_start();
    @Message String home_open_app();

    @Message String new_title();
    @Message String new_lead();
    @Message String new_name();
    @Message String new_slug();
    @Message String new_slug_hint();
    @Message String new_locale();
    @Message String new_timezone();
    @Message String new_submit();
    @Message String lang_de();
    @Message String lang_en();

    @Message String dash_title();
    @Message String dash_role();
    @Message String dash_getting_started();
    @Message String dash_readers();
    @Message String dash_list();
    @Message String dash_create_list();
    @Message String dash_channel();
    @Message String dash_channel_sandbox();
    @Message String dash_channel_cloud(String number);
    @Message String dash_channel_stopped();
    @Message String dash_load_samples();

    @Message String nav_issues();
    @Message String nav_lists();
    @Message String nav_subscribers();
    @Message String nav_channel();
    @Message String nav_templates();
    @Message String nav_sandbox();
    @Message String nav_audit();
    @Message String nav_settings();

    @Message String state_PENDING();
    @Message String state_CONFIRMED();
    @Message String state_WITHDRAWN();
    @Message String state_EXPIRED();
    @Message String state_IMPORTED();
    @Message String state_SUPPRESSED();

    @Message String team_title();
    @Message String team_members();
    @Message String team_email();
    @Message String team_name();
    @Message String team_role();
    @Message String team_since();
    @Message String team_change();
    @Message String team_remove();
    @Message String team_invite();
    @Message String team_invite_submit();
    @Message String team_invitations();
    @Message String team_expires();
    @Message String team_revoke();
    @Message String team_link_once();
    @Message String team_roles_help();

    @Message String join_title();
    @Message String join_text(String workspace, String role);
    @Message String join_accept();

    @Message String error_title();
    @Message String error_403();
    @Message String error_404();
    @Message String error_500();
    @Message String error_back();
    @Message String error_csrf_title();
    @Message String error_csrf_detail();
    @Message String error_form_back();
    @Message String error_415_title();
    @Message String error_415_detail();
    @Message String form_errors();

    // Forms that never die (issue 16): the resubmission of an expired form, a public form sent from another site.
    @Message String error_csrf_resend_detail();
    @Message String error_csrf_resend();
    @Message String error_foreign_site_title();
    @Message String error_foreign_site_detail();

    // Confirmations of destructive actions (issue 16).
    @Message String team_remove_confirm(String name);

    // issue 16 (i18n): error pages for every status, roles, languages
    @Message String error_400();
    @Message String error_400_detail();
    @Message String error_404_detail();
    @Message String error_405();
    @Message String error_405_detail();
    @Message String error_429();
    @Message String error_429_detail();
    @Message String error_500_detail();
    @Message String error_503();
    @Message String error_503_detail();
    /** A member's role in words ({@code Editor}, {@code Redakteur}). */
    @Message String role_label(String role);
    /** A language code in words ({@code de}: German, Deutsch). */
    @Message String lang_label(String code);

    // Meta's quality pause and billed messages on the dashboard (issue 17, limit-aware).
    @Message String dash_marketing_paused();
    @Message String dash_marketing_paused_link();
    @Message String dash_billing();
    @Message String dash_billing_month(String month, long billable, String amount, String currency);
    @Message String dash_billing_none();
    @Message String dash_billing_note();
}
