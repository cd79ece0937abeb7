package io.consentcast.whatsapp;

import java.util.Map;
import java.util.stream.StreamSupport;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.consentcast.shared.ApiException;

/**
 * Proves with Meta that a workspace may use a Cloud API number before it is saved: the access token must
 * read the phone number ({@code GET /{phone-number-id}}) and the number must belong to the given WhatsApp
 * Business Account ({@code GET /{waba-id}/phone_numbers}). Otherwise anyone could claim another business's
 * phone number id and receive its readers' messages. Makes HTTP calls: never call it inside a transaction.
 */
@ApplicationScoped
class ChannelOwnership {

    @Inject
    GraphClient graph;

    /**
     * What Meta says about the number, or 400 naming the field that does not hold (token, number, account),
     * or 503 when Meta could not be asked (timeout, 5xx, rate limit).
     */
    GraphClient.PhoneNumberInfo verify(String phoneNumberId, String wabaId, String accessToken) {
        GraphClient.GraphResult number = graph.phoneNumber(phoneNumberId, accessToken);
        if (!number.ok()) {
            throw refusal(number.failure(), "phoneNumberId", "whatsapp.verify-number-unreadable");
        }
        GraphClient.PhoneNumberInfo info = GraphClient.phoneInfo(number.body());
        if (!phoneNumberId.equals(info.id())) {
            throw ApiException.invalid(Map.of("phoneNumberId", "whatsapp.verify-number-unreadable"));
        }
        GraphClient.GraphResult numbers = graph.businessPhoneNumbers(wabaId, accessToken);
        if (!numbers.ok()) {
            throw refusal(numbers.failure(), "businessAccountId", "whatsapp.verify-account-unreadable");
        }
        boolean inAccount = StreamSupport.stream(numbers.body().spliterator(), false)
                .anyMatch(n -> phoneNumberId.equals(n.path("id").asText(null)));
        if (!inAccount) {
            throw ApiException.invalid(Map.of("businessAccountId", "whatsapp.verify-number-not-in-account"));
        }
        return info;
    }

    private static ApiException refusal(SendResult.Failed failure, String field, String code) {
        if (failure.errorClass() == ErrorClass.RETRY_LATER || failure.errorClass() == ErrorClass.OUTCOME_UNKNOWN
                || failure.errorClass() == ErrorClass.DELAY_RECIPIENT) {
            return new ApiException(503, "Service Unavailable", "whatsapp.verify-unavailable", Map.of());
        }
        if (failure.code() != null && failure.code() == MetaErrors.TOKEN_INVALID) {
            return ApiException.invalid(Map.of("accessToken", "whatsapp.verify-token-invalid"));
        }
        return ApiException.invalid(Map.of(field, code));
    }
}
