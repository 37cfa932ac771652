package io.pgbluegreen.postgres;

import java.time.Duration;

/** Polling with a deadline: every wait in a runbook goes through here, so none is unbounded. */
public final class Waits {
    public interface Condition {
        boolean holds() throws Exception;
    }

    private Waits() {
    }

    /** True once the condition holds, false when the timeout passed first. */
    public static boolean until(Duration timeout, Duration poll, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            if (condition.holds()) {
                return true;
            }
            if (System.nanoTime() >= deadline) {
                return false;
            }
            Thread.sleep(poll.toMillis());
        }
    }
}
