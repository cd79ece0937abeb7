package io.consentcast.consent;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the consent pages (timeline, audit), used in templates as {@code consent:key}.
 * English in {@code messages/consent_en.properties}, German in {@code messages/consent_de.properties}.
 */
@MessageBundle(value = "consent", locale = "en")
public interface ConsentMessages {

    @Message String nav_audit();

    @Message String timeline_title();
    @Message String timeline_receipt_hint();
    @Message String timeline_print();
    @Message String timeline_number();
    @Message String timeline_wa_id();
    @Message String timeline_public_id();
    @Message String timeline_since();
    @Message String timeline_erased(String at);
    @Message String timeline_erased_now();
    @Message String timeline_states();
    @Message String timeline_no_states();
    @Message String timeline_list();
    @Message String timeline_all_lists();
    @Message String timeline_state();
    @Message String timeline_history();
    @Message String timeline_no_events();
    @Message String timeline_when();
    @Message String timeline_what();
    @Message String timeline_source();
    @Message String timeline_evidence();
    @Message String timeline_text_version(int version, String language);
    @Message String timeline_ip();
    @Message String timeline_user_agent();
    @Message String timeline_evidence_admins_only();
    @Message String timeline_wa_message();
    @Message String timeline_sandbox_message();
    @Message String timeline_actor();
    @Message String timeline_reason();
    @Message String timeline_hash();
    @Message String timeline_texts();
    @Message String timeline_erase();
    @Message String timeline_erase_confirm();
    @Message String timeline_export_json();

    @Message String type_REQUESTED();
    @Message String type_CONFIRMED();
    @Message String type_WITHDRAWN();
    @Message String type_EXPIRED();
    @Message String type_IMPORTED();
    @Message String type_REPERMISSION_REQUESTED();
    @Message String type_SUPPRESSED();
    @Message String type_UNSUPPRESSED();
    @Message String type_ERASED();

    @Message String state_PENDING();
    @Message String state_CONFIRMED();
    @Message String state_WITHDRAWN();
    @Message String state_EXPIRED();
    @Message String state_IMPORTED();
    @Message String state_SUPPRESSED();

    @Message String source_LANDING_PAGE();
    @Message String source_WHATSAPP();
    @Message String source_API();
    @Message String source_ADMIN();
    @Message String source_IMPORT();
    @Message String source_SYSTEM();
    @Message String source_SANDBOX();

    @Message String audit_title();
    @Message String audit_lead();
    @Message String audit_integrity();
    @Message String audit_verify();
    @Message String audit_valid(long events);
    @Message String audit_invalid(long events, String id, String reason);
    @Message String audit_checkpoint(long seq, String at, String hash);
    @Message String audit_no_checkpoint();
    @Message String audit_export();
    @Message String audit_format();
    @Message String audit_from();
    @Message String audit_to();
    @Message String audit_list();
    @Message String audit_subscriber();
    @Message String audit_download();
    @Message String audit_manifest();
    @Message String audit_export_hint();
    @Message String audit_find();
    @Message String audit_find_number();
    @Message String audit_find_submit();
    @Message String audit_not_found();
    @Message String audit_activity();
    @Message String audit_no_activity();
    @Message String audit_who();
    @Message String audit_action();
    @Message String audit_detail();
    @Message String audit_system();

    @Message String withdraw_list();
    @Message String withdraw_reason();
    @Message String withdraw_submit();

    @Message String directory_search();
    @Message String directory_list();
    @Message String directory_state();
    @Message String directory_all();
    @Message String directory_from();
    @Message String directory_to();
    @Message String directory_filter();
    @Message String directory_total(long total);
    @Message String directory_number();
    @Message String directory_lists();
    @Message String directory_erased();
    @Message String directory_prev();
    @Message String directory_next();

    // Confirmations of destructive actions (issue 16).
    @Message String withdraw_confirm();
}
