package io.consentcast.web;

import java.util.List;
import java.util.Locale;
import java.util.Map;

import jakarta.inject.Inject;
import jakarta.ws.rs.NotAuthorizedException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.JsonGenerationException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidDefinitionException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.Problem;
import io.quarkus.qute.Location;
import io.quarkus.qute.Template;

/**
 * Turns every failure into what the caller can read: RFC 9457 problem details for the API and
 * webhooks, an error page in the layout (and the page's language) for everything else.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @Inject
    @Location("error.html")
    Template errorPage;

    @Inject
    PageContext page;

    @ServerExceptionMapper
    public Response apiException(ApiException e, UriInfo uri) {
        return respond(uri, e.toProblem(isApi(uri) ? Locale.ENGLISH : page.locale()));
    }

    /** A page form refused by {@link PageFormGuard}: what happened and the way back, never a blank page. */
    @ServerExceptionMapper
    public Response pageRequestRejected(PageRequestRejected e) {
        String html = localized(errorPage.data("status", e.reason().status()).data("detail", null)
                .data("reason", e.reason().name()).data("back", e.back()).data("resend", e.resubmission())).render();
        return Response.status(e.reason().status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .header("Cache-Control", "no-store").entity(html).build();
    }

    @ServerExceptionMapper
    public Response validation(jakarta.validation.ConstraintViolationException e, UriInfo uri) {
        Map<String, String> errors = new java.util.LinkedHashMap<>();
        e.getConstraintViolations().forEach(v -> {
            String path = v.getPropertyPath().toString();
            errors.put(path.substring(path.lastIndexOf('.') + 1), v.getMessage());
        });
        return respondGeneric(uri, new Problem("about:blank", "Bad Request", 400, "Some fields are invalid.", errors));
    }

    /** A body of the wrong shape or type: 400 naming the field (its JSON path), or "body" when it is the whole. */
    @ServerExceptionMapper
    public Response mismatchedJson(MismatchedInputException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response unreadableJson(JsonProcessingException e, UriInfo uri) {
        return json(e, uri);
    }

    @ServerExceptionMapper
    public Response webApplication(WebApplicationException e, UriInfo uri) {
        int status = e.getResponse().getStatus();
        if (status == 400 && e.getCause() instanceof JsonProcessingException json) {
            return json(json, uri);
        }
        if (e instanceof NotAuthorizedException || status == 401) {
            return Response.fromResponse(e.getResponse())
                    .type(Problem.MEDIA_TYPE)
                    .entity(new Problem("about:blank", "Unauthorized", 401, "Log in or send a valid bearer token.", null))
                    .build();
        }
        String detail = switch (status) {
            case 404 -> "There is nothing at this address.";
            case 405 -> "This address does not accept that method.";
            case 415 -> !isApi(uri) ? null : uri.getPath().endsWith("/header-media")
                    ? "Send the header file as the body with its type: image/jpeg, image/png, video/mp4 or application/pdf (Content-Type)."
                    : "Send the body as application/json (Content-Type).";
            case 400 -> "The request could not be read: " + safeMessage(e);
            default -> safeMessage(e);
        };
        return respondGeneric(uri, new Problem("about:blank", Response.Status.fromStatusCode(status) == null ? "Error"
                : Response.Status.fromStatusCode(status).getReasonPhrase(), status, detail, null));
    }

    @ServerExceptionMapper
    public Response unexpected(Throwable e, UriInfo uri) {
        LOG.error("Unexpected failure at " + uri.getPath(), e);
        return respondGeneric(uri, new Problem("about:blank", "Internal Server Error", 500,
                "Something went wrong on our side. It has been logged; please try again.", null));
    }

    private Response json(JsonProcessingException e, UriInfo uri) {
        if (e instanceof JsonGenerationException || e instanceof InvalidDefinitionException) {
            return unexpected(e, uri); // writing an answer or a type Jackson cannot bind: our failure, not the caller's
        }
        String field = "body";
        String code;
        if (e instanceof JsonMappingException m && !m.getPath().isEmpty()) {
            field = path(m.getPath());
            String original = m.getOriginalMessage();
            code = original != null && original.startsWith("request.") ? original : "request.field-type";
        } else {
            code = e instanceof MismatchedInputException ? "request.body-shape" : "request.json-malformed";
        }
        return apiException(new ApiException(400, "Bad Request", "body".equals(field) ? code : "request.invalid",
                Map.of(field, code)), uri);
    }

    /** {@code template.parameters[0]}: the JSON path of a refused value. */
    private static String path(List<JsonMappingException.Reference> references) {
        StringBuilder sb = new StringBuilder();
        for (JsonMappingException.Reference r : references) {
            if (r.getFieldName() != null) {
                sb.append(sb.isEmpty() ? "" : ".").append(r.getFieldName());
            } else if (r.getIndex() >= 0) {
                sb.append('[').append(r.getIndex()).append(']');
            }
        }
        return sb.isEmpty() ? "body" : sb.toString();
    }

    private Response respond(UriInfo uri, Problem problem) {
        return respond(uri, problem, problem.detail());
    }

    /**
     * A failure whose detail is an English sentence of the framework or of this class: the API gets it, a page
     * shows the error page's own text for the status in the page's language instead.
     */
    private Response respondGeneric(UriInfo uri, Problem problem) {
        return respond(uri, problem, null);
    }

    private Response respond(UriInfo uri, Problem problem, String pageDetail) {
        if (isApi(uri)) {
            return Response.status(problem.status()).type(Problem.MEDIA_TYPE).entity(problem).build();
        }
        String html = localized(errorPage.data("status", problem.status()).data("detail", pageDetail)
                .data("reason", problem.status() == 415 ? PageRequestRejected.Reason.NOT_A_FORM.name() : null)
                .data("back", null).data("resend", null)).render();
        return Response.status(problem.status()).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(html).build();
    }

    /** Error pages speak the page's language, like every page ({@link PageLocaleFilter}). */
    private io.quarkus.qute.TemplateInstance localized(io.quarkus.qute.TemplateInstance instance) {
        instance.setLocale(page.locale());
        return instance;
    }

    private static boolean isApi(UriInfo uri) {
        String path = uri.getPath();
        return path.startsWith("/api") || path.startsWith("/webhooks") || path.startsWith("/q/");
    }

    private static String safeMessage(WebApplicationException e) {
        String m = e.getMessage();
        return m == null || m.startsWith("HTTP ") ? "The request could not be handled." : m;
    }
}
