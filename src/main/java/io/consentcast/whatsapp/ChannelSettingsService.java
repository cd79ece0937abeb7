package io.consentcast.whatsapp;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import org.jboss.logging.Logger;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.web.ChannelKind;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * A workspace's channel settings: saving them (token sealed with {@link SecretBox}, webhook
 * routing kept in step), reading them without secrets, testing the connection, and stopping the
 * channel when Meta says so. A workspace without settings uses the sandbox.
 */
@ApplicationScoped
public class ChannelSettingsService implements ChannelKind {

    @Inject
    ActivityLog activity;

    private static final Logger LOG = Logger.getLogger(ChannelSettingsService.class);
    private static final String GRAPH_ID = "[0-9]{1,30}";

    @Inject
    EntityManager em;

    @Inject
    jakarta.enterprise.event.Event<PhoneRoutes.Changed> routesChanged;

    @Inject
    jakarta.enterprise.event.Event<io.consentcast.shared.PublicPageChanged> publicPageChanged;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    SecretBox secrets;

    @Inject
    GraphClient graph;

    @Inject
    ChannelOwnership ownership;

    @Inject
    NumberReadings readings;

    @Inject
    Clock clock;

    /** The body of {@code PUT /api/tenants/{tenant}/channel}. */
    public record ChannelRequest(String type, String phoneNumberId, String businessAccountId, String displayPhoneNumber,
            String accessToken) {
    }

    /**
     * What the API and pages show: never the token, only whether one is stored. {@code type} is the wire name
     * ({@link ChannelType#wire}), {@link #kind} the type itself.
     */
    public record ChannelView(String type, String phoneNumberId, String businessAccountId, String displayPhoneNumber,
            boolean accessTokenSet, boolean stopped, String stoppedReason, Integer stoppedCode, Instant stoppedAt) {

        public ChannelType kind() {
            return ChannelType.of(type).orElseThrow();
        }
    }

    /** The answer of "Test connection". */
    public record TestResult(boolean ok, String type, String displayPhoneNumber, String verifiedName,
            String qualityRating, String throughputLevel, String messagingLimit, ErrorClass errorClass,
            Integer errorCode, String errorMessage) {
    }

    /** Settings with the decrypted token, for the channel implementations only. */
    record Loaded(ChannelSettings settings, String accessToken) {
    }

    static String aad(String tenantId) {
        return "whatsapp-access-token:" + tenantId;
    }

    Optional<ChannelSettings> find() {
        return em.createQuery("from ChannelSettings", ChannelSettings.class).getResultStream().findFirst();
    }

    public ChannelView view() {
        return QuarkusTransaction.joiningExisting().call(() -> toView(find().orElse(
                ChannelSettings.sandboxDefault(currentTenant.id()))));
    }

    /**
     * Whether the current workspace's channel is the sandbox (also when it never saved settings); the page shell
     * asks it as {@link ChannelKind} to show the sandbox phone's link only where the sandbox phone exists.
     */
    @Override
    public boolean sandbox() {
        return view().kind() == ChannelType.SANDBOX;
    }

