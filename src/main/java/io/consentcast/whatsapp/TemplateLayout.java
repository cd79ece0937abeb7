package io.consentcast.whatsapp;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A template's components as Meta lists them ({@code GET /{waba}/message_templates}): the header (format TEXT,
 * IMAGE, VIDEO, DOCUMENT or LOCATION, its text and example), the body, the footer and the buttons (type, text,
 * URL with an optional {@code {{1}}} suffix). What an issue must fill besides the body is read from here, and
 * {@link #render} is the one way a filled template is shown (issue preview, sandbox phone).
 */
public record TemplateLayout(Header header, String body, String footer, List<Button> buttons) {

    /** The header's format, as Meta names it. */
    public enum HeaderFormat {
        TEXT, IMAGE, VIDEO, DOCUMENT, LOCATION;

        /** A media header, filled with a link (or an uploaded media id) when the template is sent. */
        public boolean media() {
            return this == IMAGE || this == VIDEO || this == DOCUMENT;
        }

        /** The parameter type and object name in a send request: image, video, document. */
        public String sendType() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The button types Meta lists; others (COPY_CODE, OTP, FLOW, ...) are kept as OTHER and shown by text. */
    public enum ButtonType {
        QUICK_REPLY, URL, PHONE_NUMBER, OTHER
    }

    /** {@code example}: the header's sample media link or text value as approved by Meta, if any. */
    public record Header(HeaderFormat format, String text, String example) {

        /** A TEXT header with a placeholder: the issue fills one value. */
        public boolean needsText() {
            return format == HeaderFormat.TEXT && !TemplateBody.placeholders(text).isEmpty();
        }
    }

    /** {@code url}: the URL of a URL button, a dynamic one ends in {@code {{1}}}. */
    public record Button(ButtonType type, String text, String url) {

        /** A URL button whose URL ends with a placeholder: each send fills the suffix. */
        public boolean dynamicUrl() {
            return type == ButtonType.URL && url != null && url.matches(".*\\{\\{\\s*[A-Za-z0-9_]+\\s*\\}\\}$");
        }

        /** The URL before its placeholder (the whole URL of a static button). */
        public String urlPrefix() {
            return url == null ? null : url.replaceFirst("\\{\\{\\s*[A-Za-z0-9_]+\\s*\\}\\}$", "");
        }
    }

    public static final TemplateLayout EMPTY = new TemplateLayout(null, null, null, List.of());

    public TemplateLayout {
        buttons = buttons == null ? List.of() : List.copyOf(buttons);
    }

    /** The layout of Meta's components array; unknown parts are skipped, never fatal. */
    public static TemplateLayout parse(JsonNode components) {
        Header header = null;
        String body = null;
        String footer = null;
        List<Button> buttons = new ArrayList<>();
        if (components != null && components.isArray()) {
            for (JsonNode c : components) {
                switch (c.path("type").asText("").toUpperCase(Locale.ROOT)) {
                    case "HEADER" -> header = header(c);
                    case "BODY" -> body = c.path("text").asText(null);
                    case "FOOTER" -> footer = c.path("text").asText(null);
                    case "BUTTONS" -> c.path("buttons").forEach(b -> buttons.add(new Button(buttonType(b),
                            b.path("text").asText(""), b.hasNonNull("url") ? b.path("url").asText() : null)));
                    default -> {
                    }
                }
            }
        }
        return new TemplateLayout(header, body, footer, buttons);
    }

    /** The layout of a stored components array (JSON text); {@link #EMPTY} when it cannot be read. */
    public static TemplateLayout parse(String components, ObjectMapper json) {
        try {
            return components == null ? EMPTY : parse(json.readTree(components));
        } catch (JsonProcessingException e) {
            return EMPTY;
        }
    }

    private static Header header(JsonNode c) {
        HeaderFormat format;
        try {
            format = HeaderFormat.valueOf(c.path("format").asText("TEXT").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return null;
        }
        JsonNode example = c.path("example");
        String sample = example.path("header_handle").path(0).asText(null);
        if (sample == null) {
            sample = example.path("header_text").path(0).asText(null);
        }
        if (sample == null) {
            sample = example.path("header_text_named_params").path(0).path("example").asText(null);
        }
        return new Header(format, c.path("text").asText(null), sample);
    }

    private static ButtonType buttonType(JsonNode b) {
        try {
            return ButtonType.valueOf(b.path("type").asText("").toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ButtonType.OTHER;
        }
    }

    /** A media header needs a link per issue. */
    public boolean mediaHeader() {
        return header != null && header.format().media();
    }

    /** The indexes (among all buttons, as Meta counts them) of the URL buttons with a dynamic suffix. */
    public List<Integer> dynamicUrlButtons() {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < buttons.size(); i++) {
            if (buttons.get(i).dynamicUrl()) {
                out.add(i);
            }
        }
        return out;
    }

    /** The quick-reply buttons' texts in order. */
    public List<String> quickReplies() {
        return buttons.stream().filter(b -> b.type() == ButtonType.QUICK_REPLY).map(Button::text).toList();
    }

    /** A filled button as the reader sees it: its text, and for a URL button where a tap leads. */
    public record ShownButton(ButtonType type, String text, String url) {

        public boolean link() {
            return type == ButtonType.URL;
        }

        /** The URL to link to when it is an http(s) one (never a javascript: or other scheme); else null. */
        public String href() {
            return url != null && (url.startsWith("https://") || url.startsWith("http://")) ? url : null;
        }
    }

    /**
     * The message as WhatsApp shows it. {@code headerFormat} null: no header; {@code headerMedia} the media link
     * (shown as a placeholder naming it, never loaded) or an uploaded file's name, {@code headerText} the filled text
     * header; {@code headerSrc} an uploaded file's path inside the workspace ({@code media/<id>}, served to its
     * members by {@link MediaPages}), which is shown itself.
     */
    public record Rendered(HeaderFormat headerFormat, String headerText, String headerMedia, String body,
            String footer, List<ShownButton> buttons, String headerSrc) {

        public Rendered(HeaderFormat headerFormat, String headerText, String headerMedia, String body, String footer,
                List<ShownButton> buttons) {
            this(headerFormat, headerText, headerMedia, body, footer, buttons, null);
        }

        public boolean mediaHeader() {
            return headerFormat != null && headerFormat.media();
        }
    }

    /** The layout as approved, placeholders as written and a media header's example: the templates page. */
    public Rendered unfilled() {
        return render(List.of(), null, List.of());
    }

    /**
     * Fills the layout: the body with {@code bodyValues} ({@link TemplateBody#render}), a media header with
     * {@code header} (its sample when null), a TEXT header's placeholder with {@code header}, the dynamic URL
     * buttons with {@code urlTargets} in order, where a tap leads in the end (a button without one shows its URL as
     * written).
     */
    public Rendered render(List<String> bodyValues, String headerValue, List<String> urlTargets) {
        return render(bodyValues, headerValue, urlTargets, null);
    }

    /** As {@link #render(List, String, List)}, with an uploaded header file's workspace path ({@code media/<id>}). */
    public Rendered render(List<String> bodyValues, String headerValue, List<String> urlTargets, String headerSrc) {
        HeaderFormat format = header == null ? null : header.format();
        String headerText = null;
        String headerMedia = null;
        if (format == HeaderFormat.TEXT) {
            headerText = TemplateBody.render(header.text(), headerValue == null ? List.of() : List.of(headerValue));
        } else if (format != null && format.media()) {
            headerMedia = headerValue != null ? headerValue : header.example();
        }
        List<ShownButton> shown = new ArrayList<>();
        int dynamic = 0;
        for (Button b : buttons) {
            String url = b.url();
            if (b.dynamicUrl()) {
                url = dynamic < urlTargets.size() && urlTargets.get(dynamic) != null ? urlTargets.get(dynamic) : url;
                dynamic++;
            }
            shown.add(new ShownButton(b.type(), b.text(), url));
        }
        return new Rendered(format, headerText, headerMedia, TemplateBody.render(body, bodyValues), footer, shown,
                format != null && format.media() ? headerSrc : null);
    }
}
