package io.consentcast.whatsapp;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.junit.jupiter.api.Test;

import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.testsupport.Api;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;

@QuarkusTest
class TokenEncryptionTest {

    static final String CURRENT = Base64.getEncoder()
            .encodeToString("test-only-key-not-for-production".getBytes(StandardCharsets.UTF_8));
    static final String OLD = Base64.getEncoder()
            .encodeToString("old-test-key-rotated-out-already".getBytes(StandardCharsets.UTF_8));

    @Inject
    SecretBox secrets;

    @Inject
    ChannelSettingsService settings;

    @Inject
    ChannelService channel;

    @Inject
    TenantScope tenantScope;

    @Inject
    TenancyService tenancy;

    @Inject
    EntityManager em;

    static SecretBox box(String key, String... previous) {
        return new SecretBox(new SecretsConfig() {
            @Override
            public Optional<String> key() {
                return Optional.ofNullable(key);
            }

            @Override
            public Optional<List<String>> previousKeys() {
                return Optional.of(List.of(previous));
            }
        });
    }

    @Test
    void aTokenSurvivesTheRoundTripAndIsBoundToItsWorkspace() {
        String sealed = secrets.encrypt("EAAG-token-ü", "whatsapp-access-token:t1");
        assertTrue(sealed.startsWith("v1:" + secrets.currentKeyId() + ":"));
        assertFalse(sealed.contains("EAAG"));
        assertNotEquals(sealed, secrets.encrypt("EAAG-token-ü", "whatsapp-access-token:t1"), "fresh nonce each time");
        assertEquals("EAAG-token-ü", secrets.decrypt(sealed, "whatsapp-access-token:t1"));
        assertThrows(IllegalStateException.class, () -> secrets.decrypt(sealed, "whatsapp-access-token:t2"));
        String tampered = sealed.substring(0, sealed.length() - 3) + (sealed.endsWith("A==") ? "B==" : "A==");
        assertThrows(IllegalStateException.class, () -> secrets.decrypt(tampered, "whatsapp-access-token:t1"));
        assertThrows(io.consentcast.shared.ApiException.class, () -> box(null).encrypt("x", "y"));
        assertThrows(IllegalStateException.class, () -> box("c2hvcnQ="));
    }

    @Test
    void afterARotationOldTokensStillWorkAndAreSealedAgainWithTheNewKey() {
        SecretBox before = box(OLD);
        SecretBox after = box(CURRENT, OLD);
        String sealedOld = before.encrypt("token", "aad");
        assertEquals("token", after.decrypt(sealedOld, "aad"));
        assertTrue(after.needsReencryption(sealedOld));
        assertFalse(after.needsReencryption(after.encrypt("token", "aad")));
        assertThrows(IllegalStateException.class, () -> box(CURRENT).decrypt(sealedOld, "aad"),
                "without the previous key the old token cannot be read");
    }

    @Test
    void aTokenSealedWithThePreviousKeyIsUsedAndReEncryptedOnUse() {
        Api owner = Api.newUser("rot");
        String slug = owner.createWorkspace("rot");
        String tenantId = tenancy.findBySlug(slug).orElseThrow().id;
        String phone = WaTestSupport.graphId();
        WaTestSupport.cloudApi(owner, slug, phone, WaTestSupport.graphId(), "current-token");
        String stored = storedToken(tenantId);
        assertTrue(stored.startsWith("v1:" + secrets.currentKeyId() + ":"));
        assertFalse(stored.contains("current-token"));

        // Simulate a token written before the key rotation.
        String oldSealed = box(OLD).encrypt("pre-rotation-token", ChannelSettingsService.aad(tenantId));
        tenantScope.run(tenantId, () -> em.createQuery("update ChannelSettings set accessTokenEnc = :t")
                .setParameter("t", oldSealed).executeUpdate());

        GraphMock.server().stubFor(post(urlEqualTo("/v23.0/" + phone + "/messages")).willReturn(aResponse()
                .withStatus(200).withHeader("Content-Type", "application/json")
                .withBody(CloudApiChannelTest.fixture("send-ok.json"))));
        SendResult r = tenantScope.call(tenantId, () -> QuarkusTransaction.suspendingExisting()
                .call(() -> channel.send(new OutgoingMessage.Text("4915112345678", "Hallo"))));
        assertTrue(r.accepted());
        GraphMock.server().verify(postRequestedFor(urlEqualTo("/v23.0/" + phone + "/messages"))
                .withHeader("Authorization", equalTo("Bearer pre-rotation-token")));
        String now = storedToken(tenantId);
        assertTrue(now.startsWith("v1:" + secrets.currentKeyId() + ":"), "re-encrypted with the current key");
        assertEquals("pre-rotation-token", secrets.decrypt(now, ChannelSettingsService.aad(tenantId)));

        // The bulk method does the same for every workspace.
        tenantScope.run(tenantId, () -> em.createQuery("update ChannelSettings set accessTokenEnc = :t")
                .setParameter("t", oldSealed).executeUpdate());
        assertTrue(settings.reencryptAllTokens() >= 1);
        assertTrue(storedToken(tenantId).startsWith("v1:" + secrets.currentKeyId() + ":"));
    }

    private String storedToken(String tenantId) {
        return tenantScope.call(tenantId, () -> em
                .createQuery("select s.accessTokenEnc from ChannelSettings s", String.class).getSingleResult());
    }
}
