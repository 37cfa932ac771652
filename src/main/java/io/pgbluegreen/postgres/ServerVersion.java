package io.pgbluegreen.postgres;

import io.micronaut.serde.annotation.Serdeable;

/** The server's major version (11, 12, ...) and the full version text it reports. */
@Serdeable
public record ServerVersion(int major, String text) {
    public boolean atLeast(int wanted) {
        return major >= wanted;
    }
}
