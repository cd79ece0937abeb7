package io.consentcast.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.HexFormat;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;

import io.micrometer.core.instrument.MeterRegistry;

/**
 * Meta's webhook endpoint for the whole platform (one callback URL per Meta app), public: Meta
 * authenticates with the verify token (GET) and the {@code X-Hub-Signature-256} HMAC (POST).
 */
@Path("/webhooks/whatsapp")
public class WhatsAppWebhookResource {

    private static final Logger LOG = Logger.getLogger(WhatsAppWebhookResource.class);
    static final String SIGNATURE_HEADER = "X-Hub-Signature-256";

    @Inject
    WhatsAppConfig config;

    @Inject
    WebhookInbox inbox;

    @Inject
    MeterRegistry metrics;

    @GET
    @Produces(MediaType.TEXT_PLAIN)
    public Response verify(@QueryParam("hub.mode") String mode, @QueryParam("hub.verify_token") String token,
            @QueryParam("hub.challenge") String challenge) {
        String expected = config.verifyToken().orElse(null);
        if (!"subscribe".equals(mode) || expected == null || expected.isEmpty() || token == null || challenge == null
                || !MessageDigest.isEqual(expected.getBytes(StandardCharsets.UTF_8),
                        token.getBytes(StandardCharsets.UTF_8))) {
            metrics.counter("consentcast.whatsapp.webhook.verification", "result", "refused").increment();
            return Response.status(403).type(MediaType.TEXT_PLAIN).entity("Forbidden").build();
        }
        metrics.counter("consentcast.whatsapp.webhook.verification", "result", "ok").increment();
        return Response.ok(challenge, MediaType.TEXT_PLAIN).build();
    }

    /** Verifies the signature over the raw bytes, stores the payload, answers 200; processing happens after. */
    @POST
    @Consumes(MediaType.WILDCARD)
    public Response receive(@HeaderParam(SIGNATURE_HEADER) String signature, byte[] body) {
        byte[] raw = body == null ? new byte[0] : body;
        if (!validSignature(signature, raw)) {
            metrics.counter("consentcast.whatsapp.webhook.rejected", "reason",
                    signature == null ? "missing-signature" : "bad-signature").increment();
            return Response.status(401).build();
        }
        inbox.store(InboxEntry.SOURCE_META, new String(raw, StandardCharsets.UTF_8));
        metrics.counter("consentcast.whatsapp.webhook.accepted").increment();
        return Response.ok().build();
    }

    boolean validSignature(String header, byte[] raw) {
        String secret = config.appSecret().orElse(null);
        if (secret == null || secret.isEmpty()) {
            LOG.warn("consentcast.whatsapp.app-secret is not set: refusing WhatsApp webhooks");
            return false;
        }
        if (header == null || !header.startsWith("sha256=")) {
            return false;
        }
        byte[] given;
        try {
            given = HexFormat.of().parseHex(header.substring("sha256=".length()).trim().toLowerCase());
        } catch (IllegalArgumentException e) {
            return false;
        }
        return MessageDigest.isEqual(hmac(secret, raw), given);
    }

    static byte[] hmac(String secret, byte[] raw) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac.doFinal(raw);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
