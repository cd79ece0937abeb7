package io.consentcast.optin;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.multipart.FileUpload;

import io.consentcast.lists.ListService;
import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;
import io.consentcast.web.PageContext;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;

/** Importing a CSV file into a list, and asking the imported readers to confirm, from the list's pages. */
@Path("/t/{tenant}/lists/{list}/import")
@Produces(MediaType.TEXT_HTML)
@MinRole(Role.ADMIN)
public class ImportPages {

    @Inject
    ImportService imports;

    @Inject
    RepermissionService repermission;

    @Inject
    ListService lists;

    @Inject
    LandingRegions regions;

    @Inject
    Caller caller;

    @Inject
    PageContext page;

    @CheckedTemplate
    static class Templates {
        static native TemplateInstance importPage(ListService.ListView list, ImportService.ImportReport report,
                RepermissionService.RepermissionReport asked, Map<String, String> errors);
    }

    @GET
    public TemplateInstance form(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        return Templates.importPage(list(list), null, null, Map.of());
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @RestForm("file") FileUpload file, @RestForm("dryRun") String dryRun) {
        ListService.ListView l = list(list);
        try {
            if (file == null || file.uploadedFile() == null || file.size() == 0) {
                throw ApiException.invalid(Map.of("file", "optin.import-unreadable"));
            }
            try (Reader reader = Files.newBufferedReader(file.uploadedFile(), StandardCharsets.UTF_8)) {
                ImportService.ImportReport report = imports.importCsv(list, reader, file.fileName(),
                        regions.defaultRegion(), "on".equals(dryRun), caller.userId());
                return Response.ok(Templates.importPage(l, report, null, Map.of())).build();
            }
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.importPage(l, null, null, page.formErrors(e))).build();
        } catch (IOException e) {
            throw new IllegalStateException("Could not read the uploaded file", e);
        }
    }

    @POST
    @Path("repermission")
    public Response askAgain(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        ListService.ListView l = list(list);
        try {
            return Response.ok(Templates.importPage(l, null, repermission.askImported(list, caller.userId()),
                    Map.of())).build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(Templates.importPage(l, null, null, page.formErrors(e))).build();
        }
    }

    private ListService.ListView list(String slug) {
        return lists.bySlug(slug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
    }
}
