package io.consentcast.optin;

import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.PublicTenantRoute;
import io.consentcast.web.ClientAddress;
import io.consentcast.web.PageContext;
import io.consentcast.web.QrCodes;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.RawString;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/**
 * The public opt-in page of a list, {@code /p/{tenant}/{list}}, and its unsubscribe page. In the list's
 * language, mobile-first, no external requests, no cookies (its form token is cookie-less, see {@code web.FormTokens}). A hidden honeypot field and
 * rate limits per IP address and per number keep floods out. Pages are returned wrapped in a
 * {@link Response} so that {@code PageLocaleFilter} sets the list's language before rendering.
 */
@Path("/p/{tenant}/{list}")
@Produces(MediaType.TEXT_HTML)
@PublicTenantRoute
public class LandingPages {

    static final String HONEYPOT = "website";

    /** The confirmation page's QR code per wa.me link (one link per code): a reload or a resubmission draws nothing. */
    static final String QR_CACHE = "confirmation-qr";

    @Inject
    OptInService optIn;

    @Inject
    @io.quarkus.cache.CacheName(QR_CACHE)
    io.quarkus.cache.Cache qrCodes;

    @Inject
    LandingPageData landingData;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    RateLimiter limiter;

    @Inject
    PageViews pageViews;

    @Inject
    LandingRegions regions;

    @Inject
    OptInConfig config;

    @Inject
    ConsentcastConfig appConfig;

    @Inject
    PageContext page;

    @Inject
    RoutingContext routing;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance landing(OptInSettingsService.View brand, String publisher, OptInService.LandingList landing,
                RawString countryOptions, String phone, Map<String, String> errors, LandingRegions.Example example);

        static native TemplateInstance confirm(OptInSettingsService.View brand, String publisher, OptInService.PendingConfirmation pending,
                String qrSvg);

        static native TemplateInstance unsubscribe(OptInSettingsService.View brand, String publisher, OptInService.LandingList landing,
                RawString countryOptions, String phone, Map<String, String> errors, boolean done);

        static native TemplateInstance notice(OptInSettingsService.View brand, String publisher, String title, String text);
    }

    /** The page's data comes from {@link LandingPageData} (cached); the page itself needs no database. */
    @GET
    public Response form(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        LandingPageData.Page data = pageData(list);
        pageViews.count(currentTenant.id(), data.landing().list().id());
        return Response.ok(Templates.landing(data.brand(), data.publisher(), data.landing(),
                regions.options(page.locale(), data.defaultRegion()), "", Map.of(), regions.example(data.defaultRegion())))
                .build();
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response submit(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @FormParam("phone") String phone, @FormParam("country") String country,
            @FormParam("consent") String consentBox, @FormParam(HONEYPOT) String honeypot) {
        LandingPageData.Page data = pageData(list);
        OptInService.LandingList landing = data.landing();
        if (honeypot != null && !honeypot.isBlank()) {
            // A bot filled the invisible field: answer like a success, store nothing.
            return Response.ok(Templates.notice(data.brand(), data.publisher(), landing.list().name(),
                    text("optin.bot-thanks"))).build();
        }
        if (!limiter.tryAcquire("ip:" + clientIp(), config.ipLimit(), config.ipWindow())
                || (phone != null && !limiter.tryAcquire("number:" + tenant + ":" + phone.replaceAll("[^0-9]", ""),
                        config.numberLimit(), config.numberWindow()))) {
            return Response.status(429).header("Retry-After", "600").entity(Templates.notice(data.brand(),
                    data.publisher(), landing.list().name(), text("optin.too-many"))).build();
        }
        String region = regions.regionOr(country, data.defaultRegion());
        try {
            // The consent text recorded is the one this page data shows.
            OptInService.PendingConfirmation pending = optIn.requestFromWeb(landing, phone, region,
                    "on".equals(consentBox), clientIp(), userAgent(), publicUrl(tenant, list));
            return Response.ok(Templates.confirm(data.brand(), data.publisher(), pending, qr(pending.waLink())))
                    .build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.landing(data.brand(), data.publisher(), landing,
                    regions.options(page.locale(), region), phone == null ? "" : phone, page.formErrors(e),
                    regions.example(region))).build();
        }
    }

    private String qr(String waLink) {
        return qrCodes.get(waLink, QrCodes::svg).await().indefinitely();
    }

    @GET
    @Path("/unsubscribe")
    public Response unsubscribeForm(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        LandingPageData.Page data = pageData(list);
        return Response.ok(Templates.unsubscribe(data.brand(), data.publisher(), data.landing(),
                regions.options(page.locale(), data.defaultRegion()), "", Map.of(), false)).build();
    }

    @POST
    @Path("/unsubscribe")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response unsubscribe(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @FormParam("phone") String phone, @FormParam("country") String country) {
        LandingPageData.Page data = pageData(list);
        OptInService.LandingList landing = data.landing();
        String region = regions.regionOr(country, data.defaultRegion());
        if (!limiter.tryAcquire("ip:" + clientIp(), config.ipLimit(), config.ipWindow())) {
            return Response.status(429).header("Retry-After", "600").entity(Templates.notice(data.brand(),
                    data.publisher(), landing.list().name(), text("optin.too-many"))).build();
        }
        try {
            optIn.withdrawFromWeb(list, phone, region, clientIp(), userAgent(), publicUrl(tenant, list) + "/unsubscribe");
            return Response.ok(Templates.unsubscribe(data.brand(), data.publisher(), landing,
                    regions.options(page.locale(), region), "", Map.of(), true)).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.unsubscribe(data.brand(), data.publisher(), landing,
                    regions.options(page.locale(), region), phone == null ? "" : phone, page.formErrors(e), false)).build();
        }
    }

    /** The landing page's data (cached) and the page switched to the list's language before any template is created. */
    private LandingPageData.Page pageData(String list) {
        LandingPageData.Page data = landingData.page(currentTenant.id(), list);
        page.forceLocale(Locale.forLanguageTag(data.landing().list().language()));
        return data;
    }

    private String text(String code) {
        return io.consentcast.shared.Texts.resolve(code, page.locale());
    }

    private String clientIp() {
        return ClientAddress.of(routing);
    }

    private String userAgent() {
        String ua = routing.request().getHeader(HttpHeaders.USER_AGENT);
        return ua == null ? null : ua.substring(0, Math.min(ua.length(), 500));
    }

    private String publicUrl(String tenant, String list) {
        return appConfig.baseUrl().replaceAll("/+$", "") + "/p/" + tenant + "/" + list;
    }
}
