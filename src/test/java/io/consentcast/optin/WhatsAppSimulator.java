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

    /**
     * Posts one signed "messages" webhook carrying one text message from each sender ({@code fromAndBody}: pairs of
     * WhatsApp id and text), as Meta may batch them; returns the message ids in the same order.
     */
    static java.util.List<String> sendMany(String phoneNumberId, java.util.List<String[]> fromAndBody, Instant at) {
        StringBuilder contacts = new StringBuilder();
        StringBuilder messages = new StringBuilder();
        java.util.List<String> ids = new java.util.ArrayList<>();
        for (String[] m : fromAndBody) {
            String wamid = "wamid." + UUID.randomUUID().toString().replace("-", "");
            ids.add(wamid);
            contacts.append(contacts.isEmpty() ? "" : ",").append("{\"profile\":{\"name\":\"Leser\"},\"wa_id\":\"")
                    .append(m[0]).append("\"}");
            messages.append(messages.isEmpty() ? "" : ",").append("{\"from\":\"").append(m[0]).append("\",\"id\":\"")
                    .append(wamid).append("\",\"timestamp\":\"").append(at.getEpochSecond())
                    .append("\",\"type\":\"text\",\"text\":{\"body\":\"").append(m[1]).append("\"}}");
        }
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"messages",
                "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"49301234567",
                "phone_number_id":"%s"},"contacts":[%s],"messages":[%s]}}]}]}
                """.formatted(phoneNumberId, contacts, messages);
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(raw)).contentType("application/json").body(raw)
                .post("/webhooks/whatsapp").then().statusCode(200);
        return ids;
    }

    /** Posts Meta's user_preferences webhook: the user tapped "Stop promotions" (or resumed). */
    static String marketingPreference(String phoneNumberId, String waId, String value, Instant at) {
        String payload = """
                {"object":"whatsapp_business_account","entry":[{"id":"102290129340398","changes":[{"field":"user_preferences",
                "value":{"messaging_product":"whatsapp","metadata":{"display_phone_number":"49301234567",
                "phone_number_id":"%s"},"contacts":[{"wa_id":"%s","profile":{"name":"Leserin"}}],
                "user_preferences":[{"wa_id":"%s","detail":"User requested to stop marketing messages",
                "category":"marketing_messages","value":"%s","timestamp":%d}]}}]}]}
                """.formatted(phoneNumberId, waId, waId, value, at.getEpochSecond());
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        given().header("X-Hub-Signature-256", sign(raw)).contentType("application/json").body(raw)
                .post("/webhooks/whatsapp").then().statusCode(200);
        return waId + "\",\"detail";
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
