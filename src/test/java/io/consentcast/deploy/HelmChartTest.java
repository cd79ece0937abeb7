package io.consentcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import com.marcnuri.helm.TemplateCommand;

/**
 * The Helm chart in {@code helm/consentcast}, linted and rendered by a real Helm (helm-java bundles the Helm
 * library), with assertions on the manifests an operator would get.
 */
class HelmChartTest {

    static final Path CHART = Path.of("helm", "consentcast");

    @Test
    void theChartLintsCleanly() {
        LintResult result = new Helm(CHART).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @Test
    void twoNonRootPodsWithAReadOnlyRootFilesystemAndAWritableTmp() throws IOException {
        Manifests m = render(Map.of());
        JsonNode deployment = m.one("Deployment");
        assertEquals(2, deployment.at("/spec/replicas").asInt());
        JsonNode pod = deployment.at("/spec/template/spec");
        assertTrue(pod.at("/securityContext/runAsNonRoot").asBoolean());
        assertEquals(185, pod.at("/securityContext/runAsUser").asInt());
        JsonNode container = pod.at("/containers/0");
        assertEquals("consentcast:0.1.0", container.at("/image").asText());
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertTrue(container.at("/securityContext/runAsNonRoot").asBoolean());
        assertFalse(container.at("/securityContext/allowPrivilegeEscalation").asBoolean());
        assertEquals("ALL", container.at("/securityContext/capabilities/drop/0").asText());
        assertEquals("/tmp", container.at("/volumeMounts/0/mountPath").asText());
        assertEquals("tmp", pod.at("/volumes/0/name").asText());
        assertTrue(pod.at("/volumes/0/emptyDir").isObject());
        assertFalse(container.at("/resources/requests/memory").isMissingNode());
        assertFalse(container.at("/resources/limits/memory").isMissingNode());
    }

    @Test
    void probesAndMetricsUseTheManagementPortWhichTheIngressNeverExposes() throws IOException {
        Manifests m = render(Map.of("serviceMonitor.enabled", "true"));
        JsonNode container = m.one("Deployment").at("/spec/template/spec/containers/0");
        assertEquals("/q/health/started", container.at("/startupProbe/httpGet/path").asText());
        assertEquals("/q/health/live", container.at("/livenessProbe/httpGet/path").asText());
        assertEquals("/q/health/ready", container.at("/readinessProbe/httpGet/path").asText());
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("management", container.at("/" + probe + "/httpGet/port").asText(), probe);
        }
        assertEquals(8080, port(container, "http"));
        assertEquals(9000, port(container, "management"));
        assertEquals("management", m.one("ServiceMonitor").at("/spec/endpoints/0/port").asText());
        boolean servicePort = false;
        for (JsonNode p : m.one("Service").at("/spec/ports")) {
            servicePort |= p.at("/name").asText().equals("management") && p.at("/port").asInt() == 9000;
        }
        assertTrue(servicePort, "the Service exposes the management port to Prometheus");
        m.one("Ingress").at("/spec/rules/0/http/paths")
                .forEach(p -> assertEquals("http", p.at("/backend/service/port/name").asText()));

        JsonNode config = m.one("ConfigMap").at("/data");
        assertEquals("8080", config.at("/PORT").asText());
        assertEquals("9000", config.at("/QUARKUS_MANAGEMENT_PORT").asText());
        assertEquals("https://app.example.com", config.at("/CONSENTCAST_BASE_URL").asText());
        assertEquals("https://auth.example.com/realms/consentcast", config.at("/CONSENTCAST_OIDC_URL").asText());
        assertEquals("consentcast_app", config.at("/CONSENTCAST_DB_USER").asText());
        assertEquals(m.one("ConfigMap").at("/metadata/name").asText(),
                container.at("/envFrom/0/configMapRef/name").asText());
    }

