package io.consentcast.dispatch;

import java.time.Clock;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.Instant;
import java.util.Optional;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenancyService;
import io.quarkus.narayana.jta.QuarkusTransaction;

/** The current workspace's dispatch settings: rate, sending hours, consent expiry (defaults from configuration). */
@ApplicationScoped
public class DispatchSettingsService {

    @Inject
    ActivityLog activity;

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenancyService tenancy;

    @Inject
    DispatchConfig config;

    @Inject
    Clock clock;

    /** Effective settings; {@code zone} is the workspace's time zone. */
    public record SettingsView(int ratePerSecond, String sendingHoursStart, String sendingHoursEnd,
            int consentExpiryMonths, String timezone) {

        public ZoneId zone() {
            return ZoneId.of(timezone);
        }

        /** Whether {@code at} lies inside the sending hours, in the workspace's time zone. */
        public boolean insideSendingHours(Instant at) {
            LocalTime t = ZonedDateTime.ofInstant(at, zone()).toLocalTime();
            LocalTime start = LocalTime.parse(sendingHoursStart);
            LocalTime end = LocalTime.parse(sendingHoursEnd);
            if (start.equals(end)) {
                return true; // all day
            }
            return start.isBefore(end) ? !t.isBefore(start) && t.isBefore(end) : !t.isBefore(start) || t.isBefore(end);
        }

        /** {@code at} when it lies inside the sending hours, else the next moment they begin. */
        public Instant nextInsideSendingHours(Instant at) {
            if (insideSendingHours(at)) {
                return at;
            }
            ZonedDateTime z = ZonedDateTime.ofInstant(at, zone());
            ZonedDateTime start = z.toLocalDate().atTime(LocalTime.parse(sendingHoursStart)).atZone(zone());
            return (start.isBefore(z) ? start.plusDays(1) : start).toInstant();
        }
    }

    /** The body of {@code PUT /api/tenants/{tenant}/dispatch-settings}; null fields stay as they are. */
    public record SettingsRequest(Integer ratePerSecond, String sendingHoursStart, String sendingHoursEnd,
            Integer consentExpiryMonths) {
    }

    public SettingsView view() {
        return QuarkusTransaction.joiningExisting().call(() -> {
            TenancyService.WorkspaceInfo workspace = tenancy.workspace(currentTenant.id()).orElseThrow();
            String tz = workspace.timezone() == null ? "UTC" : workspace.timezone();
            Optional<DispatchSettings> s = find();
            String[] hours = config.defaultSendingHours().split("-");
            return s.map(x -> new SettingsView(x.ratePerSecond, time(x.sendingStartMinute), time(x.sendingEndMinute),
                    x.consentExpiryMonths, tz))
                    .orElse(new SettingsView(config.defaultRate(), hours[0].trim(), hours[1].trim(),
                            config.defaultConsentExpiryMonths(), tz));
        });
    }

    public SettingsView save(SettingsRequest r) {
        if (r == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            SettingsView current = view();
            int rate = r.ratePerSecond() == null ? current.ratePerSecond() : r.ratePerSecond();
            String start = r.sendingHoursStart() == null ? current.sendingHoursStart() : r.sendingHoursStart().trim();
            String end = r.sendingHoursEnd() == null ? current.sendingHoursEnd() : r.sendingHoursEnd().trim();
            int months = r.consentExpiryMonths() == null ? current.consentExpiryMonths() : r.consentExpiryMonths();
            Validation v = new Validation();
            v.check(rate >= 1 && rate <= config.maxRate(), "ratePerSecond", "dispatch.rate-invalid");
            v.check(minute(start) >= 0, "sendingHoursStart", "dispatch.hours-invalid");
            v.check(minute(end) >= 0, "sendingHoursEnd", "dispatch.hours-invalid");
            v.check(months >= 1 && months <= 120, "consentExpiryMonths", "dispatch.expiry-invalid");
            v.throwIfInvalid();
            DispatchSettings s = find().orElse(null);
            boolean fresh = s == null;
            if (fresh) {
                s = new DispatchSettings();
                s.id = Ids.uuid7(clock);
            }
            s.ratePerSecond = rate;
            s.sendingStartMinute = minute(start);
            s.sendingEndMinute = minute(end);
            s.consentExpiryMonths = months;
            s.updatedAt = clock.instant();
            if (fresh) {
                em.persist(s);
            }
            em.flush();
            SettingsView saved = view();
            activity.record(ActivityKind.DISPATCH_SETTINGS_CHANGED, ActivitySubject.of(ActivitySubject.Type.SETTINGS),
                    new ActivityDetails.DispatchSettings(saved.ratePerSecond(), saved.sendingHoursStart(),
                            saved.sendingHoursEnd(), saved.consentExpiryMonths()));
            return saved;
        });
    }

    private Optional<DispatchSettings> find() {
        return em.createQuery("from DispatchSettings", DispatchSettings.class).getResultStream().findFirst();
    }

    static int minute(String hhmm) {
        if (hhmm == null || !hhmm.matches("([01][0-9]|2[0-3]):[0-5][0-9]")) {
            return -1;
        }
        return Integer.parseInt(hhmm.substring(0, 2)) * 60 + Integer.parseInt(hhmm.substring(3));
    }

    static String time(int minute) {
        return String.format("%02d:%02d", minute / 60, minute % 60);
    }
}