    /**
     * Saves the channel. A Cloud API channel is first verified with Meta ({@link ChannelOwnership}: the token
     * reads the number, the number belongs to the account), outside any transaction; a phone number id that
     * another workspace uses is refused (409) before Meta is asked. Only then are the settings stored, in one
     * transaction, with the display number as Meta reports it.
     */
    public ChannelView save(ChannelRequest request) {
        if (request == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        ChannelType type = ChannelType.of(trim(request.type())).orElse(null);
        Validation v = new Validation();
        v.check(type != null, "type", "whatsapp.type-invalid");
        v.throwIfInvalid();
        if (type == ChannelType.SANDBOX) {
            return store(type, null, null, null, null);
        }
        String phone = trim(request.phoneNumberId());
        String waba = trim(request.businessAccountId());
        String token = trim(request.accessToken());
        Loaded current = load();
        String storedToken = current.settings().cloudApi() ? current.accessToken() : null;
        v.check(phone != null && phone.matches(GRAPH_ID), "phoneNumberId", "whatsapp.phone-number-id-invalid");
        v.check(waba != null && waba.matches(GRAPH_ID), "businessAccountId", "whatsapp.waba-id-invalid");
        v.check(token != null || storedToken != null, "accessToken", "whatsapp.token-required");
        v.check(token == null || token.length() <= 4096, "accessToken", "whatsapp.token-invalid");
        v.check(request.displayPhoneNumber() == null || request.displayPhoneNumber().length() <= 64,
                "displayPhoneNumber", "whatsapp.display-number-invalid");
        v.throwIfInvalid();
        if (!secrets.canEncrypt() && token != null) {
            throw ApiException.badRequest("whatsapp.secrets-key-missing");
        }
        if (claimedElsewhere(phone)) {
            throw taken();
        }
        GraphClient.PhoneNumberInfo verified = ownership.verify(phone, waba, token != null ? token : storedToken);
        String display = verified.displayPhoneNumber() != null ? verified.displayPhoneNumber()
                : trim(request.displayPhoneNumber());
        ChannelView saved = store(type, phone, waba, display, token);
        readings.apply(waba, phone, verified);
        return saved;
    }

    /** Stores verified settings (or the sandbox) in one transaction; a null {@code token} keeps the stored one. */
    private ChannelView store(ChannelType type, String phone, String waba, String display, String token) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            String tenantId = currentTenant.id();
            ChannelSettings s = find().orElse(null);
            boolean fresh = s == null;
            if (fresh) {
                s = new ChannelSettings();
                s.id = Ids.uuid7(clock);
            }
            boolean switched = type != (fresh ? ChannelType.SANDBOX : s.type);
            if (switched) {
                // Templates belong to the account: the sandbox samples are not the Cloud API account's.
                em.createQuery("delete from WhatsAppTemplate where tenantId = :t").setParameter("t", tenantId)
                        .executeUpdate();
            }
            if (type == ChannelType.CLOUD_API) {
                s.type = ChannelType.CLOUD_API;
                s.phoneNumberId = phone;
                s.businessAccountId = waba;
                s.displayPhoneNumber = display;
                if (token != null) {
                    s.accessTokenEnc = secrets.encrypt(token, aad(tenantId));
                }
                connect(tenantId, phone, waba, display);
            } else {
                s.type = ChannelType.SANDBOX;
                s.phoneNumberId = null;
                s.businessAccountId = null;
                s.displayPhoneNumber = null;
                s.accessTokenEnc = null;
                unroute(tenantId);
            }
            s.stoppedAt = null;
            s.stoppedReason = null;
            s.stoppedCode = null;
            s.updatedAt = clock.instant();
            if (fresh) {
                em.persist(s);
            }
            flushClaims();
            activity.record(ActivityKind.CHANNEL_SAVED, ActivitySubject.of(ActivitySubject.Type.CHANNEL),
                    new ActivityDetails.Channel(s.type == ChannelType.CLOUD_API, switched, s.displayPhoneNumber));
            return toView(s);
        });
    }

    /** Whether another workspace has the phone number id (the webhook route table). */
    boolean claimedElsewhere(String phoneNumberId) {
        String tenantId = currentTenant.id();
        return QuarkusTransaction.joiningExisting().call(() -> {
            PhoneRoute r = em.find(PhoneRoute.class, phoneNumberId);
            return r != null && !r.tenantId.equals(tenantId);
        });
    }

    static ApiException taken() {
        return ApiException.conflict("whatsapp.phone-number-taken",
                Map.of("phoneNumberId", "whatsapp.phone-number-taken"));
    }

    /**
     * Connects a proven number to the current workspace in the running transaction: its route (the primary key
     * decides ownership: 409 when another workspace has it) and its row among the workspace's numbers. Numbers
     * connected before stay connected ({@link ChannelNumbers} manages them), except those of another business account
     * when the default number's account changes: templates and the messaging limit are the account's.
     */
    void connect(String tenantId, String phoneNumberId, String wabaId, String display) {
        routesChanged.fire(new PhoneRoutes.Changed());
        publicPageChanged.fire(new io.consentcast.shared.PublicPageChanged(tenantId)); // the landing pages' number
        PhoneRoute existing = em.find(PhoneRoute.class, phoneNumberId);
        if (existing != null && !existing.tenantId.equals(tenantId)) {
            throw taken();
        }
        for (WhatsAppNumber other : em.createQuery("from WhatsAppNumber where businessAccountId <> :w"
                + " and phoneNumberId <> :p", WhatsAppNumber.class).setParameter("w", wabaId)
                .setParameter("p", phoneNumberId).getResultList()) {
            release(tenantId, other);
        }
        if (existing == null) {
            existing = new PhoneRoute();
            existing.phoneNumberId = phoneNumberId;
            existing.tenantId = tenantId;
            existing.businessAccountId = wabaId;
            existing.updatedAt = clock.instant();
            em.persist(existing);
        } else {
            existing.businessAccountId = wabaId;
            existing.updatedAt = clock.instant();
        }
        WhatsAppNumber number = em.createQuery("from WhatsAppNumber where phoneNumberId = :p", WhatsAppNumber.class)
                .setParameter("p", phoneNumberId).getResultStream().findFirst().orElse(null);
        if (number == null) {
            number = new WhatsAppNumber();
            number.id = Ids.uuid7(clock);
            number.phoneNumberId = phoneNumberId;
            number.createdAt = clock.instant();
            number.businessAccountId = wabaId;
            number.displayPhoneNumber = display;
            em.persist(number);
        } else {
            number.businessAccountId = wabaId;
            number.displayPhoneNumber = display;
        }
    }

    /** Releases one of the current workspace's numbers (its route and its row), in the running transaction. */
    void release(String tenantId, WhatsAppNumber number) {
        routesChanged.fire(new PhoneRoutes.Changed());
        publicPageChanged.fire(new io.consentcast.shared.PublicPageChanged(tenantId));
        em.createQuery("delete from PhoneRoute where tenantId = :t and phoneNumberId = :p").setParameter("t", tenantId)
                .setParameter("p", number.phoneNumberId).executeUpdate();
        em.remove(number);
    }

    private void unroute(String tenantId) {
        routesChanged.fire(new PhoneRoutes.Changed());
        publicPageChanged.fire(new io.consentcast.shared.PublicPageChanged(tenantId)); // the landing pages' number
        em.createQuery("delete from PhoneRoute where tenantId = :t").setParameter("t", tenantId).executeUpdate();
        em.createQuery("delete from WhatsAppNumber").executeUpdate();
    }

    /** Flushes the running transaction; another workspace's route inserted meanwhile becomes the 409 of the check. */
    void flushClaims() {
        try {
            em.flush();
        } catch (jakarta.persistence.PersistenceException e) {
            // Another workspace inserted the same phone number's route between our check and this insert
            // (the route's primary key): the same answer as the check gives.
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof org.hibernate.exception.ConstraintViolationException) {
                    throw taken();
                }
            }
            throw e;
        }
    }

    /** Loads the settings and decrypts the token; a token sealed with an older key is sealed again with the current one. */
    Loaded load() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ChannelSettings s = find().orElse(ChannelSettings.sandboxDefault(currentTenant.id()));
            if (!s.cloudApi() || s.accessTokenEnc == null) {
                return new Loaded(s, null);
            }
            String token = secrets.decrypt(s.accessTokenEnc, aad(s.tenantId));
            if (secrets.needsReencryption(s.accessTokenEnc)) {
                s.accessTokenEnc = secrets.encrypt(token, aad(s.tenantId));
                LOG.infof("Re-encrypted the WhatsApp access token of workspace %s with key %s", s.tenantId,
                        secrets.currentKeyId());
            }
            return new Loaded(s, token);
        });
    }

    /** Re-encrypts every stored token with the current key (after a key rotation); returns how many changed. */
    public int reencryptAllTokens() {
        List<String> tenants = tenantScope.platform(() -> em
                .createQuery("select distinct r.tenantId from PhoneRoute r", String.class).getResultList());
        int changed = 0;
        for (String tenantId : tenants) {
            boolean did = tenantScope.call(tenantId, () -> {
                ChannelSettings s = find().orElse(null);
                if (s == null || s.accessTokenEnc == null || !secrets.needsReencryption(s.accessTokenEnc)) {
                    return false;
                }
                s.accessTokenEnc = secrets.encrypt(secrets.decrypt(s.accessTokenEnc, aad(tenantId)), aad(tenantId));
                return true;
            });
            changed += did ? 1 : 0;
        }
        return changed;
    }

    /** Stops the workspace's channel with a reason the admins see (in its own transaction, so it sticks). */
    public void markStopped(String tenantId, Integer code, String reason) {
        tenantScope.run(tenantId, () -> stopInCurrentTransaction(code, reason));
    }

    /** Stops the current workspace's channel in the running transaction (webhook processing). */
    void stopInCurrentTransaction(Integer code, String reason) {
        ChannelSettings s = find().orElse(null);
        if (s == null || s.stoppedAt != null) {
            return;
        }
        s.stoppedAt = clock.instant();
        s.stoppedCode = code;
        s.stoppedReason = reason == null ? "Stopped by WhatsApp" : truncate(reason, 500);
        LOG.warnf("WhatsApp channel of workspace %s stopped: code %s", s.tenantId, code);
    }

    /** Reads the phone number from the Graph API (Cloud API) or describes the sandbox. */
    public TestResult test() {
        Loaded loaded = load();
        ChannelSettings s = loaded.settings();
        if (!s.cloudApi()) {
            return new TestResult(true, ChannelType.SANDBOX.wire(), SandboxChannel.DISPLAY_NUMBER, "Sandbox", "GREEN",
                    "STANDARD", null, null, null, null);
        }
        GraphClient.GraphResult r = graph.phoneNumber(s.phoneNumberId, loaded.accessToken());
        if (!r.ok()) {
            SendResult.Failed f = r.failure();
            readings.failed(s.businessAccountId, f);
            return new TestResult(false, ChannelType.CLOUD_API.wire(), s.displayPhoneNumber, null, null, null, null,
                    f.errorClass(), f.code(), f.message());
        }
        GraphClient.PhoneNumberInfo info = GraphClient.phoneInfo(r.body());
        readings.apply(s.businessAccountId, s.phoneNumberId, info);
        return new TestResult(true, ChannelType.CLOUD_API.wire(), info.displayPhoneNumber(), info.verifiedName(),
                info.qualityRating(), info.throughputLevel(), info.messagingLimit(), null, null, null);
    }

    /** The sandbox has a number of its own, so wa.me links and pages work before any Meta account exists. */
    private static ChannelView toView(ChannelSettings s) {
        String display = s.cloudApi() || s.displayPhoneNumber != null ? s.displayPhoneNumber
                : SandboxChannel.DISPLAY_NUMBER;
        return new ChannelView(s.type.wire(), s.phoneNumberId, s.businessAccountId, display,
                s.accessTokenEnc != null, s.stoppedAt != null, s.stoppedReason, s.stoppedCode, s.stoppedAt);
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    static String truncate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
