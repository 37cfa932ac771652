package io.pgbluegreen.sampling;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.postgres.ErrorClass;

import java.time.Instant;

/**
 * The latest word on a target: whether its last tick succeeded, and the last sample that did. When a target
 * is down, {@code lastSample} is kept for operators (GET /targets) but metrics stop exporting its values.
 * The counters are cumulative since the daemon started (self-metrics).
 */
@Serdeable
public record TargetState(String target, boolean up, @Nullable Instant attemptedAt, @Nullable ErrorClass error,
                          @Nullable String errorMessage, @Nullable TargetSample lastSample, long consecutiveFailures,
                          Counters counters) {

    /** Ticks that ran a query batch (each one round trip), connections opened, ticks that failed. */
    @Serdeable
    public record Counters(long roundTrips, long connectionsOpened, long failures) {
        static final Counters ZERO = new Counters(0, 0, 0);
    }

    public static TargetState never(String target) {
        return new TargetState(target, false, null, null, "not sampled yet", null, 0, Counters.ZERO);
    }

    public TargetState succeeded(Instant at, TargetSample sample, Counters counters) {
        return new TargetState(target, true, at, null, null, sample, 0, counters);
    }

    public TargetState failed(Instant at, ErrorClass errorClass, String message, Counters counters) {
        return new TargetState(target, false, at, errorClass, message, lastSample, consecutiveFailures + 1, counters);
    }

    /** The sample only when it is the current truth (the last tick succeeded). */
    public TargetSample currentSample() {
        return up ? lastSample : null;
    }

    public TargetRole role() {
        return lastSample == null ? TargetRole.UNKNOWN : lastSample.role();
    }
}
