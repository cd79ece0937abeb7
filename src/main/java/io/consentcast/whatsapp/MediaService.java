package io.consentcast.whatsapp;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import io.consentcast.shared.Ids;
import io.consentcast.shared.Validation;
import io.consentcast.tenancy.CurrentTenant;
import io.consentcast.tenancy.TenantScope;
import io.consentcast.whatsapp.TemplateLayout.HeaderFormat;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Header files uploaded for rich templates, in the current workspace ({@code whatsapp_media}, row-level security):
 * checked against Meta's types and limits for the header's format before anything is stored, kept with their bytes,
 * and uploaded through the channel ({@code POST /{phone-number-id}/media} on the Cloud API, a local id on the
 * sandbox) for the number that sends them, outside any transaction ({@link #ensureUploaded}). Meta keeps a media id
 * for 30 days and per number: it is used for {@link MediaConfig#reuseFor()} and only from the number it was
 * uploaded for ({@link #readyId}).
 */
@ApplicationScoped
public class MediaService {

    /** The key of the sandbox's one number in {@code meta_phone_number_id}. */
    static final String SANDBOX_NUMBER = "sandbox";
    static final int MAX_FILE_NAME = 255;
    private static final long MB = 1024L * 1024L;

    /** Meta's types and sizes per header format (Cloud API media reference: image 5 MB, video 16 MB, document 100 MB). */
    static final Map<HeaderFormat, Map<String, Long>> ACCEPTED = Map.of(
            HeaderFormat.IMAGE, Map.of("image/jpeg", 5 * MB, "image/png", 5 * MB),
            HeaderFormat.VIDEO, Map.of("video/mp4", 16 * MB),
            HeaderFormat.DOCUMENT, Map.of("application/pdf", 100 * MB));

    @Inject
    EntityManager em;

    @Inject
    CurrentTenant currentTenant;

    @Inject
    MediaConfig config;

    @Inject
    ChannelService channels;

    @Inject
    TenantScope scope;

    @Inject
    Clock clock;

    /** A stored file without its bytes; the last upload to Meta (id, number, time) or its last failure. */
    public record MediaView(UUID id, HeaderFormat format, String contentType, String fileName, long size,
            String sha256, Instant createdAt, String metaMediaId, String metaPhoneNumberId, Instant metaUploadedAt,
            String uploadError, Instant uploadFailedAt) {
    }

    /** A file's bytes and how to serve them. */
    public record Content(HeaderFormat format, String contentType, String fileName, byte[] bytes) {
    }

    /** What {@link #ensureUploaded} achieved: ready (the media id to send with) or the failure's text from Meta. */
    public record Upload(boolean ready, String mediaId, String error) {
    }

    /**
     * Checks a file for a header of {@code format} and stores it (in the caller's transaction, or its own). Refused
     * with 400 naming {@code field}: a format without media, a type Meta does not take for it, an empty file, a file
     * above Meta's limit or this installation's ({@link MediaConfig#maxBytes()}), or content that is not what its
     * type says (JPEG, PNG, MP4 and PDF are recognised by their first bytes). Nothing is stored then.
     */
    public MediaView store(HeaderFormat format, String contentType, String fileName, byte[] bytes, String field) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        Validation v = new Validation();
        v.check(format != null && format.media(), field, "media.header-not-media");
        v.throwIfInvalid();
        Long metaLimit = ACCEPTED.get(format).get(type);
        v.check(metaLimit != null, field, "media.type-" + format.sendType());
        v.throwIfInvalid();
        v.check(bytes != null && bytes.length > 0, field, "media.empty");
        v.throwIfInvalid();
        v.check(bytes.length <= metaLimit, field, "media.too-large-" + format.sendType());
        v.check(bytes.length <= config.maxBytes(), field, "media.too-large-here");
        v.check(matches(type, bytes), field, "media.content-mismatch");
        String name = fileName(fileName, type);
        v.text(field, name);
        v.throwIfInvalid();
        return QuarkusTransaction.joiningExisting().call(() -> {
            UUID id = Ids.uuid7(clock);
            Instant now = clock.instant();
            em.createNativeQuery("INSERT INTO whatsapp_media (id, tenant_id, format, content_type, file_name,"
                    + " size_bytes, sha256, content, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")
                    .setParameter(1, id).setParameter(2, currentTenant.id()).setParameter(3, format.name())
                    .setParameter(4, type).setParameter(5, name).setParameter(6, (long) bytes.length)
                    .setParameter(7, sha256(bytes)).setParameter(8, bytes)
                    .setParameter(9, java.time.OffsetDateTime.ofInstant(now, java.time.ZoneOffset.UTC)).executeUpdate();
            return view(id).orElseThrow();
        });
    }

    /** The file of the current workspace with this id (another workspace's: empty, by row-level security). */
    public Optional<MediaView> view(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            MediaFile m = id == null ? null : em.find(MediaFile.class, id);
            return Optional.ofNullable(m).map(MediaService::view);
        });
    }

    /** The file's bytes (the current workspace's only). */
    public Optional<Content> content(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            MediaFile m = id == null ? null : em.find(MediaFile.class, id);
            if (m == null) {
                return Optional.<Content>empty();
            }
            byte[] bytes = (byte[]) em.createNativeQuery("SELECT content FROM whatsapp_media WHERE id = ?1")
                    .setParameter(1, id).getSingleResult();
            return Optional.of(new Content(m.format, m.contentType, m.fileName, bytes));
        });
    }

    /** A copy of the file under a new id (for a duplicated issue), not uploaded yet. */
    public UUID copy(UUID id) {
        return QuarkusTransaction.joiningExisting().call(() -> {
            UUID copy = Ids.uuid7(clock);
            int n = em.createNativeQuery("INSERT INTO whatsapp_media (id, tenant_id, format, content_type, file_name,"
                    + " size_bytes, sha256, content, created_at) SELECT ?1, tenant_id, format, content_type, file_name,"
                    + " size_bytes, sha256, content, ?2 FROM whatsapp_media WHERE id = ?3")
                    .setParameter(1, copy)
                    .setParameter(2, java.time.OffsetDateTime.ofInstant(clock.instant(), java.time.ZoneOffset.UTC))
                    .setParameter(3, id).executeUpdate();
            return n == 1 ? copy : null;
        });
    }

    /** Deletes the file (nothing when it is not the workspace's). */
    public void delete(UUID id) {
        QuarkusTransaction.joiningExisting().run(() -> em.createQuery("delete from MediaFile where id = :id")
                .setParameter("id", id).executeUpdate());
    }

    /**
     * The media id to send the file with from {@code phoneNumberId} (null: the sandbox) at {@code now}: the id of
     * its last upload when that was for this number and is younger than {@link MediaConfig#reuseFor()}; else null.
     */
    public String readyId(UUID id, String phoneNumberId, Instant now) {
        return view(id).filter(m -> ready(m, numberKey(phoneNumberId), now)).map(MediaView::metaMediaId).orElse(null);
    }

    /**
     * Makes the file sendable from the number list {@code listId} sends from ({@link ChannelNumbers#forList}) in
     * workspace {@code tenantId}: reads what is needed in one short transaction, uploads through the channel with no
     * transaction open (only when the last upload is missing, older than {@link MediaConfig#reuseFor()} or for
     * another number), and records the media id, or the failure with Meta's text, in another. Must be called with no
     * transaction open ({@link GraphClient} refuses a call inside one). Unless {@code retryNow} (a member asked),
     * a file whose last upload failed is not sent again before {@link MediaConfig#retryAfter()} has passed.
     */
    public Upload ensureUploaded(String tenantId, UUID mediaId, UUID listId, boolean retryNow) {
        record Plan(Upload done, ChannelService.Sender sender, Content content) {
        }
        Plan plan = scope.call(tenantId, () -> {
            MediaView m = view(mediaId).orElse(null);
            if (m == null) {
                return new Plan(new Upload(false, null, "media.missing"), null, null);
            }
            ChannelService.Sender sender = channels.senderForList(listId);
            if (ready(m, sender.numberKey(), clock.instant())) {
                return new Plan(new Upload(true, m.metaMediaId(), null), null, null);
            }
            if (!retryNow && m.uploadFailedAt() != null
                    && clock.instant().isBefore(m.uploadFailedAt().plus(config.retryAfter()))) {
                return new Plan(new Upload(false, null, m.uploadError()), null, null); // Meta refused it a moment ago
            }
            return new Plan(null, sender, content(mediaId).orElseThrow());
        });
        if (plan.done() != null) {
            return plan.done();
        }
        SendResult result = plan.sender().upload(new MediaUpload(mediaId, plan.content()));
        return scope.call(tenantId, () -> {
            MediaFile m = em.find(MediaFile.class, mediaId);
            if (m == null) {
                return new Upload(false, null, "media.missing");
            }
            Instant now = clock.instant();
            if (result instanceof SendResult.Accepted a) {
                m.metaMediaId = a.messageId();
                m.metaPhoneNumberId = plan.sender().numberKey();
                m.metaUploadedAt = now;
                m.uploadError = null;
                m.uploadFailedAt = null;
                return new Upload(true, a.messageId(), null);
            }
            SendResult.Failed f = (SendResult.Failed) result;
            String error = (f.code() == null ? "" : "(#" + f.code() + ") ") + (f.message() == null ? f.errorClass()
                    : f.message());
            m.uploadError = error.length() > 1024 ? error.substring(0, 1024) : error;
            m.uploadFailedAt = now;
            return new Upload(false, null, m.uploadError);
        });
    }

    /** A file handed to a channel's upload: its id in the workspace and its content. */
    public record MediaUpload(UUID id, Content content) {
    }

    private boolean ready(MediaView m, String numberKey, Instant now) {
        return m.metaMediaId() != null && numberKey.equals(m.metaPhoneNumberId()) && m.metaUploadedAt() != null
                && m.metaUploadedAt().plus(config.reuseFor()).isAfter(now);
    }

    static String numberKey(String phoneNumberId) {
        return phoneNumberId == null ? SANDBOX_NUMBER : phoneNumberId;
    }

    private static MediaView view(MediaFile m) {
        return new MediaView(m.id, m.format, m.contentType, m.fileName, m.sizeBytes, m.sha256, m.createdAt,
                m.metaMediaId, m.metaPhoneNumberId, m.metaUploadedAt, m.uploadError, m.uploadFailedAt);
    }

    /** Whether the first bytes say what the type says. */
    static boolean matches(String type, byte[] b) {
        return switch (type) {
            case "image/jpeg" -> starts(b, 0, new byte[] { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF });
            case "image/png" -> starts(b, 0, new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n' });
            case "video/mp4" -> starts(b, 4, "ftyp".getBytes(StandardCharsets.US_ASCII));
            case "application/pdf" -> starts(b, 0, "%PDF-".getBytes(StandardCharsets.US_ASCII));
            default -> false;
        };
    }

    private static boolean starts(byte[] b, int at, byte[] prefix) {
        if (b.length < at + prefix.length) {
            return false;
        }
        for (int i = 0; i < prefix.length; i++) {
            if (b[at + i] != prefix[i]) {
                return false;
            }
        }
        return true;
    }

    /** The name to keep: the last path segment as given, without control characters; else {@code header.<ext>}. */
    static String fileName(String given, String type) {
        String name = given == null ? "" : given.replaceAll(".*[/\\\\]", "").replaceAll("\\p{Cntrl}", "").strip();
        if (name.length() > MAX_FILE_NAME) {
            name = name.substring(name.length() - MAX_FILE_NAME);
        }
        if (name.isEmpty()) {
            String ext = List.of("jpg", "png", "mp4", "pdf")
                    .get(List.of("image/jpeg", "image/png", "video/mp4", "application/pdf").indexOf(type));
            name = "header." + ext;
        }
        return name;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
