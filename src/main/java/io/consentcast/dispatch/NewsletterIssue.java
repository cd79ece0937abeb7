package io.consentcast.dispatch;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/** One newsletter issue: a message to one list, as a template with parameters or (sandbox) free text. */
@Entity
@Table(name = "newsletter_issues")
public class NewsletterIssue {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "list_id", nullable = false)
    public UUID listId;

    @Column(nullable = false)
    public String title;

    @Column(name = "template_name")
    public String templateName;

    @Column(name = "template_language")
    public String templateLanguage;

    /** JSON array of the body parameters in order. */
    @Column(name = "template_parameters", nullable = false)
    public String templateParameters;

    /** A media header's https link or a TEXT header's value; null when the template has none to fill. */
    @Column(name = "template_header")
    public String templateHeader;

    /** JSON array of the values of the template's dynamic URL buttons in order (see IssueService.TemplateRef). */
    @Column(name = "template_buttons", nullable = false)
    public String templateButtons = "[]";

    /** The uploaded header file ({@code whatsapp_media}, {@link HeaderMedia}); null: none. */
    @Column(name = "header_media_id")
    public java.util.UUID headerMediaId;

    @Column(name = "text_body")
    public String textBody;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public IssueStatus status;

    @Column(name = "scheduled_at")
    public Instant scheduledAt;

    @Column(name = "blocked_reason")
    public String blockedReason;

    @Column(name = "paused_reason")
    public String pausedReason;

    /** Paused by the engine (channel stopped): resumes by itself once the cause is fixed. */
    @Column(name = "paused_by_system", nullable = false)
    public boolean pausedBySystem;

    /** Delivery rows written (while PREPARING: so far). */
    @Column(name = "audience_size")
    public Integer audienceSize;

    /** The preparation's cursor: the last subscriber id whose row is written (null before the first chunk). */
    @Column(name = "audience_after")
    public UUID audienceAfter;

    /** The list's members when the preparation began (the progress's whole). */
    @Column(name = "audience_members")
    public Integer audienceMembers;

    /** Rows the preparation wrote EXCLUDED (with the reason) so far. */
    @Column(name = "audience_excluded")
    public Integer audienceExcluded;

    /** Every member of the list has its delivery row (the preparation is over). */
    @Column(name = "audience_ready", nullable = false)
    public boolean audienceReady;

    @Column(name = "created_by")
    public UUID createdBy;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Column(name = "started_at")
    public Instant startedAt;

    @Column(name = "finished_at")
    public Instant finishedAt;

    /**
     * The only way an issue's status changes: a new issue starts as DRAFT, every later change must be listed in
     * {@link IssueStatus}'s transition table.
     */
    void moveTo(IssueStatus next) {
        if (status == null ? next != IssueStatus.DRAFT : !status.canMoveTo(next)) {
            throw new IllegalStateException("Issue " + id + " cannot go from " + status + " to " + next);
        }
        status = next;
    }

    /** Started, and the engine is still deciding its audience (whatever the status: paused issues finish deciding). */
    public boolean preparing() {
        return startedAt != null && !audienceReady && !status.finished();
    }

    public boolean freeText() {
        return textBody != null;
    }
}
