package io.pgbluegreen.bench.cutover;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The markdown results: summary per mode, per-run list, where the window goes, settings and machine facts. */
public final class Report {
    private Report() {
    }

    /** Nearest-rank percentile of the values (NaN when there are none). */
    public static double percentile(List<Double> values, double p) {
        List<Double> sorted = values.stream().filter(v -> !Double.isNaN(v)).sorted().toList();
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    static String render(Map<String, List<RunResult>> byMode, Map<String, Double> aims, CutoverRun.Settings settings,
                         Map<String, String> machine, String command, long totalSeconds, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("# Cutover write-unavailability benchmark\n\n");
        md.append("Continuous write load on blue, cutover through the daemon's HTTP API (`POST /deployments/{name}/cutover`),\n")
                .append("writers moved to green as soon as `GET /operations/{id}` shows `switch_connections` succeeded (polled every ")
                .append(settings.pollMs()).append(" ms). **Window** = the longest gap between consecutive acknowledged commits\n")
                .append("(all writers together) from 1 s before the cutover request to the end of the run. **Lost** = acknowledged on\n")
                .append("blue or green but missing on green afterwards. Percentiles are nearest-rank over the succeeded runs: with\n")
                .append("10 runs p99 is the maximum.\n\n");
        if (byMode.keySet().stream().anyMatch(Report::pooled)) {
            md.append("Rows **through PgBouncer**: the writers connect to a real PgBouncer (Debian's, transaction pooling) and never\n")
                    .append("change their connection string; the daemon `PAUSE`s it at the fence and points it at green (`RELOAD`, `RESUME`)\n")
                    .append("in `switch_connections`, so clients wait instead of failing. Aim there: zero client errors.\n\n");
        }
        md.append("Command: `").append(command).append("`  \n");
        md.append("Total run time: ").append(totalSeconds / 60).append(" min ").append(totalSeconds % 60).append(" s  \n");
        md.append("Load average (1/5/15 min) before / after: ").append(loadBefore).append(" / ").append(loadAfter).append("\n\n");

        md.append("## Summary\n\n");
        md.append("| mode | runs (succeeded/total) | window p50 ms | window p99 ms | window max ms | aim p50 | client errors total | lost writes total | duplicate rows |\n");
        md.append("|---|---|---|---|---|---|---|---|---|\n");
        for (var entry : byMode.entrySet()) {
            List<RunResult> runs = entry.getValue();
            List<Double> windows = runs.stream().filter(RunResult::measured).map(RunResult::windowMs).toList();
            boolean censored = runs.stream().filter(RunResult::measured).anyMatch(RunResult::censored);
            double p50 = percentile(windows, 50);
            Double aim = aims.get(mode(entry.getKey()));
            String verdict = aim == null ? "" : "< " + fmt(aim) + " ms: " + (Double.isNaN(p50) ? "not measured"
                    : censored && p50 >= aim ? "missed (window unbounded, see below)"
                    : p50 < aim ? "met" : "missed by " + fmt(p50 - aim) + " ms");
            int errors = runs.stream().mapToInt(RunResult::errors).sum();
            if (pooled(entry.getKey())) {
                verdict += "; 0 client errors: " + (errors == 0 ? "met" : "missed");
            }
            md.append("| ").append(entry.getKey())
                    .append(" | ").append(runs.stream().filter(RunResult::succeeded).count()).append("/").append(runs.size())
                    .append(" | ").append(atLeast(censored, p50))
                    .append(" | ").append(atLeast(censored, percentile(windows, 99)))
                    .append(" | ").append(atLeast(censored, percentile(windows, 100)))
                    .append(" | ").append(verdict)
                    .append(" | ").append(errors)
                    .append(" | ").append(runs.stream().mapToLong(RunResult::lost).sum())
                    .append(" | ").append(runs.stream().mapToLong(RunResult::duplicates).sum())
                    .append(" |\n");
        }
        md.append("\n");

        for (var entry : byMode.entrySet()) {
            List<RunResult> runs = entry.getValue();
            md.append("## ").append(entry.getKey()).append(": per run\n\n");
            md.append("| run | state | window ms | gap starts (ms after POST) | client errors (aiming at green) | commits acked (on green) | lost | POST->202 ms | load avg | note |\n");
            md.append("|---|---|---|---|---|---|---|---|---|---|\n");
            for (RunResult r : runs) {
                md.append("| ").append(r.run()).append(" | ").append(r.state())
                        .append(" | ").append(atLeast(r.censored(), r.windowMs()))
                        .append(" | ").append(fmt(r.gapStartMs()))
                        .append(" | ").append(r.errors()).append(" (").append(r.errorsOnGreen()).append(")")
                        .append(" | ").append(r.acked()).append(" (").append(r.ackedOnGreen()).append(")")
                        .append(" | ").append(r.lost())
                        .append(" | ").append(fmt(r.postMs()))
                        .append(" | ").append(r.loadAverage())
                        .append(" | ").append(escape(r.detail()))
                        .append(" |\n");
            }
            md.append("\n");
            List<RunResult> measured = runs.stream().filter(RunResult::measured).toList();
            md.append("### ").append(entry.getKey()).append(": where the window goes (median over runs, ms)\n\n");
            md.append("Consecutive segments from the last commit before the gap to the first commit on green; they add up to\n")
                    .append("the blue->green gap of each run (a step's segment runs from the previous step's end to its own end, so it\n")
                    .append("includes the journal fsyncs between steps).\n\n");
            md.append("| segment | median | max |\n|---|---|---|\n");
            for (String segment : keys(measured, true)) {
                List<Double> values = measured.stream().map(r -> r.segmentMs().getOrDefault(segment, Double.NaN)).toList();
                md.append("| ").append(segment).append(" | ").append(fmt(percentile(values, 50)))
                        .append(" | ").append(fmt(percentile(values, 100))).append(" |\n");
            }
            List<Double> sums = measured.stream().filter(r -> !r.segmentMs().isEmpty())
                    .map(r -> r.segmentMs().values().stream().mapToDouble(Double::doubleValue).sum()).toList();
            md.append("| (sum = blue->green gap) | ").append(fmt(percentile(sums, 50))).append(" | ")
                    .append(fmt(percentile(sums, 100))).append(" |\n\n");
            md.append("Step durations from `GET /operations/{id}` (startedAt to finishedAt; median / max ms; * = inside the window):\n\n");
            md.append("| step | median | max |\n|---|---|---|\n");
            Set<String> inWindow = windowSteps(mode(entry.getKey()));
            for (String step : keys(runs.stream().filter(RunResult::succeeded).toList(), false)) {
                List<Double> values = runs.stream().filter(RunResult::succeeded)
                        .map(r -> r.stepMs().getOrDefault(step, Double.NaN)).toList();
                md.append("| ").append(step).append(inWindow.contains(step) ? " *" : "").append(" | ")
                        .append(fmt(percentile(values, 50))).append(" | ").append(fmt(percentile(values, 100))).append(" |\n");
            }
            md.append("| POST->202 (live gate + acquire_lock, before the window) | ")
                    .append(fmt(percentile(runs.stream().map(RunResult::postMs).toList(), 50))).append(" | ")
                    .append(fmt(percentile(runs.stream().map(RunResult::postMs).toList(), 100))).append(" |\n\n");
            List<RunResult> probed = runs.stream().filter(r -> !r.probeMs().isEmpty()).toList();
            if (!probed.isEmpty()) {
                md.append("Catch-up probe (polls every 5 ms; ms after catch_up started; median / max): catch_up waits for both\n")
                        .append("the marker row applied on green and blue's slot `confirmed_flush_lsn` at or past the final position.\n\n");
                md.append("| event | median | max |\n|---|---|---|\n");
                for (String key : probed.get(0).probeMs().keySet()) {
                    List<Double> values = probed.stream().map(r -> r.probeMs().getOrDefault(key, Double.NaN)).toList();
                    md.append("| ").append(key).append(" | ").append(fmt(percentile(values, 50))).append(" | ")
                            .append(fmt(percentile(values, 100))).append(" |\n");
                }
                md.append("\n");
            }
            List<String> samples = new ArrayList<>();
            for (RunResult r : runs) {
                for (String s : r.errorSamples()) {
                    String generic = kind(s);
                    if (samples.stream().noneMatch(x -> kind(x).equals(generic)) && samples.size() < 12) {
                        samples.add(s);
                    }
                }
            }
            if (!samples.isEmpty()) {
                md.append("Client errors seen (distinct kinds, writer@side the writer was aiming at):\n\n");
                samples.forEach(s -> md.append("- `").append(s.replace("`", "'")).append("`\n"));
                md.append("\n");
            }
        }

        md.append("## Settings\n\n");
        md.append("- daemon in-process (`io.pgbluegreen.support.Daemon`), `pg-bluegreen.sample-interval = ")
                .append(settings.sampleInterval()).append("`; every gate threshold at its default; gate awaited ready before each run\n");
        md.append("- writers: ").append(settings.writers()).append(" autocommit INSERT loops")
                .append(settings.insistingWriter() ? " + 1 insisting writer (SET default_transaction_read_only = off; BEGIN READ WRITE; application_name pg-bluegreen)" : "")
                .append(", role `app`, pgjdbc connectTimeout 2 s / socketTimeout 10 s, ").append(TimedWriteLoad.BACKOFF_MS)
                .append(" ms back-off after an error, then reconnect to the current target\n");
        if (byMode.keySet().stream().anyMatch(Report::pooled)) {
            md.append("- through PgBouncer: one PgBouncer per run in front of blue (`pool_mode = transaction`, `default_pool_size = 10`),\n")
                    .append("  pgjdbc `prepareThreshold=0`; \"client errors (aiming at green)\" counts those from `switch_connections`' start on\n");
        }
        md.append("- warm-up on blue ").append(settings.warmupMs()).append(" ms before the cutover request; after the switch, wait up to ")
                .append(settings.greenWaitMs()).append(" ms for a commit on green, then ").append(settings.settleMs()).append(" ms more\n");
        md.append("- physical: PostgreSQL 15 primary -> streaming standby (pg_basebackup, physical slot); logical: 14 publisher -> 16 subscriber (fixture `LogicalPair`, 1000 seed rows); a fresh pair per run\n");
        if (byMode.keySet().stream().anyMatch(l -> l.contains("LOGIN") || l.contains("as shipped"))) {
            md.append("- physical, rows \"bench re-grants LOGIN on green\": at the switch the bench ran `ALTER ROLE app LOGIN` on green\n")
                    .append("  (as superuser, new session), inside the window, for code whose fence's NOLOGIN reached the standby\n")
                    .append("  through WAL and was not undone on promoted green; rows \"as shipped\" did not\n");
        }
        if (byMode.values().stream().flatMap(List::stream).anyMatch(RunResult::censored)) {
            md.append("- a window marked >= is censored: no commit on green came within the wait, the gap runs to the end of the run\n");
        }
        if (byMode.keySet().stream().anyMatch(l -> l.contains("diagnostic") || l.contains("experiment"))) {
            md.append("- rows marked diagnostic/experiment are not the product as configured: the probe adds two polling sessions,\n")
                    .append("  the experiment sets the subscription's `synchronous_commit = on` on green before the daemon starts\n");
        }
        md.append("- commit times are taken by the client after the server's acknowledgement arrived, so on a busy machine a\n")
                .append("  commit can be stamped a few ms after the step that ended its session (small negative first segment)\n")
                .append("- the daemon, the writers and the poller share one JVM; step times come from the daemon's clock (same host)\n\n");
        md.append("## Machine\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        return md.toString();
    }

    /** An error message without its writer name and numbers, to list each kind once. */
    private static String kind(String sample) {
        return sample.replaceAll("^[a-z]+\\d*", "").replaceAll("\\d+", "N");
    }

    private static boolean pooled(String label) {
        return label.endsWith(CutoverBench.THROUGH_PGBOUNCER);
    }

    /** physical or logical, from a row label such as "physical (as shipped)". */
    private static String mode(String label) {
        return label.startsWith("physical") ? "physical" : "logical";
    }

    private static Set<String> windowSteps(String mode) {
        return "physical".equals(mode)
                ? Set.of("fence_blue", "prove_quiet", "catch_up", "promote", "switch_connections")
                : Set.of("fence_blue", "prove_quiet", "catch_up", "sync_sequences", "stop_subscription", "switch_connections");
    }

    private static List<String> keys(List<RunResult> runs, boolean segments) {
        Set<String> keys = new LinkedHashSet<>();
        for (RunResult r : runs) {
            keys.addAll((segments ? r.segmentMs() : r.stepMs()).keySet());
        }
        return new ArrayList<>(keys);
    }

    public static String fmt(double value) {
        if (Double.isNaN(value)) {
            return "-";
        }
        return value >= 100 ? String.format(Locale.ROOT, "%.0f", value) : String.format(Locale.ROOT, "%.1f", value);
    }

    private static String atLeast(boolean censored, double value) {
        return (censored ? ">= " : "") + fmt(value);
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }

    static Map<String, Double> aims() {
        Map<String, Double> aims = new LinkedHashMap<>();
        aims.put("physical", 300.0);
        aims.put("logical", 500.0);
        return aims;
    }
}
