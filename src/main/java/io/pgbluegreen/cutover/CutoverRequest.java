package io.pgbluegreen.cutover;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/**
 * Optional body of POST .../cutover: an override of named failing checks, with the operator's reason. Both are
 * required, every failing check must be named, and the override is journaled.
 */
@Serdeable
public record CutoverRequest(@Nullable Override override) {

    @Serdeable
    public record Override(@Nullable List<String> checks, @Nullable String reason) {
    }
}
