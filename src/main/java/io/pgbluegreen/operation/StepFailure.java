package io.pgbluegreen.operation;

/** A step's own verdict that it cannot go on, with a message meant for the operator. */
public class StepFailure extends Exception {
    public StepFailure(String message) {
        super(message);
    }
}