    /** For an image built without the management interface: health and metrics on the HTTP port. */
    @Test
    void withoutAManagementInterfaceProbesAndMetricsUseTheHttpPort() throws IOException {
        Manifests m = render(Map.of("management.enabled", "false", "serviceMonitor.enabled", "true"));
        JsonNode container = m.one("Deployment").at("/spec/template/spec/containers/0");
        for (String probe : List.of("startupProbe", "livenessProbe", "readinessProbe")) {
            assertEquals("http", container.at("/" + probe + "/httpGet/port").asText(), probe);
        }
        assertEquals(1, container.at("/ports").size());
        assertTrue(m.one("ConfigMap").at("/data/QUARKUS_MANAGEMENT_PORT").isMissingNode());
        assertEquals("http", m.one("ServiceMonitor").at("/spec/endpoints/0/port").asText());
    }

    @Test
    void secretsComeFromTheExistingSecretAndNeverFromTheChart() throws IOException {
        Manifests m = render(Map.of("existingSecret", "consentcast-prod"));
        assertTrue(m.all("Secret").isEmpty(), "the chart creates no Secret");
        JsonNode container = m.one("Deployment").at("/spec/template/spec/containers/0");
        Map<String, String> secretEnv = secretEnv(container);
        assertEquals(Set.of("CONSENTCAST_DB_PASSWORD", "CONSENTCAST_DB_OWNER_PASSWORD", "CONSENTCAST_OIDC_CLIENT_SECRET",
                "CONSENTCAST_SESSION_SECRET", "CONSENTCAST_CSRF_KEY", "CONSENTCAST_LEDGER_HMAC_KEY", "CONSENTCAST_WHATSAPP_VERIFY_TOKEN",
                "CONSENTCAST_WHATSAPP_APP_SECRET", "CONSENTCAST_SECRETS_KEY"), secretEnv.keySet());
        // With the migration Job, the serving pods' migration datasource uses the application role.
        assertFalse(secretEnv.containsValue("db-owner-password"), "serving pods never get the owner password");
        assertEquals("db-password", secretEnv.get("CONSENTCAST_DB_OWNER_PASSWORD"));
        assertEquals("consentcast_app", plainEnv(container).get("CONSENTCAST_DB_OWNER_USER"));
        container.at("/env").forEach(e -> assertEquals(e.at("/name").asText().contains("WHATSAPP")
                || e.at("/name").asText().equals("CONSENTCAST_SECRETS_KEY"),
                e.at("/valueFrom/secretKeyRef/optional").asBoolean(), "only the WhatsApp keys are optional: " + e));
        assertEquals(Set.of("consentcast-prod"), Set.copyOf(secretRefs(container)));
        assertEquals("db-password", secretEnv.get("CONSENTCAST_DB_PASSWORD"));
        m.one("ConfigMap").at("/data").fieldNames().forEachRemaining(name -> assertFalse(
                name.contains("PASSWORD") || name.contains("SECRET") || name.endsWith("_KEY"), name));
    }

    @Test
    void onlyTheIngressControllersForwardedHeadersAreBelieved() throws IOException {
        JsonNode data = render(Map.of()).one("ConfigMap").at("/data");
        assertEquals("10.0.0.0/8,172.16.0.0/12,192.168.0.0/16", data.at("/CONSENTCAST_TRUSTED_PROXIES").asText());
        data.fieldNames().forEachRemaining(name -> assertFalse(name.startsWith("QUARKUS_HTTP_PROXY_"),
                "forwarded headers are switched on by the application for trusted proxies only: " + name));
        assertEquals("10.244.0.0/16", render(Map.of("config.trustedProxies", "10.244.0.0/16")).one("ConfigMap")
                .at("/data/CONSENTCAST_TRUSTED_PROXIES").asText());
        assertTrue(render(Map.of("config.trustedProxies", "")).one("ConfigMap").at("/data/CONSENTCAST_TRUSTED_PROXIES")
                .isMissingNode(), "empty: no proxy is trusted (the application's default)");
    }

    @Test
    void theIngressRoutesTheWhatsappWebhookAndThePagesOverTls() throws IOException {
        Manifests m = render(Map.of());
        JsonNode ingress = m.one("Ingress");
        JsonNode rule = ingress.at("/spec/rules/0");
        assertEquals("app.example.com", rule.at("/host").asText());
        List<String> paths = new ArrayList<>();
        String service = m.one("Service").at("/metadata/name").asText();
        rule.at("/http/paths").forEach(p -> {
            paths.add(p.at("/path").asText());
            assertEquals(service, p.at("/backend/service/name").asText());
            assertEquals("http", p.at("/backend/service/port/name").asText());
        });
        assertEquals(List.of("/webhooks/whatsapp", "/"), paths);
        assertEquals("app.example.com", ingress.at("/spec/tls/0/hosts/0").asText());
        assertEquals("consentcast-tls", ingress.at("/spec/tls/0/secretName").asText());
        assertEquals("http", m.one("Service").at("/spec/ports/0/targetPort").asText());
    }

