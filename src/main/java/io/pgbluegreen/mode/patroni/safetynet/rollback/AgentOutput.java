package io.pgbluegreen.mode.patroni.safetynet.rollback;

import io.pgbluegreen.agent.CommandResult;

/** A command's output as a step's one-line detail shows it. */
final class AgentOutput {
    private AgentOutput() {
    }

    static String lastLine(CommandResult result) {
        String output = result.output() == null ? "" : result.output().strip();
        if (output.isEmpty()) {
            return "no output";
        }
        String[] lines = output.split("\n");
        return lines[lines.length - 1].strip();
    }
}
