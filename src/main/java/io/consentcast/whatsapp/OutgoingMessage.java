package io.consentcast.whatsapp;

import java.util.List;

/** A message to one WhatsApp user: an approved template with its parameters, or free text (24-hour window only). */
public sealed interface OutgoingMessage {

    /** The recipient's WhatsApp id: international digits without "+". */
    String to();

    /**
     * Sent as {@code biz_opaque_callback_data} (at most 512 characters) and echoed by Meta in the message's
     * status webhooks ({@link MessageStatusUpdate#callbackData()}); null when the sender needs none.
     */
    String callbackData();

    /**
     * A template message. {@code bodyParameters} fill the body's placeholders in order ({@link TemplateBody});
     * {@code placeholders} are the template's placeholder names in that order when the sender knows them
     * (a template with named placeholders, {@code {{first_name}}}, needs them: Meta matches such parameters by
     * name), empty otherwise; {@code quickReplyPayloads} (optional, by button index) are returned to us when
     * the user taps the button; {@code extras} fill a header and URL buttons ({@link Extras#NONE}: none).
     */
    record Template(String to, String name, String language, List<String> bodyParameters,
            List<String> quickReplyPayloads, String callbackData, List<String> placeholders, Extras extras)
            implements OutgoingMessage {
        public Template {
            extras = extras == null ? Extras.NONE : extras;
            bodyParameters = bodyParameters == null ? List.of() : List.copyOf(bodyParameters);
            // By button index; null where a button gets no payload (List.copyOf would refuse the nulls).
            quickReplyPayloads = quickReplyPayloads == null ? List.of()
                    : java.util.Collections.unmodifiableList(new java.util.ArrayList<>(quickReplyPayloads));
            placeholders = placeholders == null ? List.of() : List.copyOf(placeholders);
            if (callbackData != null && callbackData.length() > MAX_CALLBACK_DATA) {
                throw new IllegalArgumentException("callback data longer than " + MAX_CALLBACK_DATA);
            }
        }

        public Template(String to, String name, String language, List<String> bodyParameters,
                List<String> quickReplyPayloads, String callbackData, List<String> placeholders) {
            this(to, name, language, bodyParameters, quickReplyPayloads, callbackData, placeholders, Extras.NONE);
        }

        public Template(String to, String name, String language, List<String> bodyParameters,
                List<String> quickReplyPayloads, String callbackData) {
            this(to, name, language, bodyParameters, quickReplyPayloads, callbackData, List.of());
        }

        public Template(String to, String name, String language, List<String> bodyParameters,
                List<String> quickReplyPayloads) {
            this(to, name, language, bodyParameters, quickReplyPayloads, null);
        }
    }

    /**
     * What a template needs besides its body: the header's value ({@code headerFormat} as the template has it; a
     * media header takes an https link, a TEXT header with a placeholder its one value; null format: none) and the
     * suffixes of its dynamic URL buttons, by button index. {@code headerMediaId}: an uploaded file's media id for the
     * sending number ({@link MediaService}); when set, a media header is sent by id ({@code {"id":...}}), not by link.
     */
    record Extras(TemplateLayout.HeaderFormat headerFormat, String headerValue, List<UrlButton> urlButtons,
            String headerMediaId) {
        public static final Extras NONE = new Extras(null, null, List.of());

        public Extras {
            urlButtons = urlButtons == null ? List.of() : List.copyOf(urlButtons);
        }

        public Extras(TemplateLayout.HeaderFormat headerFormat, String headerValue, List<UrlButton> urlButtons) {
            this(headerFormat, headerValue, urlButtons, null);
        }
    }

    /** The suffix that fills the {@code {{1}}} of the URL button at {@code index} (Meta's button index). */
    record UrlButton(int index, String suffix) {
    }

    /** A free-form text message, allowed only within 24 hours after the user last wrote to us. */
    record Text(String to, String body, String callbackData) implements OutgoingMessage {
        public Text {
            if (callbackData != null && callbackData.length() > MAX_CALLBACK_DATA) {
                throw new IllegalArgumentException("callback data longer than " + MAX_CALLBACK_DATA);
            }
        }

        public Text(String to, String body) {
            this(to, body, null);
        }
    }

    /** Meta's limit for {@code biz_opaque_callback_data}. */
    int MAX_CALLBACK_DATA = 512;
}
