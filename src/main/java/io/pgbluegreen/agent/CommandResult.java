package io.pgbluegreen.agent;

import io.micronaut.serde.annotation.Serdeable;

/**
 * One command the agent ran: its arguments joined for display (it ran without a shell), its exit code (-1 when it
 * was killed at the command timeout), the tail of its combined output, and how long it took.
 */
@Serdeable
public record CommandResult(String command, int exitCode, String output, long millis) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
