package io.consentcast.web;

import java.io.IOException;

import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;

import io.consentcast.shared.ApiException;

/**
 * An empty or {@code null} JSON body where a resource expects one of the application's request records is a
 * 400 "send a JSON body" in one place, instead of a null each resource would have to check.
 */
@Provider
@ConstrainedTo(RuntimeType.SERVER)
public class RequiredBody implements ReaderInterceptor {

    @Override
    public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
        Object body = context.proceed();
        if (body == null && context.getMediaType() != null && context.getMediaType().getSubtype().endsWith("json")
                && context.getType().getName().startsWith("io.consentcast.")) {
            throw ApiException.badRequest("request.body-missing");
        }
        return body;
    }
}
