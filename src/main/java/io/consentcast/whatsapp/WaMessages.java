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

    // Rich templates (issue 17)
    @Message String rich_image();
    @Message String rich_video();
    @Message String rich_document();
    @Message String rich_link_to(String url);
}
