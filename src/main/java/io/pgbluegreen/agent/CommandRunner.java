package io.pgbluegreen.agent;

import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs one command without a shell (an argument list straight to exec), stdin closed, stdout and stderr combined
 * into a bounded tail, in the C locale (pg_controldata's labels are parsed). A command that outlives its timeout is
 * killed with every process it started, and reported with exit code -1.
 */
final class CommandRunner {
    static final int TIMED_OUT = -1;
    /** How long the output is still read after the process ended: a daemonized child may keep the pipe open. */
    private static final Duration OUTPUT_GRACE = Duration.ofSeconds(2);

    private CommandRunner() {
    }

    static CommandResult run(List<String> command, Duration timeout, @Nullable Path workDir) {
        String display = String.join(" ", command);
        long started = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
        builder.environment().put("LC_ALL", "C");
        builder.environment().put("LANG", "C");
        if (workDir != null) {
            builder.directory(workDir.toFile());
        }
        Process process;
        try {
            process = builder.start();
        } catch (IOException e) {
            return new CommandResult(display, 127, "cannot run " + command.get(0) + ": " + e.getMessage(), millis(started));
        }
        OutputTail tail = new OutputTail();
        Thread reader = new Thread(() -> tail.drain(process.getInputStream()), "agent-command-output");
        reader.setDaemon(true);
        reader.start();
        try {
            process.getOutputStream().close();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                killTree(process);
                reader.join(OUTPUT_GRACE.toMillis());
                return new CommandResult(display, TIMED_OUT, tail.text()
                        + "\n[killed after the command timeout of " + timeout.toSeconds() + "s, with every process it started]",
                        millis(started));
            }
            reader.join(OUTPUT_GRACE.toMillis());
            return new CommandResult(display, process.exitValue(), tail.text(), millis(started));
        } catch (IOException e) {
            killTree(process);
            return new CommandResult(display, TIMED_OUT, "cannot talk to " + command.get(0) + ": " + e.getMessage(), millis(started));
        } catch (InterruptedException e) {
            killTree(process);
            Thread.currentThread().interrupt();
            return new CommandResult(display, TIMED_OUT, tail.text() + "\n[interrupted: the agent is stopping]", millis(started));
        }
    }

    private static void killTree(Process process) {
        // children first, so none is re-parented and survives its parent
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }

    private static long millis(long startedNanos) {
        return Duration.ofNanos(System.nanoTime() - startedNanos).toMillis();
    }
}
