package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.dispatch.IssueService.Created;
import io.consentcast.dispatch.IssueService.IssueRequest;
import io.consentcast.dispatch.IssueService.TemplateRef;
import io.consentcast.lists.ListService;
import io.consentcast.lists.ListService.ListView;
import io.consentcast.shared.ApiException;
import io.consentcast.shared.Dates;
import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.whatsapp.ChannelSettingsService;
import io.consentcast.whatsapp.ChannelType;
import io.consentcast.whatsapp.TemplateLayout;
import io.consentcast.whatsapp.TemplateService.TemplateView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Composing issues: drafts (a scheduled time makes the new issue SCHEDULED or BLOCKED through
 * {@link IssueLifecycle}), edits of issues not yet sending, duplicates; the request's checks (list, title,
 * template with its parameters, or free text on the sandbox).
 */
@ApplicationScoped
public class IssueComposer {

    static final int MAX_TITLE = 200;
    static final int MAX_TEXT = 4096;
    static final int MAX_PARAMETER = 1024;

    @Inject
    EntityManager em;

    @Inject
    IssueStore store;

    @Inject
    IssueLifecycle lifecycle;

    @Inject
    ListService lists;

    @Inject
    ChannelSettingsService channelSettings;

    @Inject
    TemplateFiller filler;

    @Inject
    IssueLinks links;

    @Inject
    HeaderMedia headerMedia;

    @Inject
    io.consentcast.whatsapp.MediaService media;

    @Inject
    Clock clock;