    /**
     * helm-java's {@code template} leaves hooks out of its output (Helm's release manifest holds no hooks), so the
     * Job is rendered from a copy of the chart whose Job template lacks the hook annotations; the real template
     * must declare them.
     */
    @Test
    void aPreInstallJobMigratesWithTheOwnerRoleAndTheSameImage() throws IOException {
        Path jobTemplate = CHART.resolve("templates/migration-job.yaml");
        String hook = "\"helm.sh/hook\": pre-install,pre-upgrade";
        assertTrue(Files.readString(jobTemplate).contains(hook), "the migration Job is a pre-install/pre-upgrade hook");
        assertTrue(render(Map.of()).all("Job").isEmpty(), "hooks are not part of the rendered release");

        Path copy = Files.createTempDirectory("consentcast-chart");
        try {
            copyTree(CHART, copy);
            Path copiedJob = copy.resolve("templates/migration-job.yaml");
            Files.writeString(copiedJob, Files.readString(copiedJob).lines()
                    .filter(line -> !line.contains("\"helm.sh/hook")).collect(Collectors.joining("\n")));
            Manifests m = render(copy, Map.of());
            JsonNode job = m.one("Job");
            assertMigratesAsOwner(m, job);
        } finally {
            deleteTree(copy);
        }
    }

    private static void assertMigratesAsOwner(Manifests m, JsonNode job) {
        JsonNode container = job.at("/spec/template/spec/containers/0");
        assertEquals(m.one("Deployment").at("/spec/template/spec/containers/0/image").asText(),
                container.at("/image").asText());
        Map<String, String> env = plainEnv(container);
        assertEquals("true", env.get("QUARKUS_INIT_AND_EXIT"));
        assertEquals("true", env.get("QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START"));
        assertEquals("consentcast_owner", env.get("CONSENTCAST_DB_OWNER_USER"));
        assertEquals("jdbc:postgresql://postgres:5432/consentcast", env.get("CONSENTCAST_DB_URL"));
        assertEquals("db-owner-password", secretEnv(container).get("CONSENTCAST_DB_OWNER_PASSWORD"));
        assertTrue(container.at("/securityContext/readOnlyRootFilesystem").asBoolean());
        assertEquals("Never", job.at("/spec/template/spec/restartPolicy").asText());
        // ... and the serving pods leave migrations to it.
        assertEquals("false", m.one("ConfigMap").at("/data/QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START").asText());
    }

    @Test
    void withoutTheJobEveryPodMigratesAtStart() throws IOException {
        Manifests m = render(Map.of("migration.job", "false"));
        assertTrue(m.all("Job").isEmpty());
        assertTrue(m.one("ConfigMap").at("/data/QUARKUS_FLYWAY_MIGRATION_MIGRATE_AT_START").isMissingNode());
        JsonNode container = m.one("Deployment").at("/spec/template/spec/containers/0");
        assertEquals("db-owner-password", secretEnv(container).get("CONSENTCAST_DB_OWNER_PASSWORD"));
        assertEquals("consentcast_owner", m.one("ConfigMap").at("/data/CONSENTCAST_DB_OWNER_USER").asText());
        assertFalse(plainEnv(container).containsKey("CONSENTCAST_DB_OWNER_USER"));
    }

