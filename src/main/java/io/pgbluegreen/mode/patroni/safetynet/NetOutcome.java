package io.pgbluegreen.mode.patroni.safetynet;

import io.pgbluegreen.operation.Refusal;

/**
 * What a hold or a release came to: done (its answer), refused before anything changed, or failed part way, with
 * what was undone and what, if anything, is left ({@code leftBehind}: the failure could not be fully undone).
 */
public sealed interface NetOutcome {
    record Done(Object answer) implements NetOutcome {
    }

    record Refused(Refusal refusal) implements NetOutcome {
    }

    record Failed(String detail, boolean leftBehind) implements NetOutcome {
    }
}