    /** Creates a draft, or (with {@code scheduledAt}) a scheduled issue; the caller has checked the role for scheduling. */
    public Created create(IssueRequest r, UUID actor) {
        if (r == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            Instant now = clock.instant();
            NewsletterIssue i = new NewsletterIssue();
            i.id = Ids.uuid7(clock);
            i.moveTo(IssueStatus.DRAFT);
            i.createdBy = actor;
            i.createdAt = now;
            Instant at = apply(i, r, true);
            i.updatedAt = now;
            em.persist(i);
            em.flush();
            syncLinks(i);
            if (at != null) {
                lifecycle.schedule(i, at);
            }
            em.flush();
            return new Created(i.id, i.status);
        });
    }

    /** Edits a draft, scheduled or blocked issue; fields left null keep their value. */
    public Created update(UUID id, IssueRequest r) {
        if (r == null) {
            throw ApiException.badRequest("request.body-missing");
        }
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(id);
            if (!i.status.editable()) {
                throw ApiException.conflict("dispatch.not-editable", null);
            }
            Instant at = apply(i, r, false);
            i.updatedAt = clock.instant();
            syncLinks(i);
            if (at != null || i.status != IssueStatus.DRAFT) {
                lifecycle.schedule(i, at != null ? at : i.scheduledAt);
            }
            return new Created(i.id, i.status);
        });
    }

    /** A new draft with the same list, title, message and parameters. */
    public Created duplicate(UUID id, UUID actor) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue src = store.find(id);
            NewsletterIssue i = new NewsletterIssue();
            i.id = Ids.uuid7(clock);
            i.listId = src.listId;
            i.title = src.title;
            i.templateName = src.templateName;
            i.templateLanguage = src.templateLanguage;
            i.templateParameters = src.templateParameters;
            i.templateHeader = src.templateHeader;
            i.templateButtons = src.templateButtons;
            i.headerMediaId = src.headerMediaId == null ? null : media.copy(src.headerMediaId);
            i.textBody = src.textBody;
            i.moveTo(IssueStatus.DRAFT);
            i.createdBy = actor;
            i.createdAt = clock.instant();
            i.updatedAt = i.createdAt;
            em.persist(i);
            em.flush();
            syncLinks(i);
            return new Created(i.id, i.status);
        });
    }

    /** The issue's click-counting redirects, as its template and button values now ask for (none for free text). */
    private void syncLinks(NewsletterIssue i) {
        List<IssueLinks.Target> targets = i.freeText() ? List.of()
                : store.findTemplate(i.templateName, i.templateLanguage)
                        .map(t -> filler.targets(t.layout(), store.buttons(i))).orElse(List.of());
        links.sync(i.id, targets);
    }

    /** Validates the request and copies it into the issue; returns the requested schedule time, if any. */
    private Instant apply(NewsletterIssue i, IssueRequest r, boolean creating) {
        Validation v = new Validation();
        ListView list = null;
        if (creating || r.list() != null) {
            list = r.list() == null || r.list().isBlank() ? null : lists.bySlug(r.list().trim()).orElse(null);
            v.check(list != null, "list", "dispatch.list-unknown");
        } else {
            list = lists.byId(i.listId).orElse(null);
        }
        String title = r.title() == null && !creating ? i.title : r.title();
        v.text("title", title).text("text", r.text());
        if (r.template() != null && r.template().parameters() != null) {
            r.template().parameters().forEach(p -> v.text("template.parameters", p));
        }
        if (r.template() != null) {
            v.text("template.header", r.template().header());
            if (r.template().buttons() != null) {
                r.template().buttons().forEach(b -> v.text("template.buttons", b));
            }
        }
        v.check(title != null && !title.isBlank(), "title", "dispatch.title-required");
        v.check(title == null || title.trim().length() <= MAX_TITLE, "title", "dispatch.title-too-long");
        TemplateRef template = r.template();
        String text = r.text();
        boolean messageGiven = template != null || text != null;
        if (!creating && !messageGiven) {
            template = i.freeText() ? null : new TemplateRef(i.templateName, i.templateLanguage, store.parameters(i),
                    i.templateHeader, store.buttons(i));
            text = i.textBody;
        }
        List<String> params = List.of();
        String header = null;
        List<String> buttons = List.of();
        TemplateView tv = null;
        if (template == null && (text == null || text.isBlank())) {
            v.check(false, "template", "dispatch.template-required");
        } else if (template != null) {
            params = template.parameters() == null ? List.of() : template.parameters();
            tv = template.name() == null ? null : store.findTemplate(template.name(), template.language()).orElse(null);
            v.check(tv != null, "template", "dispatch.template-unknown");
            v.check(tv == null || tv.usable(), "template", "dispatch.template-not-approved");
            v.check(tv == null || params.size() == tv.parameterCount(), "template.parameters",
                    "dispatch.parameters-count");
            v.check(params.stream().allMatch(p -> p != null && !p.isBlank() && p.length() <= MAX_PARAMETER),
                    "template.parameters", "dispatch.parameter-invalid");
            v.check(tv == null || list == null || Preflight.categoryFits(tv.category(), list.purpose()), "template",
                    "dispatch.template-category");
            header = template.header() == null || template.header().isBlank() ? null : template.header().strip();
            buttons = template.buttons() == null ? List.of()
                    : template.buttons().stream().map(b -> b == null ? null : b.strip()).toList();
            if (tv != null) {
                filler.check(v, tv.layout(), header, buttons);
                if (i.headerMediaId != null && header == null) {
                    // The uploaded file stays with the issue only while the template's header takes its kind.
                    TemplateLayout.Header h = tv.layout().header();
                    String kind = headerMedia.file(i).map(HeaderMedia.HeaderFile::format).orElse(null);
                    v.check(h != null && h.format().name().equals(kind), "template.header", "media.file-format");
                }
            }
        } else {
            v.check(channelSettings.view().kind() == ChannelType.SANDBOX, "text", "dispatch.text-sandbox-only");
            v.check(text.length() <= MAX_TEXT, "text", "dispatch.text-too-long");
        }
        Instant at = null;
        if (r.scheduledAt() != null && !r.scheduledAt().isBlank()) {
            try {
                at = Dates.instant(r.scheduledAt());
                v.check(!at.isBefore(clock.instant()), "scheduledAt", "dispatch.scheduled-in-past");
            } catch (DateTimeParseException e) {
                v.check(false, "scheduledAt", "dispatch.scheduled-at-invalid");
            }
        }
        v.throwIfInvalid();
        i.listId = list.id();
        i.title = title.trim();
        if (tv != null) {
            i.templateName = tv.name();
            i.templateLanguage = tv.language();
            i.templateParameters = store.writeParameters(params);
            i.templateHeader = header;
            i.templateButtons = store.writeParameters(buttons);
            i.textBody = null;
            if (header != null) {
                headerMedia.detach(i); // a link replaces an uploaded file
            }
        } else {
            i.templateName = null;
            i.templateLanguage = null;
            i.templateParameters = "[]";
            i.templateHeader = null;
            i.templateButtons = "[]";
            i.textBody = text;
            headerMedia.detach(i);
        }
        return at;
    }
}
