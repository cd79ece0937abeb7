package io.consentcast.dispatch;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.lists.ListPurpose;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelType;
import io.consentcast.whatsapp.MarketingGuard;
import io.consentcast.whatsapp.TemplateService.TemplateView;

/**
 * The checks before an issue may send (when it is scheduled, sent now, and again whenever the engine is about to
 * start or resume it): the reasons an issue is BLOCKED, as message codes.
 */
@ApplicationScoped
public class Preflight {

    @Inject
    IssueStore store;

    @Inject
    ListService lists;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    DispatchSettingsService settings;

    @Inject
    MarketingGuard guard;

    @Inject
    ChannelNumbers numbers;

    @Inject
    HeaderMedia headerMedia;

    /**
     * The checks before an issue may send at {@code at}: channel connected and not stopped, template
     * approved with the right category and parameter count (free text: sandbox only), the list has a
     * consent text, marketing not paused on the number
     * (MARKETING lists), {@code at} inside the sending hours. Returns the reason code, or null when all pass.
     */
    String check(NewsletterIssue i, Instant at) {
        ChannelSettingsService.ChannelView channel = channelSettings.view();
        if (channel.stopped()) {
            return "dispatch.blocked-channel-stopped";
        }
        if (channel.kind() == ChannelType.CLOUD_API && !channel.accessTokenSet()) {
            return "dispatch.blocked-channel-not-connected";
        }
        ListView list = lists.byId(i.listId).orElse(null);
        if (list == null) {
            return "dispatch.blocked-list-missing";
        }
        if (i.freeText()) {
            if (channel.kind() != ChannelType.SANDBOX) {
                return "dispatch.blocked-text-needs-sandbox";
            }
        } else {
            TemplateView t = store.findTemplate(i.templateName, i.templateLanguage).orElse(null);
            if (t == null) {
                return "dispatch.blocked-template-missing";
            }
            if (!t.usable()) {
                return "dispatch.blocked-template-not-approved";
            }
            if (!categoryFits(t.category(), list.purpose())) {
                return "dispatch.blocked-template-category";
            }
            if (t.parameterCount() != store.parameters(i).size()) {
                return "dispatch.blocked-parameters";
            }
            String header = headerMedia.problem(i, t.layout());
            if (header != null) {
                return header;
            }
        }
        if (list.consentTextId() == null) {
            return "dispatch.blocked-no-consent-text";
        }
        if (marketingPaused(list)) {
            return "dispatch.blocked-marketing-paused";
        }
        if (at != null && !settings.view().insideSendingHours(at)) {
            return "dispatch.blocked-outside-hours";
        }
        return null;
    }

    /**
     * Marketing is paused on the number the issue sends from (its list's number, {@link ChannelNumbers#forList})
     * because of that number's quality ({@link MarketingGuard}): a MARKETING list's issue may not send until an admin
     * resumed marketing on that number. Another number's state does not matter.
     */
    boolean marketingPaused(ListView list) {
        return pausedNumber(list) != null;
    }

    /** The list's sending number when marketing is paused on it and the list is a MARKETING list; else null. */
    ChannelNumbers.SendingNumber pausedNumber(ListView list) {
        if (list.purpose() != ListPurpose.MARKETING) {
            return null;
        }
        ChannelNumbers.SendingNumber from = numbers.forList(list.id());
        return guard.marketing(from.numberKey()).allowed() ? null : from;
    }

    static boolean categoryFits(String category, ListPurpose purpose) {
        if (purpose == ListPurpose.UTILITY) {
            return "UTILITY".equalsIgnoreCase(category);
        }
        return category != null;
    }
}
