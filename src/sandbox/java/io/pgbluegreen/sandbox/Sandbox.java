package io.pgbluegreen.sandbox;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import io.pgbluegreen.config.InvalidConfigurationException;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.PgServer;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

import org.slf4j.LoggerFactory;

/**
 * Command 1 of the README: a local blue/green sandbox. Real PostgreSQL servers on loopback (a 15 primary with a
 * streaming standby, and a 14 -> 16 logical pair), a light writer on each blue, and the daemon watching both
 * deployments, plus a third for the README's attach runbook (a PostgreSQL 16 copy of blue, loaded from a dump taken
 * at the point a logical slot was created on blue, not yet subscribed). Ctrl-C stops everything; a failed start
 * tears down what it started and exits 1 with one line.
 *
 * <pre>mvn -q -Psandbox test-compile exec:java</pre>
 * {@code -Dsandbox.port=N} moves the daemon off 8080 (it also moves by itself when 8080 is taken).
 * {@link #start(int)} and {@link #close()} run the same sandbox from a test (ReadmeRunbookIT).
 */
public final class Sandbox implements AutoCloseable {
    public static final String PHYSICAL = "physical-demo";
    public static final String LOGICAL = "logical-demo";
    /** The attach runbook's deployment: blue -> restored, subscription {@value #RESTORE_SUBSCRIPTION} on slot {@value #RESTORE_SLOT}. */
    public static final String RESTORE = "restore-demo";
    public static final String RESTORE_SLOT = "restore_slot";
    public static final String RESTORE_SUBSCRIPTION = "restore_sub";
    static final String RESTORE_PUBLICATION = "restore_pub";
    static final String STANDBY_SLOT = "green_slot";
    private static final String DEMO_TABLE = "sandbox_writes";
    /**
     * Straight to the file descriptors: under Maven, System.out is Maven's ANSI console stream, which stops
     * passing text on once the JVM begins to shut down on a terminal's Ctrl-C.
     */
    static final PrintStream OUT = new PrintStream(new FileOutputStream(FileDescriptor.out), true, StandardCharsets.UTF_8);
    static final PrintStream ERR = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);

    /** Opened in start order, closed in reverse: daemon, writers, servers, secrets directory. */
    private final Deque<AutoCloseable> opened = new ArrayDeque<>();
    /** Held by the start sequence, so that a Ctrl-C during the start waits for the step in progress. */
    private final ReentrantLock starting = new ReentrantLock();
    private volatile boolean shuttingDown;
    private volatile boolean failed;

    private PgServer blue;
    private PgServer green;
    private PgServer restored;
    private String restoreLsn;
    private LogicalPair pair;
    private SandboxDaemon daemon;
    private Path passwordFile;

    public static void main(String[] args) {
        Sandbox sandbox = new Sandbox();
        Runtime.getRuntime().addShutdownHook(new Thread(sandbox::shutdown, "sandbox-shutdown"));
        long began = System.nanoTime();
        sandbox.starting.lock();
        try {
            sandbox.startAll(port());
        } catch (Exception | Error e) {
            if (!sandbox.shuttingDown) {
                sandbox.failed = true;
                ERR.println("sandbox: cannot start: " + reason(e));
                sandbox.teardown();
                sandbox.starting.unlock();
                System.exit(1);
            }
        } finally {
            if (sandbox.starting.isHeldByCurrentThread()) {
                sandbox.starting.unlock();
            }
        }
        if (!sandbox.shuttingDown) {
            Banner.print(sandbox, Duration.ofNanos(System.nanoTime() - began));
        }
        awaitShutdown();
    }

    /**
     * Starts the whole sandbox with its daemon on {@code port} (or a free one when that is taken), printing its
     * progress as the README's command does; a failed start tears down what it started and throws. Close it to stop
     * everything.
     */
    public static Sandbox start(int port) throws Exception {
        Sandbox sandbox = new Sandbox();
        try {
            sandbox.startAll(port);
            return sandbox;
        } catch (Exception | Error e) {
            sandbox.failed = true;
            sandbox.close();
            throw e;
        }
    }

    /** Stops the daemon, the writers and every server, and deletes the secrets directory. */
    @Override
    public void close() {
        shuttingDown = true;
        teardown();
    }

    private void startAll(int port) throws Exception {
        Path secrets = Files.createTempDirectory("pgbg-sandbox-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        opened.push(() -> OsUser.deleteTree(secrets));
        passwordFile = Files.createFile(secrets.resolve("postgres.password"),
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(passwordFile, PgServer.PASSWORD + "\n");

        step("starting PostgreSQL 15 primary 'blue'");
        blue = announce("blue", open(PgServer.start("blue", 15)));
        blue.execute("postgres", "CREATE TABLE " + DEMO_TABLE + " (id bigserial PRIMARY KEY, payload text NOT NULL,"
                + " created_at timestamptz NOT NULL DEFAULT now())");
        step("starting PostgreSQL 15 streaming standby 'green' (pg_basebackup, slot " + STANDBY_SLOT + ")");
        green = announce("green", open(PgServer.startStandby("green", blue, STANDBY_SLOT)));
        step("starting the logical pair: PostgreSQL 14 publisher 'blue14' -> PostgreSQL 16 subscriber 'green16'");
        pair = open(LogicalPair.start(14, 16));
        announce("blue14", pair.publisher());
        announce("green16", pair.subscriber());

        step("preparing the attach demo: slot " + RESTORE_SLOT + " on blue, and PostgreSQL 16 'restored' loaded from a"
                + " dump of blue taken at the slot's consistent point");
        restoreLsn = prepareRestore();

        step("starting one writer per blue (an INSERT every " + DemoWriter.INTERVAL_MS + " ms)");
        DemoWriter.grant(blue, "postgres", DEMO_TABLE);
        DemoWriter.grant(pair.publisher(), LogicalPair.DATABASE, "items");
        open(DemoWriter.start(blue, "postgres", DEMO_TABLE, () -> shuttingDown));
        open(DemoWriter.start(pair.publisher(), LogicalPair.DATABASE, "items", () -> shuttingDown));

        step("starting the daemon");
        daemon = open(new SandboxDaemon(passwordFile)
                .target("blue", blue, "postgres")
                .target("green", green, "postgres")
                .target("blue14", pair.publisher(), LogicalPair.DATABASE)
                .target("green16", pair.subscriber(), LogicalPair.DATABASE)
                .target("restored", restored, "postgres")
                .deployment(PHYSICAL, "blue", "green", "physical")
                .logical(LOGICAL, "blue14", "green16", LogicalPair.SUBSCRIPTION, pair.slot())
                .logical(RESTORE, "blue", "restored", RESTORE_SUBSCRIPTION, RESTORE_SLOT));
        daemon.start(port);
        if (!daemon.awaitLagSeries(List.of(PHYSICAL, LOGICAL), Duration.ofSeconds(60), () -> shuttingDown)
                && !shuttingDown) {
            OUT.println("sandbox: warning: the deployments' lag is not exported yet, see " + daemon.url() + "/deployments");
        }
        checkNotShuttingDown();
    }

    /**
     * What a point-in-time restore at a slot's consistent point gives, on loopback: a pgoutput slot on blue (its
     * consistent LSN is returned), and a copy of blue's database as of that LSN in a new PostgreSQL 16 server (nothing
     * writes blue in between: the writers start afterwards). The copy is not subscribed; the README's attach runbook
     * does that.
     */
    private String prepareRestore() {
        blue.execute("postgres", "CREATE PUBLICATION " + RESTORE_PUBLICATION + " FOR ALL TABLES");
        String lsn = blue.queryString("postgres",
                "SELECT lsn::text FROM pg_create_logical_replication_slot('" + RESTORE_SLOT + "', 'pgoutput')");
        restored = announce("restored", open(PgServer.start("restored", 16)));
        Path dump = passwordFile.resolveSibling("blue-at-restore-point.sql");
        Map<String, String> env = Map.of("PGPASSWORD", PgServer.PASSWORD);
        Exec.run(List.of(PgDistribution.CLIENT_TOOLS.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(blue.port()), "-U", PgServer.SUPERUSER, "-d", "postgres", "--no-publications",
                "--no-subscriptions", "--no-owner", "--no-privileges", "-f", dump.toString()), Duration.ofMinutes(2), env, null);
        Exec.run(List.of(PgDistribution.CLIENT_TOOLS.resolve("psql").toString(), "-h", "127.0.0.1", "-p",
                String.valueOf(restored.port()), "-U", PgServer.SUPERUSER, "-d", "postgres", "-v", "ON_ERROR_STOP=1", "-q",
                "-f", dump.toString()), Duration.ofMinutes(2), env, null);
        return lsn;
    }

    private static int port() {
        String value = System.getProperty("sandbox.port");
        if (value == null || value.isBlank()) {
            return SandboxDaemon.DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(value.trim());
            if (port >= 1 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new IllegalArgumentException("-Dsandbox.port must be a port number (1-65535), not '" + value + "'");
    }

    private void step(String what) {
        checkNotShuttingDown();
        OUT.println("sandbox: " + what + " ...");
    }

    private void checkNotShuttingDown() {
        if (shuttingDown) {
            throw new IllegalStateException("interrupted");
        }
    }

    /** Says where a server listens and logs. */
    private static PgServer announce(String target, PgServer server) {
        OUT.println("sandbox:   " + target + " is up on 127.0.0.1:" + server.port() + " (log: " + server.logFile() + ")");
        return server;
    }

    private <T extends AutoCloseable> T open(T resource) {
        opened.push(resource);
        return resource;
    }

    /** The shutdown hook: lets a start step in progress finish (bounded), then closes everything. */
    private void shutdown() {
        shuttingDown = true;
        try {
            // The fixture's own hook stops the servers at the same time: the daemon's "target is down" is expected now.
            if (LoggerFactory.getLogger("io.pgbluegreen") instanceof Logger daemonLog) {
                daemonLog.setLevel(Level.ERROR);
            }
            if (!failed) {
                OUT.println(System.lineSeparator() + "sandbox: stopping ...");
            }
        } catch (RuntimeException | LinkageError e) {
            // nothing here may keep the teardown below from running
        }
        boolean locked = false;
        try {
            locked = starting.tryLock(3, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            teardown();
            if (!failed) {
                OUT.println("sandbox: stopped");
            }
        } finally {
            if (locked) {
                starting.unlock();
            }
        }
    }

    private synchronized void teardown() {
        while (!opened.isEmpty()) {
            try {
                opened.pop().close();
            } catch (UncheckedIOException e) {
                // the fixture's own shutdown hook deletes the same server directory at the same time
            } catch (Exception e) {
                ERR.println("sandbox: while stopping: " + reason(e));
            }
        }
    }

    private static void awaitShutdown() {
        CountDownLatch never = new CountDownLatch(1);
        while (true) {
            try {
                never.await();
            } catch (InterruptedException e) {
                // only the JVM's shutdown ends the sandbox
            }
        }
    }

    /** One line: the configuration problems, or the first message that is not a Micronaut wrapper's. */
    static String reason(Throwable error) {
        Throwable chosen = error;
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof InvalidConfigurationException invalid) {
                return "invalid configuration: " + String.join("; ", invalid.problems());
            }
            if (chosen.getClass().getName().startsWith("io.micronaut.") && t != chosen) {
                chosen = t;
            }
        }
        String message = chosen.getMessage() == null ? chosen.getClass().getSimpleName() : chosen.getMessage();
        return message.lines().findFirst().orElse(message);
    }

    PgServer blue() {
        return blue;
    }

    PgServer restored() {
        return restored;
    }

    /** The consistent LSN of the slot {@value #RESTORE_SLOT} on blue: where the restored copy stands. */
    public String restoreLsn() {
        return restoreLsn;
    }

    /** The daemon's base URL ({@code http://127.0.0.1:<port>}). */
    public String url() {
        return daemon.url();
    }

    /** The daemon's API token (also in {@code api.token} beside the password file). */
    public static String token() {
        return SandboxDaemon.TOKEN;
    }

    PgServer green() {
        return green;
    }

    LogicalPair pair() {
        return pair;
    }

    SandboxDaemon daemon() {
        return daemon;
    }

    Path passwordFile() {
        return passwordFile;
    }
}
