package io.pgbluegreen.support;

/** What this JVM (and the in-process daemon in it) has left running as child processes. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /** Whether a psql child runs: the daemon holds one per operation on PgBouncer's admin console. */
    public static boolean psqlRunning() {
        return ProcessHandle.current().descendants().anyMatch(p -> p.info().command().orElse("").endsWith("psql"));
    }
}
