package io.consentcast.dispatch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.consentcast.dispatch.DispatchFixture.Workspace;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The issue pages' figures: tiles with the read rate, sent/delivered/read over time and per issue as charts with
 * their text alternative, readers in the deliveries table masked (the full number never reaches the page), and
 * empty states before anything was sent.
 */
@QuarkusTest
class IssueFiguresTest {

    @Inject
    DispatchFixture fx;

    private static String page(Workspace w, String path, String lang) {
        return w.owner().req().accept("text/html").cookie("cc_lang", lang).get(path).then().statusCode(200).extract()
                .asString();
    }

    private static String desc(String html, String chart) {
        Matcher m = Pattern.compile("<desc id=\"" + chart + "-desc\">([^<]*)</desc>").matcher(html);
        assertTrue(m.find(), "no chart " + chart + " in " + html);
        return m.group(1);
    }

    /** "+49 151 •••• 789": country code, the first three and the last three digits. */
    static String masked(String e164) {
        String national = e164.substring(3);
        return "+49 " + national.substring(0, 3) + " \u2022\u2022\u2022\u2022 " + national.substring(national.length() - 3);
    }

    @Test
    void aSentIssueShowsTilesChartsAndMaskedReaders() {
        Workspace w = fx.workspace("figures");
        String first = DispatchFixture.number();
        String second = DispatchFixture.number();
        fx.confirmed(w, first);
        fx.confirmed(w, second);
        String id = fx.draft(w, "Montag");
        w.owner().req().post(w.issues() + "/" + id + "/send").then().statusCode(200);
        try (Dispatcher d = fx.dispatcher("figures", 2)) {
            assertEquals("DONE", fx.drain(d, w, id));
        }
        String base = "/t/" + w.slug() + "/issues";

        String html = page(w, base + "/" + id, "en");
        assertTrue(html.contains("data-tile=\"read-rate\"><dt>Read rate</dt><dd>100%</dd>"), html);
        assertTrue(html.contains("data-count=\"sent\">2<"), html);
        assertTrue(html.contains("2 of 2 decided"), html);
        assertTrue(desc(html, "chart-timeline").matches("By .+: 2 sent, 2 delivered, 2 read \\(read rate 100%\\)\\."),
                desc(html, "chart-timeline"));
        // The sandbox reports every message delivered and read.
        // Readers are shown masked; the whole number appears nowhere in the page.
        assertTrue(html.contains(masked(first)), masked(first) + " in " + html);
        assertTrue(html.contains(masked(second)), html);
        assertFalse(html.contains(first.substring(1)), html);
        assertFalse(html.contains(second.substring(1)), html);
        assertTrue(html.contains("<span class=\"pill pill-SENT\">"), html);

        String de = page(w, base + "/" + id, "de");
        assertTrue(desc(de, "chart-timeline").contains("2 gesendet, 2 zugestellt, 2 gelesen"), de);
        assertTrue(de.contains("<dt>Lesequote</dt>"), de);

        String index = page(w, base, "en");
        assertTrue(desc(index, "chart-per-issue").endsWith("Montag: 2 sent, 2 delivered, 2 read."),
                desc(index, "chart-per-issue"));
        assertTrue(desc(index, "chart-read-rate").endsWith("Montag: 100% read."), desc(index, "chart-read-rate"));
        assertTrue(index.contains("<span class=\"pill pill-DONE\">"), index);
        assertFalse(index.contains("id=\"issues-empty\""), index);
    }

    @Test
    void beforeAnythingIsSentThePagesSayWhatComesNext() {
        Workspace w = fx.workspace("figures-empty");
        String base = "/t/" + w.slug() + "/issues";
        String index = page(w, base, "en");
        assertTrue(index.contains("id=\"issues-empty\""), index);
        assertTrue(index.contains("Write your first issue"), index);
        assertTrue(page(w, base, "de").contains("Schreiben Sie Ihre erste Ausgabe"));

        String id = fx.draft(w, "Entwurf");
        index = page(w, base, "en");
        assertTrue(index.contains("id=\"charts-empty\""), index);
        String html = page(w, base + "/" + id, "en");
        assertTrue(html.contains("id=\"timeline-empty\""), html);
        assertTrue(html.contains("id=\"deliveries-empty\""), html);
        assertTrue(html.contains("No deliveries yet"), html);
        assertFalse(html.contains("<figure class=\"chart\""), html);
        assertTrue(page(w, base + "/" + id, "de").contains("Noch keine Zustellungen"));
    }
}
