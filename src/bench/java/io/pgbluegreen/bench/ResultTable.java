package io.pgbluegreen.bench;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** The markdown that goes to bench/results/scrape.md (and into the README's Performance section). */
final class ResultTable {
    private ResultTable() {
    }

    static String render(List<BenchResult> results, Map<String, String> facts, ScrapeBench.Settings settings) {
        StringBuilder md = new StringBuilder();
        md.append("# /prometheus scrape benchmark\n\n");
        md.append("Produced by `bench/run.sh` (io.pgbluegreen.bench.ScrapeBench). The daemon jar runs as a child process "
                + "(`java ").append(String.join(" ", settings.jvmOptions())).append(" -jar target/pg-bluegreen.jar`, "
                + "sample interval ").append(fmtDuration(settings.interval()))
                .append(settings.jvmOptions().contains("-Dpg-bluegreen.metrics.jmx=false") ? ", JMX off" : ", JMX on")
                .append(") against one PostgreSQL ")
                .append(BenchServers.MAJOR).append(" primary and its streaming standby; targets alternate between the two "
                        + "and N/2 physical deployments pair them")
                .append(settings.isolateServers() ? " (the servers pinned to CPU " + BenchServers.ISOLATED_CPU
                        + " at nice 19, standing in for remote hosts)" : " (the servers competing for the CPU)")
                .append(". Latency: ").append(settings.requests())
                .append(" sequential GET /prometheus on one keep-alive HTTP/1.1 connection after ")
                .append(settings.warmupRequests()).append(" unrecorded ones and ").append(settings.warmup().toSeconds())
                .append(" s of sampling, measured by the client (java.net.http, loopback; the loop starts once other "
                        + "processes have used under 0.2 cores for 3 s, waiting at most 3 min). RSS: VmRSS of the daemon "
                        + "after the run (peak VmHWM in parentheses). Round trips: client-to-server turns counted by a "
                        + "loopback TCP proxy in front of the first ").append(settings.proxied())
                .append(" targets (all of them when fewer), divided by the ticks the daemon counted for those targets. "
                        + "\"sampler\" counts the query round trips on the connections that stayed open through the "
                        + "window (in parentheses: divided by elapsed time / interval instead); \"all\" adds every other "
                        + "connection's round trips, its setup (TLS request, startup, authentication) included.\n\n");
        md.append("| targets | p50 ms | p99 ms | max ms | RSS MiB | round trips / target / tick: sampler | all |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : results) {
            md.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.2f | %.0f (%.0f) | %.2f (%.2f) | %.2f |%n",
                    r.targets(), r.latency().p50Millis(), r.latency().p99Millis(), r.latency().maxMillis(),
                    mb(r.loop().memory().rssBytes()), mb(r.loop().memory().peakRssBytes()),
                    r.roundTrips().samplerPerTick(), r.roundTrips().samplerPerInterval(settings.interval()),
                    r.roundTrips().allPerTick()));
        }
        md.append("\nDetails\n\n");
        md.append("| targets | up at end | requests | mean ms | body KiB | body lines | daemon threads | proxied targets "
                + "| window s | daemon ticks | sampler turns | other query turns | other setup turns | connections opened in window "
                + "| setup turns / connection | snapshots settled | load avg 1/5/15 |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|:---:|---|\n");
        for (BenchResult r : results) {
            RoundTripProbe.Window w = r.roundTrips();
            md.append(String.format(Locale.ROOT, "| %d | %d | %d | %.2f | %.0f | %d | %d | %d | %.1f | %.0f | %d | %d | %d | %d | %.1f | %s | %s |%n",
                    r.targets(), r.upAtEnd(), r.latency().count(), r.latency().meanMillis(),
                    r.loop().run().bodyBytes() / 1024.0, r.loop().run().bodyLines(), r.loop().threads(), w.proxiedTargets(), w.seconds(), w.daemonTicks(), w.persistentTurns(),
                    w.otherQueryTurns(), w.otherSetupTurns(), w.connectionsOpened(), w.setupTurnsPerConnection(),
                    w.settled() ? "yes" : "no", r.loop().loadAverage()));
        }
        md.append("\nDuring the scrape loop (cores used on average; the machine has ")
                .append(Runtime.getRuntime().availableProcessors()).append("; \"other\" is whatever else ran on the machine). "
                        + "GC: the daemon JVM's own counters (jstat), young and full collections with their pause time. "
                        + "Allocation: Micrometer's jvm_gc_memory_allocated_bytes over the loop's requests, sampling included. Server CPU per tick: the PostgreSQL processes' CPU time over the ticks the "
                        + "daemon counted in the loop.\n\n");
        md.append("| targets | loop s (with warm-up requests) | daemon | PG servers | bench client+proxies | other "
                + "| young GCs (s) | full GCs (s) | GC % of loop | MiB allocated / scrape | server CPU ms / tick |\n");
        md.append("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (BenchResult r : results) {
            DaemonProcess.GcTotals gc = r.loop().gc();
            CpuAccounting.Share cpu = r.loop().cpu();
            double seconds = r.loop().seconds();
            md.append(String.format(Locale.ROOT, "| %d | %.1f | %.2f | %.2f | %.2f | %.2f | %d (%.2f) | %d (%.2f) | %.0f%% | %.2f | %.1f |%n",
                    r.targets(), seconds, cpu.daemon(), cpu.servers(), cpu.bench(), cpu.other(),
                    gc.youngCount(), gc.youngSeconds(), gc.fullCount(), gc.fullSeconds(),
                    100 * (gc.youngSeconds() + gc.fullSeconds()) / seconds,
                    r.loop().daemonStats().allocatedBytes() / (r.latency().count() + settings.warmupRequests()) / (1024.0 * 1024.0),
                    r.loop().daemonStats().ticks() == 0 ? Double.NaN
                            : cpu.servers() * seconds * 1000 / r.loop().daemonStats().ticks()));
        }
        md.append("\nAims: p99 < 5 ms at 200 targets, RSS < 200 MB, 1 round trip per target per tick.\n\n");
        md.append("Machine\n\n");
        facts.forEach((k, v) -> md.append("- ").append(k).append(": ").append(v).append('\n'));
        return md.toString();
    }

    private static double mb(long bytes) {
        return bytes / (1024.0 * 1024.0);
    }

    private static String fmtDuration(Duration d) {
        return d.toMillis() % 1000 == 0 ? d.toSeconds() + " s" : d.toMillis() + " ms";
    }
}
