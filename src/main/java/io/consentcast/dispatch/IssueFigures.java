package io.consentcast.dispatch;

import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import io.consentcast.consent.MaskedNumbers;
import io.consentcast.web.Charts;
import io.consentcast.web.PageContext;
import io.consentcast.web.ShellMessages;
import io.quarkus.qute.RawString;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * The figures of the issue pages in the page's language, for their templates as {@code inject:issueFigures}: the
 * read rate, the progress label, sent/delivered/read over time of one issue ({@link DeliverySeries}), the same per
 * issue and the read rate per issue for the overview (from the issues' counts), and the masked reader of each
 * delivery row ({@link MaskedNumbers}). A chart without data is null: the page says what to do instead.
 */
@Named("issueFigures")
@RequestScoped
public class IssueFigures {

    /** Issues compared on the overview: the latest sent ones. */
    static final int COMPARED = 12;

    @Inject
    PageContext page;

    @Inject
    DeliverySeries series;

    @Inject
    MaskedNumbers numbers;

    @Inject
    DispatchSettingsService settings;

    private ZoneId zone;

    /** Read messages per sent message, or null when nothing was sent. */
    static Double readRate(IssueService.Counts c) {
        return c.sent() == 0 ? null : Math.min(1.0, (double) c.read() / c.sent());
    }

    public String readRate(IssueService.IssueView issue) {
        Double rate = readRate(issue.counts());
        return rate == null ? ui().no_value() : percent().format(rate);
    }

    public String progressLabel(IssueService.IssueView issue) {
        return text().progress_label(integer().format(issue.counts().decided()), integer().format(issue.counts().total()));
    }

    /** Sent, delivered and read over time of one issue; null before its first send. */
    public RawString timeline(IssueService.IssueView issue) {
        DeliverySeries.Timeline t = series.of(issue.id());
        if (t.empty()) {
            return null;
        }
        DateTimeFormatter time = DateTimeFormatter.ofLocalizedDateTime(FormatStyle.SHORT).withLocale(locale())
                .withZone(zone());
        List<String> labels = t.at().stream().map(time::format).toList();
        int last = t.last();
        IssueService.Counts c = issue.counts();
        String rate = t.sent().get(last) == 0 ? ui().no_value()
                : percent().format(Math.min(1.0, (double) t.read().get(last) / t.sent().get(last)));
        String summary = text().timeline_summary(labels.get(last), integer().format(t.sent().get(last)),
                integer().format(t.delivered().get(last)), integer().format(t.read().get(last)), rate);
        IssueMessages im = issueTexts();
        return Charts.line(new Charts.Text("chart-timeline", text().timeline_title(), summary, text().time(),
                ui().chart_table()), labels, List.of(new Charts.Series(im.count_sent(), t.sent()),
                        new Charts.Series(im.count_delivered(), t.delivered()),
                        new Charts.Series(im.count_read(), t.read())),
                integer());
    }

    /** Sent, delivered and read of the latest sent issues, oldest first; null when none was sent. */
    public RawString perIssue(List<IssueService.IssueView> issues) {
        List<IssueService.IssueView> sent = compared(issues);
        if (sent.isEmpty()) {
            return null;
        }
        IssueMessages im = issueTexts();
        List<String> labels = sent.stream().map(this::label).toList();
        String summary = text().per_issue_summary(sent.stream().map(i -> text().per_issue_item(label(i),
                integer().format(i.counts().sent()), integer().format(i.counts().delivered()),
                integer().format(i.counts().read()))).collect(Collectors.joining(" ")));
        return Charts.bars(new Charts.Text("chart-per-issue", text().per_issue_title(), summary, text().issue(),
                ui().chart_table()), labels,
                List.of(new Charts.Series(im.count_sent(), sent.stream().map(i -> i.counts().sent()).toList()),
                        new Charts.Series(im.count_delivered(), sent.stream().map(i -> i.counts().delivered()).toList()),
                        new Charts.Series(im.count_read(), sent.stream().map(i -> i.counts().read()).toList())),
                integer(), null);
    }

    /** The read rate of the latest sent issues, oldest first; null when none was sent. */
    public RawString readRates(List<IssueService.IssueView> issues) {
        List<IssueService.IssueView> sent = compared(issues);
        if (sent.isEmpty()) {
            return null;
        }
        List<Double> rates = sent.stream().map(i -> readRate(i.counts()) == null ? 0.0 : readRate(i.counts())).toList();
        String summary = text().read_rate_summary(sent.stream()
                .map(i -> text().read_rate_item(label(i), readRate(i))).collect(Collectors.joining(" ")));
        NumberFormat percent = percent();
        percent.setMaximumFractionDigits(0);
        return Charts.bars(new Charts.Text("chart-read-rate", text().read_rate_title(), summary, text().issue(),
                ui().chart_table()), sent.stream().map(this::label).toList(),
                List.of(new Charts.Series(text().read_rate(), rates)), percent, 1.0);
    }

    /** The masked number of each delivery row's reader; erased readers are missing (shown as erased). */
    public Map<UUID, String> readers(IssueService.DeliveryPage deliveries) {
        return numbers.of(deliveries.items().stream().map(IssueService.DeliveryView::subscriberId).toList());
    }

    private List<IssueService.IssueView> compared(List<IssueService.IssueView> issues) {
        List<IssueService.IssueView> sent = issues.stream().filter(i -> i.startedAt() != null && i.counts().sent() > 0)
                .sorted(Comparator.comparing(IssueService.IssueView::startedAt)).toList();
        return sent.subList(Math.max(0, sent.size() - COMPARED), sent.size());
    }

    private String label(IssueService.IssueView i) {
        return text().issue_label(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale())
                .withZone(zone()).format(i.startedAt()), i.title());
    }

    private ZoneId zone() {
        if (zone == null) {
            zone = settings.view().zone();
        }
        return zone;
    }

    private Locale locale() {
        return page.locale();
    }

    private NumberFormat integer() {
        return NumberFormat.getIntegerInstance(locale());
    }

    private NumberFormat percent() {
        NumberFormat p = NumberFormat.getPercentInstance(locale());
        p.setMaximumFractionDigits(1);
        return p;
    }

    private IssueFigureMessages text() {
        return MessageBundles.get(IssueFigureMessages.class, Localized.Literal.of(page.lang()));
    }

    private IssueMessages issueTexts() {
        return MessageBundles.get(IssueMessages.class, Localized.Literal.of(page.lang()));
    }

    private ShellMessages ui() {
        return MessageBundles.get(ShellMessages.class, Localized.Literal.of(page.lang()));
    }
}
