package io.pgbluegreen.agent;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.serde.annotation.Serdeable;

/**
 * One command the agent ran: its arguments joined for display (it ran without a shell), its exit code (-1 when it
 * was killed at the command timeout), the tail of its combined output, and how long it took.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS) // every field, an empty list or a null included: callers read them all
public record CommandResult(String command, int exitCode, String output, long millis) {
    public boolean succeeded() {
        return exitCode == 0;
    }
}
