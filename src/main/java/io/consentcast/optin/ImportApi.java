package io.consentcast.optin;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.consentcast.shared.Problem;
import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/**
 * CSV imports as jobs: {@code POST /api/tenants/{tenant}/lists/{list}/imports} takes a CSV body, checks it
 * whole and answers 202 with the job and its {@code Location}; {@code GET .../imports/{job}} is the job's
 * progress and rejection report; {@code GET .../imports} the list's latest jobs. A file refused as a whole
 * answers 400 problem details naming the field ({@code file} or {@code charset}) and the {@code line}.
 * {@code POST .../repermission}: asks the list's imported readers to confirm.
 */
@Path("/api/tenants/{tenant}/lists/{list}")
public class ImportApi {

    @Inject
    ImportJobs jobs;

    @Inject
    ImportConfig config;

    @Inject
    LandingRegions regions;

    @Inject
    Caller caller;

    @Inject
    RepermissionService repermission;

    /** RFC 9457 problem details of a refused file, with the extension member {@code line} (absent when none). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ImportProblem(String type, String title, int status, String detail, Map<String, String> errors,
            Integer line) {
    }

    @POST
    @Path("/imports")
    @Consumes({ "text/csv", "text/plain" })
    @MinRole(Role.ADMIN)
    public Response importCsv(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @QueryParam("dryRun") String dryRun, @QueryParam("region") String region,
            @QueryParam("charset") String charset, @Context HttpHeaders headers, InputStream body) {
        try {
            boolean preview = flag(dryRun);
            byte[] bytes = readAtMost(body, config.maxBytes() + 1);
            ImportJobs.JobView job = jobs.submit(new ImportJobs.Upload(list, bytes, charset != null ? charset
                    : declaredCharset(headers), "api upload", regions.regionOr(region), preview, caller.userId()));
            return Response.accepted(job)
                    .location(URI.create("/api/tenants/" + tenant + "/lists/" + list + "/imports/" + job.id())).build();
        } catch (ImportRejected e) {
            Problem p = e.toProblem(java.util.Locale.ENGLISH);
            return Response.status(400).type(Problem.MEDIA_TYPE)
                    .entity(new ImportProblem(p.type(), p.title(), p.status(), p.detail(), p.errors(), e.line())).build();
        }
    }

    @GET
    @Path("/imports")
    @MinRole(Role.ADMIN)
    public List<ImportJobs.JobView> recent(@PathParam("tenant") String tenant, @PathParam("list") String list) {
        return jobs.recent(list, 20);
    }

    @GET
    @Path("/imports/{job}")
    @MinRole(Role.ADMIN)
    public ImportJobs.JobView job(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @PathParam("job") String job) {
        return jobs.job(list, job);
    }

    @POST
    @Path("/repermission")
    @MinRole(Role.ADMIN)
    public RepermissionService.RepermissionReport repermission(@PathParam("tenant") String tenant,
            @PathParam("list") String list) {
        return repermission.askImported(list, caller.userId());
    }

    /** {@code dryRun}: absent or {@code false} is false, {@code true} is true, anything else is a 400. */
    private static boolean flag(String value) {
        if (value == null || value.isEmpty() || "false".equalsIgnoreCase(value)) {
            return false;
        }
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        throw new ImportRejected("dryRun", "optin.import-dry-run-invalid", null);
    }

    private static String declaredCharset(HttpHeaders headers) {
        MediaType type = headers.getMediaType();
        return type == null ? null : type.getParameters().get(MediaType.CHARSET_PARAMETER);
    }

    /** The body, read up to {@code limit} bytes (one more than allowed is enough to know it is too large). */
    static byte[] readAtMost(InputStream in, int limit) {
        if (in == null) {
            return new byte[0];
        }
        try {
            return in.readNBytes(limit);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
