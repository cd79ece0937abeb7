package io.consentcast.optin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import io.consentcast.consent.ConsentEventType;
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.EventSource;
import io.consentcast.consent.NewEvent;
import io.consentcast.consent.PhoneNumbers;
import io.consentcast.consent.Views.SubscriberView;
import io.consentcast.whatsapp.MarketingPreferenceChanged;
import io.consentcast.whatsapp.RecipientSuppressed;

/**
 * WhatsApp's own "Stop promotions" control (Meta's {@code user_preferences} webhook, or a send refused
 * with error 131050): a stop suppresses the number for every list of the workspace, a resume lifts it. A resume does not restore
 * consent by itself; the ledger keeps both facts.
 */
@ApplicationScoped
public class MarketingPreferences {

    @Inject
    ConsentService consent;

    void onChange(@Observes MarketingPreferenceChanged change) {
        if (PhoneNumbers.e164("+" + change.waId(), null).isEmpty()) {
            return;
        }
        SubscriberView subscriber = consent.subscriberFor("+" + change.waId());
        if (subscriber.erased()) {
            return;
        }
        boolean stop = change.preference() == MarketingPreferenceChanged.Preference.STOP;
        consent.append(NewEvent.of(subscriber.id(), stop ? ConsentEventType.SUPPRESSED : ConsentEventType.UNSUPPRESSED,
                InboundCommands.source(change.origin()))
                .withSourceDetail("user_preferences webhook")
                .withReason(stop ? "marketing messages stopped in WhatsApp (Stop promotions)"
                        : "marketing messages resumed in WhatsApp")
                .withWhatsApp("user_preferences:" + change.waId() + ":" + change.timestamp().getEpochSecond(),
                        change.timestamp()));
    }

    /** A send was refused with Meta's 131050: the user stopped marketing messages in WhatsApp. */
    void onRefusedSend(@Observes RecipientSuppressed refused) {
        if (PhoneNumbers.e164("+" + refused.waId(), null).isEmpty()) {
            return;
        }
        SubscriberView subscriber = consent.subscriberFor("+" + refused.waId());
        if (subscriber.erased()) {
            return;
        }
        consent.append(NewEvent.of(subscriber.id(), ConsentEventType.SUPPRESSED, EventSource.SYSTEM)
                .withSourceDetail("send refused by Meta")
                .withReason("Meta error " + refused.code() + ": the user stopped marketing messages ("
                        + refused.reason() + ")"));
    }
}
