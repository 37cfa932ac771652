package io.pgbluegreen.bench.cutover;

import io.pgbluegreen.fixture.PgDistribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Write-unavailability benchmark of guarded cutovers (physical 15 -> standby, logical 14 -> 16): for each mode,
 * {@code --runs} cutovers under continuous write load on fresh pairs; writes {@code bench/results/cutover.md} and
 * prints it. Loopback only; every wait bounded.
 *
 * <pre>
 * --runs N                     runs per mode (default 10, at most 100)
 * --mode physical|logical|both (default both)
 * --via direct|pgbouncer|both  how the writers reach the database (default both): directly, moved to green by the
 *                              bench once the switch is seen; or through a real PgBouncer the daemon pauses and points
 *                              at green, never changing their connection string
 * --out FILE                   (default bench/results/cutover.md under the project)
 * --sample-interval D          the daemon's pg-bluegreen.sample-interval (default 200ms)
 * --writers N                  plain writers (default 4; plus one insisting writer unless --no-insisting-writer)
 * --physical-relogin           physical only: at the switch the bench runs ALTER ROLE app LOGIN on green (counted
 *                              in the window), because the fence's NOLOGIN reaches the standby through WAL
 * --as-shipped-runs K          with --physical-relogin: also K physical runs without it, reported as their own row
 * --diagnose K                 after the logical runs, K more with a catch-up probe (marker visible on green vs slot
 *                              confirmed on blue) and K with the probe and the subscription's synchronous_commit = on
 *                              (an experiment, not the product's setting); each reported as its own row
 * --measured-code TEXT         what was built, as the script saw it right after the build (default: asks git now)
 * --command TEXT               the command line to report (the script passes its own)
 * </pre>
 */
public final class CutoverBench {
    static final String PHYSICAL_RELOGIN = "physical (bench re-grants LOGIN on green)";
    static final String PHYSICAL_AS_SHIPPED = "physical (as shipped)";
    static final String LOGICAL_PROBED = "logical (diagnostic: catch-up probe)";
    static final String LOGICAL_SYNC_APPLY = "logical (experiment: subscription synchronous_commit = on, + probe)";
    static final String THROUGH_PGBOUNCER = " through PgBouncer";

    private CutoverBench() {
    }

    public static void main(String[] args) throws Exception {
        int runs = 10;
        String mode = "both";
        String via = "both";
        Path out = PgDistribution.projectDir().resolve("bench/results/cutover.md");
        String sampleInterval = "200ms";
        int writers = 4;
        boolean insisting = true;
        boolean relogin = false;
        int asShippedRuns = 0;
        int diagnose = 0;
        String measuredCode = null;
        String command = "java io.pgbluegreen.bench.cutover.CutoverBench " + String.join(" ", args);
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--runs" -> runs = Integer.parseInt(args[++i]);
                case "--mode" -> mode = args[++i];
                case "--via" -> via = args[++i];
                case "--out" -> out = Path.of(args[++i]);
                case "--sample-interval" -> sampleInterval = args[++i];
                case "--writers" -> writers = Integer.parseInt(args[++i]);
                case "--no-insisting-writer" -> insisting = false;
                case "--physical-relogin" -> relogin = true;
                case "--as-shipped-runs" -> asShippedRuns = Integer.parseInt(args[++i]);
                case "--diagnose" -> diagnose = Integer.parseInt(args[++i]);
                case "--measured-code" -> measuredCode = args[++i];
                case "--command" -> command = args[++i];
                default -> usage("unknown argument " + args[i]);
            }
        }
        if (runs < 1 || runs > 100) {
            usage("--runs must be 1..100");
        }
        if (asShippedRuns < 0 || asShippedRuns > 100) {
            usage("--as-shipped-runs must be 0..100");
        }
        if (diagnose < 0 || diagnose > 100) {
            usage("--diagnose must be 0..100");
        }
        if (writers < 1 || writers > 16) {
            usage("--writers must be 1..16");
        }
        List<String> modes = switch (mode) {
            case "both" -> List.of("physical", "logical");
            case "physical", "logical" -> List.of(mode);
            default -> {
                usage("--mode must be physical, logical or both");
                yield List.of();
            }
        };
        if (!List.of("direct", "pgbouncer", "both").contains(via)) {
            usage("--via must be direct, pgbouncer or both");
        }
        boolean direct = !via.equals("pgbouncer");
        boolean pooled = !via.equals("direct");
        CutoverRun.Settings settings = new CutoverRun.Settings(sampleInterval, writers, insisting, 2000, 10, 10_000, 1000, relogin,
                false, false, false);

        Map<String, String> machine = Machine.facts(measuredCode);
        String loadBefore = CutoverRun.loadAverage();
        long start = System.nanoTime();
        Map<String, List<RunResult>> results = new LinkedHashMap<>();
        for (String m : modes) {
            boolean physical = m.equals("physical");
            if (direct) {
                String label = physical && relogin ? PHYSICAL_RELOGIN : m;
                measure(m, label, runs, settings, results);
                if (physical && relogin && asShippedRuns > 0) {
                    measure(m, PHYSICAL_AS_SHIPPED, asShippedRuns, settings.withRelogin(false), results);
                }
                if (m.equals("logical") && diagnose > 0) {
                    measure(m, LOGICAL_PROBED, diagnose, settings.diagnostic(true, false), results);
                    measure(m, LOGICAL_SYNC_APPLY, diagnose, settings.diagnostic(true, true), results);
                }
            }
            if (pooled) {
                measure(m, m + THROUGH_PGBOUNCER, runs, settings.withRelogin(false).throughPgBouncer(true), results);
            }
        }
        long totalSeconds = (System.nanoTime() - start) / 1_000_000_000L;
        String markdown = Report.render(results, Report.aims(), settings, machine, command, totalSeconds, loadBefore,
                CutoverRun.loadAverage());
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, markdown);
        System.out.println(markdown);
        System.err.println("[cutover-bench] written to " + out);
        System.exit(0);
    }

    private static void measure(String mode, String label, int runs, CutoverRun.Settings settings,
                                Map<String, List<RunResult>> results) {
        List<RunResult> list = results.computeIfAbsent(label, k -> new ArrayList<>());
        for (int run = 1; run <= runs; run++) {
            long runStart = System.nanoTime();
            RunResult r = CutoverRun.run(mode, run, settings);
            list.add(r);
            System.err.printf("[cutover-bench] %s run %d/%d: %s, window %s ms%s, errors %d, lost %d, segments %s (%.1f s)%n",
                    label, run, runs, r.state(), Report.fmt(r.windowMs()), r.censored() ? " (censored)" : "", r.errors(),
                    r.lost(), r.segmentMs(), (System.nanoTime() - runStart) / 1e9);
        }
    }

    private static void usage(String problem) {
        System.err.println("CutoverBench: " + problem);
        System.err.println("usage: CutoverBench [--runs N] [--mode physical|logical|both] [--via direct|pgbouncer|both] [--out FILE] [--sample-interval 200ms]"
                + " [--writers 4] [--no-insisting-writer] [--physical-relogin [--as-shipped-runs K]] [--diagnose K] [--measured-code TEXT] [--command TEXT]");
        System.exit(2);
    }
}
