package io.pgbluegreen.operation;

import io.pgbluegreen.gate.Verdict;

import java.util.List;

/** What a request for an operation came to: accepted (the operation), refused, only planned (a dry run), or bad input. */
public sealed interface Outcome permits Outcome.Accepted, Refusal, Outcome.Planned, Outcome.Invalid {
    record Accepted(Operation operation) implements Outcome {
    }

    /** A dry run: the steps a cutover would run and the live gate's verdict. */
    record Planned(List<String> steps, Verdict verdict) implements Outcome {
    }

    /** The request itself is wrong; the reason names the field. */
    record Invalid(String reason) implements Outcome {
    }
}
