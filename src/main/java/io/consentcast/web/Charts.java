package io.consentcast.web;

import java.text.NumberFormat;
import java.util.List;

import io.quarkus.qute.RawString;

/**
 * Charts drawn by the server as inline SVG: no script, no style attribute (colours come from {@code app.css} by
 * series class {@code s0}..{@code s5}), scaled by the page through the {@code viewBox}. Every chart is a
 * {@code figure} with an SVG {@code role="img"} named by its {@code <title>} and described by its {@code <desc>}
 * (a summary in words), a legend, and the chart's figures as a table behind a {@code <details>} toggle. Texts
 * arrive translated; numbers are formatted by the given {@link NumberFormat}.
 */
public final class Charts {

    static final int WIDTH = 480;
    static final int LEFT = 48;
    static final int RIGHT = 12;
    static final int TOP = 12;
    static final int PLOT_HEIGHT = 160;
    /** Room right of a line chart's plot for the lines' last values. */
    static final int END_LABELS = 48;
    /** The least distance between two end labels (the tick font is 13 units high). */
    static final int LABEL_GAP = 15;

    private Charts() {
    }

    /** One line or one kind of bar: its translated name and a value per point (per category). */
    public record Series(String name, List<? extends Number> values) {
    }

    /**
     * The texts of a chart. {@code id} is unique on the page; {@code summary} says in words what the chart shows;
     * {@code firstColumn} heads the points' (categories') column of the table; {@code tableToggle} opens the table.
     */
    public record Text(String id, String title, String summary, String firstColumn, String tableToggle) {
    }

