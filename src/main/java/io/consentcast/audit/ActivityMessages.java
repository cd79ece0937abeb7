package io.consentcast.audit;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * Texts of the activity page, used in templates as {@code activity:key}. English in
 * {@code messages/activity_en.properties}, German in {@code messages/activity_de.properties}. The labels of the
 * kinds and the sentences of the details are in {@code i18n/activity_*.properties} ({@link ActivityKind}).
 */
@MessageBundle(value = "activity", locale = "en")
public interface ActivityMessages {

    @Message String title();
    @Message String lead();
    @Message String member();
    @Message String kind();
    @Message String from();
    @Message String to();
    @Message String all();
    @Message String filter();
    @Message String download();
    @Message String when();
    @Message String who();
    @Message String what();
    @Message String subject();
    @Message String detail();
    @Message String system();
    @Message String empty();
    @Message String empty_filtered();
    @Message String older();
    @Message String newest();
    @Message String recent();
    @Message String show_all();
}
