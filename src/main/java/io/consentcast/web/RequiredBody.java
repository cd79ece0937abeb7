package io.consentcast.web;

import java.io.IOException;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.consentcast.shared.ApiException;

/**
 * A body of another media type than JSON where a resource expects one of the application's request records is a
 * 415; an empty or {@code null} JSON body where a resource expects one of the application's request records is a
 * 400 "send a JSON body" in one place, instead of a null each resource would have to check.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class RequiredBody implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        boolean record = context.getType().getName().startsWith("io.consentcast.");
        boolean json = context.getMediaType() != null && context.getMediaType().getSubtype().endsWith("json");
        if (record && !json) {
            throw new WebApplicationException(Response.Status.UNSUPPORTED_MEDIA_TYPE);
        }
        Object body = context.proceed();
        if (body == null && record) {
            throw ApiException.badRequest("request.body-missing");
        }
        return body;
    }
}
