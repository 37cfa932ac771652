package io.pgbluegreen.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

/**
 * The measured part of one run: waits for the machine to be quiet, then runs the sequential scrape loop and
 * records around it who used the CPU, the daemon's collections and its allocation, and its memory after.
 */
final class ScrapeLoop {
    private static final Duration LATENCY_BUDGET = Duration.ofMinutes(3);
    /** Before the loop, wait (at most QUIET_MAX_WAIT) until other processes use less than this. */
    private static final double QUIET_OTHER_CORES = 0.2;
    private static final int QUIET_SECONDS = 3;
    private static final Duration QUIET_MAX_WAIT = Duration.ofMinutes(3);

    record Outcome(Scraper.Run run, double seconds, CpuAccounting.Share cpu, DaemonProcess.GcTotals gc,
                   DaemonStats daemonStats, DaemonProcess.Memory memory, int threads, String loadAverage) {
    }

    private ScrapeLoop() {
    }

    static Outcome run(Scraper scraper, DaemonProcess daemon, BenchServers servers, ScrapeBench.Settings settings)
            throws IOException, InterruptedException {
        CpuAccounting cpu = new CpuAccounting(daemon.pid(),
                List.of(servers.primary().dataDir(), servers.standby().dataDir()));
        double waited = cpu.awaitQuiet(QUIET_OTHER_CORES, QUIET_SECONDS, QUIET_MAX_WAIT);
        if (waited < 0) {
            ScrapeBench.log("the machine stayed busy with other work for %s; measuring anyway", QUIET_MAX_WAIT);
        } else if (waited > QUIET_SECONDS + 1) {
            ScrapeBench.log("waited %.0f s for other work on the machine to quiet down", waited);
        }
        DaemonStats statsBefore = DaemonStats.of(scraper.scrape());
        DaemonProcess.GcTotals gcBefore = daemon.gcTotals();
        CpuAccounting.Sample cpuBefore = cpu.take();
        long start = System.nanoTime();
        Scraper.Run run = scraper.measure(settings.warmupRequests(), settings.requests(), LATENCY_BUDGET);
        double seconds = (System.nanoTime() - start) / 1e9;
        CpuAccounting.Share share = CpuAccounting.between(cpuBefore, cpu.take());
        DaemonProcess.GcTotals gc = daemon.gcTotals().minus(gcBefore);
        DaemonStats stats = DaemonStats.of(scraper.scrape()).minus(statsBefore);
        return new Outcome(run, seconds, share, gc, stats, daemon.memory(), daemon.threads(), MachineFacts.loadAverage());
    }
}
