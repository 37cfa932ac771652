package io.pgbluegreen.cutover;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * For tests only, unset in production: {@code pg-bluegreen.fault.halt-after-step: <step>} makes the daemon halt (no
 * shutdown hooks, exit status 137, like kill -9) right after that step's end is journaled;
 * {@code fail-after-step: <step>} makes that step fail once per daemon, after it did its work (what an abort or a
 * retried rollback must then cope with; the runner keeps the "once").
 */
@ConfigurationProperties("pg-bluegreen.fault")
public record FaultInjection(@Nullable String haltAfterStep, @Nullable String failAfterStep) {
    static final int KILLED = 137;

    boolean failsAfter(String step) {
        return step.equals(failAfterStep);
    }

    void afterStep(String step) {
        if (step.equals(haltAfterStep)) {
            Runtime.getRuntime().halt(KILLED);
        }
    }
}