    /** A line chart: one line per series over the points {@code labels} (dates, times), from left to right. */
    public static RawString line(Text text, List<String> labels, List<Series> series, NumberFormat format) {
        StringBuilder svg = open(text, PLOT_HEIGHT + TOP + 36);
        double max = niceMax(series);
        int plotWidth = WIDTH - LEFT - RIGHT - END_LABELS;
        axis(svg, max, format);
        int n = labels.size();
        double step = n <= 1 ? 0 : (double) plotWidth / (n - 1);
        for (int s = 0; s < series.size(); s++) {
            List<? extends Number> v = series.get(s).values();
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < v.size(); i++) {
                points.append(i == 0 ? "" : " ").append(num(LEFT + (n <= 1 ? plotWidth / 2.0 : i * step))).append(',')
                        .append(num(y(v.get(i).doubleValue(), max)));
            }
            svg.append("<polyline class=\"line s").append(s).append("\" points=\"").append(points).append("\"/>");
            if (!v.isEmpty()) {
                int last = v.size() - 1;
                svg.append("<circle class=\"dot s").append(s).append("\" r=\"3.5\" cx=\"")
                        .append(num(LEFT + (n <= 1 ? plotWidth / 2.0 : last * step))).append("\" cy=\"")
                        .append(num(y(v.get(last).doubleValue(), max))).append("\"/>");
            }
        }
        endLabels(svg, series, max, format, LEFT + plotWidth + 6);
        int base = TOP + PLOT_HEIGHT + 22;
        if (n > 0) {
            svg.append(label(LEFT, base, "start", labels.get(0)));
        }
        if (n > 2) {
            svg.append(label(LEFT + plotWidth / 2, base, "middle", labels.get(n / 2)));
        }
        if (n > 1) {
            svg.append(label(LEFT + plotWidth, base, "end", labels.get(n - 1)));
        }
        return close(svg, text, labels, series, format);
    }

    /**
     * Horizontal bars, grouped by category (a list, an issue): one bar per series in each group, its value written
     * after it. {@code max} fixes the scale (1.0 for rates), or null to scale to the largest value.
     */
    public static RawString bars(Text text, List<String> categories, List<Series> series, NumberFormat format,
            Double max) {
        int barHeight = 16;
        int group = 24 + series.size() * (barHeight + 4) + 8;
        int height = Math.max(group * categories.size(), 40);
        StringBuilder svg = open(text, height);
        double top = max != null ? max : niceMax(series);
        int barsWidth = WIDTH - 80;
        for (int c = 0; c < categories.size(); c++) {
            int y0 = c * group;
            svg.append(label(0, y0 + 17, "start", shorten(categories.get(c), 56)).replace("class=\"tick\"",
                    "class=\"category\""));
            for (int s = 0; s < series.size(); s++) {
                double v = series.get(s).values().get(c).doubleValue();
                int y = y0 + 24 + s * (barHeight + 4);
                double w = top <= 0 ? 0 : Math.max(v > 0 ? 2 : 0, v / top * barsWidth);
                svg.append("<rect class=\"bar s").append(s).append("\" x=\"0\" y=\"").append(y).append("\" width=\"")
                        .append(num(w)).append("\" height=\"").append(barHeight).append("\"/>");
                svg.append(label((int) Math.round(w) + 6, y + barHeight - 2, "start", format.format(v)));
            }
        }
        return close(svg, text, categories, series, format);
    }

    private static StringBuilder open(Text text, int height) {
        String id = escape(text.id());
        StringBuilder svg = new StringBuilder();
        svg.append("<figure class=\"chart\" id=\"").append(id).append("\">");
        svg.append("<svg role=\"img\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(height)
                .append("\" aria-labelledby=\"").append(id).append("-title\" aria-describedby=\"").append(id)
                .append("-desc\" preserveAspectRatio=\"xMinYMin meet\">");
        svg.append("<title id=\"").append(id).append("-title\">").append(escape(text.title())).append("</title>");
        svg.append("<desc id=\"").append(id).append("-desc\">").append(escape(text.summary())).append("</desc>");
        return svg;
    }

    /**
     * Each line's last value beside its end, in the line's colour: labels of close values are moved apart (at least
     * {@link #LABEL_GAP} apart, kept inside the plot), so they never overlap, neither here nor scaled down to a phone.
     */
    private static void endLabels(StringBuilder svg, List<Series> series, double max, NumberFormat format, int x) {
        int count = series.size();
        double[] ys = new double[count];
        Integer[] order = new Integer[count];
        for (int s = 0; s < count; s++) {
            List<? extends Number> v = series.get(s).values();
            ys[s] = v.isEmpty() ? Double.NaN : y(v.get(v.size() - 1).doubleValue(), max) + 4;
            order[s] = s;
        }
        java.util.Arrays.sort(order, (a, b) -> Double.compare(Double.isNaN(ys[a]) ? 0 : ys[a], Double.isNaN(ys[b]) ? 0 : ys[b]));
        double previous = Double.NEGATIVE_INFINITY;
        for (Integer s : order) {
            if (!Double.isNaN(ys[s])) {
                ys[s] = Math.max(ys[s], previous + LABEL_GAP);
                previous = ys[s];
            }
        }
        double bottom = TOP + PLOT_HEIGHT + 4;
        for (int i = count - 1; i >= 0; i--) { // pushed below the plot: move the stack up again
            int s = order[i];
            if (!Double.isNaN(ys[s]) && ys[s] > bottom) {
                ys[s] = bottom;
            }
            bottom = (Double.isNaN(ys[s]) ? bottom : ys[s]) - LABEL_GAP;
        }
        for (int s = 0; s < count; s++) {
            List<? extends Number> v = series.get(s).values();
            if (!v.isEmpty()) {
                svg.append("<text class=\"tick end s").append(s).append("\" x=\"").append(x).append("\" y=\"")
                        .append(num(ys[s])).append("\" text-anchor=\"start\">")
                        .append(escape(format.format(v.get(v.size() - 1).doubleValue()))).append("</text>");
            }
        }
    }

    private static void axis(StringBuilder svg, double max, NumberFormat format) {
        for (int i = 0; i <= 2; i++) {
            double value = max * i / 2;
            double y = y(value, max);
            svg.append("<line class=\"grid\" x1=\"").append(LEFT).append("\" x2=\"").append(WIDTH - RIGHT)
                    .append("\" y1=\"").append(num(y)).append("\" y2=\"").append(num(y)).append("\"/>");
            svg.append(label(LEFT - 6, (int) Math.round(y) + 4, "end", format.format(value)));
        }
    }

    private static RawString close(StringBuilder svg, Text text, List<String> points, List<Series> series,
            NumberFormat format) {
        svg.append("</svg>");
        svg.append("<ul class=\"legend\">");
        for (int s = 0; s < series.size(); s++) {
            svg.append("<li><span class=\"swatch s").append(s).append("\"></span>")
                    .append(escape(series.get(s).name())).append("</li>");
        }
        svg.append("</ul>");
        svg.append("<details class=\"chart-data\"><summary>").append(escape(text.tableToggle()))
                .append("</summary><div class=\"table-wrap\"><table><caption class=\"sr-only\">")
                .append(escape(text.title())).append("</caption><thead><tr><th scope=\"col\">")
                .append(escape(text.firstColumn())).append("</th>");
        for (Series s : series) {
            svg.append("<th scope=\"col\">").append(escape(s.name())).append("</th>");
        }
        svg.append("</tr></thead><tbody>");
        for (int i = 0; i < points.size(); i++) {
            svg.append("<tr><th scope=\"row\">").append(escape(points.get(i))).append("</th>");
            for (Series s : series) {
                svg.append("<td>").append(format.format(s.values().get(i).doubleValue())).append("</td>");
            }
            svg.append("</tr>");
        }
        svg.append("</tbody></table></div></details></figure>");
        return new RawString(svg.toString());
    }

    /**
     * The top of the scale: the largest value rounded up to 2, 4, 6, 8 or 10 times a power of ten (at least 2), so
     * that its half, the middle grid line, is a whole number too.
     */
    static double niceMax(List<Series> series) {
        double max = series.stream().flatMap(s -> s.values().stream()).mapToDouble(Number::doubleValue).max().orElse(0);
        if (max <= 2) {
            return 2;
        }
        double power = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] { 1, 2, 4, 6, 8, 10 }) {
            if (m * power >= max) {
                return m * power;
            }
        }
        return 10 * power;
    }

    private static double y(double value, double max) {
        return TOP + PLOT_HEIGHT - (max <= 0 ? 0 : value / max * PLOT_HEIGHT);
    }

    private static String label(int x, int y, String anchor, String text) {
        return "<text class=\"tick\" x=\"" + x + "\" y=\"" + y + "\" text-anchor=\"" + anchor + "\">" + escape(text)
                + "</text>";
    }

    private static String num(double v) {
        return String.valueOf(Math.round(v * 10) / 10.0);
    }

    private static String shorten(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, max - 1) + "\u2026";
    }

    /** Text and attribute content, escaped for HTML and SVG. */
    static String escape(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(ch);
            }
        }
        return out.toString();
    }
}
