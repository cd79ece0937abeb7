package io.consentcast.lists;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
import io.consentcast.consent.ConsentService;
import io.consentcast.consent.Views.ConsentTextView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.PublicPageChanged;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.whatsapp.ChannelNumbers;

/** The rules for a workspace's lists: creating, editing and closing them. */
@ApplicationScoped
public class ListService {

    static final Pattern SLUG = Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,38})[a-z0-9]$");
    static final Pattern KEYWORD = Pattern.compile("^[A-Z0-9]{2,20}$");
    /** Words the inbound pipeline understands itself; a list keyword must not be one of them. */
    static final Set<String> RESERVED_KEYWORDS = Set.of("STOP", "START", "ABMELDEN", "UNSUBSCRIBE", "ABBESTELLEN",
            "JA", "YES", "NEIN", "NO", "HILFE", "HELP", "INFO");
    static final Set<String> LANGUAGES = Set.of("de", "en");

    @Inject
    Event<PublicPageChanged> publicPageChanged;

    @Inject
    ListRepository lists;

    @Inject
    ConsentService consent;

    @Inject
    Clock clock;

    @Inject
    ActivityLog activity;

    @Inject
    io.consentcast.tenancy.TenancyService tenancy;

    @Inject
    io.consentcast.tenancy.CurrentTenant currentTenant;

    @Inject
    ChannelNumbers numbers;

    /**
     * What callers send to create or edit a list; null fields are left unchanged on edit. {@code sendingNumber} is
     * the phone number id of one of the workspace's numbers, or "" for the workspace's default.
     */
    public record ListRequest(String slug, String name, String description, String language, String purpose,
            String keyword, String consentText, String imprintUrl, String privacyUrl, String status,
            String sendingNumber) {

        public ListRequest(String slug, String name, String description, String language, String purpose,
                String keyword, String consentText, String imprintUrl, String privacyUrl, String status) {
            this(slug, name, description, language, purpose, keyword, consentText, imprintUrl, privacyUrl, status,
                    null);
        }
    }

    /**
     * A list as the API and pages show it, with its current consent text version; {@code sendingNumber} is the phone
     * number id the list names (null: the workspace's default).
     */
    public record ListView(UUID id, String slug, String name, String description, String language,
            ListPurpose purpose, ListStatus status, String keyword, String imprintUrl, String privacyUrl,
            String consentText, UUID consentTextId, Integer consentTextVersion, Instant createdAt,
            String sendingNumber) {

        static ListView of(MailingList l, ConsentTextView text) {
            return new ListView(l.id, l.slug, l.name, l.description, l.language, l.purpose, l.status, l.keyword,
                    l.imprintUrl, l.privacyUrl, text == null ? null : text.text(), text == null ? null : text.id(),
                    text == null ? null : text.version(), l.createdAt, l.sendingPhoneNumberId);
        }

        public boolean open() {
            return status == ListStatus.OPEN;
        }
    }

    @Transactional
    public List<ListView> all() {
        return lists.listAllByName().stream().map(this::view).toList();
    }

    @Transactional
    public Optional<ListView> bySlug(String slug) {
        return lists.findBySlug(slug).map(this::view);
    }

    @Transactional
    public Optional<ListView> byId(UUID id) {
        return lists.findByIdOptional(id).map(this::view);
    }

    @Transactional
    public Optional<ListView> byKeyword(String keyword) {
        return keyword == null ? Optional.empty()
                : lists.findByKeyword(keyword.trim().toUpperCase(Locale.ROOT)).map(this::view);
    }

    private ListView view(MailingList l) {
        return ListView.of(l, consent.currentConsentText(l.id).orElse(null));
    }

    /** The language of a new list unless it names one: the workspace's (German workspaces get German lists). */
    public String defaultLanguage() {
        String locale = currentTenant.isSet()
                ? tenancy.workspace(currentTenant.id()).map(io.consentcast.tenancy.TenancyService.WorkspaceInfo::locale).orElse(null)
                : null;
        return locale != null && LANGUAGES.contains(locale) ? locale : "en";
    }

    /** Creates an open list and the first version of its consent text; without a language, in the workspace's. */
    @Transactional
    public ListView create(ListRequest request, UUID actorUserId) {
        ListRequest r = request.language() == null || request.language().isBlank()
                ? new ListRequest(request.slug(), request.name(), request.description(), defaultLanguage(), request.purpose(),
                        request.keyword(), request.consentText(), request.imprintUrl(), request.privacyUrl(), request.status())
                : request;
        String slug = trim(r.slug());
        String keyword = upper(r.keyword());
        Validation v = new Validation();
        v.check(slug != null && SLUG.matcher(slug).matches(), "slug", "lists.slug-format");
        validateContent(v, r.name(), r.description(), r.language(), r.purpose(), keyword, r.imprintUrl(),
                r.privacyUrl());
        validateConsentText(v, r.consentText(), true);
        v.text("sendingNumber", r.sendingNumber());
        v.throwIfInvalid();
        String number = sendingNumber(r.sendingNumber(), null);
        if (lists.findBySlug(slug).isPresent()) {
            throw ApiException.conflict("lists.slug-taken", Map.of("slug", "lists.slug-taken"));
        }
        if (lists.findByKeyword(keyword).isPresent()) {
            throw ApiException.conflict("lists.keyword-taken", Map.of("keyword", "lists.keyword-taken"));
        }
        Instant now = clock.instant();
        MailingList l = new MailingList();
        l.id = Ids.uuid7(clock);
        l.slug = slug;
        l.name = r.name().trim();
        l.description = blankToNull(r.description());
        l.language = r.language();
        l.purpose = ListPurpose.valueOf(r.purpose());
        l.status = ListStatus.OPEN;
        l.keyword = keyword;
        l.imprintUrl = blankToNull(r.imprintUrl());
        l.privacyUrl = blankToNull(r.privacyUrl());
        l.sendingPhoneNumberId = number;
        l.createdAt = now;
        l.updatedAt = now;
        lists.persist(l);
        lists.flush();
        activity.record(actorUserId, ActivityKind.LIST_CREATED, ActivitySubject.list(l.id),
                new ActivityDetails.Named(l.name));
        ConsentTextView text = consent.publishConsentText(l.id, l.language, r.consentText().trim(), actorUserId);
        return ListView.of(l, text);
    }

    /** Edits a list; fields left null keep their value. The slug never changes: links are printed. */
    @Transactional
    public ListView update(String slug, ListRequest r, UUID actorUserId) {
        MailingList l = lists.findBySlug(slug).orElseThrow(() -> ApiException.notFound("lists.not-found"));
        String name = r.name() == null ? l.name : r.name();
        String description = r.description() == null ? l.description : r.description();
        String language = r.language() == null ? l.language : r.language();
        String purpose = r.purpose() == null ? l.purpose.name() : r.purpose();
        String keyword = r.keyword() == null ? l.keyword : upper(r.keyword());
        String imprint = r.imprintUrl() == null ? l.imprintUrl : r.imprintUrl();
        String privacy = r.privacyUrl() == null ? l.privacyUrl : r.privacyUrl();
        Validation v = new Validation();
        validateContent(v, name, description, language, purpose, keyword, imprint, privacy);
        validateConsentText(v, r.consentText(), false);
        v.check(r.status() == null || "OPEN".equals(r.status()) || "CLOSED".equals(r.status()), "status",
                "lists.status-invalid");
        v.text("sendingNumber", r.sendingNumber());
        v.throwIfInvalid();
        String number = r.sendingNumber() == null ? l.sendingPhoneNumberId
                : sendingNumber(r.sendingNumber(), l.sendingPhoneNumberId);
        if (!keyword.equals(l.keyword) && lists.findByKeyword(keyword).isPresent()) {
            throw ApiException.conflict("lists.keyword-taken", Map.of("keyword", "lists.keyword-taken"));
        }
        List<String> changed = changedFields(l, name.trim(), blankToNull(description), language, purpose, keyword,
                blankToNull(imprint), blankToNull(privacy));
        if (!java.util.Objects.equals(number, l.sendingPhoneNumberId)) {
            changed.add("sendingNumber");
        }
        ListStatus statusBefore = l.status;
        l.name = name.trim();
        l.description = blankToNull(description);
        l.language = language;
        l.purpose = ListPurpose.valueOf(purpose);
        l.keyword = keyword;
        l.imprintUrl = blankToNull(imprint);
        l.privacyUrl = blankToNull(privacy);
        l.sendingPhoneNumberId = number;
        if (r.status() != null) {
            l.status = ListStatus.valueOf(r.status());
        }
        l.updatedAt = clock.instant();
        if (!changed.isEmpty()) {
            activity.record(actorUserId, ActivityKind.LIST_EDITED, ActivitySubject.list(l.id),
                    new ActivityDetails.ListEdited(l.name, changed));
        }
        if (l.status != statusBefore) {
            activity.record(actorUserId, l.status == ListStatus.CLOSED ? ActivityKind.LIST_CLOSED
                    : ActivityKind.LIST_REOPENED, ActivitySubject.list(l.id), new ActivityDetails.Named(l.name));
        }
        if (r.consentText() != null) {
            // A changed wording becomes a new immutable version; the same wording keeps the current one.
            consent.publishConsentText(l.id, l.language, r.consentText().trim(), actorUserId);
        }
        publicPageChanged.fire(new PublicPageChanged(l.tenantId));
        return view(l);
    }

    /**
     * The sending number a request names: "" (or blank) is the workspace's default (null); the number the list already
     * has is kept as it is (also when the workspace released it: the list then sends from the default, and says so);
     * any other must be one of the workspace's numbers (400 naming {@code sendingNumber}).
     */
    private String sendingNumber(String requested, String current) {
        String number = blankToNull(requested);
        if (number != null && !number.equals(current)) {
            numbers.requireForList(number, "sendingNumber");
        }
        return number;
    }

    /** The fields (by their request names) whose value an edit changes. */
    private static List<String> changedFields(MailingList l, String name, String description, String language,
            String purpose, String keyword, String imprint, String privacy) {
        List<String> changed = new java.util.ArrayList<>();
        if (!name.equals(l.name)) {
            changed.add("name");
        }
        if (!java.util.Objects.equals(description, l.description)) {
            changed.add("description");
        }
        if (!language.equals(l.language)) {
            changed.add("language");
        }
        if (!purpose.equals(l.purpose.name())) {
            changed.add("purpose");
        }
        if (!keyword.equals(l.keyword)) {
            changed.add("keyword");
        }
        if (!java.util.Objects.equals(imprint, l.imprintUrl)) {
            changed.add("imprintUrl");
        }
        if (!java.util.Objects.equals(privacy, l.privacyUrl)) {
            changed.add("privacyUrl");
        }
        return changed;
    }

    private static void validateConsentText(Validation v, String text, boolean required) {
        v.text("consentText", text);
        v.check(!required || (text != null && !text.isBlank()), "consentText", "lists.consent-text-required");
        v.check(text == null || required || !text.isBlank(), "consentText", "lists.consent-text-required");
        v.check(text == null || text.trim().length() <= 2000, "consentText", "lists.consent-text-too-long");
    }

    private static void validateContent(Validation v, String name, String description, String language,
            String purpose, String keyword, String imprint, String privacy) {
        v.text("name", name).text("description", description).text("imprintUrl", imprint).text("privacyUrl", privacy);
        v.check(name != null && !name.isBlank(), "name", "lists.name-required");
        v.check(name == null || name.trim().length() <= 120, "name", "lists.name-too-long");
        v.check(description == null || description.length() <= 1000, "description", "lists.description-too-long");
        v.check(language != null && LANGUAGES.contains(language), "language", "lists.language-invalid");
        v.check("MARKETING".equals(purpose) || "UTILITY".equals(purpose), "purpose", "lists.purpose-invalid");
        v.check(keyword != null && KEYWORD.matcher(keyword).matches(), "keyword", "lists.keyword-format");
        v.check(keyword == null || !RESERVED_KEYWORDS.contains(keyword), "keyword", "lists.keyword-reserved");
        v.check(imprint == null || imprint.isBlank() || isWebUrl(imprint), "imprintUrl", "lists.url-invalid");
        v.check(privacy == null || privacy.isBlank() || isWebUrl(privacy), "privacyUrl", "lists.url-invalid");
        if ("de".equals(language)) {
            // German pages must name the publisher (Impressum, §5 DDG) and link the privacy policy.
            v.check(imprint != null && !imprint.isBlank(), "imprintUrl", "lists.imprint-required");
            v.check(privacy != null && !privacy.isBlank(), "privacyUrl", "lists.privacy-required");
        }
    }

    static boolean isWebUrl(String value) {
        try {
            URI uri = URI.create(value.trim());
            return ("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) && uri.getHost() != null
                    && value.length() <= 500;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static String trim(String s) {
        return s == null ? null : s.trim();
    }

    private static String upper(String s) {
        return s == null ? null : s.trim().toUpperCase(Locale.ROOT);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
