package io.pgbluegreen.readme;

import io.pgbluegreen.agent.PatroniAgents;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.readme.ReadmeRunbooks.Block;
import io.pgbluegreen.readme.ReadmeRunbooks.Command;
import io.pgbluegreen.readme.ReadmeRunbooks.Expectation;
import io.pgbluegreen.sandbox.Sandbox;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.DriverManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The README's runbooks, run as written: each marked block's commands through /bin/sh with curl, in README order,
 * with $PGBG, $TOKEN and $LSN set as the README says, and each answer checked against the line under the command
 * (HTTP status and every fragment; "(repeat until)": asked again every second until it matches, up to
 * {@link #REPEAT_FOR}; a 409 with {@code retryCanHelp} true is asked again up to 3 times, as the README says). The physical, rollback, attach and logical runbooks run against the sandbox of the README's
 * first command, started in-process; the Patroni switchover and the safety net (hold, release, hold, rollback)
 * against a 2-member Patroni cluster on etcd with a host agent beside each member, where the test writes the deploy
 * that goes wrong between the second hold and the rollback and checks that the rollback took it away. Everything is
 * torn down whatever happens.
 */
class ReadmeRunbookIT {
    /** The Patroni deployment the README names, and its cluster. */
    static final String PATRONI_DEPLOYMENT = "db";
    static final String PATRONI_CLUSTER = "main";
    private static final Duration REPEAT_FOR = Duration.ofMinutes(5);
    private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(90);
    private static final Pattern STATUS = Pattern.compile("(?m)^HTTP_STATUS (\\d{3})$");

    @Test
    void sandboxRunbooksRunAsWritten() throws Exception {
        Map<String, List<Block>> runbooks = ReadmeRunbooks.byRunbook(ReadmeRunbooks.parse());
        Path bin = curlWrapper();
        try (Sandbox sandbox = Sandbox.start(FreePort.next())) {
            Map<String, String> env = Map.of("PGBG", sandbox.url(), "TOKEN", Sandbox.token(), "LSN", sandbox.restoreLsn());
            for (String runbook : ReadmeRunbooks.SANDBOX_RUNBOOKS) {
                run(runbook, runbooks.get(runbook), bin, env, Map.of());
            }
        } finally {
            OsUser.deleteTree(bin);
        }
    }

    @Test
    void patroniRunbooksRunAsWritten() throws Exception {
        Map<String, List<Block>> runbooks = ReadmeRunbooks.byRunbook(ReadmeRunbooks.parse());
        Path bin = curlWrapper();
        Path journal = Files.createTempFile("pgbg-readme-runbook", ".jsonl");
        Files.delete(journal);
        try (PatroniCluster cluster = PatroniCluster.start("pbgreadme", 2);
             PatroniAgents agents = PatroniAgents.start(cluster, Daemon.TOKEN)) {
            sql(cluster, "node1", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)");
            sql(cluster, "node1", "INSERT INTO items (payload) SELECT 'before ' || g FROM generate_series(1, 100) g");
            Daemon.Config config = Daemon.config()
                    .target("node1", cluster.jdbcUrl("node1"), cluster.superuser(), cluster.superuserPassword())
                    .target("node2", cluster.jdbcUrl("node2"), cluster.superuser(), cluster.superuserPassword())
                    .set("pg-bluegreen.patroni." + PATRONI_CLUSTER + ".members", cluster.restUrls())
                    .deployment(PATRONI_DEPLOYMENT, "node1", "node2", "patroni")
                    .set("pg-bluegreen.deployments." + PATRONI_DEPLOYMENT + ".patroni-cluster", PATRONI_CLUSTER)
                    .set("pg-bluegreen.journal.path", journal.toString());
            agents.daemonProperties(PATRONI_CLUSTER).forEach(config::set);
            // the deploy that goes wrong, between the README's second hold and its rollback: rows on the leader (node2)
            Map<String, Hook> after = Map.of("safety-net/hold-again", () -> sql(cluster, "node2",
                    "INSERT INTO items (payload) SELECT 'deploy ' || g FROM generate_series(1, 50) g"));
            try (Daemon daemon = config.start()) {
                Map<String, String> env = Map.of("PGBG", daemon.url(), "TOKEN", Daemon.TOKEN);
                for (String runbook : ReadmeRunbooks.PATRONI_RUNBOOKS) {
                    run(runbook, runbooks.get(runbook), bin, env, after);
                }
            }
            assertEquals("node1", cluster.leaderName(), "the safety net's rollback made node1 the leader again");
            assertFalse(cluster.isMaintenanceMode());
            assertEquals("100", sql(cluster, "node1", "SELECT count(*) FROM items"),
                    "the rows before the net are there, the deploy's are not");
        } finally {
            OsUser.deleteTree(bin);
            Files.deleteIfExists(journal);
        }
    }

    /** Something the test does between two steps, where the README's prose says it happens (the deploy). */
    interface Hook {
        void run() throws Exception;
    }

    private static String sql(PatroniCluster cluster, String member, String statement) throws Exception {
        try (var c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             var s = c.createStatement()) {
            if (!s.execute(statement)) {
                return null;
            }
            try (var rows = s.getResultSet()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    private static void run(String runbook, List<Block> blocks, Path bin, Map<String, String> env, Map<String, Hook> after)
            throws Exception {
        if (blocks == null || blocks.isEmpty()) {
            fail("README.md has no block with runbook=" + runbook);
        }
        for (Block block : blocks) {
            if (!block.problems().isEmpty()) {
                fail(block.where() + " is malformed: " + block.problems());
            }
            for (Command command : block.commands()) {
                check(block, command, bin, env);
            }
            Hook hook = after.get(block.runbook() + "/" + block.step());
            if (hook != null) {
                hook.run();
            }
        }
    }

    /** Runs the command (again every second while it is to be repeated) until its answer is the README's. */
    private static void check(Block block, Command command, Path bin, Map<String, String> env) throws Exception {
        Expectation expected = command.expectation();
        long deadline = System.nanoTime() + REPEAT_FOR.toNanos();
        int tries = 0;
        while (true) {
            tries++;
            Result result = sh(command.text(), bin, env);
            List<String> missing = result.missing(expected);
            if (missing.isEmpty()) {
                System.out.println("runbook " + block.runbook() + "/" + block.step() + ": " + command.text()
                        + "\n  -> " + result.status + (tries > 1 ? " after " + tries + " tries" : "") + " " + abridged(result.out));
                return;
            }
            // what the README tells the operator for a 409 whose retryCanHelp is true (a live gate read that timed
            // out on a loaded machine, a busy deployment): ask again
            boolean retryCanHelp = result.status == 409 && expected.status() != 409
                    && result.out.contains("\"retryCanHelp\":true") && tries < 4;
            if (retryCanHelp) {
                System.out.println("runbook " + block.runbook() + "/" + block.step() + ": 409 with retryCanHelp, asking again: "
                        + abridged(result.out));
                Thread.sleep(3000);
                continue;
            }
            if (!expected.repeat() || System.nanoTime() > deadline) {
                fail(block.where() + ": " + command.text() + "\n  expected: " + expected.text() + "\n  missing: " + missing
                        + (tries > 1 ? "\n  (after " + tries + " tries)" : "") + "\n  status: " + result.status
                        + "\n  stdout: " + result.out + "\n  stderr: " + result.err);
            }
            Thread.sleep(1000);
        }
    }

    private record Result(int status, String out, String err) {
        List<String> missing(Expectation expected) {
            List<String> missing = new ArrayList<>();
            if (status != expected.status()) {
                missing.add("status " + expected.status());
            }
            for (String fragment : expected.fragments()) {
                if (!out.contains(fragment)) {
                    missing.add(fragment);
                }
            }
            return missing;
        }
    }

    private static Result sh(String command, Path bin, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder("/bin/sh", "-c", command);
        builder.environment().putAll(env);
        builder.environment().put("PATH", bin + File.pathSeparator + System.getenv("PATH"));
        Path out = Files.createTempFile("runbook", ".out");
        Path err = Files.createTempFile("runbook", ".err");
        try {
            Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!process.waitFor(COMMAND_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                process.destroyForcibly();
                fail("no answer within " + COMMAND_TIMEOUT + ": " + command);
            }
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Matcher m = STATUS.matcher(stderr);
            int status = 0;
            while (m.find()) {
                status = Integer.parseInt(m.group(1));
            }
            return new Result(status, Files.readString(out, StandardCharsets.UTF_8), stderr);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /**
     * A directory put first on the commands' PATH, holding a {@code curl} that runs the real one as the README wrote
     * it, adding only: the HTTP status on stderr, no proxy (loopback only) and a time limit.
     */
    private static Path curlWrapper() throws IOException {
        String real = null;
        for (String dir : System.getenv("PATH").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "curl"))) {
                real = Path.of(dir, "curl").toString();
                break;
            }
        }
        if (real == null) {
            throw new IllegalStateException("curl is not installed");
        }
        Path bin = Files.createTempDirectory("runbook-bin");
        Path wrapper = bin.resolve("curl");
        Files.writeString(wrapper, "#!/bin/sh\nexec " + real + " --noproxy '*' --max-time " + (COMMAND_TIMEOUT.toSeconds() - 10)
                + " -w '%{stderr}HTTP_STATUS %{http_code}\\n' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
        return bin;
    }

    private static String abridged(String text) {
        String oneLine = text.replace('\n', ' ').strip();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + " ...";
    }
}
