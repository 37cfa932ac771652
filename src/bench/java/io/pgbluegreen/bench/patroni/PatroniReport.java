package io.pgbluegreen.bench.patroni;

import io.pgbluegreen.bench.cutover.Report;
import io.pgbluegreen.bench.cutover.TimedWriteLoad;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/** bench/results/patroni-switchover.md, in the cutover report's style. */
final class PatroniReport {
    private PatroniReport() {
    }

    static String fmt(double value) {
        return Report.fmt(value);
    }

    static String label(String way) {
        return switch (way) {
            case SwitchoverRun.DAEMON -> "pg-bluegreen (POST /cutover)";
            case SwitchoverRun.PATRONICTL -> "patronictl switchover, then repoint PgBouncer";
            case SwitchoverRun.PATRONICTL_PAUSED -> "PAUSE, patronictl switchover, repoint + RESUME";
            default -> way;
        };
    }

    static String render(Map<String, List<SwitchoverRun.Result>> byWay, SwitchoverRun.Settings settings,
                         Map<String, String> machine, String command, long totalSeconds, String loadBefore, String loadAfter) {
        StringBuilder md = new StringBuilder();
        md.append("# Patroni switchover write-unavailability benchmark\n\n");
        md.append("One Patroni cluster (etcd + 2 members, Patroni 3.0.2, PostgreSQL 15, loopback), one PgBouncer in front of\n")
                .append("the leader, ").append(settings.writers()).append(" writers inserting through PgBouncer in autocommit. The writers never change\n")
                .append("their connection string. The ways are interleaved round by round on the same cluster (in reverse order\n")
                .append("every other round when their number is even). Every switchover moves the leader, so each way runs in both\n")
                .append("directions:\n\n");
        md.append("- **pg-bluegreen**: `POST /deployments/{ab|ba}/cutover` (blue = the current leader's target). The daemon\n")
                .append("  checks its gate, `PAUSE`s PgBouncer, asks Patroni for the switchover (`POST /switchover` on the leader),\n")
                .append("  waits until green commits a write, points PgBouncer at green (`RELOAD`, `RESUME`), then waits for the old\n")
                .append("  leader to stream from green (after the window).\n");
        md.append("- **patronictl switchover, then repoint PgBouncer**: `patronictl -c <leader's patroni.yml> switchover --leader X\n")
                .append("  --candidate Y --force`. PgBouncer is left alone while it runs and keeps sending the writers to the old\n")
                .append("  leader: first to the leader being shut down, then to the old leader as a read-only replica. When patronictl\n")
                .append("  returns, the operator's script repoints PgBouncer. It rewrites the `[databases]` entry, sends `RELOAD` on an\n")
                .append("  admin session opened before patronictl ran, and checks `SHOW DATABASES`. This uses the same PgBouncer code\n")
                .append("  as the daemon, `PgBouncerSwitch.pointAt`. Doing nothing instead would leave the writers failing until a\n")
                .append("  human stepped in, so the window would have no end.\n");
        md.append("- **PAUSE, patronictl switchover, repoint + RESUME**: the same script with `PAUSE app` before patronictl. This is\n")
                .append("  the smallest hand-rolled version of what the daemon does, without its gate, its checks and its journal.\n\n");
        md.append("**Window** = the longest gap between consecutive acknowledged commits (all writers together), from 1 s\n")
                .append("before the request (the POST, the PAUSE, or patronictl's start) to the end of the run. **Lost** = acknowledged\n")
                .append("but missing on the new leader afterwards. **Client errors** = failed connects and statements seen by the\n")
                .append("writers. Percentiles are nearest-rank over the succeeded runs, so with 5 runs p99 is the maximum.\n\n");
        md.append("Command: `").append(command).append("`  \n");
        md.append("Total run time: ").append(totalSeconds / 60).append(" min ").append(totalSeconds % 60).append(" s  \n");
        md.append("Load average (1/5/15 min) before / after: ").append(loadBefore).append(" / ").append(loadAfter).append("\n\n");

        md.append("## Summary\n\n");
        md.append("| way | runs (succeeded/total) | window p50 ms | window p99 ms | window max ms | client errors total | lost writes total |\n");
        md.append("|---|---|---|---|---|---|---|\n");
        for (var entry : byWay.entrySet()) {
            List<SwitchoverRun.Result> runs = entry.getValue();
            List<Double> windows = runs.stream().filter(SwitchoverRun.Result::measured).map(SwitchoverRun.Result::windowMs).toList();
            boolean censored = runs.stream().anyMatch(r -> r.measured() && r.censored());
            md.append("| ").append(label(entry.getKey()))
                    .append(" | ").append(runs.stream().filter(SwitchoverRun.Result::succeeded).count()).append("/").append(runs.size())
                    .append(" | ").append(fmt(Report.percentile(windows, 50)))
                    .append(" | ").append(fmt(Report.percentile(windows, 99)))
                    .append(" | ").append(censored ? ">= " : "").append(fmt(Report.percentile(windows, 100)))
                    .append(" | ").append(runs.stream().mapToInt(SwitchoverRun.Result::errors).sum())
                    .append(" | ").append(runs.stream().mapToLong(SwitchoverRun.Result::lost).sum())
                    .append(" |\n");
        }
        md.append("\n");

        for (var entry : byWay.entrySet()) {
            String way = entry.getKey();
            List<SwitchoverRun.Result> runs = entry.getValue();
            md.append("## ").append(label(way)).append(": per run\n\n");
            md.append("| run | leader -> candidate | state | window ms | gap starts (ms after request) | client errors | commits acked | lost | ")
                    .append(way.equals(SwitchoverRun.DAEMON) ? "POST->202 ms | " : "").append("load avg | note |\n");
            md.append("|---|---|---|---|---|---|---|---|").append(way.equals(SwitchoverRun.DAEMON) ? "---|" : "").append("---|---|\n");
            for (SwitchoverRun.Result r : runs) {
                md.append("| ").append(r.run()).append(" | ").append(r.direction()).append(" | ").append(r.state())
                        .append(" | ").append(r.censored() ? ">= " : "").append(fmt(r.windowMs()))
                        .append(" | ").append(fmt(r.gapStartMs()))
                        .append(" | ").append(r.errors())
                        .append(" | ").append(r.acked())
                        .append(" | ").append(r.lost())
                        .append(way.equals(SwitchoverRun.DAEMON) ? " | " + fmt(r.requestMs()) : "")
                        .append(" | ").append(r.loadAverage())
                        .append(" | ").append(escape(r.detail())).append(" |\n");
            }
            md.append("\n");
            List<SwitchoverRun.Result> measured = runs.stream().filter(SwitchoverRun.Result::measured).toList();
            md.append("### ").append(label(way)).append(": where the window goes (median / max over runs, ms)\n\n");
            md.append("Consecutive segments from the last commit before the gap to the first commit after the switch. They add\n")
                    .append("up to the window of each run. A segment runs from the previous event to its own (a step's end, the\n")
                    .append("command's return). The writers get through from the start of `switch_connections` or of the repoint.\n")
                    .append("When a commit is acknowledged before that step's end is stamped, the step's segment ends at the\n")
                    .append("commit and the last segment is 0. An event before the last commit gives 0: commits are stamped by the\n")
                    .append("client after the acknowledgement arrived.\n\n");
            table(md, "segment", measured, SwitchoverRun.Result::segmentMs, true);
            md.append(way.equals(SwitchoverRun.DAEMON)
                    ? "Step durations from `GET /operations/{id}` (startedAt to finishedAt; median / max ms):\n\n"
                    : "The script's steps (wall time in the bench JVM; median / max ms):\n\n");
            table(md, "step", runs.stream().filter(SwitchoverRun.Result::succeeded).toList(), SwitchoverRun.Result::stepMs, false);
            if (way.equals(SwitchoverRun.DAEMON)) {
                List<Double> post = runs.stream().map(SwitchoverRun.Result::requestMs).toList();
                md.append("POST->202 (live gate + acquire_lock, before the window): median ").append(fmt(Report.percentile(post, 50)))
                        .append(" ms, max ").append(fmt(Report.percentile(post, 100))).append(" ms\n\n");
            }
            List<String> samples = new ArrayList<>();
            for (SwitchoverRun.Result r : runs) {
                for (String s : r.errorSamples()) {
                    if (samples.stream().noneMatch(x -> kind(x).equals(kind(s))) && samples.size() < 12) {
                        samples.add(s);
                    }
                }
            }
            if (!samples.isEmpty()) {
                md.append("Client errors seen (distinct kinds):\n\n");
                samples.forEach(s -> md.append("- `").append(s.replace("`", "'")).append("`\n"));
                md.append("\n");
            }
        }

        md.append("## Settings\n\n");
        md.append("- one cluster for the whole run (fixture `PatroniCluster`: `ttl` 15, `loop_wait` 1, `retry_timeout` 5,\n")
                .append("  `use_pg_rewind`, `use_slots`, `fsync` off); before each run the bench waits until it has a leader and a\n")
                .append("  streaming replica, then truncates `items` on the leader\n");
        md.append("- PgBouncer (fixture `PgBouncerServer`): `pool_mode = transaction`, `default_pool_size = 10`, ")
                .append(settings.serverLoginRetry() >= 0 ? "`server_login_retry = " + settings.serverLoginRetry() + "` (bench option), " : "")
                .append("all else at\n  PgBouncer's defaults (")
                .append(settings.serverLoginRetry() >= 0 ? "" : "`server_login_retry` 15 s, ")
                .append("`query_wait_timeout` 120 s); pgjdbc `prepareThreshold=0`\n");
        md.append("- writers: ").append(settings.writers()).append(" autocommit `INSERT` loops, role `app`, pgjdbc connectTimeout 2 s /\n")
                .append("  socketTimeout 10 s, ").append(TimedWriteLoad.BACKOFF_MS).append(" ms back-off after an error, then a new connection\n");
        md.append("- daemon in-process (`io.pgbluegreen.support.Daemon`), two `mode: patroni` deployments on the same PgBouncer:\n")
                .append("  `ab` (node1 -> node2) and `ba` (node2 -> node1), each run using the one whose blue leads;\n")
                .append("  `pg-bluegreen.sample-interval = ").append(settings.sampleInterval()).append("`; every gate threshold at its default; the bench\n")
                .append("  waits for the gate to be ready before each run, and the operation is polled every ").append(settings.pollMs()).append(" ms\n");
        md.append("- warm-up ").append(settings.warmupMs()).append(" ms before the request; after the switch (switch_connections' end, or the repoint),\n")
                .append("  the bench waits up to ").append(settings.afterWaitMs()).append(" ms for a commit through PgBouncer, then ")
                .append(settings.settleMs()).append(" ms more\n");
        md.append("- patronictl runs as a child process of the bench, so its Python start-up is part of its time, as it is\n")
                .append("  for an operator. patronictl reads etcd and calls the leader's REST API; Patroni's own wait ends when\n")
                .append("  the candidate leads.\n");
        md.append("- commit times are taken by the client after the acknowledgement arrived; step times come from the\n")
                .append("  daemon's clock (same host)\n\n");
        md.append("## Machine\n\n");
        machine.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append("\n"));
        return md.toString();
    }

    private static void table(StringBuilder md, String what, List<SwitchoverRun.Result> runs,
                              Function<SwitchoverRun.Result, Map<String, Double>> values, boolean sum) {
        Set<String> keys = new LinkedHashSet<>();
        runs.forEach(r -> keys.addAll(values.apply(r).keySet()));
        md.append("| ").append(what).append(" | median | max |\n|---|---|---|\n");
        for (String key : keys) {
            List<Double> v = runs.stream().map(r -> values.apply(r).getOrDefault(key, Double.NaN)).toList();
            md.append("| ").append(key).append(" | ").append(fmt(Report.percentile(v, 50))).append(" | ")
                    .append(fmt(Report.percentile(v, 100))).append(" |\n");
        }
        if (sum) {
            List<Double> sums = runs.stream().filter(r -> !values.apply(r).isEmpty())
                    .map(r -> values.apply(r).values().stream().mapToDouble(Double::doubleValue).sum()).toList();
            md.append("| (sum = window) | ").append(fmt(Report.percentile(sums, 50))).append(" | ")
                    .append(fmt(Report.percentile(sums, 100))).append(" |\n");
        }
        md.append("\n");
    }

    private static String kind(String sample) {
        return sample.replaceAll("^[a-z]+\\d*", "").replaceAll("\\d+", "N");
    }

    private static String escape(String text) {
        return text == null ? "" : text.replace("|", "\\|").replace("\n", " ");
    }
}
