package io.consentcast.optin;

import java.time.Clock;
import java.util.Locale;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelType;
import io.consentcast.whatsapp.MarketingPreferenceChanged;
import io.consentcast.whatsapp.Origin;
import io.consentcast.whatsapp.SandboxPhone;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * "Load sample data" for a sandbox workspace: a sample list and a few dozen readers in every state, made
 * through the real paths (landing-page requests, confirmations and STOPs written on the sandbox phone, an
 * import, Meta's marketing stop), so each has a true ledger history.
 */
@ApplicationScoped
public class SampleDataService {

    @Inject
    ActivityLog activity;

    static final String SLUG = "sample-news";
    static final String KEYWORD = "SAMPLE";

    @Inject
    ListService lists;

    @Inject
    OptInService optIn;

    @Inject
    ImportService imports;

    @Inject
    SandboxPhone phone;

    @Inject
    MarketingPreferences preferences;

    @Inject
    ChannelSettingsService channel;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Clock clock;

    public record SampleReport(String list, int confirmed, int pending, int withdrawn, int imported, int suppressed) {
    }

    public SampleReport load(UUID actorUserId) {
        if (channel.view().kind() != ChannelType.SANDBOX) {
            throw ApiException.conflict("optin.sample-sandbox-only", null);
        }
        if (lists.bySlug(SLUG).isPresent()) {
            throw ApiException.conflict("optin.sample-loaded", null);
        }
        boolean german = "de".equals(tenancy.workspace(currentTenant.id()).orElseThrow().locale());
        ListView list = QuarkusTransaction.requiringNew().call(() -> lists.create(new ListService.ListRequest(SLUG,
                german ? "Beispiel-Newsletter" : "Sample newsletter",
                german ? "Ein Beispiel mit Lesern in jedem Zustand." : "A sample with readers in every state.",
                german ? "de" : "en", "MARKETING", KEYWORD,
                german ? "Ja, ich möchte den Beispiel-Newsletter per WhatsApp erhalten, höchstens einmal täglich."
                        + " Ich kann mich jederzeit mit STOP abmelden."
                        : "Yes, I want the sample newsletter on WhatsApp, at most once a day. I can stop at any time"
                                + " by writing STOP.",
                "https://example.org/imprint", "https://example.org/privacy", null), actorUserId));
        int n = 0;
        int confirmed = 0;
        int pending = 0;
        int withdrawn = 0;
        int suppressed = 0;
        // German workspaces get German numbers and texts, English ones British numbers.
        String numbers = german ? "+4915200000%03d" : "+447400000%03d";
        String region = german ? "DE" : "GB";
        String origin = german ? "Beispieldaten" : "sample data";
        for (int i = 0; i < 30; i++) {
            String number = String.format(Locale.ROOT, numbers, ++n);
            String ip = "203.0.113." + (10 + i);
            OptInService.PendingConfirmation p = QuarkusTransaction.requiringNew().call(() -> optIn.requestFromWeb(SLUG,
                    number, region, true, ip, "Mozilla/5.0 (" + origin + ")", origin));
            if (i % 5 == 4) {
                pending++;
                continue;
            }
            phone.write(number, p.message());
            if (i % 5 == 3) {
                phone.write(number, "STOP");
                withdrawn++;
            } else if (i % 10 == 2) {
                preferences.onChange(new MarketingPreferenceChanged(currentTenant.id(), number.substring(1),
                        MarketingPreferenceChanged.Preference.STOP, clock.instant(), Origin.SANDBOX));
                suppressed++;
            } else {
                confirmed++;
            }
        }
        StringBuilder csv = new StringBuilder("phone,opted_in_at,source\n");
        for (int i = 0; i < 6; i++) {
            csv.append(String.format(Locale.ROOT, numbers + ",2023-0%d-15,%s%n", ++n, i + 1,
                    german ? "Newsletter-Formular alt" : "old newsletter form"));
        }
        int imported = QuarkusTransaction.requiringNew().call(() -> imports.importNow(SLUG, csv.toString(),
                german ? "beispiel.csv" : "sample.csv", region, actorUserId));
        SampleReport report = new SampleReport(list.slug(), confirmed, pending, withdrawn, imported, suppressed);
        QuarkusTransaction.requiringNew().run(() -> activity.record(actorUserId, ActivityKind.SAMPLE_DATA_LOADED,
                ActivitySubject.list(list.id()), new ActivityDetails.SampleData(list.name(), report.confirmed(),
                        report.pending(), report.withdrawn(), report.imported(), report.suppressed())));
        return report;
    }
}
