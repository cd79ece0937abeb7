package io.consentcast.dispatch;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Status;
import jakarta.transaction.SystemException;
import jakarta.transaction.TransactionManager;

import io.consentcast.shared.ApiException;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.ChannelNumbers;
import io.consentcast.whatsapp.MediaService;
import io.consentcast.whatsapp.TemplateLayout;
import io.consentcast.whatsapp.TemplateService.TemplateView;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * An issue's uploaded header file (issue 17): attached while the issue is editable (checked against the template's
 * header format and Meta's limits by {@link MediaService#store}), uploaded to the list's sending number before the
 * issue starts ({@link #prepare}, with no transaction open), and what the preflight asks ({@link #problem}).
 */
@ApplicationScoped
public class HeaderMedia {

    @Inject
    IssueStore store;

    @Inject
    MediaService media;

    @Inject
    ChannelNumbers numbers;

    @Inject
    TenantScope scope;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    TransactionManager transactions;

    @Inject
    Clock clock;

    /** A file as the API and the issue page show it. {@code uploadedFor}: the number Meta's id is for. */
    public record HeaderFile(UUID id, String format, String contentType, String fileName, long size, String sha256,
            Instant createdAt, String uploadedFor, Instant uploadedAt, String uploadError, Instant uploadFailedAt) {

        static HeaderFile of(MediaService.MediaView m) {
            return new HeaderFile(m.id(), m.format().name(), m.contentType(), m.fileName(), m.size(), m.sha256(),
                    m.createdAt(), m.metaPhoneNumberId(), m.metaUploadedAt(), m.uploadError(), m.uploadFailedAt());
        }
    }

    /** A file as it arrived (a page's form field or the API's body). */
    public record Upload(String contentType, String fileName, byte[] bytes) {
    }

    /**
     * Attaches {@code upload} to the issue in the caller's transaction (or its own), replacing a file or link it had;
     * {@code field} names the form field in a refusal (400: not a media header, wrong type or size; 409: the issue
     * is no longer editable). Nothing is stored when it is refused.
     */
    public HeaderFile attach(UUID issueId, Upload upload, String field) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.lock(issueId);
            if (!i.status.editable()) {
                throw ApiException.conflict("media.not-editable", null);
            }
            if (i.freeText()) {
                throw ApiException.invalid(Map.of(field, "media.no-template"));
            }
            TemplateLayout.Header h = store.findTemplate(i.templateName, i.templateLanguage)
                    .map(TemplateView::layout).map(TemplateLayout::header).orElse(null);
            if (h == null || !h.format().media()) {
                throw ApiException.invalid(Map.of(field, "media.header-not-media"));
            }
            MediaService.MediaView stored = media.store(h.format(), upload.contentType(), upload.fileName(),
                    upload.bytes(), field);
            UUID old = i.headerMediaId;
            i.headerMediaId = stored.id();
            i.templateHeader = null;
            i.updatedAt = clock.instant();
            store.flush();
            if (old != null) {
                media.delete(old);
            }
            return HeaderFile.of(stored);
        });
    }

    /** The issue's file (404 when it has none). */
    public HeaderFile view(UUID issueId) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            NewsletterIssue i = store.find(issueId);
            return file(i).orElseThrow(() -> ApiException.notFound("media.not-found"));
        });
    }

    Optional<HeaderFile> file(NewsletterIssue i) {
        return i.headerMediaId == null ? Optional.empty() : media.view(i.headerMediaId).map(HeaderFile::of);
    }

    /** Removes the issue's file (404 when it has none; 409 when the issue is no longer editable). */
    public void remove(UUID issueId) {
        QuarkusTransaction.joiningExisting().run(() -> {
            NewsletterIssue i = store.lock(issueId);
            if (i.headerMediaId == null) {
                throw ApiException.notFound("media.not-found");
            }
            if (!i.status.editable()) {
                throw ApiException.conflict("media.not-editable", null);
            }
            detach(i);
        });
    }

    /** Drops the issue's file (a link replaced it, or the member removed it), in the caller's transaction. */
    void detach(NewsletterIssue i) {
        UUID old = i.headerMediaId;
        if (old != null) {
            i.headerMediaId = null;
            store.flush();
            media.delete(old);
        }
    }

    /**
     * Uploads the issue's file for its list's number when the issue has one and it is not sendable from there yet
     * (first upload, older than {@code consentcast.media.reuse-for}, or another number): called before an issue is
     * sent now, scheduled or started by the engine, never inside a transaction (when one is open nothing is uploaded
     * and the preflight blocks the issue; the engine's next check uploads). Meta's refusal is recorded on the file
     * and shown; the preflight then blocks the issue with {@code dispatch.blocked-header-media}.
     */
    public void prepare(String tenantId, UUID issueId) {
        prepare(tenantId, issueId, false);
    }

    /** {@link #prepare(String, UUID)} in the current workspace (a member's request: a failed upload is retried at once). */
    public void prepare(UUID issueId) {
        prepare(currentTenant.id(), issueId, true);
    }

    private void prepare(String tenantId, UUID issueId, boolean retryNow) {
        if (insideTransaction()) {
            return;
        }
        record Target(UUID mediaId, UUID listId) {
        }
        Target t = scope.call(tenantId, () -> {
            NewsletterIssue i;
            try {
                i = store.find(issueId);
            } catch (ApiException gone) {
                return null; // no such issue: the caller's own step answers for it
            }
            boolean waiting = i.status.editable() || i.status == IssueStatus.PAUSED || i.status == IssueStatus.SENDING
                    || i.status == IssueStatus.PREPARING;
            return i.headerMediaId == null || !waiting ? null : new Target(i.headerMediaId, i.listId);
        });
        if (t != null) {
            media.ensureUploaded(tenantId, t.mediaId(), t.listId(), retryNow);
        }
    }

    /**
     * The preflight's reason for a template issue with a media header: no file and no link
     * ({@code dispatch.blocked-header-missing}), or a file not uploaded for the list's number (or too old, or Meta
     * refused it: {@code dispatch.blocked-header-media}); null when it may send.
     */
    String problem(NewsletterIssue i, TemplateLayout layout) {
        if (!layout.mediaHeader()) {
            return null;
        }
        if (i.headerMediaId == null) {
            return i.templateHeader == null ? "dispatch.blocked-header-missing" : null;
        }
        String number = numbers.forList(i.listId).phoneNumberId();
        return media.readyId(i.headerMediaId, number, clock.instant()) == null ? "dispatch.blocked-header-media" : null;
    }

    /** The media id the issue's header is sent with from {@code phoneNumberId}; null without a ready file. */
    String mediaId(NewsletterIssue i, String phoneNumberId) {
        return i.headerMediaId == null ? null : media.readyId(i.headerMediaId, phoneNumberId, clock.instant());
    }

    private boolean insideTransaction() {
        try {
            return transactions.getStatus() != Status.STATUS_NO_TRANSACTION;
        } catch (SystemException e) {
            return true;
        }
    }
}
