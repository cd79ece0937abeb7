package io.consentcast.optin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.util.List;
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

/**
 * Importing a CSV file into a list from the list's pages: the upload form with the list's latest imports,
 * the progress page of one import (reloaded by {@code /assets/import-progress.js} while it runs), and asking
 * the imported readers to confirm.
 */
@Path("/t/{tenant}/lists/{list}/import")
@Produces(MediaType.TEXT_HTML)
@MinRole(Role.ADMIN)
public class ImportPages {

    /** Rejected rows listed on the progress page; the API lists them all. */
    static final int PAGE_REPORT_LIMIT = 1_000;

    @Inject
    ImportJobs jobs;

    @Inject
    ImportConfig config;

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
        static native TemplateInstance importPage(ListService.ListView list, List<ImportJobs.JobView> recent,
                RepermissionService.RepermissionReport asked, Map<String, String> errors, List<String> charsets,
                String charset, boolean dryRun, int maxRows, int maxMegabytes);

        static native TemplateInstance importJob(ListService.ListView list, ImportJobs.JobView job);
    }

    @GET
    public TemplateInstance form(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        return formPage(list(list), null, Map.of(), null, true);
    }

    @POST
    @Consumes(MediaType.MULTIPART_FORM_DATA)
    public Response upload(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @RestForm("file") FileUpload file, @RestForm("dryRun") String dryRun, @RestForm("charset") String charset) {
        ListService.ListView l = list(list);
        boolean preview = "on".equals(dryRun);
        try {
            if (file == null || file.uploadedFile() == null) {
                throw ImportRejected.file("optin.import-file-required", null);
            }
            ImportJobs.JobView job = jobs.submit(new ImportJobs.Upload(list, read(file), charset, file.fileName(),
                    regions.defaultRegion(), preview, caller.userId()));
            return Response.seeOther(URI.create("/t/" + tenant + "/lists/" + list + "/import/jobs/" + job.id())).build();
        } catch (ImportRejected e) {
            return Response.status(400)
                    .entity(formPage(l, null, Map.of(e.field(), e.text(page.locale())), charset, preview)).build();
        }
    }

    @GET
    @Path("jobs/{job}")
    public TemplateInstance job(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @PathParam("job") String job) {
        return Templates.importJob(list(list), jobs.job(list, job, PAGE_REPORT_LIMIT));
    }

    @POST
    @Path("repermission")
    public Response askAgain(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        ListService.ListView l = list(list);
        try {
            return Response.ok(formPage(l, repermission.askImported(list, caller.userId()), Map.of(), null, true))
                    .build();
        } catch (ApiException e) {
            return Response.status(e.status()).entity(formPage(l, null, page.formErrors(e), null, true)).build();
        }
    }

    private TemplateInstance formPage(ListService.ListView list, RepermissionService.RepermissionReport asked,
            Map<String, String> errors, String charset, boolean dryRun) {
        String selected = charset != null && CsvUpload.CHARSETS.contains(charset) ? charset : CsvUpload.CHARSETS.get(0);
        return Templates.importPage(list, jobs.recent(list.slug(), 10), asked, errors, CsvUpload.CHARSETS, selected,
                dryRun, config.maxRows(), config.maxBytes() / (1024 * 1024));
    }

    /** The uploaded file, read up to one byte more than allowed (enough to refuse it as too large). */
    private byte[] read(FileUpload file) {
        try (InputStream in = Files.newInputStream(file.uploadedFile())) {
            return ImportApi.readAtMost(in, config.maxBytes() + 1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private ListService.ListView list(String slug) {
        return lists.bySlug(slug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
    }
}
