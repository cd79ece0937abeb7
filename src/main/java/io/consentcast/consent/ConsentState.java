package io.consentcast.consent;

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
 * Current consent of one subscriber for one list (list null: the "all lists" row). Written only
 * by {@link ConsentService} from {@link ConsentProjection}; never edited directly.
 */
@Entity
@Table(name = "consent_states")
public class ConsentState {

    @Id
    public UUID id;

    @TenantId
    @Column(name = "tenant_id", nullable = false, updatable = false)
    public String tenantId;

    @Column(name = "subscriber_id", nullable = false, updatable = false)
    public UUID subscriberId;

    @Column(name = "list_id", updatable = false)
    public UUID listId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ConsentStatus state;

    /** The consent underneath a suppression; null when only a suppression is known. */
    @Enumerated(EnumType.STRING)
    @Column(name = "consent_state")
    public ConsentStatus consentState;

    @Column(nullable = false)
    public boolean suppressed;

    @Column(nullable = false)
    public Instant since;

    @Column(name = "last_event_id", nullable = false)
    public UUID lastEventId;

    /** The CONFIRMED consent came from the sandbox only ({@link ConsentProjection}). */
    @Column(name = "sandbox_confirmed", nullable = false)
    public boolean sandboxConfirmed;
}
