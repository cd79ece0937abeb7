package io.consentcast.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.text.NumberFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * The readers chart with close or equal values: each line's last value is written beside its end, and those labels
 * never overlap (at least a text line apart, inside the chart); the x-axis labels leave room for them.
 */
class ChartLabelsTest {

    private static final Charts.Text TEXT = new Charts.Text("c2", "Readers", "…", "Day", "Show the figures");
    private static final Pattern END = Pattern.compile("<text class=\"tick end s(\\d)\" x=\"(\\d+)\" y=\"([\\d.]+)\"[^>]*>([^<]*)</text>");

    @Test
    void labelsOfCloseValuesAreMovedApartAndStayInsideTheChart() {
        String html = Charts.line(TEXT, List.of("1 Nov", "2 Nov", "3 Nov"), List.of(
                new Charts.Series("Confirmed", List.of(40, 41, 42)), new Charts.Series("Requested", List.of(40, 41, 41)),
                new Charts.Series("Withdrawn", List.of(0, 0, 0)), new Charts.Series("Suppressed", List.of(0, 0, 0))),
                NumberFormat.getIntegerInstance(Locale.ENGLISH)).getValue();
        Matcher m = END.matcher(html);
        List<Double> ys = new ArrayList<>();
        List<String> texts = new ArrayList<>();
        while (m.find()) {
            ys.add(Double.parseDouble(m.group(3)));
            texts.add(m.group(4));
            assertTrue(Integer.parseInt(m.group(2)) + 30 <= Charts.WIDTH, "the label fits: " + m.group());
        }
        assertEquals(List.of("42", "41", "0", "0"), texts, html);
        List<Double> sorted = new ArrayList<>(ys);
        sorted.sort(Double::compare);
        for (int i = 1; i < sorted.size(); i++) {
            assertTrue(sorted.get(i) - sorted.get(i - 1) >= Charts.LABEL_GAP, "labels overlap: " + ys);
        }
        double bottom = Charts.TOP + Charts.PLOT_HEIGHT + 4;
        assertTrue(sorted.get(sorted.size() - 1) <= bottom && sorted.get(0) >= Charts.TOP, "inside the plot: " + ys);
        // The last day's label ends where the plot ends, left of the values.
        assertTrue(html.contains("text-anchor=\"end\">3 Nov</text>"), html);
        assertTrue(html.contains("x=\"" + (Charts.WIDTH - Charts.RIGHT - Charts.END_LABELS) + "\" y=\""), html);
    }
}
