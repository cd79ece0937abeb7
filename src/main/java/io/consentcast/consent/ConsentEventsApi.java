package io.consentcast.consent;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;

import io.consentcast.tenancy.Caller;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.MinRole;
import io.consentcast.tenancy.Role;

/** Verification and exports of the consent ledger: OWNER and ADMIN only. */
@Path("/api/tenants/{tenant}/consent-events")
@MinRole(Role.ADMIN)
public class ConsentEventsApi {

    @Inject
    LedgerVerifier verifier;

    @Inject
    LedgerExport export;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    Caller caller;

    @Inject
    LedgerCheckpoints checkpoints;

    /** The workspace's checkpoints, newest first (at most 1000). */
    @GET
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public java.util.List<LedgerCheckpoints.CheckpointView> checkpoints(@PathParam("tenant") String tenant) {
        return checkpoints.list();
    }

    /** Writes a checkpoint now: 201 with it, or 204 when nothing changed since the last one. */
    @jakarta.ws.rs.POST
    @Path("/checkpoints")
    @Produces(MediaType.APPLICATION_JSON)
    public Response checkpoint(@PathParam("tenant") String tenant) {
        return checkpoints.checkpoint().map(c -> Response.status(201).entity(c).build())
                .orElseGet(() -> Response.noContent().build());
    }

    @GET
    @Path("/verify")
    @Produces(MediaType.APPLICATION_JSON)
    public LedgerVerifier.Result verify(@PathParam("tenant") String tenant) {
        return verifier.verify();
    }

    /** Streams the events as CSV (with a header row) or NDJSON; see docs/LEDGER.md for the columns. */
    @GET
    @Path("/export")
    public Response export(@PathParam("tenant") String tenant, @QueryParam("format") String format,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("list") String list,
            @QueryParam("subscriber") String subscriber) {
        LedgerExport.Request request = export.parse(format, from, to, list, subscriber);
        export.recordExport(request, caller.userId());
        String tenantId = currentTenant.id();
        StreamingOutput body = out -> export.write(tenantId, request, out);
        return Response.ok(body, request.format().mediaType)
                .header("Content-Disposition", "attachment; filename=\"consent-events-" + tenant + "."
                        + request.format().extension + "\"")
                .build();
    }

    /** What the same export request gives now: columns, row count, SHA-256 of the file, verification. */
    @GET
    @Path("/export/manifest")
    @Produces(MediaType.APPLICATION_JSON)
    public LedgerExport.Manifest manifest(@PathParam("tenant") String tenant, @QueryParam("format") String format,
            @QueryParam("from") String from, @QueryParam("to") String to, @QueryParam("list") String list,
            @QueryParam("subscriber") String subscriber) {
        LedgerExport.Request request = export.parse(format, from, to, list, subscriber);
        return export.manifest(currentTenant.id(), request);
    }
}
