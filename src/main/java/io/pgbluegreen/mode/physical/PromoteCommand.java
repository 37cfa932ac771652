package io.pgbluegreen.mode.physical;

import io.pgbluegreen.operation.StepFailure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** PostgreSQL 11 has no pg_promote(): the operator's configured command promotes green, without a shell, bounded. */
final class PromoteCommand {
    private PromoteCommand() {
    }

    static void run(List<String> command, Duration timeout) throws StepFailure {
        if (command == null || command.isEmpty()) {
            throw new StepFailure("green runs PostgreSQL 11, which has no pg_promote(): configure promote-command for this"
                    + " deployment, or promote green by hand (pg_ctl promote); blue stays fenced");
        }
        try {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new StepFailure("promote-command did not finish within " + timeout.toSeconds() + "s; blue stays fenced");
            }
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (process.exitValue() != 0) {
                throw new StepFailure("promote-command exited " + process.exitValue() + ": "
                        + output.lines().findFirst().orElse("") + "; blue stays fenced");
            }
        } catch (IOException e) {
            throw new StepFailure("cannot run promote-command " + command.get(0) + ": " + e.getMessage() + "; blue stays fenced");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StepFailure("interrupted while promoting green; blue stays fenced");
        }
    }
}
