package io.consentcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.NumberFormat;
import java.util.List;
import java.util.Locale;

import org.junit.jupiter.api.Test;

/** The SVG charts: named and described for assistive technology, their figures in a table, user text escaped. */
class ChartsTest {

    private static final Charts.Text TEXT = new Charts.Text("c1", "Readers", "Confirmed 3, Withdrawn 1", "Day",
            "Show the figures");

    @Test
    void aLineChartCarriesItsTextAlternativeAndEveryFigureInItsTable() {
        String html = Charts.line(TEXT, List.of("1 Nov", "2 Nov"), List.of(new Charts.Series("Confirmed", List.of(4, 3)),
                new Charts.Series("Withdrawn", List.of(0, 1))), NumberFormat.getIntegerInstance(Locale.ENGLISH))
                .getValue();
        assertTrue(html.contains("<svg role=\"img\""), html);
        assertTrue(html.contains("aria-labelledby=\"c1-title\" aria-describedby=\"c1-desc\""), html);
        assertTrue(html.contains("<title id=\"c1-title\">Readers</title><desc id=\"c1-desc\">Confirmed 3, Withdrawn 1</desc>"),
                html);
        assertTrue(html.contains("<tr><th scope=\"row\">1 Nov</th><td>4</td><td>0</td></tr>"), html);
        assertTrue(html.contains("<tr><th scope=\"row\">2 Nov</th><td>3</td><td>1</td></tr>"), html);
        assertEquals(2, html.split("<polyline").length - 1);
        assertFalse(html.contains("style="), html);
    }

    @Test
    void namesFromUsersAreEscaped() {
        String html = Charts.bars(new Charts.Text("c2", "<b>x</b>", "\"quoted\" & <script>", "List", "Table"),
                List.of("<script>alert(1)</script>"), List.of(new Charts.Series("Views", List.of(5))),
                NumberFormat.getIntegerInstance(Locale.GERMAN), null).getValue();
        assertFalse(html.contains("<script>"), html);
        assertFalse(html.contains("<b>"), html);
        assertTrue(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), html);
        assertTrue(html.contains("&quot;quoted&quot; &amp; &lt;script&gt;"), html);
    }

    @Test
    void theScaleEndsOnAWholeNumberWithAWholeMiddle() {
        assertEquals(2, Charts.niceMax(List.of(new Charts.Series("a", List.of(0, 1)))));
        assertEquals(6, Charts.niceMax(List.of(new Charts.Series("a", List.of(5)))));
        assertEquals(40, Charts.niceMax(List.of(new Charts.Series("a", List.of(40)))));
        assertEquals(600, Charts.niceMax(List.of(new Charts.Series("a", List.of(401)))));
    }
}
