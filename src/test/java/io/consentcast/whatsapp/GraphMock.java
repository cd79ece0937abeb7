package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * WireMock standing in for Meta's Graph API, on a free port; {@code consentcast.whatsapp.graph-url} points at it.
 * The port is fixed once chosen, so that a test can stop the fake (connections refused) and start it again
 * at the same address, stubs and journal kept.
 */
public class GraphMock implements QuarkusTestResourceLifecycleManager {

    /** The display number Meta reports for the numbers of {@link #ownedNumber}. */
    public static final String DISPLAY_NUMBER = "+49 30 1234567";

    private static WireMockServer server;

    public static WireMockServer server() {
        return server;
    }

    /**
     * Meta's answers that let a workspace save a Cloud API channel (ChannelOwnership): with {@code token},
     * {@code GET /v23.0/{phoneNumberId}} reads the number and {@code GET /v23.0/{wabaId}/phone_numbers} lists it
     * among the account's numbers. The bodies are Meta's documented examples (phone-number.json,
     * phone-numbers.json) with the test's id and {@link #DISPLAY_NUMBER} in place of the example's first number.
     */
    public static void ownedNumber(String phoneNumberId, String wabaId, String token) {
        ownedNumber(phoneNumberId, wabaId, token, DISPLAY_NUMBER);
    }

    /** As {@link #ownedNumber(String, String, String)}, with Meta reporting {@code displayNumber} for the number. */
    public static void ownedNumber(String phoneNumberId, String wabaId, String token, String displayNumber) {
        server.stubFor(get(urlPathEqualTo("/v23.0/" + phoneNumberId))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(phoneNumber(phoneNumberId).replace(DISPLAY_NUMBER, displayNumber))));
        server.stubFor(get(urlPathEqualTo("/v23.0/" + wabaId + "/phone_numbers"))
                .withHeader("Authorization", equalTo("Bearer " + token))
                .willReturn(json(accountNumbers(phoneNumberId))));
    }

    /** Meta's answer to {@code GET /{phone-number-id}} for {@code phoneNumberId}. */
    public static String phoneNumber(String phoneNumberId) {
        return fixture("phone-number.json").replace("1234567890123456", phoneNumberId)
                .replace("+1 631-555-5555", DISPLAY_NUMBER);
    }

    /** Meta's answer to {@code GET /{waba-id}/phone_numbers}: two numbers, the first one {@code phoneNumberId}. */
    public static String accountNumbers(String phoneNumberId) {
        return fixture("phone-numbers.json").replace("1906385232743451", phoneNumberId)
                .replace("+1 631-555-5555", DISPLAY_NUMBER);
    }

    private static ResponseDefinitionBuilder json(String body) {
        return aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody(body);
    }

    private static String fixture(String name) {
        try (InputStream in = GraphMock.class.getResourceAsStream("/whatsapp/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public Map<String, String> start() {
        server = new WireMockServer(WireMockConfiguration.options().port(freePort()));
        server.start();
        return Map.of("consentcast.whatsapp.graph-url", server.baseUrl());
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void stop() {
        if (server != null) {
            server.stop();
        }
    }
}
