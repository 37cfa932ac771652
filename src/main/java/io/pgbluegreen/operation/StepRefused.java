package io.pgbluegreen.operation;

/**
 * A step's verdict that it cannot go on, given before it changed anything: even at the point of no return, the
 * operation can still be aborted (e.g. Patroni refused the switchover it was asked for).
 */
public class StepRefused extends StepFailure {
    public StepRefused(String message) {
        super(message);
    }
}
