package io.consentcast.dashboard;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the dashboard's figures and charts ({@code dashboard:key}); English and German in messages/dashboard_*.properties. */
@MessageBundle(value = "dashboard", locale = "en")
public interface DashboardMessages {

    @Message String figures();
    @Message String tile_confirmed();
    @Message String tile_pending();
    @Message String tile_lists();
    @Message String tile_views();
    @Message String tile_conversion();
    @Message String tile_period();

    @Message String history_title();
    @Message String history_summary(String today, String now, String first, String then);
    @Message String history_empty_title();
    @Message String history_empty();
    @Message String nobody();

    @Message String funnel_title();
    @Message String funnel_views();
    @Message String funnel_requested();
    @Message String funnel_confirmed();
    @Message String funnel_list();
    @Message String funnel_category(String list, String rate);
    @Message String funnel_summary_list(String list, String views, String requested, String confirmed, String rate);
    @Message String funnel_empty_title();
    @Message String funnel_empty();
    @Message String funnel_open_lists();
    @Message String marketing_paused_on(String number);
    @Message String marketing_paused_numbers_link();
}
