package io.consentcast.whatsapp;

import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The sending numbers of a workspace on the Cloud API: several numbers of the channel's WhatsApp Business Account,
 * reached with the workspace's one access token, each proven with Meta ({@link ChannelOwnership}) and routed like
 * the first; one is the default (the number {@link ChannelSettings} names). All numbers share the account because
 * templates and the messaging limit are the account's. Lists name their number ({@link ListNumbers}); what a list,
 * an issue or a reply sends from is decided here, in {@link #resolve(String)}: the named number while the workspace
 * has it, else the default (with {@link SendingNumber#fallback()} set). A number a list names cannot be removed,
 * nor the default; the sandbox has its one number.
 */
@ApplicationScoped
public class ChannelNumbers {

    private static final String GRAPH_ID = "[0-9]{1,30}";

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenancyService tenancy;

    @Inject
    ChannelSettingsService settings;

    @Inject
    ChannelOwnership ownership;

    @Inject
    NumberReadings readings;

    @Inject
    MarketingGuard guard;

    @Inject
    MessagingLimits limits;

    @Inject
    ListNumbers lists;

    @Inject
    ActivityLog activity;

    /** The body of {@code POST /api/tenants/{tenant}/channel/numbers}: a number of the channel's account. */
    public record NumberRequest(String phoneNumberId) {
    }

    /**
     * A connected number as the API and the channel page show it: Meta's display number, whether it is the default,
     * its last known quality and marketing decision (paused since when; {@code marketingCauseGone}: only an admin's
     * resume is missing), the account's messaging-limit tier, and the lists that send from it (by name; lists without
     * a number send from the default).
     */
    public record NumberView(String phoneNumberId, String businessAccountId, String displayPhoneNumber,
            boolean isDefault, String qualityRating, boolean marketingAllowed, MarketingGuard.PauseReason marketingPause,
            java.time.Instant marketingPausedSince, boolean marketingCauseGone, MessagingLimitTier messagingLimitTier,
            List<String> lists) {
    }

    /** A number on which marketing is paused, as the dashboard names it. */
    public record PausedNumber(String phoneNumberId, String displayPhoneNumber, boolean isDefault,
            MarketingGuard.PauseReason reason) {
    }

    /**
     * The number a message leaves from. {@code phoneNumberId} is null on the sandbox (its one number);
     * {@code fallback} says that the number asked for is not (any more) one of the workspace's, so the default was
     * taken.
     */
    public record SendingNumber(String tenantId, String phoneNumberId, String businessAccountId,
            String displayPhoneNumber, boolean isDefault, boolean fallback) {

        /** The key of the number's one sending rate across issues and instances (dispatch's {@code dispatch_senders}). */
        public String rateKey() {
            return phoneNumberId != null ? "phone:" + phoneNumberId : "sandbox:" + tenantId;
        }

        /**
         * The number as the quality guard and the messaging-limit count name it: Meta's phone number id, or the
         * sandbox's number of the workspace ({@link MarketingGuard#marketing(String)}).
         */
        public String numberKey() {
            return phoneNumberId != null ? phoneNumberId : WebhookProcessor.SANDBOX_PHONE_PREFIX + tenantId;
        }

        /**
         * The business portfolio whose messaging limit the number's template sends use: its WhatsApp Business
         * Account, or the workspace's sandbox portfolio ({@link PortfolioCapacity}).
         */
        public String portfolio() {
            return businessAccountId != null ? businessAccountId : MessagingLimits.sandboxAccount(tenantId);
        }

        /** The display number as international digits, for wa.me links ("" when there is none). */
        public String digits() {
            return displayPhoneNumber == null ? "" : displayPhoneNumber.replaceAll("[^0-9]", "");
        }
    }

    /** The current workspace's numbers, the default first (none on the sandbox). */
    public List<NumberView> all() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ChannelSettings s = settings.find().orElse(null);
            if (s == null || !s.cloudApi()) {
                return List.of();
            }
            MessagingLimitTier tier = limits.usage().map(MessagingLimits.Usage::tier).orElse(null);
            return numbers().stream().sorted((a, b) -> Boolean.compare(isDefault(s, b), isDefault(s, a)))
                    .map(n -> view(s, n, tier)).toList();
        });
    }

    /**
     * The current workspace's numbers on which marketing is paused for their quality (the sandbox's one number
     * included), the default first.
     */
    public List<PausedNumber> marketingPaused() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            ChannelSettings s = settings.find().orElse(null);
            if (s == null || !s.cloudApi()) {
                MarketingGuard.MarketingDecision d = guard.marketing();
                return d.allowed() ? List.<PausedNumber>of()
                        : List.of(new PausedNumber(d.phoneNumberId(), SandboxChannel.DISPLAY_NUMBER, true, d.reason()));
            }
            List<PausedNumber> out = new java.util.ArrayList<>();
            for (WhatsAppNumber n : numbers()) {
                MarketingGuard.MarketingDecision d = guard.marketing(n.phoneNumberId);
                if (!d.allowed()) {
                    out.add(new PausedNumber(n.phoneNumberId, n.displayPhoneNumber, isDefault(s, n), d.reason()));
                }
            }
            out.sort((a, b) -> Boolean.compare(b.isDefault(), a.isDefault()));
            return out;
        });
    }

    /**
     * An admin resumes marketing on one of the workspace's numbers after a quality pause (404 when it is not one of
     * them; 409 while the cause is still there): only that number's marketing resumes, the others keep their state.
     */
    public NumberView resumeMarketing(String phoneNumberId, String actor) {
        QuarkusTransaction.joiningExisting().run(() -> guard.acknowledge(require(phoneNumberId).phoneNumberId, actor));
        return view(phoneNumberId);
    }

    /** What a list sends from: its number, or the default. */
    public SendingNumber forList(UUID listId) {
        return QuarkusTransaction.joiningExisting().call(() -> resolve(lists.sendingNumberOf(listId)));
    }

    /**
     * What a message asked to leave from {@code phoneNumberId} (null: the default) leaves from: that number while the
     * workspace has it, else the default ({@code fallback}); on the sandbox its one number.
     */
    public SendingNumber resolve(String phoneNumberId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            String tenantId = currentTenant.id();
            ChannelSettings s = settings.find().orElse(ChannelSettings.sandboxDefault(tenantId));
            if (!s.cloudApi()) {
                boolean asked = phoneNumberId != null && !phoneNumberId.startsWith(WebhookProcessor.SANDBOX_PHONE_PREFIX);
                return new SendingNumber(tenantId, null, null, SandboxChannel.DISPLAY_NUMBER, true, asked);
            }
            if (phoneNumberId != null && !phoneNumberId.equals(s.phoneNumberId)) {
                WhatsAppNumber n = find(phoneNumberId);
                if (n != null) {
                    return new SendingNumber(tenantId, n.phoneNumberId, n.businessAccountId, n.displayPhoneNumber,
                            false, false);
                }
            }
            boolean fallback = phoneNumberId != null && !phoneNumberId.equals(s.phoneNumberId);
            return new SendingNumber(tenantId, s.phoneNumberId, s.businessAccountId, s.displayPhoneNumber, true,
                    fallback);
        });
    }

    /**
     * Checks that a list may name {@code phoneNumberId}: one of the current workspace's numbers (400 naming
     * {@code field} otherwise: unknown, another workspace's, or the sandbox). Joins the caller's transaction and holds
     * the workspace's lock until it ends, so a number cannot be removed between this check and the list's save.
     */
    public void requireForList(String phoneNumberId, String field) {
        QuarkusTransaction.joiningExisting().run(() -> {
            tenancy.lockCurrentWorkspace();
            if (phoneNumberId == null || !phoneNumberId.matches(GRAPH_ID) || find(phoneNumberId) == null) {
                throw ApiException.invalid(Map.of(field, "whatsapp.number-unknown"));
            }
        });
    }

    /**
     * Adds a number of the channel's account: checked with Meta with the stored token outside any transaction, as
     * saving the channel does (400 naming the field, 503 when Meta cannot be asked, 409 when another workspace has
     * it), then routed and stored; Meta's quality and limit readings are recorded.
     */
    public NumberView add(NumberRequest request) {
        if (request == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        String phone = trim(request.phoneNumberId());
        Validation v = new Validation();
        v.text("phoneNumberId", request.phoneNumberId());
        v.check(phone != null && phone.matches(GRAPH_ID), "phoneNumberId", "whatsapp.phone-number-id-invalid");
        v.throwIfInvalid();
        ChannelSettingsService.Loaded loaded = settings.load();
        ChannelSettings s = loaded.settings();
        if (!s.cloudApi() || loaded.accessToken() == null) {
            throw ApiException.conflict("whatsapp.numbers-need-cloud-api",
                    Map.of("phoneNumberId", "whatsapp.numbers-need-cloud-api"));
        }
        if (settings.claimedElsewhere(phone)) {
            throw ChannelSettingsService.taken();
        }
        if (QuarkusTransaction.joiningExisting().call(() -> find(phone)) != null) {
            throw ApiException.conflict("whatsapp.number-already-added",
                    Map.of("phoneNumberId", "whatsapp.number-already-added"));
        }
        String account = s.businessAccountId;
        GraphClient.PhoneNumberInfo verified = ownership.verify(phone, account, loaded.accessToken());
        QuarkusTransaction.joiningExisting().run(() -> {
            String tenantId = currentTenant.id();
            settings.connect(tenantId, phone, account, verified.displayPhoneNumber());
            settings.flushClaims();
            activity.record(ActivityKind.CHANNEL_NUMBER_ADDED, ActivitySubject.of(ActivitySubject.Type.CHANNEL, phone),
                    new ActivityDetails.ChannelNumber(verified.displayPhoneNumber(), phone));
        });
        readings.apply(account, phone, verified);
        return view(phone);
    }

    /** Makes one of the workspace's numbers the default (404 when it is not one of them). */
    public NumberView makeDefault(String phoneNumberId) {
        QuarkusTransaction.joiningExisting().run(() -> {
            WhatsAppNumber n = require(phoneNumberId);
            ChannelSettings s = settings.find().orElseThrow();
            if (!n.phoneNumberId.equals(s.phoneNumberId)) {
                s.phoneNumberId = n.phoneNumberId;
                s.businessAccountId = n.businessAccountId;
                s.displayPhoneNumber = n.displayPhoneNumber;
                settings.connect(s.tenantId, n.phoneNumberId, n.businessAccountId, n.displayPhoneNumber);
                activity.record(ActivityKind.CHANNEL_NUMBER_DEFAULT,
                        ActivitySubject.of(ActivitySubject.Type.CHANNEL, n.phoneNumberId),
                        new ActivityDetails.ChannelNumber(n.displayPhoneNumber, n.phoneNumberId));
            }
        });
        return view(phoneNumberId);
    }

    /**
     * Removes a number: its route and row go, so its messages are no longer routed here and another workspace may
     * claim it. Refused (409) for the default and for a number lists send from (they must name another first); the
     * workspace's lock serialises this with a list naming the number.
     */
    public void remove(String phoneNumberId) {
        QuarkusTransaction.joiningExisting().run(() -> {
            tenancy.lockCurrentWorkspace();
            WhatsAppNumber n = require(phoneNumberId);
            ChannelSettings s = settings.find().orElseThrow();
            if (n.phoneNumberId.equals(s.phoneNumberId)) {
                throw ApiException.conflict("whatsapp.number-is-default", Map.of("phoneNumberId",
                        "whatsapp.number-is-default"));
            }
            if (!lists.listsUsing(n.phoneNumberId).isEmpty()) {
                throw ApiException.conflict("whatsapp.number-in-use", Map.of("phoneNumberId", "whatsapp.number-in-use"));
            }
            settings.release(s.tenantId, n);
            activity.record(ActivityKind.CHANNEL_NUMBER_REMOVED,
                    ActivitySubject.of(ActivitySubject.Type.CHANNEL, n.phoneNumberId),
                    new ActivityDetails.ChannelNumber(n.displayPhoneNumber, n.phoneNumberId));
        });
    }

    /** The phone number id of the current workspace's number whose display number has these digits, or null. */
    String byDisplayDigits(String digits) {
        return QuarkusTransaction.joiningExisting().call(() -> numbers().stream()
                .filter(n -> n.displayPhoneNumber != null && digits.equals(n.displayPhoneNumber.replaceAll("[^0-9]", "")))
                .map(n -> n.phoneNumberId).findFirst().orElse(null));
    }

    private NumberView view(String phoneNumberId) {
        return all().stream().filter(n -> n.phoneNumberId().equals(phoneNumberId)).findFirst()
                .orElseThrow(() -> ApiException.notFound("whatsapp.number-not-found"));
    }

    private NumberView view(ChannelSettings s, WhatsAppNumber n, MessagingLimitTier tier) {
        NumberQuality q = em.createQuery("from NumberQuality where phoneNumberId = :p", NumberQuality.class)
                .setParameter("p", n.phoneNumberId).getResultStream().findFirst().orElse(null);
        MarketingGuard.MarketingDecision marketing = guard.marketing(n.phoneNumberId);
        return new NumberView(n.phoneNumberId, n.businessAccountId, n.displayPhoneNumber, isDefault(s, n),
                q == null ? null : q.qualityRating, marketing.allowed(), marketing.reason(), marketing.pausedSince(),
                marketing.causeGone(), tier,
                lists.listsUsing(n.phoneNumberId));
    }

    private static boolean isDefault(ChannelSettings s, WhatsAppNumber n) {
        return n.phoneNumberId.equals(s.phoneNumberId);
    }

    private List<WhatsAppNumber> numbers() {
        return em.createQuery("from WhatsAppNumber order by createdAt", WhatsAppNumber.class).getResultList();
    }

    private WhatsAppNumber find(String phoneNumberId) {
        return em.createQuery("from WhatsAppNumber where phoneNumberId = :p", WhatsAppNumber.class)
                .setParameter("p", phoneNumberId).getResultStream().findFirst().orElse(null);
    }

    private WhatsAppNumber require(String phoneNumberId) {
        WhatsAppNumber n = phoneNumberId == null || !phoneNumberId.matches(GRAPH_ID) ? null : find(phoneNumberId);
        if (n == null) {
            throw ApiException.notFound("whatsapp.number-not-found");
        }
        return n;
    }

    private static String trim(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
