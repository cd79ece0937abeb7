package io.consentcast.whatsapp;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;

import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.client.api.QuarkusRestClientProperties;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;

/**
 * Cloud API client: sends messages, lists templates, reads phone numbers and an account's numbers. One
 * REST client per base URL (normally one), with deliberate connect/read timeouts and pool size from
 * {@link WhatsAppConfig}. Access tokens are passed per call and never logged. No call is made while a
 * database transaction is open on the calling thread: Meta may take the whole read timeout to answer, and a
 * transaction held that long pins a pooled connection (and its locks). Such a call is a programming error and
 * is refused with an {@link IllegalStateException} before anything is sent.
 */
@ApplicationScoped
public class GraphClient {

    private static final Logger LOG = Logger.getLogger(GraphClient.class);
    /**
     * The phone number's fields read. The portfolio's messaging limit is {@code whatsapp_business_manager_messaging_limit}
     * (a tier such as {@code TIER_2K}); the per-number {@code messaging_limit_tier} is deprecated and not read.
     */
    static final String PHONE_FIELDS = "id,display_phone_number,verified_name,quality_rating,throughput,"
            + "whatsapp_business_manager_messaging_limit,status";

    @Inject
    WhatsAppConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    TransactionManager transactions;

    private static final java.util.regex.Pattern TRAILING_SLASHES = java.util.regex.Pattern.compile("/+$");

    private final Map<String, GraphApi> clients = new ConcurrentHashMap<>();

    /** A Graph answer: the HTTP status and the parsed body, or a classified failure. */
    public record GraphResult(JsonNode body, SendResult.Failed failure) {
        public boolean ok() {
            return failure == null;
        }
    }

    public record PhoneNumberInfo(String id, String displayPhoneNumber, String verifiedName, String qualityRating,
            String throughputLevel, String messagingLimit, String status) {
    }

