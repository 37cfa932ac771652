package io.pgbluegreen.agent;

/**
 * A call to a host agent that did not give what was asked: the message names the member, the URL and what failed
 * (the agent's refusal or error, TLS, a timeout, no connection, or a command that exited non-zero, with its output).
 */
public class AgentException extends Exception {
    public AgentException(String message) {
        super(message, null, false, false);
    }

    public AgentException(String message, Throwable cause) {
        super(message, cause);
    }
}
