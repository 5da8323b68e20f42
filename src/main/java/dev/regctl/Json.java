package dev.regctl;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The one ObjectMapper of a run, made on first use: its set-up is a sixth of a short command's
 * start-up, and commands that only read lists never pay it.
 */
public final class Json {

    private Json() {
    }

    private static final class Holder {
        /**
         * Unknown fields ignored (manifests and configs carry more than regctl reads), trailing
         * tokens refused, and decimals kept as written, so rewriting a user's config.json never
         * changes a number in it.
         */
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
                .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false)
                .build();
    }

    public static ObjectMapper mapper() {
        return Holder.MAPPER;
    }
}
