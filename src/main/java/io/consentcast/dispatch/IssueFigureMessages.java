package io.consentcast.dispatch;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the issue pages' figures, charts and readers ({@code issuefigures:key}); messages/issuefigures_*.properties. */
@MessageBundle(value = "issuefigures", locale = "en")
public interface IssueFigureMessages {

    @Message String figures();
    @Message String read_rate();
    @Message String progress_label(String decided, String total);

    @Message String timeline_title();
    @Message String timeline_summary(String time, String sent, String delivered, String read, String rate);
    @Message String timeline_empty_title();
    @Message String timeline_empty();
    @Message String time();

    @Message String per_issue_title();
    @Message String per_issue_summary(String items);
    @Message String per_issue_item(String issue, String sent, String delivered, String read);
    @Message String read_rate_title();
    @Message String read_rate_summary(String items);
    @Message String read_rate_item(String issue, String rate);
    @Message String issue();
    @Message String issue_label(String date, String title);
    @Message String charts_empty_title();
    @Message String charts_empty();

    @Message String list_empty_title();
    @Message String list_empty();
    @Message String list_empty_reader();

    @Message String reader();
    @Message String deliveries_empty_title();
    @Message String deliveries_empty();
    @Message String deliveries_empty_filtered();
}
