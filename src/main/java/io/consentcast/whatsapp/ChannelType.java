package io.consentcast.whatsapp;

import java.util.Arrays;
import java.util.Optional;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.annotation.JsonValue;

/**
 * How a workspace talks to WhatsApp: Meta's Cloud API or the sandbox that plays Meta's part. Its {@link #wire}
 * name is what the API, the forms and the column {@code whatsapp_channel_settings.channel_type} hold
 * ({@code cloud-api}, {@code sandbox}).
 */
public enum ChannelType {
    CLOUD_API("cloud-api"),
    SANDBOX("sandbox");

    private final String wire;

    ChannelType(String wire) {
        this.wire = wire;
    }

    /** {@code cloud-api} or {@code sandbox}. */
    @JsonValue
    public String wire() {
        return wire;
    }

    /** The type of a wire name (as a request gives it); empty for anything else. */
    public static Optional<ChannelType> of(String wire) {
        return Arrays.stream(values()).filter(t -> t.wire.equals(wire)).findFirst();
    }

    /** Stores the wire name in the column. */
    @Converter(autoApply = true)
    public static class Column implements AttributeConverter<ChannelType, String> {

        @Override
        public String convertToDatabaseColumn(ChannelType type) {
            return type == null ? null : type.wire;
        }

        @Override
        public ChannelType convertToEntityAttribute(String wire) {
            return wire == null ? null
                    : of(wire).orElseThrow(() -> new IllegalStateException("Unknown channel type " + wire));
        }
    }
}
