package io.consentcast.whatsapp;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of the WhatsApp channel pages ({@code wa:key}); {@code messages/wa_en.properties}, {@code messages/wa_de.properties}. */
@MessageBundle(value = "wa", locale = "en")
public interface WaMessages {

    @Message String nav_channel();
    @Message String nav_templates();
    @Message String nav_sandbox();

    @Message String channel_title();
    @Message String channel_lead();
    @Message String channel_type();
    @Message String channel_type_sandbox();
    @Message String channel_type_cloud();
    @Message String channel_phone_number_id();
    @Message String channel_waba_id();
    @Message String channel_display_number();
    @Message String channel_token();
    @Message String channel_token_hint_set();
    @Message String channel_token_hint_new();
    @Message String channel_save();
    @Message String channel_saved();
    @Message String channel_stopped();
    @Message String channel_stopped_hint();
    @Message String channel_test();
    @Message String channel_test_ok();
    @Message String channel_test_failed();
    @Message String channel_quality();
    @Message String channel_throughput();
    @Message String channel_limit_tier();
    @Message String channel_verified_name();
    @Message String channel_current();

    @Message String templates_title();
    @Message String templates_lead();
    @Message String templates_sync();
    @Message String templates_synced(int count);
    @Message String templates_none();
    @Message String templates_name();
    @Message String templates_language();
    @Message String templates_category();
    @Message String templates_status();
    @Message String templates_variables();
    @Message String templates_usable();
    @Message String templates_not_usable();

    @Message String channel_sandbox_only_live(long count);
    @Message String channel_sandbox_only_switch(long count);
    @Message String sandbox_title();
    @Message String sandbox_lead();
    @Message String sandbox_write();
    @Message String sandbox_number();
    @Message String sandbox_text();
    @Message String sandbox_send();
    @Message String sandbox_empty();
    @Message String sandbox_you();
    @Message String sandbox_status(String status);
    @Message String sandbox_send_sample();
    @Message String sandbox_template();
    @Message String sandbox_variables();
    @Message String parked_link();
    @Message String parked_title();
    @Message String parked_lead();
    @Message String parked_none();
    @Message String parked_received();
    @Message String parked_reason();
    @Message String parked_detail();
    @Message String parked_reason_text(String reason);

    @Message String limits_title();
    @Message String limits_lead();
    @Message String limits_limit();
    @Message String limits_unlimited();
    @Message String limits_per_day(Integer count);
    @Message String limits_source(String source);
    @Message String limits_read_at();
    @Message String limits_reached();
    @Message String limits_remaining();
    @Message String limits_next();
    @Message String limits_last_attempt();

    @Message String quality_title();
    @Message String quality_rating();
    @Message String quality_status();
    @Message String quality_marketing_ok();
    @Message String quality_marketing_paused();
    @Message String quality_reason(String reason);
    @Message String quality_cause_gone();
    @Message String quality_cause_present();
    @Message String quality_acknowledge();
    @Message String quality_acknowledged();
    @Message String quality_history();
    @Message String quality_event();
    @Message String quality_when();

    @Message String sandbox_quality();
    @Message String sandbox_quality_hint();
    @Message String sandbox_quality_flagged();
    @Message String sandbox_quality_unflagged();

    // issue 16 (i18n): Meta's errors and states in the user's language
    /** What a Meta error code means for the user ({@code 131026}, or {@code error} when Meta named none). */
    @Message String meta_error(String code);
    /** Why the workspace's channel was stopped, by Meta's error code ({@link MetaErrors#stopReason}). */
    @Message String stop_reason(Integer code);
    @Message String meta_said();
    /** A message's delivery status as Meta reports it ({@code sent}, {@code delivered}, {@code read}). */
    @Message String message_status(String status);
    @Message String template_status(String status);
    @Message String template_category(String category);
    @Message String quality_rating_value(String rating);

    // Rich templates (issue 17)
    @Message String rich_image();
    @Message String rich_video();
    @Message String rich_document();
    @Message String rich_link_to(String url);
}
