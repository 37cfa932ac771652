package io.pgbluegreen.operation;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

/**
 * For tests only, unset in production: {@code pg-bluegreen.fault.halt-after-step: <step>} makes the daemon halt (no
 * shutdown hooks, exit status 137, like kill -9) right after that step's end is journaled;
 * {@code fail-after-step: <step>} makes that step fail once per daemon, after it did its work (what an abort or a
 * retried rollback must then cope with; the runner keeps the "once"); {@code pause-after-step: <step>} holds the
 * operation for {@link #PAUSE} after that step (what happens meanwhile, a migration committing, say, is the test's).
 */
@ConfigurationProperties("pg-bluegreen.fault")
public record FaultInjection(@Nullable String haltAfterStep, @Nullable String failAfterStep,
                             @Nullable String pauseAfterStep) {
    static final int KILLED = 137;
    static final java.time.Duration PAUSE = java.time.Duration.ofSeconds(3);

    public boolean failsAfter(String step) {
        return step.equals(failAfterStep);
    }

    public void afterStep(String step) {
        if (step.equals(haltAfterStep)) {
            Runtime.getRuntime().halt(KILLED);
        }
        if (step.equals(pauseAfterStep)) {
            try {
                Thread.sleep(PAUSE.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
