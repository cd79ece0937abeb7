package io.consentcast.whatsapp;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/** Texts of uploaded header files on the pages ({@code media:key}); English and German in messages/media_*.properties. */
@MessageBundle(value = "media", locale = "en")
public interface MediaMessages {
    @Message String field_file();
    @Message String field_file_hint();
    @Message String current(String name, String format);
    @Message String uploaded(String number);
    @Message String upload_failed(String error);
    @Message String open_document(String name);
    @Message String alt(String name);
}
