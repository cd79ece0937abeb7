package io.consentcast.dashboard;

import java.text.NumberFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.consent.ConsentHistory;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.lists.ListService;
import io.consentcast.optin.OptInFunnel;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.web.AppMessages;
import io.consentcast.web.Charts;
import io.consentcast.web.ShellMessages;
import io.quarkus.qute.RawString;
import io.quarkus.qute.i18n.Localized;
import io.quarkus.qute.i18n.MessageBundles;

/**
 * The dashboard's figures in the page's language: the tiles, readers per state over the last {@link #DAYS} days
 * (from the ledger, {@link ConsentHistory}) and the opt-in funnel per list ({@link OptInFunnel}), drawn by
 * {@link Charts}. A chart without data is null: the page shows what to do instead.
 */
@ApplicationScoped
public class DashboardFigures {

    static final int DAYS = 90;

    @Inject
    ConsentHistory history;

    @Inject
    OptInFunnel funnel;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    /** One figure tile: a label, the value as shown and a note (the period), which may be null. */
    public record Tile(String key, String label, String value, String note) {
    }

    public record Figures(List<Tile> tiles, RawString history, RawString funnel) {
    }

    public Figures figures(List<ListService.ListView> lists, Map<UUID, Map<ConsentStatus, Long>> counts,
            List<ConsentStatus> states, Locale locale) {
        DashboardMessages m = MessageBundles.get(DashboardMessages.class, Localized.Literal.of(locale.getLanguage()));
        AppMessages app = MessageBundles.get(AppMessages.class, Localized.Literal.of(locale.getLanguage()));
        ShellMessages ui = MessageBundles.get(ShellMessages.class, Localized.Literal.of(locale.getLanguage()));
        NumberFormat integer = NumberFormat.getIntegerInstance(locale);
        NumberFormat percent = NumberFormat.getPercentInstance(locale);
        percent.setMaximumFractionDigits(1);
        DateTimeFormatter date = DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale);

        Map<UUID, OptInFunnel.Funnel> funnels = funnel.lastDays(DAYS);
        long confirmed = total(counts, ConsentStatus.CONFIRMED);
        long pending = total(counts, ConsentStatus.PENDING);
        long views = funnels.values().stream().mapToLong(OptInFunnel.Funnel::views).sum();
        long confirmedFromPages = funnels.values().stream().mapToLong(OptInFunnel.Funnel::confirmed).sum();
        Double rate = new OptInFunnel.Funnel(views, 0, confirmedFromPages).conversion();
        String conversion = rate == null ? ui.no_value() : percent.format(rate);
        List<Tile> tiles = List.of(
                new Tile("confirmed", m.tile_confirmed(), integer.format(confirmed), null),
                new Tile("pending", m.tile_pending(), integer.format(pending), null),
                new Tile("lists", m.tile_lists(), integer.format(lists.size()), null),
                new Tile("views", m.tile_views(), integer.format(views), m.tile_period()),
                new Tile("conversion", m.tile_conversion(), conversion, m.tile_period()));

        return new Figures(tiles, historyChart(m, app, ui, states, integer, date),
                funnelChart(m, ui, lists, funnels, integer, percent));
    }

    private RawString historyChart(DashboardMessages m, AppMessages app, ShellMessages ui, List<ConsentStatus> states,
            NumberFormat integer, DateTimeFormatter date) {
        ZoneId zone = zone();
        ConsentHistory.History h = history.lastDays(DAYS, zone);
        if (h.empty()) {
            return null;
        }
        List<Charts.Series> series = states.stream()
                .map(s -> new Charts.Series(stateName(app, s), h.counts().get(s))).toList();
        int last = h.days().size() - 1;
        String summary = m.history_summary(date.format(h.days().get(last)), inWords(m, app, states, h, last, integer),
                date.format(h.days().get(0)), inWords(m, app, states, h, 0, integer));
        List<String> labels = h.days().stream().map(date::format).toList();
        return Charts.line(new Charts.Text("chart-readers", m.history_title(), summary, ui.chart_day(), ui.chart_table()),
                labels, series, integer);
    }

    private RawString funnelChart(DashboardMessages m, ShellMessages ui, List<ListService.ListView> lists,
            Map<UUID, OptInFunnel.Funnel> funnels, NumberFormat integer, NumberFormat percent) {
        if (funnels.values().stream().allMatch(f -> f.views() == 0 && f.requested() == 0)) {
            return null;
        }
        List<String> categories = new ArrayList<>();
        List<Long> views = new ArrayList<>();
        List<Long> requested = new ArrayList<>();
        List<Long> confirmed = new ArrayList<>();
        List<String> sentences = new ArrayList<>();
        for (ListService.ListView l : lists) {
            OptInFunnel.Funnel f = funnels.getOrDefault(l.id(), new OptInFunnel.Funnel(0, 0, 0));
            String rate = f.conversion() == null ? ui.no_value() : percent.format(f.conversion());
            categories.add(m.funnel_category(l.name(), rate));
            views.add(f.views());
            requested.add(f.requested());
            confirmed.add(f.confirmed());
            sentences.add(m.funnel_summary_list(l.name(), integer.format(f.views()), integer.format(f.requested()),
                    integer.format(f.confirmed()), rate));
        }
        return Charts.bars(new Charts.Text("chart-funnel", m.funnel_title(), String.join(" ", sentences),
                m.funnel_list(), ui.chart_table()), categories,
                List.of(new Charts.Series(m.funnel_views(), views), new Charts.Series(m.funnel_requested(), requested),
                        new Charts.Series(m.funnel_confirmed(), confirmed)),
                integer, null);
    }

    /** "Confirmed 3, Withdrawn 1": the states with readers on one day, or "no readers". */
    private static String inWords(DashboardMessages m, AppMessages app, List<ConsentStatus> states,
            ConsentHistory.History h, int day, NumberFormat integer) {
        String words = states.stream().filter(s -> h.on(s, day) > 0)
                .map(s -> stateName(app, s) + " " + integer.format(h.on(s, day))).collect(Collectors.joining(", "));
        return words.isEmpty() ? m.nobody() : words;
    }

    static String stateName(AppMessages app, ConsentStatus s) {
        return switch (s) {
            case CONFIRMED -> app.state_CONFIRMED();
            case PENDING -> app.state_PENDING();
            case IMPORTED -> app.state_IMPORTED();
            case WITHDRAWN -> app.state_WITHDRAWN();
            case SUPPRESSED -> app.state_SUPPRESSED();
            case EXPIRED -> app.state_EXPIRED();
        };
    }

    private static long total(Map<UUID, Map<ConsentStatus, Long>> counts, ConsentStatus s) {
        return counts.values().stream().mapToLong(c -> c.getOrDefault(s, 0L)).sum();
    }

    private ZoneId zone() {
        String tz = tenancy.workspace(currentTenant.id()).map(TenancyService.WorkspaceInfo::timezone).orElse(null);
        try {
            return tz == null ? ZoneId.of("UTC") : ZoneId.of(tz);
        } catch (java.time.DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }
}
