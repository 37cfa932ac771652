package io.pgbluegreen.cutover;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * For tests only, unset in production: {@code pg-bluegreen.fault.halt-after-step: <step>} makes the daemon halt (no
 * shutdown hooks, exit status 137, like kill -9) right after that step's end is journaled;
 * {@code fail-after-step: <step>} makes that step fail after it did its work (what an abort must then undo).
 */
@ConfigurationProperties("pg-bluegreen.fault")
public record FaultInjection(@Nullable String haltAfterStep, @Nullable String failAfterStep) {
    static final int KILLED = 137;

    void failAfter(String step) throws StepFailure {
        if (step.equals(failAfterStep)) {
            throw new StepFailure("injected failure after " + step + " (pg-bluegreen.fault.fail-after-step)");
        }
    }

    void afterStep(String step) {
        if (step.equals(haltAfterStep)) {
            Runtime.getRuntime().halt(KILLED);
        }
    }
}
