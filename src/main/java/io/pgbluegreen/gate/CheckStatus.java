package io.pgbluegreen.gate;

import com.fasterxml.jackson.annotation.JsonValue;
import io.micronaut.serde.annotation.Serdeable;

import java.util.Locale;

/** UNKNOWN blocks like FAIL: the gate only opens on what it could verify. In JSON and metrics: lowercase. */
@Serdeable
public enum CheckStatus {
    PASS, FAIL, UNKNOWN;

    @JsonValue
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
