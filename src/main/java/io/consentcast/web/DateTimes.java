package io.consentcast.web;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.TemporalAccessor;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import io.quarkus.arc.Arc;
import io.quarkus.qute.TemplateExtension.TemplateAttribute;
import io.quarkus.qute.TemplateExtension;

/**
 * The one way dates and times reach a user: in the workspace's time zone and the page's language,
 * {@code 30. Nov. 2026, 10:35} in German, {@code 30 Nov 2026, 10:35} in English; never an ISO timestamp.
 * Templates write {@code {value.asDateTime}}, {@code {value.asDate}} or {@code {value.asTime}} for an
 * {@link Instant}, {@link OffsetDateTime}, {@link ZonedDateTime}, {@link LocalDateTime}, {@link LocalDate}
 * or an ISO-8601 text; Java code that needs the same text calls {@link #dateTime(TemporalAccessor, Locale, ZoneId)}.
 * The zone is {@link PageContext#zone()} (the current workspace's, else UTC); the language is the template's
 * locale ({@link PageLocaleFilter}), else the page's.
 */
public final class DateTimes {

    public enum Style {
        DATE_TIME("d. MMM yyyy, HH:mm", "d MMM yyyy, HH:mm"),
        DATE("d. MMM yyyy", "d MMM yyyy"),
        TIME("HH:mm", "HH:mm");

        private final String german;
        private final String english;

        Style(String german, String english) {
            this.german = german;
            this.english = english;
        }
    }

    private static final Map<String, DateTimeFormatter> FORMATTERS = new ConcurrentHashMap<>();

    private DateTimes() {
    }

    /** The formatter of {@code style} for a page language and a time zone. */
    public static DateTimeFormatter formatter(Style style, Locale locale, ZoneId zone) {
        Locale language = Languages.supported(locale.getLanguage()) ? Locale.forLanguageTag(locale.getLanguage()) : Locale.ENGLISH;
        return FORMATTERS.computeIfAbsent(style + "|" + language.getLanguage(),
                k -> DateTimeFormatter.ofPattern("de".equals(language.getLanguage()) ? style.german : style.english, language))
                .withZone(zone);
    }

    public static String dateTime(TemporalAccessor value, Locale locale, ZoneId zone) {
        return format(value, Style.DATE_TIME, locale, zone);
    }

    public static String date(TemporalAccessor value, Locale locale, ZoneId zone) {
        return format(value, Style.DATE, locale, zone);
    }

    static String format(TemporalAccessor value, Style style, Locale locale, ZoneId zone) {
        if (value == null) {
            return "";
        }
        if (value instanceof LocalDate d) {
            return style == Style.TIME ? "" : formatter(Style.DATE, locale, zone).format(d);
        }
        if (value instanceof LocalDateTime t) {
            return formatter(style, locale, zone).format(t.atZone(zone));
        }
        return formatter(style, locale, zone).format(value);
    }

    /** {@code {issue.scheduledAt.asDateTime}}: date and time of day. */
    @TemplateExtension(matchName = "asDateTime")
    static String dateTimeOf(Object value, @TemplateAttribute("locale") Object locale) {
        return render(value, Style.DATE_TIME, locale);
    }

    /** {@code {member.since.asDate}}: the day only. */
    @TemplateExtension(matchName = "asDate")
    static String dateOf(Object value, @TemplateAttribute("locale") Object locale) {
        return render(value, Style.DATE, locale);
    }

    /** {@code {bubble.at.asTime}}: the time of day only (a chat bubble). */
    @TemplateExtension(matchName = "asTime")
    static String timeOf(Object value, @TemplateAttribute("locale") Object locale) {
        return render(value, Style.TIME, locale);
    }

    private static String render(Object value, Style style, Object localeAttribute) {
        TemporalAccessor temporal = temporal(value);
        if (temporal == null) {
            return value == null ? "" : value.toString();
        }
        PageContext page = currentPage();
        Locale locale = localeAttribute instanceof Locale l ? l
                : localeAttribute instanceof String s ? Locale.forLanguageTag(s)
                : page != null ? page.locale() : Locale.ENGLISH;
        ZoneId zone = page != null ? page.zone() : ZoneOffset.UTC;
        return format(temporal, style, locale, zone);
    }

    private static TemporalAccessor temporal(Object value) {
        if (value instanceof TemporalAccessor t) {
            return t;
        }
        if (!(value instanceof String text) || text.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(text);
        } catch (DateTimeParseException e) {
            // not an offset date-time; try the other ISO forms
        }
        try {
            return Instant.parse(text);
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            return LocalDateTime.parse(text);
        } catch (DateTimeParseException e) {
            // next
        }
        try {
            return LocalDate.parse(text);
        } catch (DateTimeException e) {
            return null;
        }
    }

    private static PageContext currentPage() {
        var container = Arc.container();
        if (container == null || !container.requestContext().isActive()) {
            return null;
        }
        return container.instance(PageContext.class).get();
    }
}
