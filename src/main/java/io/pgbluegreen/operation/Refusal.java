package io.pgbluegreen.operation;

import io.pgbluegreen.gate.CheckResult;

import java.util.List;

/**
 * Why an operation was not started (or stopped before it changed anything that stays changed), and whether asking
 * again can help: the one vocabulary of every refusal, for the API's 409 and for the daemon's own retries.
 */
public record Refusal(Cause cause, String reason, List<CheckResult> failingChecks) implements Outcome {
    public enum Cause {
        /** Another request or operation on the deployment is in the way: retry once it ended. */
        BUSY(true),
        /** The daemon is stopping: retry against the next start. */
        STOPPING(true),
        /** The live gate does not pass (the failing checks say why): retry once they pass. */
        GATE(true),
        /** A server could not be reached or read: retry once it answers. */
        UNREACHABLE(true),
        /** There is nothing to do: no cutover to roll back, blue not fenced. */
        NOTHING_TO_DO(false),
        /** Acting could lose writes or make two primaries: a person decides. */
        UNSAFE(false),
        /** Another operation was journaled since the one this request is about. */
        OVERTAKEN(false),
        /** The deployment's mode does not offer this operation. */
        NOT_OFFERED(false);

        private final boolean retryCanHelp;

        Cause(boolean retryCanHelp) {
            this.retryCanHelp = retryCanHelp;
        }
    }

    public Refusal {
        failingChecks = List.copyOf(failingChecks);
    }

    public static Refusal of(Cause cause, String reason) {
        return new Refusal(cause, reason, List.of());
    }

    public boolean retryCanHelp() {
        return cause.retryCanHelp;
    }
}
