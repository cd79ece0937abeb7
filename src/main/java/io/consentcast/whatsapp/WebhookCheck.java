package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides, before any database work, whether a signed webhook payload can be processed at all: Meta's envelope,
 * the fields each change must have, timestamps, sizes and NUL characters. A payload that fails is parked with the
 * reason ({@link ParkReason}) and never retried: retrying cannot change its content. Unknown fields and unknown
 * message types are not a problem (Meta adds them over time); they are ignored by the processor.
 */
final class WebhookCheck {

    /** What is wrong with a payload. */
    record Problem(ParkReason reason, String detail) {
    }

    /** Meta's limit for a text body; no text, payload or title Meta sends is longer. */
    static final int MAX_TEXT = 4096;
    static final int MAX_ID = 255;
    static final int MAX_NAME = 256;
    /** WhatsApp did not exist before 2009; a timestamp more than a day ahead of our clock is not Meta's. */
    static final Instant EARLIEST = Instant.parse("2009-01-01T00:00:00Z");
    private static final Pattern WA_ID = Pattern.compile("[0-9]{1,32}");

    private WebhookCheck() {
    }

    /** The envelope: an object with an array {@code entry} of objects, each with an array {@code changes} of {field, value}. */
    static Optional<Problem> envelope(JsonNode root) {
        if (root == null || !root.isObject()) {
            return problem(ParkReason.MALFORMED_STRUCTURE, "the payload is not a JSON object");
        }
        JsonNode entries = root.path("entry");
        if (!entries.isArray()) {
            return problem(ParkReason.MALFORMED_STRUCTURE, "entry is not a list");
        }
        for (JsonNode entry : entries) {
            if (!entry.isObject() || !entry.path("changes").isArray()) {
                return problem(ParkReason.MALFORMED_STRUCTURE, "an entry has no list of changes");
            }
            Optional<Problem> ids = text(entry.path("id"), "entry[].id", 64, false)
                    .or(() -> text(entry.path("time"), "entry[].time", 32, false));
            if (ids.isPresent()) {
                return ids;
            }
            for (JsonNode change : entry.path("changes")) {
                if (!change.isObject() || !change.path("field").isTextual() || !change.path("value").isObject()) {
                    return problem(ParkReason.MALFORMED_STRUCTURE, "a change has no field name or no value object");
                }
            }
        }
        return Optional.empty();
    }

    /** The phone number id a {@code messages} or {@code user_preferences} change is routed by. */
    static Optional<Problem> phoneNumberId(JsonNode value) {
        JsonNode id = value.path("metadata").path("phone_number_id");
        if (!id.isTextual() || id.asText().isBlank()) {
            return problem(ParkReason.MISSING_FIELD, "metadata.phone_number_id is missing");
        }
        if (id.asText().indexOf('\0') >= 0) {
            return problem(ParkReason.NUL_CHARACTER, "metadata.phone_number_id contains a NUL character");
        }
        return id.asText().length() > 64 ? problem(ParkReason.OVERSIZED, "metadata.phone_number_id is too long")
                : Optional.empty();
    }