    /** The client for the configured Graph URL, built once (keyed by the URL as configured: no work per send). */
    GraphApi api() {
        return clients.computeIfAbsent(config.graphUrl(), url -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(TRAILING_SLASHES.matcher(url).replaceAll("")))
                .connectTimeout(config.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(config.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .property(QuarkusRestClientProperties.CONNECTION_POOL_SIZE, config.connectionPoolSize())
                // Idle connections retired by the client before the server closes them (WireMock's Jetty: 30 s; Meta
                // publishes none): a request is never written to a connection the server is closing.
                .property(QuarkusRestClientProperties.CONNECTION_TTL, (int) Math.max(1, config.keepAliveTimeout().toSeconds()))
                .followRedirects(false)
                .disableDefaultMapper(true)
                .build(GraphApi.class));
    }

    public SendResult send(String phoneNumberId, String accessToken, OutgoingMessage message) {
        String body;
        try {
            body = json.writeValueAsString(requestBody(message));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        GraphResult result = call(() -> api().sendMessage(config.apiVersion(), phoneNumberId, bearer(accessToken), body));
        if (!result.ok()) {
            return result.failure();
        }
        String id = result.body().path("messages").path(0).path("id").asText(null);
        if (id == null) {
            return MetaErrors.unknownOutcome("HTTP 200 without a message id");
        }
        return new SendResult.Accepted(id);
    }

    /**
     * Uploads a header file for {@code phoneNumberId} ({@code POST /{phone-number-id}/media}, multipart: {@code file}
     * with its type, {@code type}, {@code messaging_product=whatsapp}); Meta answers {@code {"id":"<media id>"}},
     * returned as {@link SendResult.Accepted#messageId()}.
     */
    public SendResult uploadMedia(String phoneNumberId, String accessToken, MediaService.Content content) {
        org.jboss.resteasy.reactive.client.api.ClientMultipartForm form =
                org.jboss.resteasy.reactive.client.api.ClientMultipartForm.create()
                        .binaryFileUpload("file", content.fileName(), io.vertx.core.buffer.Buffer.buffer(content.bytes()),
                                content.contentType())
                        .attribute("type", content.contentType(), null)
                        .attribute("messaging_product", "whatsapp", null);
        GraphResult result = call(() -> api().uploadMedia(config.apiVersion(), phoneNumberId, bearer(accessToken), form));
        if (!result.ok()) {
            return result.failure();
        }
        String id = result.body().path("id").asText(null);
        return id == null || id.isBlank() ? MetaErrors.unknownOutcome("HTTP 200 without a media id")
                : new SendResult.Accepted(id);
    }

    /** All templates of the WhatsApp Business Account, following Meta's paging cursors. */
    public GraphResult listTemplates(String wabaId, String accessToken) {
        return allPages(cursor -> api().listTemplates(config.apiVersion(), wabaId, bearer(accessToken),
                "id,name,language,status,category,components,parameter_format", 100, cursor));
    }

    public GraphResult phoneNumber(String phoneNumberId, String accessToken) {
        return call(() -> api().phoneNumber(config.apiVersion(), phoneNumberId, bearer(accessToken), PHONE_FIELDS));
    }

    /** The phone numbers of the WhatsApp Business Account ({@code GET /{waba-id}/phone_numbers}), all pages. */
    public GraphResult businessPhoneNumbers(String wabaId, String accessToken) {
        return allPages(cursor -> api().phoneNumbers(config.apiVersion(), wabaId, bearer(accessToken),
                "id,display_phone_number,verified_name,quality_rating", 100, cursor));
    }

    /** The {@code data} of every page of a Graph edge, following Meta's paging cursors (at most 50 pages). */
    private GraphResult allPages(java.util.function.Function<String, Response> page) {
        ArrayNode all = json.createArrayNode();
        String after = null;
        for (int n = 0; n < 50; n++) {
            String cursor = after;
            GraphResult r = call(() -> page.apply(cursor));
            if (!r.ok()) {
                return r;
            }
            r.body().path("data").forEach(all::add);
            after = r.body().path("paging").path("cursors").path("after").asText(null);
            if (after == null || r.body().path("paging").path("next").isMissingNode()) {
                break;
            }
        }
        return new GraphResult(all, null);
    }

    public static PhoneNumberInfo phoneInfo(JsonNode n) {
        JsonNode throughput = n.path("throughput");
        return new PhoneNumberInfo(n.path("id").asText(null), n.path("display_phone_number").asText(null),
                n.path("verified_name").asText(null), n.path("quality_rating").asText(null),
                throughput.isObject() ? throughput.path("level").asText(null) : throughput.asText(null),
                n.path("whatsapp_business_manager_messaging_limit").asText(null), n.path("status").asText(null));
    }

    private GraphResult call(java.util.function.Supplier<Response> request) {
        refuseInsideTransaction();
        try (Response response = request.get()) {
            int status = response.getStatus();
            String text = response.hasEntity() ? response.readEntity(String.class) : "";
            JsonNode body = parse(text);
            if (status >= 200 && status < 300) {
                return new GraphResult(body, null);
            }
            JsonNode error = body.path("error");
            Integer code = error.path("code").isNumber() ? error.path("code").asInt() : null;
            String message = error.path("message").asText(null);
            String details = error.path("error_data").path("details").asText(null);
            SendResult.Failed failed = MetaErrors.classify(status, code, message, details);
            LOG.debugf("Graph API answered %d, code %s: %s", status, code, message);
            return new GraphResult(body, failed);
        } catch (ProcessingException e) {
            if (neverWritten(e)) {
                LOG.infof("Graph API unreachable, nothing sent: %s", rootCause(e));
                return new GraphResult(null, MetaErrors.notSent("Graph API unreachable: " + rootCause(e)));
            }
            // Read timeout, reset after the write: the request may or may not have been accepted.
            LOG.infof("Graph API answer lost, outcome unknown: %s", rootCause(e));
            return new GraphResult(null, MetaErrors.unknownOutcome("No answer from the Graph API: " + rootCause(e)));
        }
    }

    /** Refuses a Graph call made while a JTA transaction is open on this thread (nothing is sent). */
    private void refuseInsideTransaction() {
        int status;
        try {
            status = transactions.getStatus();
        } catch (SystemException e) {
            throw new IllegalStateException("Could not read the transaction status before a Graph API call", e);
        }
        if (status != Status.STATUS_NO_TRANSACTION) {
            IllegalStateException e = new IllegalStateException(
                    "Graph API call inside a database transaction: run it with no transaction open");
            LOG.error(e.getMessage(), e);
            throw e;
        }
    }

    /**
     * Whether a failed call certainly never wrote its request: the connection was refused or timed out while
     * connecting, the host name did not resolve, or no pooled connection was free in time (Vert.x reports the
     * last two as "...when getting a connection to ..."). Everything else (read timeout, reset, closed
     * connection) counts as written, since it may have been: Meta may have accepted the message.
     */
    static boolean neverWritten(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.UnknownHostException
                    || t instanceof java.nio.channels.UnresolvedAddressException
                    || t.getClass().getSimpleName().equals("ConnectionPoolTooBusyException")) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && m.contains("when getting a connection")) {
                return true;
            }
        }
        return false;
    }

    private static String rootCause(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : " (" + t.getMessage() + ")");
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return json.createObjectNode();
        }
        try {
            return json.readTree(text);
        } catch (JsonProcessingException e) {
            return json.createObjectNode();
        }
    }

    private static String bearer(String token) {
        return "Bearer " + token;
    }

    ObjectNode requestBody(OutgoingMessage message) {
        ObjectNode root = json.createObjectNode();
        root.put("messaging_product", "whatsapp");
        root.put("recipient_type", "individual");
        root.put("to", message.to());
        if (message.callbackData() != null) {
            // Echoed by Meta in the message's status webhooks: names the delivery even when its wamid is unknown to us.
            root.put("biz_opaque_callback_data", message.callbackData());
        }
        if (message instanceof OutgoingMessage.Text text) {
            root.put("type", "text");
            root.putObject("text").put("preview_url", false).put("body", text.body());
        } else if (message instanceof OutgoingMessage.Template t) {
            root.put("type", "template");
            ObjectNode template = root.putObject("template");
            template.put("name", t.name());
            template.putObject("language").put("code", t.language());
            List<ObjectNode> components = new ArrayList<>();
            OutgoingMessage.Extras extras = t.extras();
            if (extras.headerFormat() != null && (extras.headerValue() != null || extras.headerMediaId() != null)) {
                ObjectNode header = json.createObjectNode().put("type", "header");
                ObjectNode param = header.putArray("parameters").addObject();
                if (extras.headerFormat().media() && extras.headerMediaId() != null) {
                    String type = extras.headerFormat().sendType();
                    param.put("type", type).putObject(type).put("id", extras.headerMediaId());
                } else if (extras.headerFormat().media()) {
                    String type = extras.headerFormat().sendType();
                    param.put("type", type).putObject(type).put("link", extras.headerValue());
                } else {
                    param.put("type", "text").put("text", extras.headerValue());
                }
                components.add(header);
            }
            if (!t.bodyParameters().isEmpty()) {
                ObjectNode body = json.createObjectNode().put("type", "body");
                ArrayNode params = body.putArray("parameters");
                for (TemplateBody.Parameter p : TemplateBody.parameters(t.placeholders(), t.bodyParameters())) {
                    ObjectNode param = params.addObject().put("type", "text");
                    if (p.name() != null) {
                        param.put("parameter_name", p.name());
                    }
                    param.put("text", p.value());
                }
                components.add(body);
            }
            for (int i = 0; i < t.quickReplyPayloads().size(); i++) {
                String payload = t.quickReplyPayloads().get(i);
                if (payload == null) {
                    continue;
                }
                ObjectNode button = json.createObjectNode().put("type", "button").put("sub_type", "quick_reply")
                        .put("index", String.valueOf(i));
                button.putArray("parameters").addObject().put("type", "payload").put("payload", payload);
                components.add(button);
            }
            for (OutgoingMessage.UrlButton b : extras.urlButtons()) {
                ObjectNode button = json.createObjectNode().put("type", "button").put("sub_type", "url")
                        .put("index", String.valueOf(b.index()));
                button.putArray("parameters").addObject().put("type", "text").put("text", b.suffix());
                components.add(button);
            }
            if (!components.isEmpty()) {
                template.putArray("components").addAll(components);
            }
        }
        return root;
    }
}
