package io.hermes.realtime.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.UncheckedIOException;

/**
 * The application's one configured {@link ObjectMapper}, for Redis values, envelopes and response bodies
 * alike. Built once by the composition root and handed to whoever needs it; {@code http.JsonResponse}
 * writes the responses.
 */
public final class Json {
    private final ObjectMapper mapper;

    public Json() {
        // Buffers are recycled through a pool of this mapper's own, not Jackson's default ThreadLocal: that
        // would leave a BufferRecycler (a class of this WAR) in every container thread, which outlive an
        // undeployed WAR and so keep its class loader until memory runs short.
        this.mapper = JsonMapper.builder(JsonFactory.builder().recyclerPool(JsonRecyclerPools.newConcurrentDequePool()).build())
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public String write(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }

    /** The body as UTF-8 JSON bytes. */
    public byte[] bytes(Object body) {
        try {
            return mapper.writeValueAsBytes(body);
        } catch (JsonProcessingException impossible) {
            throw new UncheckedIOException(impossible);
        }
    }
}
