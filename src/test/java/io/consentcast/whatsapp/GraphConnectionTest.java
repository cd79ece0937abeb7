package io.consentcast.whatsapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.transaction.TransactionManager;

import jakarta.inject.Inject;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;

/**
 * The Graph client's pooled connections against a server that closes idle keep-alive connections (as WireMock's
 * Jetty does after 30 s, and Meta after a time it does not publish): the client retires an idle connection itself,
 * after its keep-alive timeout, so a send after a pause goes out on a fresh connection and is accepted, instead of
 * being written to a connection the server is closing (whose outcome would be unknown). Once {@code NumberRateTest}
 * saw exactly that: an {@code HttpClosedException} after WireMock closed a pooled connection.
 */
@QuarkusTest
class GraphConnectionTest {

    @Inject
    TransactionManager transactions;

    private final Vertx vertx = Vertx.vertx();
    private final AtomicInteger opened = new AtomicInteger();
    private final AtomicInteger closed = new AtomicInteger();

    @AfterEach
    void close() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    /** A Graph API stand-in accepting every message; {@code idleMillis} > 0: it closes connections idle that long. */
    private String metaClosingIdleConnectionsAfter(long idleMillis) throws Exception {
        HttpServerOptions options = new HttpServerOptions().setPort(0).setHost("127.0.0.1");
        if (idleMillis > 0) {
            options.setIdleTimeout((int) idleMillis).setIdleTimeoutUnit(TimeUnit.MILLISECONDS);
        }
        HttpServer server = vertx.createHttpServer(options)
                .connectionHandler(c -> {
                    opened.incrementAndGet();
                    c.closeHandler(v -> closed.incrementAndGet());
                })
                .requestHandler(req -> req.body().onSuccess(b -> req.response().putHeader("Content-Type", "application/json")
                        .end("{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"491701234567\",\"wa_id\":"
                                + "\"491701234567\"}],\"messages\":[{\"id\":\"wamid.test-" + opened.get() + "\"}]}")));
        server.listen().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        return "http://127.0.0.1:" + server.actualPort();
    }

    /** The production client (its REST client built as in production) against the stand-in, keep-alive one second. */
    private GraphClient client(String url) {
        GraphClient graph = new GraphClient();
        graph.config = config(url, Duration.ofSeconds(1));
        graph.json = new ObjectMapper();
        graph.transactions = transactions;
        return graph;
    }

    private static WhatsAppConfig config(String url, Duration keepAlive) {
        return (WhatsAppConfig) Proxy.newProxyInstance(GraphConnectionTest.class.getClassLoader(),
                new Class<?>[] { WhatsAppConfig.class }, (p, m, a) -> switch (m.getName()) {
                    case "graphUrl" -> url;
                    case "apiVersion" -> "v23.0";
                    case "connectTimeout" -> Duration.ofSeconds(5);
                    case "readTimeout" -> Duration.ofSeconds(5);
                    case "keepAliveTimeout" -> keepAlive;
                    case "connectionPoolSize" -> 4;
                    case "hashCode" -> System.identityHashCode(p);
                    case "equals" -> p == a[0];
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static SendResult send(GraphClient graph) {
        return graph.send("1234567890", "EAAG-token", new OutgoingMessage.Text("491701234567", "Hallo", null));
    }

    private void awaitClosed(int n) throws InterruptedException {
        for (int i = 0; i < 100 && closed.get() < n; i++) {
            Thread.sleep(100);
        }
    }

    @Test
    void aSendAfterTheServerClosedTheIdleConnectionIsAcceptedOnAFreshConnection() throws Exception {
        GraphClient graph = client(metaClosingIdleConnectionsAfter(1_500));
        assertInstanceOf(SendResult.Accepted.class, send(graph));
        Thread.sleep(2_000); // longer than both idle timeouts: the connection is gone
        SendResult second = send(graph);
        assertInstanceOf(SendResult.Accepted.class, second, "not outcome unknown: " + second);
        assertEquals(2, opened.get(), "the second send opened a new connection");
    }

    @Test
    void theClientRetiresAnIdleConnectionItselfBeforeTheServerWould() throws Exception {
        GraphClient graph = client(metaClosingIdleConnectionsAfter(0)); // this server never closes an idle connection
        assertInstanceOf(SendResult.Accepted.class, send(graph));
        awaitClosed(1);
        assertEquals(1, closed.get(), "the client closed its idle connection after its keep-alive timeout");
        List<SendResult> later = List.of(send(graph), send(graph));
        later.forEach(r -> assertInstanceOf(SendResult.Accepted.class, r));
        assertTrue(opened.get() >= 2, "later sends use a fresh connection");
    }
}
