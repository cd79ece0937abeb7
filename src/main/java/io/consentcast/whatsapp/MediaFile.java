package io.consentcast.whatsapp;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import org.hibernate.annotations.TenantId;

/**
 * An uploaded header file (table {@code whatsapp_media}, tenant-owned) without its bytes: the content is written
 * and read with native SQL by {@link MediaService}, so loading the row never loads the file. {@code metaMediaId} is
 * the id Meta gave it for {@code metaPhoneNumberId} at {@code metaUploadedAt} (the sandbox's own id on the sandbox).
 */
@Entity
@Table(name = "whatsapp_media")
public class MediaFile {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false, updatable = false)
    public TemplateLayout.HeaderFormat format;

    @Column(name = "content_type", nullable = false, updatable = false)
    public String contentType;

    @Column(name = "file_name", nullable = false, updatable = false)
    public String fileName;

    @Column(name = "size_bytes", nullable = false, updatable = false)
    public long sizeBytes;

    @Column(nullable = false, updatable = false)
    public String sha256;

    @Column(name = "meta_media_id")
    public String metaMediaId;

    @Column(name = "meta_phone_number_id")
    public String metaPhoneNumberId;

    @Column(name = "meta_uploaded_at")
    public Instant metaUploadedAt;

    @Column(name = "upload_error")
    public String uploadError;

    @Column(name = "upload_failed_at")
    public Instant uploadFailedAt;

    @Column(name = "created_at", nullable = false, updatable = false)
    public Instant createdAt;
}
