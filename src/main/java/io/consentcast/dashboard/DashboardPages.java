package io.consentcast.dashboard;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.consent.ConsentQueries;
import io.consentcast.consent.ConsentStatus;
import io.consentcast.dispatch.IssueOutlook;
import io.consentcast.lists.ListService;
import io.consentcast.optin.SampleDataService;
import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.Flash;
import io.consentcast.web.PageContext;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelNumbers;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The workspace dashboard: figure tiles, readers per state over 90 days and the opt-in funnel per list as charts
 * ({@link DashboardFigures}), readers per list and state, the channel's health, next steps.
 */
@Path("/t/{tenant}")
@Produces(MediaType.TEXT_HTML)
public class DashboardPages {

    static final List<ConsentStatus> COLUMNS = List.of(ConsentStatus.CONFIRMED, ConsentStatus.PENDING,
            ConsentStatus.IMPORTED, ConsentStatus.WITHDRAWN, ConsentStatus.SUPPRESSED, ConsentStatus.EXPIRED);

    /** Months of billed messages the dashboard shows (the current one and the ones before). */
    static final int BILLING_MONTHS = 3;

    @Inject
    ListService lists;

    @Inject
    ConsentQueries queries;

    @Inject
    ChannelSettingsService channel;

    @Inject
    SampleDataService samples;

    @Inject
    DashboardFigures figures;

    @Inject
    Caller caller;

    @Inject
    ChannelNumbers numbers;

    @Inject
    IssueOutlook outlook;

    @Inject
    PageContext page;

    @Inject
    RoutingContext routing;

    /** One row of the dashboard table: a list and its number of readers per state, in {@link #COLUMNS} order. */
    public record ListRow(ListService.ListView list, List<Long> counts) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance dashboard(List<ListRow> rows, List<ConsentStatus> columns,
                ChannelSettingsService.ChannelView channel, String error, DashboardFigures.Figures figures,
                List<ChannelNumbers.PausedNumber> pausedNumbers, List<IssueOutlook.MonthBilling> billing);
    }

    @GET
    public TemplateInstance dashboard(@PathParam("tenant") String tenant) {
        return view(null);
    }

    @POST
    @Path("sample-data")
    @MinRole(Role.ADMIN)
    public Response loadSampleData(@PathParam("tenant") String tenant) {
        try {
            samples.load(caller.userId());
        } catch (ApiException e) {
            return Response.status(e.status()).entity(view(page.formErrors(e).get("_form"))).build();
        }
        Flash.set(routing, "success", "optin.flash-sample-loaded");
        return Response.seeOther(URI.create("/t/" + tenant)).build();
    }

    private TemplateInstance view(String error) {
        Map<java.util.UUID, Map<ConsentStatus, Long>> counts = queries.countsByListAndState();
        List<ListService.ListView> all = lists.all();
        List<ListRow> rows = all.stream()
                .map(l -> new ListRow(l, COLUMNS.stream()
                        .map(s -> counts.getOrDefault(l.id(), Map.of()).getOrDefault(s, 0L)).toList()))
                .toList();
        return Templates.dashboard(rows, COLUMNS, channel.view(), error,
                figures.figures(all, counts, COLUMNS, page.locale()), numbers.marketingPaused(),
                outlook.billingByMonth(BILLING_MONTHS));
    }
}
