package io.consentcast.optin;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;

import io.consentcast.audit.ActivityDetails;
import io.consentcast.audit.ActivityKind;
import io.consentcast.audit.ActivityLog;
import io.consentcast.audit.ActivitySubject;
import io.consentcast.shared.PublicPageChanged;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;

/**
 * The workspace's own stop words (defaults: {@code consentcast.optin.stop-words}), the accent colour of
 * its public pages and its logo. The logo is stored and served by the application itself, so public
 * pages make no external requests.
 */
@ApplicationScoped
public class OptInSettingsService {

    static final String DEFAULT_ACCENT = "#0b7a5a";
    static final Pattern COLOR = Pattern.compile("^#[0-9a-fA-F]{6}$");
    static final Pattern WORD = Pattern.compile("^[A-ZÄÖÜ0-9]{2,20}$");
    static final int MAX_LOGO = 200 * 1024;
    static final Set<String> LOGO_TYPES = Set.of("image/png", "image/jpeg", "image/webp");

    @Inject
    Event<PublicPageChanged> publicPageChanged;

    @Inject
    OptInSettingsRepository settings;

    @Inject
    OptInConfig config;

    @Inject
    ActivityLog activity;

    @Inject
    Clock clock;

    public record View(List<String> stopWords, String accentColor, boolean hasLogo) {

        /** The colour without its {@code #}, as the public pages' stylesheet address names it ({@code web.ThemeStyles}). */
        public String accentHex() {
            return accentColor.substring(1);
        }
    }

    public record Logo(byte[] bytes, String type) {
    }

    @Transactional
    public View view() {
        return settings.current().map(s -> new View(words(s.stopWords), s.accentColor, s.logo != null))
                .orElseGet(() -> new View(defaults(), DEFAULT_ACCENT, false));
    }

    /** The stop words in upper case, for matching inbound messages. */
    @Transactional
    public Set<String> stopWords() {
        return new LinkedHashSet<>(view().stopWords());
    }

    @Transactional
    public View update(List<String> stopWords, String accentColor, UUID actorUserId) {
        List<String> words = stopWords == null ? null
                : stopWords.stream().map(w -> w == null ? "" : w.trim().toUpperCase(Locale.ROOT))
                        .filter(w -> !w.isEmpty()).distinct().toList();
        Validation v = new Validation();
        v.check(words == null || (!words.isEmpty() && words.size() <= 10), "stopWords", "optin.settings-stop-words-count");
        v.check(words == null || words.stream().allMatch(w -> WORD.matcher(w).matches()), "stopWords",
                "optin.settings-stop-word-format");
        v.check(words == null || !words.contains("START") && !words.contains("JA") && !words.contains("YES"),
                "stopWords", "optin.settings-stop-word-reserved");
        v.check(accentColor == null || COLOR.matcher(accentColor).matches(), "accentColor", "optin.settings-color");
        v.throwIfInvalid();
        OptInSettings s = row();
        if (words != null) {
            s.stopWords = String.join(",", words);
        }
        if (accentColor != null) {
            s.accentColor = accentColor.toLowerCase(Locale.ROOT);
        }
        s.updatedAt = clock.instant();
        activity.record(actorUserId, ActivityKind.OPTIN_SETTINGS_CHANGED, ActivitySubject.of(ActivitySubject.Type.SETTINGS),
                new ActivityDetails.OptInSettings(List.of(s.stopWords.split(",")), s.accentColor));
        publicPageChanged.fire(new PublicPageChanged(s.tenantId));
        return new View(words(s.stopWords), s.accentColor, s.logo != null);
    }

    @Transactional
    public void updateLogo(byte[] bytes, String type, UUID actorUserId) {
        Validation v = new Validation();
        v.check(bytes != null && bytes.length > 0 && bytes.length <= MAX_LOGO, "logo", "optin.settings-logo-size");
        v.check(type != null && LOGO_TYPES.contains(type) && looksLike(bytes, type), "logo", "optin.settings-logo-type");
        v.throwIfInvalid();
        OptInSettings s = row();
        s.logo = bytes;
        s.logoType = type;
        s.updatedAt = clock.instant();
        activity.record(actorUserId, ActivityKind.OPTIN_LOGO_CHANGED, ActivitySubject.of(ActivitySubject.Type.SETTINGS),
                new ActivityDetails.Logo(type, bytes.length));
        publicPageChanged.fire(new PublicPageChanged(s.tenantId));
    }

    @Transactional
    public java.util.Optional<Logo> logo() {
        return settings.current().filter(s -> s.logo != null).map(s -> new Logo(s.logo, s.logoType));
    }

    private OptInSettings row() {
        return settings.current().orElseGet(() -> {
            OptInSettings s = new OptInSettings();
            s.id = Ids.uuid7(clock);
            s.stopWords = String.join(",", defaults());
            s.accentColor = DEFAULT_ACCENT;
            s.updatedAt = clock.instant();
            settings.persist(s);
            return s;
        });
    }

    private List<String> defaults() {
        return config.stopWords().stream().map(w -> w.trim().toUpperCase(Locale.ROOT)).toList();
    }

    private static List<String> words(String csv) {
        return Arrays.stream(csv.split(",")).filter(w -> !w.isBlank()).toList();
    }

    /** Checks the file's first bytes, so a renamed file of another kind (an SVG with script) is refused. */
    static boolean looksLike(byte[] b, String type) {
        if (b == null || b.length < 12) {
            return false;
        }
        return switch (type) {
            case "image/png" -> (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G';
            case "image/jpeg" -> (b[0] & 0xff) == 0xff && (b[1] & 0xff) == 0xd8;
            case "image/webp" -> b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E';
            default -> false;
        };
    }
}
