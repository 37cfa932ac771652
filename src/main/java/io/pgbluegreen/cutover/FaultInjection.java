package io.pgbluegreen.cutover;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * For crash tests only: {@code pg-bluegreen.fault.halt-after-step: <step>} makes the daemon halt (no shutdown
 * hooks, exit status 137, like kill -9) right after that step's end is journaled. Unset in production.
 */
@ConfigurationProperties("pg-bluegreen.fault")
public record FaultInjection(@Nullable String haltAfterStep) {
    static final int KILLED = 137;

    void afterStep(String step) {
        if (step.equals(haltAfterStep)) {
            Runtime.getRuntime().halt(KILLED);
        }
    }
}
