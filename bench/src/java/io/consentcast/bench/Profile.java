package io.consentcast.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where the application's CPU time went, from a Java Flight Recorder file ({@code -Dbench.profile=true} starts the
 * application with {@code -XX:StartFlightRecording}, settings {@code profile}: a stack sample of every running
 * Java thread every 10 ms). Only samples inside the measured window count. Reported: the share of samples per
 * layer (the first frame from the top that belongs to a known library), the hottest top frames, and the
 * Consentcast methods most often on the stack.
 */
final class Profile {

    /** Package prefixes and the layer they stand for, checked from the top of the stack down. */
    private static final Map<String, String> LAYERS = new LinkedHashMap<>();

    static {
        LAYERS.put("org.postgresql.", "PostgreSQL JDBC driver");
        LAYERS.put("io.agroal.", "connection pool (Agroal)");
        LAYERS.put("com.arjuna.", "transactions (Narayana)");
        LAYERS.put("io.quarkus.narayana.", "transactions (Narayana)");
        LAYERS.put("org.hibernate.", "Hibernate ORM");
        LAYERS.put("io.quarkus.hibernate.", "Hibernate ORM");
        LAYERS.put("io.quarkus.qute.", "Qute templates");
        LAYERS.put("com.google.i18n.phonenumbers.", "libphonenumber");
        LAYERS.put("com.google.zxing.", "QR code (ZXing)");
        LAYERS.put("io.quarkus.csrf.", "CSRF filter");
        LAYERS.put("io.smallrye.jwt.", "JWT/JOSE");
        LAYERS.put("org.jose4j.", "JWT/JOSE");
        LAYERS.put("io.quarkus.oidc.", "OIDC");
        LAYERS.put("com.fasterxml.jackson.", "Jackson JSON");
        LAYERS.put("org.jboss.resteasy.reactive.", "Quarkus REST");
        LAYERS.put("io.quarkus.resteasy.reactive.", "Quarkus REST");
        LAYERS.put("io.quarkus.arc.", "CDI (ArC)");
        LAYERS.put("io.micrometer.", "metrics (Micrometer)");
        LAYERS.put("org.jboss.logmanager.", "logging");
        LAYERS.put("io.vertx.", "HTTP (Vert.x/Netty)");
        LAYERS.put("io.netty.", "HTTP (Vert.x/Netty)");
        LAYERS.put("io.consentcast.", "Consentcast code");
        LAYERS.put("sun.security.", "JDK crypto");
        LAYERS.put("javax.crypto.", "JDK crypto");
        LAYERS.put("java.security.", "JDK crypto");
        LAYERS.put("com.sun.crypto.", "JDK crypto");
        LAYERS.put("java.util.regex.", "JDK regex");
    }

    private Profile() {
    }

    static Map<String, Object> summarise(Path jfr, Instant from, Instant to) throws IOException {
        Map<String, Object> r = Bench.object();
        if (!Files.isRegularFile(jfr)) {
            r.put("error", "no recording at " + jfr);
            return r;
        }
        Map<String, Integer> self = new HashMap<>();
        Map<String, Integer> consentcast = new HashMap<>();
        Map<String, Integer> layers = new HashMap<>();
        Map<String, Integer> threads = new HashMap<>();
        int samples = 0;
        try (RecordingFile file = new RecordingFile(jfr)) {
            while (file.hasMoreEvents()) {
                RecordedEvent e = file.readEvent();
                if (!e.getEventType().getName().equals("jdk.ExecutionSample")) {
                    continue;
                }
                if (e.getStartTime().isBefore(from) || e.getStartTime().isAfter(to)) {
                    continue;
                }
                RecordedStackTrace st = e.getStackTrace();
                if (st == null || st.getFrames().isEmpty()) {
                    continue;
                }
                samples++;
                List<RecordedFrame> frames = st.getFrames();
                self.merge(method(frames.get(0)), 1, Integer::sum);
                String layer = "JDK and other";
                outer: for (RecordedFrame f : frames) {
                    String type = f.getMethod().getType().getName();
                    for (Map.Entry<String, String> l : LAYERS.entrySet()) {
                        if (type.startsWith(l.getKey())) {
                            layer = l.getValue();
                            break outer;
                        }
                    }
                }
                layers.merge(layer, 1, Integer::sum);
                Set<String> seen = new HashSet<>();
                for (RecordedFrame f : frames) {
                    if (f.getMethod().getType().getName().startsWith("io.consentcast.")) {
                        String m = method(f);
                        if (seen.add(m)) {
                            consentcast.merge(m, 1, Integer::sum);
                        }
                    }
                }
                var thread = e.getThread("sampledThread");
                String name = thread == null ? "?" : thread.getJavaName();
                threads.merge(name == null ? "?" : name.replaceAll("[-\\d]+$", ""), 1, Integer::sum);
            }
        }
        r.put("samples", samples);
        r.put("note", "jdk.ExecutionSample: Java threads running Java code, every 10 ms; waiting (I/O, locks) is not sampled");
        r.put("byLayerPercent", top(layers, samples, 30));
        r.put("byThreadPercent", top(threads, samples, 10));
        r.put("topFramesPercent", top(self, samples, 25));
        r.put("consentcastMethodsOnStackPercent", top(consentcast, samples, 25));
        return r;
    }

    private static String method(RecordedFrame f) {
        String type = f.getMethod().getType().getName();
        return type.substring(type.lastIndexOf('.') + 1) + "." + f.getMethod().getName() + " (" + type + ")";
    }

    private static Map<String, Double> top(Map<String, Integer> counts, int total, int n) {
        return counts.entrySet().stream().sorted(Map.Entry.<String, Integer>comparingByValue().reversed()).limit(n)
                .collect(Collectors.toMap(Map.Entry::getKey, e -> Bench.round(100.0 * e.getValue() / Math.max(1, total), 1),
                        (a, b) -> a, LinkedHashMap::new));
    }
}
