package io.consentcast.web;

import java.util.List;
import java.util.Map;

import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import org.jboss.resteasy.reactive.server.ServerRequestFilter;

import io.consentcast.shared.ApiException;
import io.consentcast.shared.InputText;

/**
 * Checks every path and query parameter against {@link InputText} before the workspace is looked up
 * or a resource runs: a NUL or control character in an address is a 400 naming the parameter
 * (problem details under /api, an error page in the user's language elsewhere), never a database error.
 */
public class ParameterCheck {

    @ServerRequestFilter(priority = Priorities.AUTHORIZATION)
    public void check(UriInfo uri) {
        check(uri.getPathParameters());
        check(uri.getQueryParameters());
    }

    private static void check(MultivaluedMap<String, String> parameters) {
        for (Map.Entry<String, List<String>> p : parameters.entrySet()) {
            for (String value : p.getValue()) {
                InputText.Fault fault = InputText.fault(value);
                if (fault != null) {
                    throw new ApiException(400, "Bad Request", "request.parameter-invalid",
                            Map.of(p.getKey(), fault.code));
                }
            }
        }
    }
}
