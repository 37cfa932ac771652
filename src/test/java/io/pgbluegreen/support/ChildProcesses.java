package io.pgbluegreen.support;

/** What this JVM (and the in-process daemon in it) has left running as child processes. */
public final class ChildProcesses {
    private ChildProcesses() {
    }

    /**
     * The psql children running now: the daemon holds one on PgBouncer's admin console per running operation, and
     * one per deployment with PgBouncer for its gate.
     */
    public static java.util.List<ProcessHandle> psql() {
        return ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("psql")).toList();
    }
}
