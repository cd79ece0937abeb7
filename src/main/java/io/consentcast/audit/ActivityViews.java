package io.consentcast.audit;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Any;
import jakarta.enterprise.inject.Instance;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import org.apache.commons.csv.CSVFormat;

import com.fasterxml.jackson.databind.JsonNode;

import io.consentcast.shared.CsvCells;
import io.consentcast.shared.Texts;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.Role;
import io.consentcast.tenancy.TenancyService;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.web.DateTimes;

/**
 * The activity log as people read it: who (the member's name, else e-mail address; the address alongside), what (the kind's label), about what (the current
 * name of the list, member, issue; the recorded name when the feature no longer knows it) and the details as a
 * sentence, in a language and the workspace's time zone. For the page, the API (English) and the CSV export.
 */
@ApplicationScoped
public class ActivityViews {

    /** One entry as shown. {@code details} is the stored JSON record; {@code detail} its sentence. */
    public record Entry(UUID id, Instant occurredAt, String when, UUID actorUserId, String actor, String actorEmail,
            String action,
            String kind, ActivitySubject.Type subjectType, String subjectId, String subject, String detail,
            JsonNode details) {
    }

    @Inject
    ActivityLog log;

    @Inject
    TenancyService tenancy;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TenantScope tenantScope;

    @Inject
    @Any
    Instance<ActivityNames> names;

    /** The current workspace's time zone. */
    public ZoneId zone() {
        return tenancy.workspace(currentTenant.id()).map(t -> ZoneId.of(t.timezone())).orElse(ZoneId.of("UTC"));
    }

    /** A page of entries matching {@code filter}, newest first, shown in {@code locale}. */
    @Transactional
    public List<Entry> page(ActivityFilter filter, int limit, UUID before, Locale locale) {
        ZoneId zone = zone();
        List<ActivityEntry> rows = log.find(filter, zone, limit, before);
        return render(rows, locale, zone);
    }

    private List<Entry> render(List<ActivityEntry> rows, Locale locale, ZoneId zone) {
        Map<UUID, TenancyService.Person> actors = log.actors(rows);
        Map<ActivitySubject.Type, Map<String, String>> current = currentNames(rows);
        // As on every page (30 Nov 2026, 17:54), not the JDK's "Nov 30, 2026, 5:54:32 PM".
        DateTimeFormatter time = DateTimes.formatter(DateTimes.Style.DATE_TIME, locale, zone);
        List<Entry> out = new ArrayList<>(rows.size());
        for (ActivityEntry a : rows) {
            out.add(entry(a, actors, current, locale, time));
        }
        return out;
    }

