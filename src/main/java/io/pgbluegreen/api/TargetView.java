package io.pgbluegreen.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;

import java.time.Instant;

/**
 * GET /targets entry: health first, then the last successful sample (LSNs as text and bytes). When the target is
 * down, {@code lastSample} is the last one that succeeded and {@code sampleAgeSeconds} says how old it is.
 */
@Serdeable
public record TargetView(String name, boolean up, String role, @Nullable String version, @Nullable String error,
                         @Nullable String errorMessage, @Nullable Instant lastAttempt, @Nullable Instant lastSuccess,
                         @Nullable Double sampleAgeSeconds, long consecutiveFailures, TargetState.Counters counters,
                         @Nullable TargetSample lastSample) {

    static TargetView of(TargetState state, Instant now) {
        TargetSample sample = state.lastSample();
        return new TargetView(state.target(), state.up(), state.role().label(),
                sample == null ? null : sample.version().text(),
                state.error() == null ? null : state.error().label(), state.errorMessage(), state.attemptedAt(),
                sample == null ? null : sample.sampledAt(),
                sample == null ? null : Math.max(0, (now.toEpochMilli() - sample.sampledAt().toEpochMilli()) / 1000.0),
                state.consecutiveFailures(), state.counters(), sample);
    }
}