    @Test
    void aDisruptionBudgetKeepsAPodUpAndAutoscalingIsOptIn() throws IOException {
        Manifests m = render(Map.of());
        JsonNode pdb = m.one("PodDisruptionBudget");
        assertEquals(1, pdb.at("/spec/minAvailable").asInt());
        assertEquals(m.one("Deployment").at("/spec/selector/matchLabels"), pdb.at("/spec/selector/matchLabels"));
        assertTrue(m.all("HorizontalPodAutoscaler").isEmpty());
        assertTrue(m.all("ServiceMonitor").isEmpty());

        Manifests scaled = render(Map.of("autoscaling.enabled", "true", "autoscaling.maxReplicas", "8"));
        JsonNode hpa = scaled.one("HorizontalPodAutoscaler");
        assertEquals(2, hpa.at("/spec/minReplicas").asInt());
        assertEquals(8, hpa.at("/spec/maxReplicas").asInt());
        assertEquals(scaled.one("Deployment").at("/metadata/name").asText(), hpa.at("/spec/scaleTargetRef/name").asText());
        assertTrue(scaled.one("Deployment").at("/spec/replicas").isMissingNode(), "the autoscaler owns the count");
    }

    @Test
    void theServiceMonitorScrapesMetrics() throws IOException {
        Manifests m = render(Map.of("serviceMonitor.enabled", "true", "serviceMonitor.labels.release", "prometheus"));
        JsonNode monitor = m.one("ServiceMonitor");
        assertEquals("/q/metrics", monitor.at("/spec/endpoints/0/path").asText());
        assertEquals("management", monitor.at("/spec/endpoints/0/port").asText());
        assertEquals("prometheus", monitor.at("/metadata/labels/release").asText());
        assertEquals(m.one("Service").at("/spec/selector"), m.one("Deployment").at("/spec/selector/matchLabels"));
        assertEquals(monitor.at("/spec/selector/matchLabels"), m.one("Service").at("/spec/selector"));
    }

    // --- rendering ------------------------------------------------------------------------------------

    record Manifests(List<JsonNode> docs) {
        List<JsonNode> all(String kind) {
            return docs.stream().filter(d -> kind.equals(d.path("kind").asText())).toList();
        }

        JsonNode one(String kind) {
            List<JsonNode> found = all(kind);
            assertEquals(1, found.size(), "exactly one " + kind + " in " + kinds());
            return found.get(0);
        }

        String kinds() {
            return docs.stream().map(d -> d.path("kind").asText()).collect(Collectors.joining(", "));
        }
    }

    static Manifests render(Map<String, String> values) throws IOException {
        return render(CHART, values);
    }

    static Manifests render(Path chart, Map<String, String> values) throws IOException {
        TemplateCommand template = new Helm(chart).template().withName("consentcast").withNamespace("newsletters");
        values.forEach(template::set);
        String yaml = template.call();
        List<JsonNode> docs = new ArrayList<>();
        try (MappingIterator<JsonNode> it = new YAMLMapper().readerFor(JsonNode.class).readValues(yaml)) {
            while (it.hasNext()) {
                JsonNode doc = it.next();
                if (doc != null && !doc.isNull() && !doc.isMissingNode() && doc.has("kind")) {
                    docs.add(doc);
                }
            }
        }
        assertFalse(docs.isEmpty(), yaml);
        return new Manifests(docs);
    }

    static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> all = Files.walk(from)) {
            for (Path p : all.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static int port(JsonNode container, String name) {
        for (JsonNode p : container.at("/ports")) {
            if (name.equals(p.at("/name").asText())) {
                return p.at("/containerPort").asInt();
            }
        }
        throw new AssertionError("no port " + name + " in " + container.at("/ports"));
    }

    static Map<String, String> plainEnv(JsonNode container) {
        Map<String, String> env = new java.util.TreeMap<>();
        container.at("/env").forEach(e -> {
            if (e.has("value")) {
                env.put(e.at("/name").asText(), e.at("/value").asText());
            }
        });
        return env;
    }

    static Map<String, String> secretEnv(JsonNode container) {
        Map<String, String> env = new java.util.TreeMap<>();
        container.at("/env").forEach(e -> {
            JsonNode ref = e.at("/valueFrom/secretKeyRef");
            if (!ref.isMissingNode()) {
                env.put(e.at("/name").asText(), ref.at("/key").asText());
            }
        });
        return env;
    }

    static List<String> secretRefs(JsonNode container) {
        List<String> names = new ArrayList<>();
        container.at("/env").forEach(e -> {
            JsonNode ref = e.at("/valueFrom/secretKeyRef/name");
            if (!ref.isMissingNode()) {
                names.add(ref.asText());
            }
        });
        return names.stream().distinct().toList();
    }
}
