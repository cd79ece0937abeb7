package io.consentcast.whatsapp;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import io.vertx.core.Future;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

/**
 * The Graph API's HTTP connection pool: one Vert.x HTTP client per configured base URL (HTTP/1.1 keep-alive,
 * {@code connection-pool-size} connections opened on demand), and one blocking exchange per call. It replaced the
 * Quarkus REST client on this path (issue 18): per message that client built a request context, a header map, a
 * URI from a template, ran its handler chain and a Mutiny bridge, about a tenth of the application's CPU at 1,000
 * messages/s; here a call is one request options object, the body's bytes and the answer's bytes.
 * <p>
 * Idle connections are retired by the client after {@code keep-alive-timeout} (20 s), before the server's own idle
 * timeout closes them (WireMock's Jetty: 30 s; Meta publishes none, common front ends use 60 s or more): a request
 * is never written to a connection the server is closing, which would leave its outcome unknown.
 * <p>
 * A failure tells whether the request may have been written: {@link Failure#written()} is false when no connection
 * was had (refused, connect timeout, no pooled connection free within the connect timeout, host unknown), true
 * for everything after the request was handed to a connection (read timeout, reset, closed connection).
 */
final class GraphHttp {

    private static final Pattern TRAILING_SLASHES = Pattern.compile("/+$");

    /** An answer: the HTTP status and the body as text (empty when there is none). */
    record Answer(int status, String body) {
    }

    /** A call that got no answer; {@code written}: the request may have reached the server. */
    static final class Failure extends RuntimeException {
        private final boolean written;

        Failure(Throwable cause, boolean written) {
            super(cause);
            this.written = written;
        }

        boolean written() {
            return written;
        }
    }

    private final HttpClient client;
    private final URI base;
    private final String prefix;
    private final long connectMillis;
    private final long readMillis;

    private GraphHttp(HttpClient client, URI base, long connectMillis, long readMillis) {
        this.client = client;
        this.base = base;
        this.prefix = base.getRawPath() == null ? "" : base.getRawPath();
        this.connectMillis = connectMillis;
        this.readMillis = readMillis;
    }

    static GraphHttp create(Vertx vertx, String url, WhatsAppConfig config) {
        URI base = URI.create(TRAILING_SLASHES.matcher(url).replaceAll(""));
        boolean https = "https".equalsIgnoreCase(base.getScheme());
        HttpClientOptions options = new HttpClientOptions()
                .setDefaultHost(base.getHost())
                .setDefaultPort(base.getPort() > 0 ? base.getPort() : https ? 443 : 80)
                .setSsl(https)
                .setVerifyHost(true) // the JDK's trusted CAs, Meta's host name checked
                .setForceSni(https)
                .setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.connectTimeout().toMillis()))
                .setMaxPoolSize(config.connectionPoolSize())
                .setKeepAlive(true)
                .setKeepAliveTimeout((int) Math.max(1, config.keepAliveTimeout().toSeconds()))
                .setPipelining(false)
                .setMaxWaitQueueSize(-1)
                .setName("graph-api");
        return new GraphHttp(vertx.createHttpClient(options), base, config.connectTimeout().toMillis(),
                config.readTimeout().toMillis());
    }

    /** {@code path} below the base URL (starting with "/"), with its query already encoded. */
    Answer post(String path, String authorization, byte[] json) {
        return exchange(HttpMethod.POST, path, authorization, Buffer.buffer(json));
    }

    Answer get(String path, String authorization) {
        return exchange(HttpMethod.GET, path, authorization, null);
    }

    /** A query parameter, encoded ({@code &name=value} or {@code ?name=value}); nothing for a null value. */
    static void query(StringBuilder path, String name, Object value) {
        if (value == null) {
            return;
        }
        path.append(path.indexOf("?") < 0 ? '?' : '&').append(name).append('=')
                .append(URLEncoder.encode(String.valueOf(value), StandardCharsets.UTF_8));
    }

    private Answer exchange(HttpMethod method, String path, String authorization, Buffer body) {
        MultiMap headers = MultiMap.caseInsensitiveMultiMap()
                .add(HttpHeaders.AUTHORIZATION, authorization)
                .add(HttpHeaders.ACCEPT, "application/json");
        if (body != null) {
            headers.add(HttpHeaders.CONTENT_TYPE, "application/json");
        }
        RequestOptions request = new RequestOptions().setMethod(method).setURI(prefix + path).setHeaders(headers)
                .setFollowRedirects(false)
                // Waiting for a pooled connection and connecting count against the connect timeout: nothing is
                // written until a connection is had, so such a failure is certainly not sent.
                .setConnectTimeout(connectMillis)
                // No byte from the server for this long once the request is on its connection: outcome unknown.
                .setIdleTimeout(readMillis);
        boolean[] connected = new boolean[1];
        Future<Answer> answer = client.request(request).compose(req -> {
            connected[0] = true;
            Future<io.vertx.core.http.HttpClientResponse> response = body == null ? req.send() : req.send(body);
            return response.compose(r -> r.body().map(b -> new Answer(r.statusCode(), b.toString(StandardCharsets.UTF_8))));
        });
        try {
            // The idle timeout ends a silent call; the margin only guards against a lost callback.
            return answer.toCompletionStage().toCompletableFuture().get(connectMillis + readMillis + 5_000,
                    TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new Failure(cause, connected[0] && !GraphClient.neverWritten(cause));
        } catch (TimeoutException e) {
            throw new Failure(e, connected[0]);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Failure(e, connected[0]);
        }
    }

    URI base() {
        return base;
    }

    void close() {
        client.close();
    }
}
