package io.pgbluegreen.bench.patroni;

import io.pgbluegreen.bench.cutover.TimedWriteLoad;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.operation.StepView;
import io.pgbluegreen.pgbouncer.PgBouncerSettings;
import io.pgbluegreen.pgbouncer.PgBouncerSwitch;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measured switchover on the shared cluster, one of three ways, under a timed write load through PgBouncer (the
 * writers' connection string never changes):
 *
 * <ul>
 *   <li>{@link #DAEMON}: {@code POST /deployments/{ab|ba}/cutover} (blue = the current leader's target), followed
 *       with {@code GET /operations/{id}} every {@code pollMs} until switch_connections succeeded; the daemon pauses
 *       PgBouncer, asks Patroni for the switchover, waits for green to take a write, points PgBouncer at green,
 *       resumes it;</li>
 *   <li>{@link #PATRONICTL}: {@code patronictl -c <leader's patroni.yml> switchover --leader X --candidate Y --force};
 *       PgBouncer is left alone until patronictl returns, then the operator's script repoints it (rewrites the
 *       [databases] entry, RELOAD, checks SHOW DATABASES; the admin session was opened before patronictl ran);</li>
 *   <li>{@link #PATRONICTL_PAUSED}: the same script, plus {@code PAUSE app} before patronictl (its RESUME comes with
 *       the repoint): the minimal hand-rolled equivalent of the daemon's way, without its gate and checks.</li>
 * </ul>
 *
 * Every wait is bounded. Between runs the table is truncated on the leader (payloads restart per load).
 */
final class SwitchoverRun {
    static final String DAEMON = "daemon";
    static final String PATRONICTL = "patronictl";
    static final String PATRONICTL_PAUSED = "patronictl-paused";
    static final List<String> WAYS = List.of(DAEMON, PATRONICTL, PATRONICTL_PAUSED);

    static final Duration HEALTHY_TIMEOUT = Duration.ofSeconds(120);
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(150);
    static final Duration PATRONICTL_TIMEOUT = Duration.ofSeconds(120);
    static final int POST_TRIES = 5;

    /** {@code serverLoginRetry}: PgBouncer's server_login_retry in s, or -1 for its default (15 s). */
    record Settings(int writers, long warmupMs, long pollMs, long afterWaitMs, long settleMs, String sampleInterval,
                    int serverLoginRetry) {
    }

    /** What one run measured; times in ms. */
    record Result(String way, int run, String direction, String state, double windowMs, boolean censored,
                  double gapStartMs, int errors, long acked, long lost, double requestMs, Map<String, Double> stepMs,
                  Map<String, Double> segmentMs, String loadAverage, List<String> errorSamples, String detail) {
        boolean succeeded() {
            return "succeeded".equals(state);
        }

        boolean measured() {
            return succeeded() && !Double.isNaN(windowMs);
        }
    }

    private final PatroniCluster cluster;
    private final PgBouncerServer bouncer;
    private final Daemon daemon;
    private final Settings settings;

    SwitchoverRun(PatroniCluster cluster, PgBouncerServer bouncer, Daemon daemon, Settings settings) {
        this.cluster = cluster;
        this.bouncer = bouncer;
        this.daemon = daemon;
        this.settings = settings;
    }

    Result run(String way, int index) {
        String loadAverage = loadAverage();
        String direction = "?";
        try {
            cluster.awaitHealthy(HEALTHY_TIMEOUT);
            String leader = cluster.leaderName();
            String candidate = cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
            direction = leader + " -> " + candidate;
            truncate(leader);
            return way.equals(DAEMON) ? viaDaemon(index, leader, candidate, direction, loadAverage)
                    : viaPatronictl(way, index, leader, candidate, direction, loadAverage);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            return new Result(way, index, direction, "error", Double.NaN, false, Double.NaN, 0, 0, 0, Double.NaN, Map.of(),
                    Map.of(), loadAverage, List.of(), String.valueOf(e.getMessage()).lines().findFirst().orElse(""));
        }
    }

    // ---------------------------------------------------------------- the daemon's way

    private Result viaDaemon(int index, String leader, String candidate, String direction, String loadAverage) throws Exception {
        String deployment = PatroniBench.deployment(leader);
        Gates.awaitReady(daemon, deployment, READY_TIMEOUT);
        TimedWriteLoad load = newLoad();
        long monoOrigin;
        long wallOrigin;
        long requestNanos;
        double requestMs;
        long switchSeen = -1;
        long endNanos;
        String note = "";
        OperationView started;
        try {
            Thread.sleep(settings.warmupMs());
            monoOrigin = System.nanoTime();
            wallOrigin = epochNanos(Instant.now());
            requestNanos = System.nanoTime();
            started = post(deployment);
            requestMs = ms(System.nanoTime() - requestNanos);
            long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
            OperationView view = started;
            while (System.nanoTime() < deadline) {
                view = Operations.read(daemon, daemon.get("/operations/" + started.id()).body());
                if (stepSucceeded(view, "switch_connections")) {
                    switchSeen = System.nanoTime();
                    break;
                }
                if (!"running".equals(view.state())) {
                    break;
                }
                Thread.sleep(settings.pollMs());
            }
            if (switchSeen > 0) {
                note += awaitCommitAfter(load, switchSeen);
            } else {
                note += "switch never seen, operation " + view.state() + ": " + view.detail();
            }
            Thread.sleep(settings.settleMs());
            endNanos = System.nanoTime();
        } finally {
            load.stop();
        }
        OperationView op = Operations.awaitEnd(daemon, started.id(), OPERATION_TIMEOUT);
        Map<String, Double> steps = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        // PgBouncer was paused until switch_connections: every commit from its start on went to green
        long switchPoint = op.steps().stream().filter(s -> s.name().equals("switch_connections") && s.startedAt() != null)
                .mapToLong(s -> monoOrigin + epochNanos(s.startedAt()) - wallOrigin).findFirst().orElse(-1);
        for (StepView step : op.steps()) {
            if (step.startedAt() != null && step.finishedAt() != null) {
                steps.put(step.name(), ms(epochNanos(step.finishedAt()) - epochNanos(step.startedAt())));
                if (List.of("pause_pgbouncer", "switchover", "await_new_leader", "switch_connections").contains(step.name())) {
                    events.add(new Event(step.name(), monoOrigin + epochNanos(step.finishedAt()) - wallOrigin));
                }
            }
        }
        if (!"succeeded".equals(op.state())) {
            note += (note.isEmpty() ? "" : "; ") + "operation " + op.state() + ": " + op.detail();
        }
        // the writers see the switch when PgBouncer resumes: that is switch_connections' end, not the poller's view
        return result(DAEMON, index, direction, stepSucceeded(op, "switch_connections") ? "succeeded" : op.state(), load,
                requestNanos, requestMs, endNanos, switchPoint, events, "PgBouncer resumed -> first commit through it", candidate, steps,
                loadAverage, note);
    }

    private OperationView post(String deployment) throws InterruptedException {
        String last = "";
        for (int attempt = 0; attempt < POST_TRIES; attempt++) {
            var response = daemon.post("/deployments/" + deployment + "/cutover", null);
            if (response.statusCode() == 202) {
                return Operations.read(daemon, response.body());
            }
            last = response.statusCode() + ": " + response.body();
            System.err.println("[patroni-bench] cutover refused, retrying: " + last);
            Thread.sleep(1000);
        }
        throw new IllegalStateException("cutover refused " + POST_TRIES + " times, last " + last);
    }

    // ---------------------------------------------------------------- patronictl + the operator's script

    private Result viaPatronictl(String way, int index, String leader, String candidate, String direction,
                                 String loadAverage) throws Exception {
        boolean paused = way.equals(PATRONICTL_PAUSED);
        Path config = cluster.home().resolve(leader).resolve("patroni.yml");
        List<String> command = List.of(PatroniBench.patronictl(), "-c", config.toString(), "switchover",
                "--leader", leader, "--candidate", candidate, "--force");
        PgBouncerSettings pgb = new PgBouncerSettings(bouncer.adminUrl(), PgBouncerServer.ADMIN, null, PatroniBench.POOLED_DATABASE,
                bouncer.configFile().toString(), "psql");
        Map<String, Double> steps = new LinkedHashMap<>();
        List<Event> events = new ArrayList<>();
        String note = "";
        String state = "succeeded";
        long requestNanos;
        long endNanos;
        long repointStart;
        TimedWriteLoad load = newLoad();
        try (PgBouncerSwitch console = new PgBouncerSwitch(pgb, Duration.ofSeconds(30))) {
            console.connect();
            try {
                Thread.sleep(settings.warmupMs());
                requestNanos = System.nanoTime();
                if (paused) {
                    console.pause();
                    long pausedAt = System.nanoTime();
                    steps.put("PAUSE app", ms(pausedAt - requestNanos));
                    events.add(new Event("PAUSE returned", pausedAt));
                }
                long ctlStart = System.nanoTime();
                Exec.Result ctl = Exec.runAllowingFailure(command, PATRONICTL_TIMEOUT);
                long ctlEnd = System.nanoTime();
                steps.put("patronictl switchover (exec to exit)", ms(ctlEnd - ctlStart));
                events.add(new Event("patronictl returned", ctlEnd));
                boolean ok = ctl.exitCode() == 0 && ctl.output().contains("Successfully switched over");
                if (!ok) {
                    state = "failed";
                    note += "patronictl exit " + ctl.exitCode() + ": " + lastLines(ctl.output());
                }
                // the script repoints PgBouncer at the candidate it named (RELOAD, SHOW check, RESUME if paused)
                repointStart = System.nanoTime();
                console.pointAt(cluster.jdbcUrl(ok ? candidate : leader));
                long repointed = System.nanoTime();
                steps.put("repoint PgBouncer (rewrite entry, RELOAD, SHOW, RESUME)", ms(repointed - repointStart));
                events.add(new Event("PgBouncer repointed", repointed));
                note += awaitCommitAfter(load, repointed);
                Thread.sleep(settings.settleMs());
                endNanos = System.nanoTime();
            } finally {
                load.stop();
            }
        }
        String newLeader = cluster.leaderName();
        if (!newLeader.equals(candidate) && "succeeded".equals(state)) {
            state = "failed";
            note += (note.isEmpty() ? "" : "; ") + "leader afterwards is " + newLeader;
        }
        return result(way, index, direction, state, load, requestNanos, Double.NaN, endNanos, repointStart, events,
                "repointed -> first commit through PgBouncer", newLeader, steps, loadAverage, note);
    }

    // ---------------------------------------------------------------- shared

    private record Event(String name, long nanos) {
    }

    private TimedWriteLoad newLoad() {
        return new TimedWriteLoad("pgbouncer", bouncer.jdbcUrl(PatroniBench.POOLED_DATABASE), PatroniBench.APP_USER,
                PatroniBench.APP_PASSWORD, settings.writers(), false);
    }

    /** Waits (bounded) for a commit acknowledged after {@code nanos}; returns a note when none came. */
    private String awaitCommitAfter(TimedWriteLoad load, long nanos) throws InterruptedException {
        long deadline = System.nanoTime() + settings.afterWaitMs() * 1_000_000;
        while (load.lastAckNanos() < nanos && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return load.lastAckNanos() < nanos ? "no commit through PgBouncer within " + settings.afterWaitMs() + " ms" : "";
    }

    private Result result(String way, int index, String direction, String state, TimedWriteLoad load, long requestNanos,
                          double requestMs, long endNanos, long switchPoint, List<Event> events, String lastSegment, String newLeader,
                          Map<String, Double> steps, String loadAverage, String note) throws Exception {
        List<TimedWriteLoad.Ack> acks = load.acks();
        acks.sort(Comparator.comparingLong(TimedWriteLoad.Ack::nanos));
        long from = requestNanos - 1_000_000_000L;
        long previous = -1;
        long gapStart = -1;
        long gapEnd = -1;
        for (TimedWriteLoad.Ack ack : acks) {
            if (ack.nanos() < from) {
                previous = ack.nanos();
                continue;
            }
            if (previous >= 0 && ack.nanos() - previous > gapEnd - gapStart) {
                gapStart = previous;
                gapEnd = ack.nanos();
            }
            previous = ack.nanos();
        }
        // the first commit once the writers were let through (switch_connections' start, the repoint's start)
        long firstAfter = switchPoint < 0 ? -1
                : acks.stream().mapToLong(TimedWriteLoad.Ack::nanos).filter(t -> t >= switchPoint).min().orElse(-1);
        boolean censored = firstAfter < 0 && previous >= 0 && endNanos - previous > gapEnd - gapStart;
        if (censored) {
            gapStart = previous;
            gapEnd = endNanos;
        }
        double window = gapStart < 0 ? Double.NaN : ms(gapEnd - gapStart);

        // the window cut at each event, each clipped to it: an event before the last commit gives 0 (commits are
        // stamped by the client after the acknowledgement arrived), and a commit can be acknowledged before the step
        // that let it through was stamped as ended (then that step's segment ends at the commit and the last one is
        // 0); the segments add up to the window
        Map<String, Double> segments = new LinkedHashMap<>();
        if (gapStart >= 0 && !censored && gapEnd == firstAfter) {
            long boundary = gapStart;
            boolean first = true;
            for (Event e : events) {
                long at = Math.max(gapStart, Math.min(e.nanos(), gapEnd));
                segments.put(first ? "last commit -> " + e.name() : e.name(), ms(at - boundary));
                boundary = at;
                first = false;
            }
            segments.put(lastSegment, ms(gapEnd - boundary));
        } else if (firstAfter >= 0 && gapEnd != firstAfter) {
            note += (note.isEmpty() ? "" : "; ") + "longest gap is not the one that ends with the first commit after the switch";
        }

        Set<String> onNewLeader = new HashSet<>(query(newLeader, "SELECT payload FROM items"));
        long lost = acks.stream().filter(a -> !onNewLeader.contains(a.payload())).count();
        return new Result(way, index, direction, state, window, censored, gapStart < 0 ? Double.NaN : ms(gapStart - requestNanos),
                load.errors(), acks.size(), lost, requestMs, steps, segments, loadAverage, load.errorSamples(), note);
    }

    private void truncate(String leader) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '30s'");
            s.execute("TRUNCATE items");
        }
    }

    private List<String> query(String member, String sql) throws Exception {
        List<String> rows = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(member), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = '60s'");
            try (ResultSet rs = s.executeQuery(sql)) {
                while (rs.next()) {
                    rows.add(rs.getString(1));
                }
            }
        }
        return rows;
    }

    private static boolean stepSucceeded(OperationView view, String step) {
        return view.steps().stream().anyMatch(s -> s.name().equals(step) && "succeeded".equals(s.state()));
    }

    private static String lastLines(String output) {
        List<String> lines = output.strip().lines().filter(l -> !l.isBlank() && !l.startsWith("+") && !l.startsWith("|")).toList();
        return String.join(" / ", lines.subList(Math.max(0, lines.size() - 3), lines.size()));
    }

    static long epochNanos(Instant instant) {
        return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
    }

    static double ms(long nanos) {
        return Math.round(nanos / 10_000.0) / 100.0;
    }

    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (Exception e) {
            return "unknown";
        }
    }
}