    private Entry entry(ActivityEntry a, Map<UUID, TenancyService.Person> actors, Map<ActivitySubject.Type, Map<String, String>> current,
            Locale locale, DateTimeFormatter time) {
        ActivityKind kind = ActivityKind.ofCode(a.action).orElse(null);
        ActivityDetails details = kind == null ? null : ActivityLog.details(a, kind);
        String kindLabel = kind == null ? a.action : Texts.resolve(kind.labelKey(), locale);
        String subject = null;
        if (a.subjectType != null) {
            subject = a.subjectId == null ? null : current.getOrDefault(a.subjectType, Map.of()).get(a.subjectId);
            if (subject == null && details != null) {
                subject = details.recordedName();
            }
            if (subject == null && a.subjectType == ActivitySubject.Type.SUBSCRIBER) {
                subject = a.subjectId;
            }
        }
        String detail = details == null ? a.detail : sentence(details, locale, time);
        JsonNode json = null;
        if (a.details != null) {
            try {
                json = ActivityLog.JSON.readTree(a.details);
            } catch (java.io.IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        TenancyService.Person actor = a.actorUserId == null ? null : actors.get(a.actorUserId);
        return new Entry(a.id, a.occurredAt, time.format(a.occurredAt), a.actorUserId,
                a.actorUserId == null ? null : actor == null ? a.actorUserId.toString() : actor.name(),
                actor == null ? null : actor.email(), a.action,
                kindLabel, a.subjectType, a.subjectId, subject, detail, json);
    }

    /** The current names of the subjects of {@code rows}, asked of the features that own them. */
    private Map<ActivitySubject.Type, Map<String, String>> currentNames(List<ActivityEntry> rows) {
        Map<ActivitySubject.Type, Set<String>> ids = rows.stream().filter(a -> a.subjectType != null && a.subjectId != null)
                .collect(Collectors.groupingBy(a -> a.subjectType, Collectors.mapping(a -> a.subjectId, Collectors.toSet())));
        Map<ActivitySubject.Type, Map<String, String>> out = new HashMap<>();
        ids.forEach((type, set) -> out.put(type, namesOf(type, set)));
        return out;
    }

    private Map<String, String> namesOf(ActivitySubject.Type type, Collection<String> ids) {
        switch (type) {
            case MEMBER: {
                Set<UUID> users = ids.stream().map(ActivityViews::uuid).filter(java.util.Objects::nonNull)
                        .collect(Collectors.toSet());
                Map<String, String> out = new HashMap<>();
                tenancy.userLabels(users).forEach((id, label) -> out.put(id.toString(), label));
                return out;
            }
            case WORKSPACE:
                return tenancy.workspace(currentTenant.id()).map(w -> Map.of(w.id(), w.name())).orElse(Map.of());
            default:
                Map<String, String> out = new HashMap<>();
                for (ActivityNames n : names) {
                    if (n.type() == type) {
                        out.putAll(n.names(ids));
                    }
                }
                return out;
        }
    }

    private static UUID uuid(String id) {
        try {
            return UUID.fromString(id);
        } catch (IllegalArgumentException | NullPointerException e) {
            return null;
        }
    }

    /** The details as a sentence: {@code activity.details.<Record>} with the record's components in order. */
    static String sentence(ActivityDetails details, Locale locale, DateTimeFormatter time) {
        var components = details.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            Object value;
            try {
                value = components[i].getAccessor().invoke(details);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (details instanceof ActivityDetails.ListEdited && value instanceof Collection<?> fields) {
                value = fields.stream().map(f -> Texts.resolve("activity.field." + f, locale)).toList();
            }
            if (details instanceof ActivityDetails.ActivityExported && "kind".equals(components[i].getName())
                    && value instanceof String code) { // the kind filtered by, in words: "Member removed"
                value = ActivityKind.ofCode(code).map(k -> Texts.resolve(k.labelKey(), locale)).orElse(code);
            }
            args[i] = shown(value, locale, time);
        }
        return Texts.resolve("activity.details." + details.getClass().getSimpleName(), locale, args);
    }

    private static String shown(Object value, Locale locale, DateTimeFormatter time) {
        if (value == null) {
            return "–";
        }
        if (value instanceof Boolean b) {
            return Texts.resolve(b ? "activity.yes" : "activity.no", locale);
        }
        if (value instanceof Role r) {
            return Texts.resolve("activity.role." + r.name(), locale);
        }
        if (value instanceof Instant i) {
            return time.format(i);
        }
        if (value instanceof Collection<?> c) {
            return c.isEmpty() ? "–" : c.stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        if (value instanceof String s) {
            return s.isBlank() ? "–" : s;
        }
        return String.valueOf(value);
    }

    /**
     * Writes the log of workspace {@code tenantId} matching {@code filter} as CSV (oldest first, header row, every
     * cell neutralised with {@link CsvCells}), streamed in a transaction of its own; for a {@code StreamingOutput}.
     */
    public void writeCsv(String tenantId, ActivityFilter filter, Locale locale, OutputStream out) {
        tenantScope.run(tenantId, () -> {
            try {
                var writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8));
                var csv = CSVFormat.RFC4180.builder().setHeader("id", "occurred_at", "actor_user_id", "actor", "actor_email",
                        "action", "kind", "subject_type", "subject_id", "subject", "detail", "details").get()
                        .print(writer);
                ZoneId zone = zone();
                List<ActivityEntry> batch = new ArrayList<>();
                IOException[] failure = new IOException[1];
                log.stream(filter, zone, a -> {
                    batch.add(a);
                    if (batch.size() == 500) {
                        failure[0] = print(csv, render(batch, locale, zone), failure[0]);
                        batch.clear();
                    }
                });
                failure[0] = print(csv, render(batch, locale, zone), failure[0]);
                if (failure[0] != null) {
                    throw failure[0];
                }
                csv.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    private static IOException print(org.apache.commons.csv.CSVPrinter csv, List<Entry> entries, IOException earlier) {
        if (earlier != null) {
            return earlier;
        }
        try {
            for (Entry e : entries) {
                csv.printRecord(CsvCells.neutralise(e.id()), CsvCells.neutralise(e.occurredAt()),
                        CsvCells.neutralise(e.actorUserId()), CsvCells.neutralise(e.actor()), CsvCells.neutralise(e.actorEmail()),
                        CsvCells.neutralise(e.action()), CsvCells.neutralise(e.kind()),
                        CsvCells.neutralise(e.subjectType()), CsvCells.neutralise(e.subjectId()),
                        CsvCells.neutralise(e.subject()), CsvCells.neutralise(e.detail()),
                        CsvCells.neutralise(e.details()));
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
