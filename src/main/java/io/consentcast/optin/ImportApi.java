package io.consentcast.optin;

import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.QueryParam;

import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/**
 * {@code POST /api/tenants/{tenant}/lists/{list}/imports}: a CSV body, answered with the import report;
 * {@code POST .../repermission}: asks the list's imported readers to confirm.
 */
@Path("/api/tenants/{tenant}/lists/{list}")
public class ImportApi {

    @Inject
    ImportService imports;

    @Inject
    LandingRegions regions;

    @Inject
    Caller caller;

    @Inject
    RepermissionService repermission;

    @POST
    @Path("/imports")
    @Consumes({ "text/csv", "text/plain" })
    @MinRole(Role.ADMIN)
    public ImportService.ImportReport importCsv(@PathParam("tenant") String tenant, @PathParam("list") String list,
            @QueryParam("dryRun") boolean dryRun, @QueryParam("region") String region, InputStream body) {
        return imports.importCsv(list, new InputStreamReader(body, StandardCharsets.UTF_8), "api upload",
                regions.regionOr(region), dryRun, caller.userId());
    }

    @POST
    @Path("/repermission")
    @MinRole(Role.ADMIN)
    public RepermissionService.RepermissionReport repermission(@PathParam("tenant") String tenant,
            @PathParam("list") String list) {
        return repermission.askImported(list, caller.userId());
    }
}
