package io.pgbluegreen.agent;

import io.micronaut.http.HttpStatus;

/**
 * A step the agent refused (409: it would be unsafe or cannot apply now) or a fixed step that failed (500, with
 * the command's output). The message is the whole answer: it says why, without a stack trace.
 */
final class AgentProblem extends RuntimeException {
    private final HttpStatus status;

    private AgentProblem(HttpStatus status, String detail) {
        super(detail, null, false, false);
        this.status = status;
    }

    static AgentProblem refused(String detail) {
        return new AgentProblem(HttpStatus.CONFLICT, detail);
    }

    static AgentProblem failed(CommandResult result, String context) {
        String output = result.output().strip();
        return new AgentProblem(HttpStatus.INTERNAL_SERVER_ERROR, result.command() + " failed (exit " + result.exitCode()
                + ")" + (output.isEmpty() ? "" : ": " + output) + (context.isEmpty() ? "" : "\n" + context));
    }

    HttpStatus status() {
        return status;
    }
}
