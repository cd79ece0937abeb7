package io.consentcast.whatsapp;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import io.consentcast.testsupport.Api;

/** Helpers for the WhatsApp channel tests. */
final class WaTestSupport {

    static final String APP_SECRET = "test-app-secret";

    private WaTestSupport() {
    }

    /** A random numeric Graph id, unique enough per test. */
    static String graphId() {
        return String.valueOf(ThreadLocalRandom.current().nextLong(100_000_000_000_000L, 999_999_999_999_999L));
    }

    /** Saves a Cloud API channel that Meta (GraphMock) confirms the token may use. */
    static void cloudApi(Api owner, String slug, String phoneNumberId, String wabaId, String token) {
        GraphMock.ownedNumber(phoneNumberId, wabaId, token);
        owner.req().body(Map.of("type", "cloud-api", "phoneNumberId", phoneNumberId, "businessAccountId", wabaId,
                "displayPhoneNumber", "+49 30 1234567", "accessToken", token))
                .put("/api/tenants/" + slug + "/channel").then().statusCode(200);
    }

    static String sign(String body) {
        return sign(body.getBytes(StandardCharsets.UTF_8));
    }

    static String sign(byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(WhatsAppWebhookResource.hmac(APP_SECRET, body));
    }
}
