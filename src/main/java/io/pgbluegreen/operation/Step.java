package io.pgbluegreen.operation;

/**
 * One step of a runbook. Runs to completion or throws; every wait inside is bounded. Returns a one-line detail
 * for the operation's record. Steps are idempotent where they can be (a re-run after a restart must not harm).
 */
public interface Step {
    String name();

    String run(OperationContext context) throws Exception;
}
