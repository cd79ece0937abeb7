package io.consentcast.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the application shell (grouped navigation, workspace switcher) and of what every page's charts and
 * tables share, used in templates as {@code ui:key}; English and German in {@code messages/ui_*.properties}.
 */
@MessageBundle(value = "ui", locale = "en")
public interface ShellMessages {

    @Message String nav_main();
    @Message String nav_menu();
    @Message String nav_group_audience();
    @Message String nav_group_sending();
    @Message String nav_group_workspace();
    @Message String nav_workspace();
    @Message String nav_switch();
    @Message String nav_account();

    @Message String chart_table();
    @Message String chart_day();
    @Message String no_value();
    @Message String reader_erased();
}
