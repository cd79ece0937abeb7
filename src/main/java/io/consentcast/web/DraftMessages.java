package io.consentcast.web;

import io.quarkus.qute.i18n.Message;
import io.quarkus.qute.i18n.MessageBundle;

/**
 * What a page says when it is shown again after a login that interrupted a form ({@link LoginReturn},
 * {@code assets/app.js}), used in {@code layout.html} as {@code drafts:key}; English and German in
 * {@code messages/drafts_*.properties}.
 */
@MessageBundle(value = "drafts", locale = "en")
public interface DraftMessages {

    @Message String restored();
    @Message String not_restored();
    @Message String secrets_not_kept();
}
