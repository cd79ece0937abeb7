package io.consentcast.lists;

import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.ConsentcastConfig;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.Flash;
import io.consentcast.web.PageContext;
import io.consentcast.web.QrCodes;
import io.consentcast.whatsapp.ChannelNumbers;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.vertx.ext.web.RoutingContext;

/** The workspace's list pages: overview, create, edit, close, and sharing (link, QR codes, embed snippet). */
@Path("/t/{tenant}/lists")
@Produces(MediaType.TEXT_HTML)
public class ListPages {

    @Inject
    ListService lists;

    @Inject
    Caller caller;

    @Inject
    PageContext page;

    @Inject
    RoutingContext routing;

    @Inject
    ConsentcastConfig config;

    @Inject
    ChannelNumbers numbers;

    /** The list form's fields, as typed (kept when the form comes back with errors). */
    public static class ListForm {
        @FormParam("slug") public String slug;
        @FormParam("name") public String name;
        @FormParam("description") public String description;
        @FormParam("language") public String language;
        @FormParam("purpose") public String purpose;
        @FormParam("keyword") public String keyword;
        @FormParam("consentText") public String consentText;
        @FormParam("imprintUrl") public String imprintUrl;
        @FormParam("privacyUrl") public String privacyUrl;
        @FormParam("sendingNumber") public String sendingNumber;

        ListService.ListRequest toRequest() {
            return new ListService.ListRequest(slug, name, description, language, purpose, keyword, consentText,
                    imprintUrl, privacyUrl, null, sendingNumber == null ? "" : sendingNumber);
        }

        static ListForm of(ListService.ListView l) {
            ListForm f = new ListForm();
            f.slug = l.slug();
            f.name = l.name();
            f.description = l.description();
            f.language = l.language();
            f.purpose = l.purpose().name();
            f.keyword = l.keyword();
            f.consentText = l.consentText();
            f.imprintUrl = l.imprintUrl();
            f.privacyUrl = l.privacyUrl();
            f.sendingNumber = l.sendingNumber();
            return f;
        }
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance index(List<ListService.ListView> lists);

        static native TemplateInstance form(ListForm form, Map<String, String> errors, boolean creating,
                List<ChannelNumbers.NumberView> numbers, ChannelNumbers.SendingNumber fallback);

        static native TemplateInstance detail(ListService.ListView list, String publicUrl, String qrSvg,
                String embed, ChannelNumbers.SendingNumber sending);
    }

    @GET
    public TemplateInstance index(@PathParam("tenant") String tenant) {
        return Templates.index(lists.all());
    }

    @GET
    @Path("/new")
    @MinRole(Role.ADMIN)
    public TemplateInstance newForm(@PathParam("tenant") String tenant) {
        ListForm f = new ListForm();
        f.language = lists.defaultLanguage();
        f.purpose = "MARKETING";
        return form(f, Map.of(), true);
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response create(@PathParam("tenant") String tenant, @BeanParam ListForm form) {
        try {
            ListService.ListView created = lists.create(form.toRequest(), caller.userId());
            Flash.set(routing, "success", "lists.flash-created");
            return Response.seeOther(URI.create("/t/" + tenant + "/lists/" + created.slug())).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(form(form, page.formErrors(e), true)).build();
        }
    }

    @GET
    @Path("/{list}")
    public TemplateInstance detail(@PathParam("tenant") String tenant, @PathParam("list") String slug) {
        ListService.ListView list = find(slug);
        String url = publicUrl(tenant, slug);
        String embed = "<iframe src=\"" + url + "\" title=\"" + list.name().replace("\"", "&quot;")
                + "\" style=\"width:100%;max-width:480px;height:640px;border:0\" loading=\"lazy\"></iframe>";
        return Templates.detail(list, url, QrCodes.svg(url), embed, numbers.forList(list.id()));
    }

    @GET
    @Path("/{list}/edit")
    @MinRole(Role.ADMIN)
    public TemplateInstance editForm(@PathParam("tenant") String tenant, @PathParam("list") String slug) {
        return form(ListForm.of(find(slug)), Map.of(), false);
    }

    @POST
    @Path("/{list}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response edit(@PathParam("tenant") String tenant, @PathParam("list") String slug,
            @BeanParam ListForm form) {
        form.slug = slug;
        try {
            lists.update(slug, form.toRequest(), caller.userId());
            Flash.set(routing, "success", "lists.flash-saved");
            return Response.seeOther(URI.create("/t/" + tenant + "/lists/" + slug)).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(form(form, page.formErrors(e), false)).build();
        }
    }

    @POST
    @Path("/{list}/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @MinRole(Role.ADMIN)
    public Response status(@PathParam("tenant") String tenant, @PathParam("list") String slug,
            @FormParam("status") String status) {
        lists.update(slug, new ListService.ListRequest(null, null, null, null, null, null, null, null, null, status),
                caller.userId());
        Flash.set(routing, "success", "CLOSED".equals(status) ? "lists.flash-closed" : "lists.flash-reopened");
        return Response.seeOther(URI.create("/t/" + tenant + "/lists/" + slug)).build();
    }

    @GET
    @Path("/{list}/qr.svg")
    @Produces("image/svg+xml")
    public Response qrSvg(@PathParam("tenant") String tenant, @PathParam("list") String slug) {
        find(slug);
        return Response.ok(QrCodes.svg(publicUrl(tenant, slug)))
                .header("Content-Disposition", "attachment; filename=\"" + tenant + "-" + slug + ".svg\"").build();
    }

    @GET
    @Path("/{list}/qr.png")
    @Produces("image/png")
    public Response qrPng(@PathParam("tenant") String tenant, @PathParam("list") String slug) {
        find(slug);
        return Response.ok(QrCodes.png(publicUrl(tenant, slug), 12))
                .header("Content-Disposition", "attachment; filename=\"" + tenant + "-" + slug + ".png\"").build();
    }

    /** The list form with the workspace's numbers to choose from and the default they fall back to. */
    private TemplateInstance form(ListForm form, Map<String, String> errors, boolean creating) {
        return Templates.form(form, errors, creating, numbers.all(), numbers.resolve(null));
    }

    private ListService.ListView find(String slug) {
        return lists.bySlug(slug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
    }

    private String publicUrl(String tenant, String slug) {
        return config.baseUrl().replaceAll("/+$", "") + "/p/" + tenant + "/" + slug;
    }
}
