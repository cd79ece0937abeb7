package io.consentcast.dispatch;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.shared.Validation;
import io.consentcast.whatsapp.OutgoingMessage;
import io.consentcast.whatsapp.QuickReplyPayload;
import io.consentcast.whatsapp.TemplateLayout;

/**
 * What an issue fills in a template besides the body, written once for composing, sending and the preview: the
 * header (a media header's https link, a TEXT header's one value), the dynamic URL buttons (the article's https
 * URL behind the click-counting redirect, {@link IssueLinks}, or the suffix itself) and the quick-reply payloads
 * (an unsubscribe button carries {@link QuickReplyPayload#unsubscribe} for the issue's list).
 */
@ApplicationScoped
public class TemplateFiller {

    static final int MAX_MEDIA_URL = 2048;
    static final int MAX_HEADER_TEXT = 60;
    static final int MAX_BUTTON_URL = 2000;

    @Inject
    IssueLinks links;

    /** Checks {@code header} and {@code buttons} against the template's layout (fields template.header, template.buttons). */
    void check(Validation v, TemplateLayout layout, String header, List<String> buttons) {
        TemplateLayout.Header h = layout.header();
        boolean wanted = h != null && (h.format().media() || h.needsText());
        if (!wanted) {
            v.check(header == null, "template.header", "dispatch.header-unused");
        } else if (header == null) {
            // A media header may stay empty while composing: a file is uploaded to the issue (HeaderMedia) or a
            // link given before it is sent; the preflight blocks it until then. A TEXT header's value is required.
            v.check(h.format().media(), "template.header", "dispatch.header-required");
        } else if (h.format().media()) {
            v.check(https(header, MAX_MEDIA_URL), "template.header", "dispatch.header-invalid");
        } else {
            v.check(header.length() <= MAX_HEADER_TEXT && header.indexOf('\n') < 0 && !header.isBlank(),
                    "template.header", "dispatch.header-text-invalid");
        }
        List<Integer> dynamic = layout.dynamicUrlButtons();
        v.check(buttons.size() == dynamic.size(), "template.buttons", "dispatch.buttons-count");
        for (int k = 0; k < Math.min(buttons.size(), dynamic.size()); k++) {
            String value = buttons.get(k);
            if (links.counted(layout.buttons().get(dynamic.get(k)))) {
                v.check(https(value, MAX_BUTTON_URL), "template.buttons", "dispatch.button-url-invalid");
            } else {
                v.check(value != null && !value.isBlank() && value.length() <= MAX_BUTTON_URL
                        && value.chars().noneMatch(Character::isWhitespace), "template.buttons",
                        "dispatch.button-suffix-invalid");
            }
        }
    }

    /** The redirects the issue's buttons need (counted buttons only), for {@link IssueLinks#sync}. */
    List<IssueLinks.Target> targets(TemplateLayout layout, List<String> buttons) {
        List<IssueLinks.Target> out = new ArrayList<>();
        List<Integer> dynamic = layout.dynamicUrlButtons();
        for (int k = 0; k < Math.min(buttons.size(), dynamic.size()); k++) {
            if (links.counted(layout.buttons().get(dynamic.get(k)))) {
                out.add(new IssueLinks.Target(dynamic.get(k), buttons.get(k)));
            }
        }
        return out;
    }

    /** The header and URL-button parameters of a send; {@code tokens} the issue's redirect tokens by button index. */
    OutgoingMessage.Extras extras(TemplateLayout layout, String header, List<String> buttons,
            Map<Integer, String> tokens, String headerMediaId) {
        List<OutgoingMessage.UrlButton> urls = new ArrayList<>();
        List<Integer> dynamic = layout.dynamicUrlButtons();
        for (int k = 0; k < Math.min(buttons.size(), dynamic.size()); k++) {
            int index = dynamic.get(k);
            String suffix = links.counted(layout.buttons().get(index)) ? tokens.get(index) : buttons.get(k);
            if (suffix != null) {
                urls.add(new OutgoingMessage.UrlButton(index, suffix));
            }
        }
        return new OutgoingMessage.Extras(layout.header() == null ? null : layout.header().format(), header, urls,
                layout.mediaHeader() ? headerMediaId : null);
    }

    /** Where each dynamic URL button leads, for the preview: the article URL, or the button's URL with its suffix. */
    List<String> shownUrls(TemplateLayout layout, List<String> buttons) {
        List<String> out = new ArrayList<>();
        List<Integer> dynamic = layout.dynamicUrlButtons();
        for (int k = 0; k < Math.min(buttons.size(), dynamic.size()); k++) {
            TemplateLayout.Button b = layout.buttons().get(dynamic.get(k));
            out.add(links.counted(b) ? buttons.get(k) : b.urlPrefix() + buttons.get(k));
        }
        return out;
    }

    /** The quick-reply payloads by button index: the unsubscribe payload on an unsubscribe button, else none. */
    List<String> quickReplyPayloads(TemplateLayout layout, UUID listId) {
        String[] out = new String[layout.buttons().size()];
        boolean any = false;
        for (int i = 0; i < out.length; i++) {
            TemplateLayout.Button b = layout.buttons().get(i);
            if (b.type() == TemplateLayout.ButtonType.QUICK_REPLY && QuickReplyPayload.unsubscribes(b.text())) {
                out[i] = QuickReplyPayload.unsubscribe(listId);
                any = true;
            }
        }
        return any ? Arrays.asList(out) : List.of();
    }

    /** An absolute https URL (scheme in lower case) with a host and no user info, no spaces, at most {@code max} characters. */
    static boolean https(String value, int max) {
        if (value == null || value.length() > max || !value.startsWith("https://")
                || value.chars().anyMatch(Character::isWhitespace)) {
            return false;
        }
        try {
            URI uri = new URI(value);
            return uri.getHost() != null && !uri.getHost().isBlank() && uri.getRawUserInfo() == null;
        } catch (URISyntaxException e) {
            return false;
        }
    }
}
