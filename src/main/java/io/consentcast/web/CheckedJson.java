package io.consentcast.web;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import jakarta.ws.rs.ConstrainedTo;
import jakarta.ws.rs.RuntimeType;
import jakarta.ws.rs.ext.ContextResolver;
import jakarta.ws.rs.ext.Provider;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.deser.std.StdScalarDeserializer;
import com.fasterxml.jackson.databind.deser.std.StringDeserializer;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.module.SimpleModule;

import io.consentcast.shared.InputText;

/**
 * The object mapper that reads request bodies: the application's own, plus the {@link InputText}
 * check on every JSON string, so NUL, control characters, unpaired surrogates and oversized values
 * are refused with a 400 naming the field ({@code ErrorMappers}) before any service sees them.
 * Server side only: webhooks and Meta's answers are read with the plain mapper.
 */
@Provider
@Singleton
@ConstrainedTo(RuntimeType.SERVER)
public class CheckedJson implements ContextResolver<ObjectMapper> {

    private final ObjectMapper mapper;

    @Inject
    public CheckedJson(ObjectMapper base) {
        this.mapper = base.copy().registerModule(new SimpleModule("checked-text")
                .addDeserializer(String.class, new CheckedString()));
    }

    @Override
    public ObjectMapper getContext(Class<?> type) {
        return mapper;
    }

    /** Jackson's string deserializer followed by the {@link InputText} check. */
    static final class CheckedString extends StdScalarDeserializer<String> {

        CheckedString() {
            super(String.class);
        }

        @Override
        public String deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
            String value = StringDeserializer.instance.deserialize(p, ctxt);
            InputText.Fault fault = InputText.fault(value);
            if (fault != null) {
                throw InvalidFormatException.from(p, fault.code, fault == InputText.Fault.TOO_LONG ? null : value,
                        String.class);
            }
            return value;
        }
    }
}
