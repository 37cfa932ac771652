package io.pgbluegreen.bench.cutover;

import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.operation.StepView;
import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One measured cutover: a fresh pair, the daemon in-process, write load on blue, POST /cutover, GET
 * /operations/{id} every {@code pollMs} until switch_connections succeeded (or the operation ended), writers moved
 * to green, then a short settle on green, the operation followed to its end, and green checked for every
 * acknowledged payload. Every wait is bounded.
 *
 * <p>The window (longest gap between consecutive acknowledged commits) is cut into segments that add up to it:
 * last commit before the gap to the end of fence_blue (the fence ends the writers' sessions), then each following
 * step up to switch_connections measured end to end (so the journal fsyncs between steps count to the step after
 * them), then the poller seeing the switch, (physical with re-login: the bench's ALTER ROLE app LOGIN on green,)
 * then the writers' first commit on green.
 *
 * <p>Through PgBouncer the writers never change their connection string: the daemon PAUSEs PgBouncer at the fence and
 * points it at green (RELOAD, RESUME) in switch_connections, so every commit from switch_connections' start on is
 * green's, and the last segment runs from switch_connections' end to the first commit through PgBouncer.
 */
final class CutoverRun {
    static final Duration READY_TIMEOUT = Duration.ofSeconds(90);
    static final Duration OPERATION_TIMEOUT = Duration.ofSeconds(120);
    static final int POST_TRIES = 5;

    /** Settings of a run, reported with the results. */
    record Settings(String sampleInterval, int writers, boolean insistingWriter, long warmupMs, long pollMs,
                    long greenWaitMs, long settleMs, boolean physicalRelogin, boolean probeCatchUp, boolean syncApply,
                    boolean pgbouncer) {
        Settings withRelogin(boolean relogin) {
            return new Settings(sampleInterval, writers, insistingWriter, warmupMs, pollMs, greenWaitMs, settleMs, relogin,
                    probeCatchUp, syncApply, pgbouncer);
        }

        /** Logical diagnostics: the catch-up probe, and optionally the subscription's synchronous_commit = on. */
        Settings diagnostic(boolean probe, boolean sync) {
            return new Settings(sampleInterval, writers, insistingWriter, warmupMs, pollMs, greenWaitMs, settleMs,
                    physicalRelogin, probe, sync, pgbouncer);
        }

        /** The applications connect through a real PgBouncer that the daemon switches. */
        Settings throughPgBouncer(boolean through) {
            return new Settings(sampleInterval, writers, insistingWriter, warmupMs, pollMs, greenWaitMs, settleMs,
                    physicalRelogin, probeCatchUp, syncApply, through);
        }
    }

    private final BenchPair pair;
    private final Settings settings;
    private final int index;
    private double postMs = Double.NaN;

    private CutoverRun(BenchPair pair, Settings settings, int index) {
        this.pair = pair;
        this.settings = settings;
        this.index = index;
    }

    static RunResult run(String mode, int index, Settings settings) {
        String loadAverage = loadAverage();
        BenchPair pair = null;
        try {
            pair = BenchPair.start(mode, settings.pgbouncer());
            return new CutoverRun(pair, settings, index).measure(loadAverage);
        } catch (Exception | AssertionError e) {
            e.printStackTrace();
            return new RunResult(mode, index, "error", Double.NaN, false, Double.NaN, 0, 0, 0, 0, 0, 0, Double.NaN,
                    Map.of(), Map.of(), loadAverage, List.of(), String.valueOf(e.getMessage()), Map.of());
        } finally {
            BenchPair.closeAll(pair);
        }
    }

    private RunResult measure(String loadAverage) throws Exception {
        String deployment = pair.deployment();
        boolean logical = "logical".equals(pair.mode());
        if (logical && settings.syncApply()) {
            // experiment: the apply worker commits synchronously, so its feedback can confirm the marker at once
            pair.green().execute(pair.database(), "ALTER SUBSCRIPTION " + LogicalPair.SUBSCRIPTION
                    + " SET (synchronous_commit = 'on')");
        }
        try (Daemon daemon = pair.configure(Daemon.config().set("pg-bluegreen.sample-interval", settings.sampleInterval())).start()) {
            Gates.awaitReady(daemon, deployment, READY_TIMEOUT);
            TimedWriteLoad load = new TimedWriteLoad(pair.throughPgBouncer() ? "pgbouncer" : "blue", pair.applicationUrl(),
                    BenchPair.APP_USER, BenchPair.APP_PASSWORD, settings.writers(), settings.insistingWriter());
            long postNanos;
            long switchSeenNanos = -1;
            long reloginNanos = -1;
            long endNanos;
            OperationView started;
            String note = "";
            long wallOrigin;
            long monoOrigin;
            CatchUpProbe probe = null;
            try {
                Thread.sleep(settings.warmupMs());
                monoOrigin = System.nanoTime();
                wallOrigin = epochNanos(Instant.now());
                postNanos = System.nanoTime();
                started = post(daemon, deployment);
                long acceptedNanos = System.nanoTime();
                postMs = ms(acceptedNanos - postNanos);
                if (logical && settings.probeCatchUp()) {
                    probe = new CatchUpProbe(pair.blue(), pair.green(), started.id());
                }
                long deadline = System.nanoTime() + OPERATION_TIMEOUT.toNanos();
                OperationView view = started;
                while (System.nanoTime() < deadline) {
                    view = Operations.read(daemon, daemon.get("/operations/" + started.id()).body());
                    if (switched(view)) {
                        switchSeenNanos = System.nanoTime();
                        break;
                    }
                    if (!"running".equals(view.state())) {
                        break;
                    }
                    Thread.sleep(settings.pollMs());
                }
                if (probe != null) {
                    probe.close();
                }
                if (switchSeenNanos > 0 && pair.throughPgBouncer()) {
                    // nothing to move: PgBouncer already points at green and was resumed
                    long greenDeadline = System.nanoTime() + settings.greenWaitMs() * 1_000_000;
                    while (load.lastAckNanos() < switchSeenNanos && System.nanoTime() < greenDeadline) {
                        Thread.sleep(5);
                    }
                    if (load.lastAckNanos() < switchSeenNanos) {
                        note += "no commit through PgBouncer within " + settings.greenWaitMs() + " ms of the switch";
                    }
                } else if (switchSeenNanos > 0) {
                    if (settings.physicalRelogin() && "physical".equals(pair.mode())) {
                        // the operator's extra step: the fence's NOLOGIN replicated to the standby with the catalog
                        pair.green().execute(pair.database(), "ALTER ROLE " + BenchPair.APP_USER + " LOGIN");
                        reloginNanos = System.nanoTime();
                    }
                    load.target("green", pair.greenUrl());
                    long greenDeadline = System.nanoTime() + settings.greenWaitMs() * 1_000_000;
                    while (load.firstAckOn("green") < 0 && System.nanoTime() < greenDeadline) {
                        Thread.sleep(5);
                    }
                    if (load.firstAckOn("green") < 0) {
                        note += "no commit on green within " + settings.greenWaitMs() + " ms";
                    }
                } else {
                    note += "switch never seen, operation " + view.state() + ": " + view.detail();
                }
                Thread.sleep(settings.settleMs());
                endNanos = System.nanoTime();
            } finally {
                load.stop();
                if (probe != null) {
                    probe.close();
                }
            }
            OperationView finished = Operations.awaitEnd(daemon, started.id(), OPERATION_TIMEOUT);
            return result(finished, load, postNanos, switchSeenNanos, reloginNanos, endNanos, monoOrigin, wallOrigin, loadAverage, note,
                    probe);
        }
    }

    private RunResult result(OperationView op, TimedWriteLoad load, long postNanos, long switchSeenNanos, long reloginNanos, long endNanos,
                             long monoOrigin, long wallOrigin, String loadAverage, String note,
                             CatchUpProbe probe) {
        List<TimedWriteLoad.Ack> acks = load.acks();
        acks.sort(Comparator.comparingLong(TimedWriteLoad.Ack::nanos));
        long from = postNanos - 1_000_000_000L;
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
        // through PgBouncer, commits from switch_connections' start on are green's (PgBouncer was paused until then)
        long switchStart = stepMono(op, "switch_connections", true, monoOrigin, wallOrigin);
        boolean pooled = pair.throughPgBouncer();
        long firstGreen = !pooled ? load.firstAckOn("green")
                : switchStart < 0 ? -1 : acks.stream().mapToLong(TimedWriteLoad.Ack::nanos).filter(t -> t >= switchStart).min().orElse(-1);
        boolean censored = firstGreen < 0 && previous >= 0 && endNanos - previous > gapEnd - gapStart;
        if (censored) {
            gapStart = previous;
            gapEnd = endNanos;
        }
        double window = gapStart < 0 ? Double.NaN : ms(gapEnd - gapStart);

        Map<String, Double> steps = new LinkedHashMap<>();
        for (StepView step : op.steps()) {
            if (step.startedAt() != null && step.finishedAt() != null) {
                steps.put(step.name(), ms(epochNanos(step.finishedAt()) - epochNanos(step.startedAt())));
            }
        }
        Map<String, Double> segments = segments(op, gapStart, switchSeenNanos, reloginNanos, firstGreen, monoOrigin, wallOrigin);

        Set<String> onGreen = new HashSet<>(pair.green().queryList(pair.database(), "SELECT payload FROM items"));
        long lost = acks.stream().filter(a -> !onGreen.contains(a.payload())).count();
        long duplicates = pair.green().queryLong(pair.database(), "SELECT count(*) - count(DISTINCT payload) FROM items");
        long onGreenAcks = !pooled ? acks.stream().filter(a -> a.side().equals("green")).count()
                : switchStart < 0 ? 0 : acks.stream().filter(a -> a.nanos() >= switchStart).count();
        int errorsOnGreen = !pooled ? load.errorsAimingAtGreen() : switchStart < 0 ? 0 : load.errorsSince(switchStart);
        if (firstGreen >= 0 && gapEnd != firstGreen) {
            note += (note.isEmpty() ? "" : "; ") + "longest gap is not the blue->green gap (that one: " + ms(firstGreen - lastBefore(acks, firstGreen)) + " ms)";
        }
        if (!"succeeded".equals(op.state())) {
            note += (note.isEmpty() ? "" : "; ") + "operation: " + op.detail();
        }
        return new RunResult(pair.mode(), index, op.state(), window, censored, gapStart < 0 ? Double.NaN : ms(gapStart - postNanos),
                load.errors(), errorsOnGreen, acks.size(), onGreenAcks, lost, duplicates, postMs, steps, segments, loadAverage,
                load.errorSamples(), note, probeMs(op, probe, monoOrigin, wallOrigin));
    }

    /** Consecutive segments from the last commit before the gap to the first commit on green. */
    private Map<String, Double> segments(OperationView op, long gapStart, long switchSeen, long relogin, long firstGreen, long monoOrigin,
                                         long wallOrigin) {
        Map<String, Double> segments = new LinkedHashMap<>();
        if (gapStart < 0 || switchSeen < 0 || firstGreen < 0) {
            return segments;
        }
        List<String> names = op.steps().stream().map(StepView::name).toList();
        int fence = names.indexOf("fence_blue");
        int switchStep = names.indexOf("switch_connections");
        if (fence < 0 || switchStep < 0) {
            return segments;
        }
        long boundary = gapStart;
        for (int i = fence; i <= switchStep; i++) {
            StepView step = op.steps().get(i);
            if (step.finishedAt() == null) {
                return segments;
            }
            long end = monoOrigin + epochNanos(step.finishedAt()) - wallOrigin;
            segments.put(i == fence ? "last commit on blue -> fence_blue end" : step.name(), ms(end - boundary));
            boundary = end;
        }
        if (pair.throughPgBouncer()) {
            segments.put("PgBouncer resumed -> first commit through it", ms(firstGreen - boundary));
            return segments;
        }
        segments.put("poller sees switch", ms(switchSeen - boundary));
        long writersMoved = switchSeen;
        if (relogin > 0) {
            segments.put("bench: ALTER ROLE app LOGIN on green (new superuser session)", ms(relogin - switchSeen));
            writersMoved = relogin;
        }
        segments.put("writers reconnect + first commit on green", ms(firstGreen - writersMoved));
        return segments;
    }

    /** The catch-up probe's split of catch_up, relative to catch_up's start. */
    private static Map<String, Double> probeMs(OperationView op, CatchUpProbe probe, long monoOrigin, long wallOrigin) {
        Map<String, Double> split = new LinkedHashMap<>();
        if (probe == null) {
            return split;
        }
        StepView quiet = op.steps().stream().filter(s -> s.name().equals("prove_quiet")).findFirst().orElse(null);
        StepView catchUp = op.steps().stream().filter(s -> s.name().equals("catch_up")).findFirst().orElse(null);
        if (quiet == null || catchUp == null || catchUp.startedAt() == null) {
            return split;
        }
        long start = monoOrigin + epochNanos(catchUp.startedAt()) - wallOrigin;
        long finalLsn = CatchUpProbe.finalPosition(quiet.detail());
        long marker = probe.markerVisible();
        long confirmed = finalLsn < 0 ? -1 : probe.confirmedAtLeast(finalLsn);
        split.put("marker visible on green", marker < 0 ? Double.NaN : ms(marker - start));
        split.put("slot confirmed_flush_lsn >= final position", confirmed < 0 ? Double.NaN : ms(confirmed - start));
        if (catchUp.finishedAt() != null) {
            split.put("catch_up step ends", ms(epochNanos(catchUp.finishedAt()) - epochNanos(catchUp.startedAt())));
        }
        return split;
    }

    /** A step's start (or end) on this JVM's nanoTime scale, or -1 when it has none. */
    private static long stepMono(OperationView op, String name, boolean start, long monoOrigin, long wallOrigin) {
        return op.steps().stream().filter(s -> s.name().equals(name))
                .map(s -> start ? s.startedAt() : s.finishedAt())
                .filter(java.util.Objects::nonNull)
                .mapToLong(at -> monoOrigin + epochNanos(at) - wallOrigin)
                .findFirst().orElse(-1);
    }

    private static long lastBefore(List<TimedWriteLoad.Ack> sorted, long nanos) {
        long last = nanos;
        for (TimedWriteLoad.Ack ack : sorted) {
            if (ack.nanos() >= nanos) {
                break;
            }
            last = ack.nanos();
        }
        return last;
    }

    private static boolean switched(OperationView view) {
        if ("succeeded".equals(view.state())) {
            return true;
        }
        return view.steps().stream().anyMatch(s -> s.name().equals("switch_connections") && "succeeded".equals(s.state()));
    }

    /** POST the cutover; a 409 (the live gate saw a momentary failure) is retried a few times, 1 s apart. */
    private static OperationView post(Daemon daemon, String deployment) throws InterruptedException {
        String last = "";
        for (int attempt = 0; attempt < POST_TRIES; attempt++) {
            var response = daemon.post("/deployments/" + deployment + "/cutover", null);
            if (response.statusCode() == 202) {
                return Operations.read(daemon, response.body());
            }
            last = response.statusCode() + ": " + response.body();
            System.err.println("[cutover-bench] cutover refused, retrying: " + last);
            Thread.sleep(1000);
        }
        throw new IllegalStateException("cutover refused " + POST_TRIES + " times, last " + last);
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
