package io.consentcast.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;

/**
 * What an operator relies on in {@code deploy/} and {@code docs/deploy.md}: the realm's security settings, a
 * Compose file whose services check their health and whose every setting the example env file names, and
 * documentation of every environment variable the application reads.
 */
class DeploymentFilesTest {

    static final Path REALM = Path.of("deploy/keycloak/consentcast-realm.json");
    static final Path COMPOSE = Path.of("deploy/compose.yaml");
    static final Path ENV_EXAMPLE = Path.of("deploy/consentcast.env.example");
    static final Path DOCS = Path.of("docs/deploy.md");

    @Test
    void theRealmLetsPeopleRegisterSafely() throws IOException {
        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
        assertEquals("consentcast", realm.at("/realm").asText());
        assertTrue(realm.at("/registrationAllowed").asBoolean(), "user registration");
        assertTrue(realm.at("/verifyEmail").asBoolean(), "e-mail verification");
        assertTrue(realm.at("/bruteForceProtected").asBoolean(), "brute-force protection");
        assertFalse(realm.at("/permanentLockout").asBoolean(), "a temporary lock-out, not a denial of service");
        String policy = realm.at("/passwordPolicy").asText();
        for (String rule : List.of("length(10)", "notUsername", "notEmail")) {
            assertTrue(policy.contains(rule), policy);
        }
        assertEquals("external", realm.at("/sslRequired").asText());
    }

    @Test
    void theClientIsConfidentialWithTheCodeFlowOnly() throws IOException {
        JsonNode realm = new ObjectMapper().readTree(REALM.toFile());
        JsonNode client = realm.at("/clients/0");
        assertEquals("consentcast", client.at("/clientId").asText());
        assertFalse(client.at("/publicClient").asBoolean());
        assertEquals("${CONSENTCAST_OIDC_CLIENT_SECRET}", client.at("/secret").asText(), "the secret is not in the file");
        assertTrue(client.at("/standardFlowEnabled").asBoolean());
        assertFalse(client.at("/implicitFlowEnabled").asBoolean());
        assertFalse(client.at("/directAccessGrantsEnabled").asBoolean());
        assertEquals("${CONSENTCAST_BASE_URL}/*", client.at("/redirectUris/0").asText());
        assertEquals("${CONSENTCAST_BASE_URL}/*", client.at("/attributes/post.logout.redirect.uris").asText());
        List<String> scopes = new ArrayList<>();
        client.at("/defaultClientScopes").forEach(s -> scopes.add(s.asText()));
        assertTrue(scopes.containsAll(List.of("basic", "profile", "email")), scopes.toString());
    }

    @Test
    void everyComposeServiceChecksItsHealthAndKeycloakImportsTheRealm() throws IOException {
        JsonNode compose = new YAMLMapper().readTree(COMPOSE.toFile());
        for (String service : List.of("postgres", "keycloak", "consentcast")) {
            assertFalse(compose.at("/services/" + service + "/healthcheck/test").isMissingNode(), service);
        }
        JsonNode keycloak = compose.at("/services/keycloak");
        assertEquals("quay.io/keycloak/keycloak:26.5.6", keycloak.at("/image").asText());
        assertEquals("start", keycloak.at("/command/0").asText());
        assertEquals("--import-realm", keycloak.at("/command/1").asText());
        assertTrue(keycloak.at("/volumes/0").asText()
                .startsWith("./keycloak/consentcast-realm.json:/opt/keycloak/data/import/"));
        assertEquals("service_healthy", compose.at("/services/consentcast/depends_on/keycloak/condition").asText());
        assertEquals("service_healthy", compose.at("/services/consentcast/depends_on/postgres/condition").asText());
        assertTrue(compose.at("/services/postgres/volumes").toString().contains("/docker-entrypoint-initdb.d/"));
    }

    /**
     * Only the TLS proxy sets the client address: the application trusts the forwarded headers of the Compose
     * network's gateway (through which the host's proxy reaches the port published on 127.0.0.1) and nobody
     * else, and no setting switches Quarkus' forwarding on for every client.
     */
    @Test
    void composeTrustsTheForwardedHeadersOfTheHostsTlsProxyOnly() throws IOException {
        JsonNode compose = new YAMLMapper().readTree(COMPOSE.toFile());
        JsonNode env = compose.at("/services/consentcast/environment");
        assertEquals("${CONSENTCAST_TRUSTED_PROXIES:-172.31.250.1}", env.at("/CONSENTCAST_TRUSTED_PROXIES").asText());
        env.fieldNames().forEachRemaining(name -> assertFalse(name.startsWith("QUARKUS_HTTP_PROXY_"), name));
        assertEquals("${CONSENTCAST_DOCKER_GATEWAY:-172.31.250.1}",
                compose.at("/networks/default/ipam/config/0/gateway").asText());
        assertEquals(List.of("127.0.0.1:8080:8080"), List.of(compose.at("/services/consentcast/ports/0").asText()),
                "the application's port is reachable from the host only, i.e. through the TLS proxy");
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        assertTrue(properties.contains("quarkus.http.proxy.trusted-proxies=${CONSENTCAST_TRUSTED_PROXIES:0.0.0.0/32}"),
                "without the setting no peer is trusted (Quarkus trusts every peer when the list is empty)");
    }

    @Test
    void theExampleEnvFileNamesEverySettingTheComposeFileReads() throws IOException {
        Set<String> used = matches(Files.readString(COMPOSE), Pattern.compile("\\$\\{([A-Z0-9_]+)"));
        Set<String> example = matches(Files.readString(ENV_EXAMPLE), Pattern.compile("(?m)^([A-Z0-9_]+)="));
        assertFalse(used.isEmpty());
        Set<String> missing = new TreeSet<>(used);
        missing.removeAll(example);
        assertEquals(Set.of(), missing, "settings compose.yaml reads but consentcast.env.example lacks");
    }

    @Test
    void theDeploymentGuideDocumentsEveryVariableTheApplicationReads() throws IOException {
        String properties = Files.readString(Path.of("src/main/resources/application.properties"));
        Set<String> read = matches(properties, Pattern.compile("\\$\\{((?:CONSENTCAST_|PORT)[A-Z0-9_]*)"));
        assertTrue(read.contains("CONSENTCAST_DB_URL") && read.contains("PORT"), read.toString());
        String docs = Files.readString(DOCS);
        Set<String> undocumented = new TreeSet<>();
        for (String variable : read) {
            if (!docs.contains("`" + variable + "`")) {
                undocumented.add(variable);
            }
        }
        assertEquals(Set.of(), undocumented, "variables application.properties reads but docs/deploy.md omits");
    }

    private static Set<String> matches(String text, Pattern pattern) {
        Set<String> found = new TreeSet<>();
        Matcher m = pattern.matcher(text);
        while (m.find()) {
            found.add(m.group(1));
        }
        return found;
    }
}