    /** A {@code messages} change: its contacts, messages, statuses and errors. */
    static Optional<Problem> messages(JsonNode value, Instant now) {
        Optional<Problem> p = list(value, "contacts").or(() -> list(value, "messages"))
                .or(() -> list(value, "statuses")).or(() -> list(value, "errors"));
        if (p.isPresent()) {
            return p;
        }
        for (JsonNode c : value.path("contacts")) {
            p = text(c.path("profile").path("name"), "contacts[].profile.name", MAX_NAME, false);
            if (p.isPresent()) {
                return p;
            }
        }
        for (JsonNode m : value.path("messages")) {
            p = message(m, now);
            if (p.isPresent()) {
                return p;
            }
        }
        for (JsonNode s : value.path("statuses")) {
            p = text(s.path("id"), "statuses[].id", MAX_ID, true)
                    .or(() -> text(s.path("status"), "statuses[].status", 32, true))
                    .or(() -> text(s.path("recipient_id"), "statuses[].recipient_id", 32, false))
                    .or(() -> s.has("timestamp") ? timestamp(s.path("timestamp"), "statuses[].timestamp", now)
                            : Optional.empty())
                    .or(() -> list(s, "errors"));
            if (p.isPresent()) {
                return p;
            }
            for (JsonNode e : s.path("errors")) {
                p = text(e.path("title"), "statuses[].errors[].title", MAX_TEXT, false)
                        .or(() -> text(e.path("message"), "statuses[].errors[].message", MAX_TEXT, false))
                        .or(() -> text(e.path("error_data").path("details"), "statuses[].errors[].error_data.details",
                                MAX_TEXT, false));
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> message(JsonNode m, Instant now) {
        if (!m.isObject()) {
            return problem(ParkReason.MALFORMED_STRUCTURE, "a message is not an object");
        }
        Optional<Problem> p = text(m.path("id"), "messages[].id", MAX_ID, true)
                .or(() -> waId(m.path("from"), "messages[].from"))
                .or(() -> text(m.path("type"), "messages[].type", 32, true))
                .or(() -> timestamp(m.path("timestamp"), "messages[].timestamp", now))
                .or(() -> text(m.path("context").path("id"), "messages[].context.id", MAX_ID, false));
        if (p.isPresent()) {
            return p;
        }
        return switch (m.path("type").asText()) {
            case "text" -> text(m.path("text").path("body"), "messages[].text.body", MAX_TEXT, true);
            case "button" -> text(m.path("button").path("payload"), "messages[].button.payload", MAX_TEXT, false)
                    .or(() -> text(m.path("button").path("text"), "messages[].button.text", MAX_TEXT, false));
            case "interactive" -> {
                JsonNode i = m.path("interactive");
                JsonNode reply = i.has("button_reply") ? i.path("button_reply") : i.path("list_reply");
                yield text(reply.path("id"), "messages[].interactive reply id", MAX_TEXT, false)
                        .or(() -> text(reply.path("title"), "messages[].interactive reply title", MAX_TEXT, false));
            }
            default -> Optional.empty();
        };
    }

    /** A {@code user_preferences} change (Meta's "Stop promotions"). */
    static Optional<Problem> preferences(JsonNode value, Instant now) {
        Optional<Problem> p = list(value, "user_preferences").or(() -> list(value, "contacts"));
        if (p.isPresent()) {
            return p;
        }
        for (JsonNode u : value.path("user_preferences")) {
            p = waId(u.path("wa_id"), "user_preferences[].wa_id")
                    .or(() -> text(u.path("value"), "user_preferences[].value", 32, true))
                    .or(() -> text(u.path("category"), "user_preferences[].category", 64, false))
                    .or(() -> timestamp(u.path("timestamp"), "user_preferences[].timestamp", now));
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    /** A {@code message_template_status_update} change. */
    static Optional<Problem> template(JsonNode value) {
        return text(value.path("event"), "event", 32, true)
                .or(() -> text(value.path("message_template_id"), "message_template_id", 64, false))
                .or(() -> text(value.path("message_template_name"), "message_template_name", 512, false))
                .or(() -> text(value.path("message_template_language"), "message_template_language", 16, false))
                .or(() -> text(value.path("reason"), "reason", MAX_TEXT, false));
    }

    /** Seconds since 1970 (Meta sends a string for messages, a number for preferences) within the accepted range. */
    static Optional<Problem> timestamp(JsonNode ts, String name, Instant now) {
        if (ts.isMissingNode() || ts.isNull()) {
            return problem(ParkReason.MISSING_FIELD, name + " is missing");
        }
        long seconds;
        try {
            seconds = ts.isIntegralNumber() && ts.canConvertToLong() ? ts.asLong() : Long.parseLong(ts.asText());
        } catch (NumberFormatException e) {
            return problem(ParkReason.TIMESTAMP_OUT_OF_RANGE, name + " is not a number of seconds");
        }
        if (seconds < EARLIEST.getEpochSecond() || seconds > now.plusSeconds(86_400).getEpochSecond()) {
            return problem(ParkReason.TIMESTAMP_OUT_OF_RANGE, name + " " + seconds + " is out of range");
        }
        return Optional.empty();
    }

    private static Optional<Problem> waId(JsonNode n, String name) {
        if (n.isMissingNode() || n.isNull()) {
            return problem(ParkReason.MISSING_FIELD, name + " is missing");
        }
        if (!n.isTextual() || !WA_ID.matcher(n.asText()).matches()) {
            return problem(n.asText().length() > 32 ? ParkReason.OVERSIZED : ParkReason.MALFORMED_STRUCTURE,
                    name + " is not a WhatsApp id (digits)");
        }
        return Optional.empty();
    }

    /**
     * A {@code phone_number_quality_update} or {@code business_capability_update} change: short values only
     * (display number, event, limits).
     */
    static Optional<Problem> account(JsonNode value) {
        for (String field : new String[] {"display_phone_number", "event", "current_limit", "old_limit",
                "max_daily_conversations_per_business", "max_daily_conversation_per_phone"}) {
            Optional<Problem> p = text(value.path(field), field, 64, false);
            if (p.isPresent()) {
                return p;
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> text(JsonNode n, String name, int max, boolean required) {
        if (n.isMissingNode() || n.isNull()) {
            return required ? problem(ParkReason.MISSING_FIELD, name + " is missing") : Optional.empty();
        }
        if (!n.isValueNode()) {
            return problem(ParkReason.MALFORMED_STRUCTURE, name + " is not a value");
        }
        return n.asText().length() > max ? problem(ParkReason.OVERSIZED, name + " is longer than " + max + " characters")
                : Optional.empty();
    }

    private static Optional<Problem> list(JsonNode parent, String name) {
        JsonNode n = parent.path(name);
        return n.isMissingNode() || n.isArray() ? Optional.empty()
                : problem(ParkReason.MALFORMED_STRUCTURE, name + " is not a list");
    }

    /** NUL characters anywhere in the payload, in names or values: PostgreSQL text cannot hold them. */
    static Optional<Problem> nul(JsonNode root) {
        return nul(root, "$");
    }

    private static Optional<Problem> nul(JsonNode node, String path) {
        if (node.isTextual()) {
            return node.asText().indexOf('\0') >= 0 ? problem(ParkReason.NUL_CHARACTER, path + " contains a NUL character")
                    : Optional.empty();
        }
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().indexOf('\0') >= 0) {
                    return problem(ParkReason.NUL_CHARACTER, path + " has a field name with a NUL character");
                }
                Optional<Problem> p = nul(e.getValue(), path + "." + e.getKey());
                if (p.isPresent()) {
                    return p;
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                Optional<Problem> p = nul(node.get(i), path + "[" + i + "]");
                if (p.isPresent()) {
                    return p;
                }
            }
        }
        return Optional.empty();
    }

    private static Optional<Problem> problem(ParkReason reason, String detail) {
        return Optional.of(new Problem(reason, detail));
    }
}
