package io.consentcast.bench;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Meta's WhatsApp Cloud API as the benchmarks need it, as its own process: one Vert.x event loop, no
 * blocking, the answer of every message delayed by a timer ({@code --latency-ms}), so thousands of
 * messages can be in flight at once.
 *
 * <ul>
 * <li>{@code POST /{version}/{phone-number-id}/messages}: Meta's documented success answer with a unique
 * wamid; counts messages per phone number id, per recipient (a second message to the same recipient on
 * the same number is a duplicate) and per second since the first message.</li>
 * <li>{@code GET /{version}/{phone-number-id}}: the phone number's details (channel setup).</li>
 * <li>{@code GET /{version}/{waba-id}/phone_numbers}: the account's one number, whose id is the account id
 * without its leading digit (BenchEnvironment names accounts {@code "2" + phone number id}); saving a channel
 * checks that the number belongs to the account.</li>
 * <li>{@code GET /{version}/{waba-id}/message_templates}: one approved MARKETING template
 * {@value #TEMPLATE} (German, one body variable).</li>
 * <li>{@code GET /stats}: the counters as JSON; {@code POST /stats/reset} clears them.</li>
 * </ul>
 * Usage: {@code java -cp <test classpath> io.consentcast.bench.FakeMeta --port 8090 --latency-ms 100}.
 * Prints {@code FAKE-META READY <port>} when it listens; exits when its standard input closes (the process that
 * started it ended), so no fake is left behind.
 */
public final class FakeMeta {

    public static final String TEMPLATE = "bench_issue";

    private final Vertx vertx;
    private final long latencyMs;
    private final Map<String, Number> numbers = new HashMap<>();
    private long wamids;
    private long maxInFlight;
    private long inFlight;
    private long startedAtMs = -1;
    private long lastAtMs = -1;

    /** Counters of one phone number id; touched only on the event loop. */
    private static final class Number {
        long messages;
        long duplicates;
        long invalid;
        final LongSet recipients = new LongSet();
        long[] perSecond = new long[64];
        long firstMs = -1;
        long lastMs = -1;

        void count(long second) {
            if (second >= perSecond.length) {
                long[] bigger = new long[(int) Math.max(perSecond.length * 2L, second + 1)];
                System.arraycopy(perSecond, 0, bigger, 0, perSecond.length);
                perSecond = bigger;
            }
            perSecond[(int) second]++;
        }
    }

    FakeMeta(Vertx vertx, long latencyMs) {
        this.vertx = vertx;
        this.latencyMs = latencyMs;
    }

    public static void main(String[] args) throws Exception {
        int port = 0;
        long latency = 100;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--latency-ms" -> latency = Long.parseLong(args[++i]);
                default -> throw new IllegalArgumentException("Unknown option " + args[i]
                        + " (usage: --port N --latency-ms N)");
            }
        }
        Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
        FakeMeta meta = new FakeMeta(vertx, latency);
        HttpServer server = vertx.createHttpServer(new HttpServerOptions().setIdleTimeout(0).setAcceptBacklog(4096)
                .setTcpNoDelay(true)).requestHandler(meta::handle);
        CountDownLatch listening = new CountDownLatch(1);
        Throwable[] failure = new Throwable[1];
        server.listen(port, "127.0.0.1").onComplete(r -> {
            failure[0] = r.cause();
            listening.countDown();
        });
        listening.await();
        if (failure[0] != null) {
            System.err.println("FAKE-META cannot listen on port " + port + ": " + failure[0]);
            System.exit(2);
        }
        System.out.println("FAKE-META READY " + server.actualPort() + " latency " + latency + " ms");
        System.out.flush();
        // Ends with the process that started it: its end closes our standard input.
        Thread watcher = new Thread(() -> {
            try {
                while (System.in.read() >= 0) {
                    // nothing is sent on standard input
                }
            } catch (java.io.IOException e) {
                // closed
            }
            System.out.println("FAKE-META standard input closed: exiting");
            System.exit(0);
        }, "parent-watcher");
        watcher.setDaemon(true);
        watcher.start();
    }

    private void handle(HttpServerRequest req) {
        String path = req.path();
        String[] parts = path.split("/");
        if (req.method().name().equals("GET") && path.equals("/stats")) {
            json(req, 200, stats());
        } else if (req.method().name().equals("POST") && path.equals("/stats/reset")) {
            numbers.clear();
            maxInFlight = 0;
            startedAtMs = -1;
            lastAtMs = -1;
            json(req, 200, new JsonObject().put("reset", true));
        } else if (req.method().name().equals("POST") && parts.length == 4 && parts[3].equals("messages")) {
            req.body().onSuccess(body -> message(req, parts[2], body));
        } else if (req.method().name().equals("GET") && parts.length == 4 && parts[3].equals("message_templates")) {
            json(req, 200, templates(parts[2]));
        } else if (req.method().name().equals("GET") && parts.length == 4 && parts[3].equals("phone_numbers")) {
            json(req, 200, accountNumbers(parts[2]));
        } else if (req.method().name().equals("GET") && parts.length == 3) {
            json(req, 200, phoneNumber(parts[2]));
        } else {
            json(req, 404, new JsonObject().put("error", new JsonObject().put("message", "Unknown path " + path)
                    .put("type", "GraphMethodException").put("code", 100)));
        }
    }

    private void message(HttpServerRequest req, String phoneNumberId, Buffer body) {
        long now = System.currentTimeMillis();
        if (startedAtMs < 0) {
            startedAtMs = now;
        }
        lastAtMs = now;
        Number n = numbers.computeIfAbsent(phoneNumberId, k -> new Number());
        if (n.firstMs < 0) {
            n.firstMs = now;
        }
        n.lastMs = now;
        String to = recipient(body.toString());
        long digits = digits(to);
        n.messages++;
        n.count((now - n.firstMs) / 1000);
        if (digits < 0) {
            n.invalid++;
        } else if (!n.recipients.add(digits)) {
            n.duplicates++;
        }
        inFlight++;
        maxInFlight = Math.max(maxInFlight, inFlight);
        String wamid = "wamid.FAKE" + Long.toString(++wamids, 36) + Long.toString(now, 36);
        String answer = "{\"messaging_product\":\"whatsapp\",\"contacts\":[{\"input\":\"" + to + "\",\"wa_id\":\""
                + (to == null ? "" : to.replace("+", "")) + "\"}],\"messages\":[{\"id\":\"" + wamid + "\"}]}";
        Runnable respond = () -> {
            inFlight--;
            req.response().putHeader("Content-Type", "application/json").end(answer);
        };
        if (latencyMs <= 0) {
            respond.run();
        } else {
            vertx.setTimer(latencyMs, t -> respond.run());
        }
    }

    /** The {@code "to"} of a Cloud API message body, without parsing the whole JSON. */
    static String recipient(String body) {
        int i = body.indexOf("\"to\"");
        if (i < 0) {
            return null;
        }
        int start = body.indexOf('"', body.indexOf(':', i) + 1);
        int end = start < 0 ? -1 : body.indexOf('"', start + 1);
        return end < 0 ? null : body.substring(start + 1, end);
    }

    static long digits(String to) {
        if (to == null) {
            return -1;
        }
        String d = to.startsWith("+") ? to.substring(1) : to;
        if (d.isEmpty() || d.length() > 18 || !d.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        return Long.parseLong(d);
    }

    private JsonObject stats() {
        JsonObject perNumber = new JsonObject();
        long total = 0;
        long duplicates = 0;
        for (Map.Entry<String, Number> e : numbers.entrySet()) {
            Number n = e.getValue();
            total += n.messages;
            duplicates += n.duplicates;
            JsonArray seconds = new JsonArray();
            long last = (n.lastMs - n.firstMs) / 1000;
            for (int s = 0; s <= last && s < n.perSecond.length; s++) {
                seconds.add(n.perSecond[s]);
            }
            perNumber.put(e.getKey(), new JsonObject().put("messages", n.messages).put("recipients", n.recipients.size())
                    .put("duplicates", n.duplicates).put("invalidRecipients", n.invalid).put("firstMs", n.firstMs)
                    .put("lastMs", n.lastMs).put("perSecond", seconds));
        }
        return new JsonObject().put("latencyMs", latencyMs).put("messages", total).put("duplicates", duplicates)
                .put("maxInFlight", maxInFlight).put("inFlight", inFlight).put("firstMs", startedAtMs)
                .put("lastMs", lastAtMs).put("numbers", perNumber);
    }

    private static JsonObject phoneNumber(String id) {
        return new JsonObject().put("id", id).put("display_phone_number", "+49 30 1234567")
                .put("verified_name", "Consentcast Bench").put("status", "CONNECTED").put("quality_rating", "GREEN")
                .put("throughput", new JsonObject().put("level", "HIGH")).put("messaging_limit_tier", "TIER_UNLIMITED")
                .put("whatsapp_business_manager_messaging_limit", "TIER_UNLIMITED")
                .put("code_verification_status", "VERIFIED").put("name_status", "APPROVED").put("account_mode", "LIVE");
    }

    private static JsonObject accountNumbers(String wabaId) {
        return new JsonObject().put("data", new JsonArray().add(phoneNumber(wabaId.substring(1))));
    }

    private static JsonObject templates(String wabaId) {
        JsonObject template = new JsonObject().put("id", "9" + Math.abs(wabaId.hashCode())).put("name", TEMPLATE)
                .put("language", "de").put("status", "APPROVED").put("category", "MARKETING")
                .put("parameter_format", "POSITIONAL")
                .put("components", new JsonArray()
                        .add(new JsonObject().put("type", "BODY").put("text", "Die neue Ausgabe: {{1}}"))
                        .add(new JsonObject().put("type", "BUTTONS").put("buttons", new JsonArray()
                                .add(new JsonObject().put("type", "QUICK_REPLY").put("text", "Stop promotions")))));
        return new JsonObject().put("data", new JsonArray().add(template))
                .put("paging", new JsonObject().put("cursors", new JsonObject().put("before", "QVFI").put("after", "QVFJ")));
    }

    private static void json(HttpServerRequest req, int status, JsonObject body) {
        req.response().setStatusCode(status).putHeader("Content-Type", "application/json").end(body.encode());
    }

    /** An open-addressing set of non-negative longs (recipients as digits), compact for millions of entries. */
    static final class LongSet {
        private long[] slots = new long[1 << 12];
        private int size;

        boolean add(long value) {
            if ((size + 1) * 2L > slots.length) {
                grow();
            }
            if (!insert(slots, value + 1)) {
                return false;
            }
            size++;
            return true;
        }

        int size() {
            return size;
        }

        private boolean insert(long[] table, long key) {
            int mask = table.length - 1;
            int i = (int) (mix(key) & mask);
            while (table[i] != 0) {
                if (table[i] == key) {
                    return false;
                }
                i = (i + 1) & mask;
            }
            table[i] = key;
            return true;
        }

        private void grow() {
            long[] old = slots;
            slots = new long[old.length * 2];
            for (long key : old) {
                if (key != 0) {
                    insert(slots, key);
                }
            }
        }

        private static long mix(long x) {
            x ^= x >>> 33;
            x *= 0xff51afd7ed558ccdL;
            x ^= x >>> 33;
            return x;
        }
    }
}
