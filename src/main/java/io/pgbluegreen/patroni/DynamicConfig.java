package io.pgbluegreen.patroni;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.serde.config.naming.SnakeCaseStrategy;

import java.time.Duration;

/** The part of Patroni's GET /config (the dynamic configuration in the DCS) a safety net reads. */
@Serdeable(naming = SnakeCaseStrategy.class)
public record DynamicConfig(@Nullable Integer loopWait, @Nullable Integer ttl, @Nullable Boolean pause) {
    /** Patroni's default loop_wait when the DCS holds none. */
    static final int DEFAULT_LOOP_WAIT = 10;

    public Duration loopWaitDuration() {
        return Duration.ofSeconds(loopWait == null || loopWait <= 0 ? DEFAULT_LOOP_WAIT : loopWait);
    }
}
