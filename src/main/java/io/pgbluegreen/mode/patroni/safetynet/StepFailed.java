package io.pgbluegreen.mode.patroni.safetynet;

/** A safety-net step that did not reach its end state within its bound; the message says what was seen. */
public final class StepFailed extends Exception {
    StepFailed(String message) {
        super(message, null, false, false);
    }
}
