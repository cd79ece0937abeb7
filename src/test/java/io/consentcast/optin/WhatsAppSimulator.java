package io.consentcast.optin;

import static io.restassured.RestAssured.given;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.UUID;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/** Plays Meta's part for inbound messages: builds the documented webhook payload and posts it signed. */
final class WhatsAppSimulator {

    static final String APP_SECRET = "test-app-secret";

    private WhatsAppSimulator() {
    }

    /** Posts a signed "messages" webhook with one text message; returns the message id. */
    static String send(String phoneNumberId, String from, String body, Instant at) {
        String wamid = "wamid." + UUID.randomUUID().toString().replace("-", "");
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"49301234567",
                "phone_number_id":"%s"},"contacts":[{"profile":{"name":"Leserin"},"wa_id":"%s"}],
                "messages":[{"from":"%s","id":"%s","timestamp":"%d","type":"text","text":{"body":"%s"}}]}}]}]}
                """.formatted(phoneNumberId, from, from, wamid, at.getEpochSecond(), body);
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(raw)).contentType("application/json").body(raw)
                .post("/webhooks/whatsapp").then().statusCode(200);
        return wamid;
    }

    static String sign(byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(APP_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return "sha256=" + HexFormat.of().formatHex(mac.doFinal(raw));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
