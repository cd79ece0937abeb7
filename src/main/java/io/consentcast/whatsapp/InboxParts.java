package io.consentcast.whatsapp;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * How a verified payload is stored: as inbox rows, each with the key of the one sender whose messages it carries
 * ({@code phone_number_id/wa_id}; for statuses, the recipient of our message), so that the workers process a
 * person's rows one at a time and in order, and different people in parallel. Rows without one (template updates)
 * have no key.
 * <p>
 * Meta sends one message per payload in practice: such a payload is stored as received, as one row. A payload that
 * carries messages or preference changes of several senders is stored as one row per sender (each a copy of the
 * envelope with only that sender's part) plus one row without a key for the rest. Content that is not Meta's
 * envelope is stored as received, without a key: the processor parks it.
 */
final class InboxParts {

    /** One row to store. */
    record Part(String orderKey, String payload) {
    }

    static final int MAX_KEY = 200;
    private static final String NO_KEY = "";

    private InboxParts() {
    }

    static List<Part> of(ObjectMapper json, String payload) {
        JsonNode root;
        try {
            root = json.readTree(payload);
        } catch (JsonProcessingException e) {
            return List.of(new Part(null, payload));
        }
        if (root == null || WebhookCheck.envelope(root).isPresent()) {
            return List.of(new Part(null, payload));
        }
        Set<String> keys = new LinkedHashSet<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                String phone = change.path("value").path("metadata").path("phone_number_id").asText(null);
                for (JsonNode item : senderItems(change)) {
                    keys.add(key(phone, item));
                }
            }
        }
        keys.remove(NO_KEY);
        if (keys.size() <= 1) {
            return List.of(new Part(keys.isEmpty() ? null : keys.iterator().next(), payload));
        }
        return split(json, root);
    }

    /** One envelope per sender, in the order the senders first appear, and one without a key for the rest. */
    private static List<Part> split(ObjectMapper json, JsonNode root) {
        Map<String, ObjectNode> parts = new LinkedHashMap<>();
        for (JsonNode entry : root.path("entry")) {
            for (JsonNode change : entry.path("changes")) {
                JsonNode value = change.path("value");
                String phone = value.path("metadata").path("phone_number_id").asText(null);
                List<JsonNode> items = senderItems(change);
                Map<String, ObjectNode> values = new LinkedHashMap<>();
                ObjectNode rest = withoutSenderItems(value);
                rest.remove("contacts");
                boolean restHasWork = items.isEmpty() || value.path("errors").size() > 0;
                for (JsonNode item : items) {
                    String key = key(phone, item);
                    restHasWork |= key.equals(NO_KEY);
                    ObjectNode v = key.equals(NO_KEY) ? rest : values.computeIfAbsent(key, k -> {
                        ObjectNode own = withoutSenderItems(value);
                        own.remove("errors");
                        ArrayNode contacts = own.putArray("contacts");
                        String waId = k.substring(k.indexOf('/') + 1);
                        value.path("contacts").forEach(c -> {
                            if (c.path("wa_id").asText("").equals(waId)) {
                                contacts.add(c);
                            }
                        });
                        return own;
                    });
                    String list = listOf(item);
                    (v.path(list).isArray() ? (ArrayNode) v.get(list) : v.putArray(list)).add(item);
                }
                values.forEach((key, v) -> add(json, parts, key, entry, change, v));
                if (restHasWork) {
                    add(json, parts, NO_KEY, entry, change, items.isEmpty() ? (ObjectNode) value.deepCopy() : rest);
                }
            }
        }
        List<Part> out = new ArrayList<>();
        parts.forEach((key, envelope) -> out.add(new Part(key.equals(NO_KEY) ? null : key, envelope.toString())));
        return out;
    }

    /** Adds {@code value} as a change of a copy of {@code entry} to the envelope of {@code key}. */
    private static void add(ObjectMapper json, Map<String, ObjectNode> parts, String key, JsonNode entry,
            JsonNode change, ObjectNode value) {
        ObjectNode envelope = parts.computeIfAbsent(key, k -> {
            ObjectNode e = json.createObjectNode().put("object", "whatsapp_business_account");
            e.putArray("entry");
            return e;
        });
        ObjectNode copy = ((ArrayNode) envelope.get("entry")).addObject();
        copy.set("id", entry.path("id").deepCopy());
        if (entry.has("time")) {
            copy.set("time", entry.path("time").deepCopy());
        }
        copy.putArray("changes").addObject().put("field", change.path("field").asText()).set("value", value);
    }

    /**
     * What concerns one person in a change: their messages ({@code from}), their preference changes ({@code wa_id})
     * and the statuses of our messages to them ({@code recipient_id}), which are thereby processed in the order
     * Meta sent them.
     */
    private static List<JsonNode> senderItems(JsonNode change) {
        List<JsonNode> items = new ArrayList<>();
        String field = change.path("field").asText("");
        if (field.equals("messages")) {
            change.path("value").path("messages").forEach(items::add);
            change.path("value").path("statuses").forEach(items::add);
        } else if (field.equals("user_preferences")) {
            change.path("value").path("user_preferences").forEach(items::add);
        }
        return items;
    }

    private static String listOf(JsonNode item) {
        return item.has("from") ? "messages" : item.has("recipient_id") || item.has("status") ? "statuses"
                : "user_preferences";
    }

    /** {@code phone_number_id/wa_id} of the person an item concerns; "" when there is none. */
    private static String key(String phone, JsonNode item) {
        String person = switch (listOf(item)) {
            case "messages" -> item.path("from").asText(null);
            case "statuses" -> item.path("recipient_id").asText(null);
            default -> item.path("wa_id").asText(null);
        };
        if (phone == null || person == null || person.isEmpty()) {
            return NO_KEY;
        }
        String key = phone + "/" + person;
        return key.length() > MAX_KEY ? NO_KEY : key;
    }

    private static ObjectNode withoutSenderItems(JsonNode value) {
        ObjectNode copy = (ObjectNode) value.deepCopy();
        copy.remove("messages");
        copy.remove("statuses");
        copy.remove("user_preferences");
        return copy;
    }
}
