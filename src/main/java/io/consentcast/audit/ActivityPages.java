package io.consentcast.audit;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/**
 * The activity log page: who did what, filtered by member, kind and days, 50 entries a page (newest first), and the
 * same selection as a CSV download (a GET that changes nothing but records the download).
 */
@Path("/t/{tenant}/activity")
@MinRole(Role.ADMIN)
public class ActivityPages {

    static final int PAGE_SIZE = 50;

    @Inject
    ActivityLog log;

    @Inject
    ActivityViews views;

    @Inject
    ActivityApi api;

    @Inject
    PageContext page;

    /** A choice of a select: its value and label. */
    public record Option(String value, String label) {
    }

    /** The filter form as entered (raw values, kept on an error). */
    public record Form(String member, String kind, String from, String to) {
    }

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance activity(List<ActivityViews.Entry> entries, Form form, List<Option> members,
                List<Option> kinds, Map<String, String> errors, String query, String older, boolean filtered);
    }

    @GET
    public Response activity(@PathParam("tenant") String tenant, @QueryParam("member") String member,
            @QueryParam("kind") String kind, @QueryParam("from") String from, @QueryParam("to") String to,
            @QueryParam("before") String before) {
        Form form = new Form(member, kind, from, to);
        try {
            ActivityFilter filter = api.filter(member, kind, from, to);
            UUID cursor = ActivityApi.cursor(before, log);
            List<ActivityViews.Entry> entries = views.page(filter, PAGE_SIZE + 1, cursor, page.locale());
            String older = null;
            if (entries.size() > PAGE_SIZE) {
                entries = entries.subList(0, PAGE_SIZE);
                older = entries.get(PAGE_SIZE - 1).id().toString();
            }
            boolean filtered = !filter.equals(ActivityFilter.NONE);
            return Response.ok(Templates.activity(entries, form, members(), kinds(), Map.of(), filter.query(), older,
                    filtered)).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).build();
        } catch (ApiException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.activity(List.of(), form, members(), kinds(), page.formErrors(e), "", null, true))
                    .build();
        }
    }

    /** The entries of the filter as CSV, in the page's language; a bad filter shows the page with its error. */
    @GET
    @Path("export")
    public Response export(@PathParam("tenant") String tenant, @QueryParam("member") String member,
            @QueryParam("kind") String kind, @QueryParam("from") String from, @QueryParam("to") String to) {
        try {
            return api.csv(tenant, api.filter(member, kind, from, to), page.locale());
        } catch (ApiException e) {
            return Response.status(e.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                    .entity(Templates.activity(List.of(), new Form(member, kind, from, to), members(), kinds(),
                            page.formErrors(e), "", null, true))
                    .build();
        }
    }

    private List<Option> members() {
        return log.actors().entrySet().stream().map(e -> new Option(e.getKey().toString(), e.getValue())).toList();
    }

    private List<Option> kinds() {
        return Arrays.stream(ActivityKind.values())
                .map(k -> new Option(k.code, Texts.resolve(k.labelKey(), page.locale())))
                .sorted(java.util.Comparator.comparing(Option::label, java.text.Collator.getInstance(page.locale())))
                .toList();
    }
}
