package io.pgbluegreen.bench;

import io.pgbluegreen.fixture.FreePort;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Benchmark, not a test: /prometheus latency, daemon RSS and database round trips per target per tick with 1, 50
 * and 200 configured targets. Starts a PostgreSQL primary and standby, then for each target count launches the real
 * daemon jar, waits for every target to be up, lets it sample for a while, scrapes sequentially and reads
 * /proc. Writes a markdown table (see {@link ResultTable}). Everything it starts is stopped at the end or on failure.
 *
 * <p>Arguments (all optional): {@code --out FILE --targets 1,50,200 --requests 2000 --warmup-requests 200
 * --warmup-seconds 10 --proxied 10 --interval-ms 1000 --isolate-servers true --jvm-options "-Xmx64m -XX:+UseSerialGC"
 * --jar target/pg-bluegreen.jar --work DIR --source "what was built"}. {@code --isolate-servers false} leaves the PostgreSQL servers competing
 * with the daemon for the CPU (see {@link BenchServers#isolate()}).
 */
public final class ScrapeBench {
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration ALL_UP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration LATENCY_BUDGET = Duration.ofMinutes(3);
    /** Before each scrape loop, wait (at most QUIET_MAX_WAIT) until other processes use less than this. */
    private static final double QUIET_OTHER_CORES = 0.2;
    private static final int QUIET_SECONDS = 3;
    private static final Duration QUIET_MAX_WAIT = Duration.ofMinutes(3);

    record Settings(List<Integer> targetCounts, int requests, int warmupRequests, Duration warmup, int proxied,
                    Duration interval, List<String> jvmOptions, boolean isolateServers, Path jar, Path out, Path work,
                    String source) {
        static Settings parse(String[] args) {
            List<Integer> counts = List.of(1, 50, 200);
            int requests = 2000;
            int warmupRequests = 200;
            int warmupSeconds = 10;
            int proxied = 10;
            long intervalMillis = SAMPLE_INTERVAL.toMillis();
            List<String> jvmOptions = DaemonProcess.JVM_OPTIONS;
            boolean isolateServers = true;
            String source = null;
            Path jar = Path.of("target/pg-bluegreen.jar");
            Path out = Path.of("bench/results/scrape.md");
            Path work = Path.of("bench/results/work");
            for (int i = 0; i + 1 < args.length; i += 2) {
                String value = args[i + 1];
                switch (args[i]) {
                    case "--targets" -> counts = Arrays.stream(value.split(",")).map(String::trim).map(Integer::parseInt).toList();
                    case "--requests" -> requests = Integer.parseInt(value);
                    case "--warmup-requests" -> warmupRequests = Integer.parseInt(value);
                    case "--warmup-seconds" -> warmupSeconds = Integer.parseInt(value);
                    case "--proxied" -> proxied = Integer.parseInt(value);
                    case "--isolate-servers" -> isolateServers = Boolean.parseBoolean(value);
                    case "--interval-ms" -> intervalMillis = Long.parseLong(value);
                    case "--jvm-options" -> jvmOptions = Arrays.asList(value.trim().split("\\s+"));
                    case "--jar" -> jar = Path.of(value);
                    case "--out" -> out = Path.of(value);
                    case "--work" -> work = Path.of(value);
                    case "--source" -> source = value;
                    default -> throw new IllegalArgumentException("unknown option " + args[i]);
                }
            }
            if (counts.stream().anyMatch(n -> n < 1 || n > BenchServers.MAX_CONNECTIONS - 40)
                    || requests < 1 || requests > 100_000 || warmupSeconds < 0 || warmupSeconds > 600
                    || intervalMillis < 100 || intervalMillis > 600_000) {
                throw new IllegalArgumentException("out of range: targets 1.." + (BenchServers.MAX_CONNECTIONS - 40)
                        + ", requests 1..100000, warm-up 0..600 s, interval 100..600000 ms");
            }
            return new Settings(counts, requests, warmupRequests, Duration.ofSeconds(warmupSeconds), proxied,
                    Duration.ofMillis(intervalMillis), jvmOptions, isolateServers, jar, out, work, source);
        }
    }

    private ScrapeBench() {
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.parse(args);
        Path projectDir = Path.of("").toAbsolutePath();
        List<BenchResult> results = new ArrayList<>();
        int status = 0;
        try (BenchServers servers = BenchServers.start()) {
            if (settings.isolateServers()) {
                servers.isolate();
            }
            log("servers: %s, %s%s", servers.primary(), servers.standby(),
                    settings.isolateServers() ? " (pinned to CPU " + BenchServers.ISOLATED_CPU + ", nice 19)" : "");
            for (int n : settings.targetCounts()) {
                results.add(runOnce(n, servers, settings));
            }
        } catch (Exception | AssertionError e) {
            System.err.println("benchmark failed: " + e);
            e.printStackTrace();
            status = 1;
        }
        if (!results.isEmpty()) {
            String markdown = ResultTable.render(results, MachineFacts.collect(projectDir, settings.source()), settings);
            Files.createDirectories(settings.out().toAbsolutePath().getParent());
            Files.writeString(settings.out(), markdown);
            System.out.println();
            System.out.println(markdown);
            log("written to %s", settings.out());
        }
        System.exit(status);
    }

    private static BenchResult runOnce(int n, BenchServers servers, Settings settings) throws Exception {
        log("--- %d target(s) ---", n);
        try (RoundTripProbe probe = new RoundTripProbe(servers, Math.min(n, settings.proxied()))) {
            int port = FreePort.next();
            BenchConfig config = BenchConfig.write(settings.work(), n, port, settings.interval(), servers, probe.ports());
            try (DaemonProcess daemon = DaemonProcess.launch(settings.jar(), settings.jvmOptions(), config.file(),
                    settings.work().resolve("daemon-" + n + ".log"))) {
                Scraper scraper = new Scraper(port);
                long launched = System.nanoTime();
                scraper.awaitAllUp(config.targetNames(), ALL_UP_TIMEOUT, daemon);
                log("all %d up after %.1f s (pid %d)", n, (System.nanoTime() - launched) / 1e9, daemon.pid());
                List<String> proxied = config.proxiedTargetNames();
                RoundTripProbe.Snapshot start = probe.snapshot(scraper, proxied);
                Thread.sleep(settings.warmup().toMillis());
                CpuAccounting cpu = new CpuAccounting(daemon.pid(),
                        List.of(servers.primary().dataDir(), servers.standby().dataDir()));
                double waited = cpu.awaitQuiet(QUIET_OTHER_CORES, QUIET_SECONDS, QUIET_MAX_WAIT);
                if (waited < 0) {
                    log("the machine stayed busy with other work for %s; measuring anyway", QUIET_MAX_WAIT);
                } else if (waited > QUIET_SECONDS + 1) {
                    log("waited %.0f s for other work on the machine to quiet down", waited);
                }
                DaemonStats jvmBefore = DaemonStats.of(scraper.scrape());
                DaemonProcess.GcTotals gcBefore = daemon.gcTotals();
                CpuAccounting.Sample cpuBefore = cpu.take();
                long runStart = System.nanoTime();
                Scraper.Run run = scraper.measure(settings.warmupRequests(), settings.requests(), LATENCY_BUDGET);
                double runSeconds = (System.nanoTime() - runStart) / 1e9;
                CpuAccounting.Share cpuShare = CpuAccounting.between(cpuBefore, cpu.take());
                DaemonProcess.GcTotals gc = daemon.gcTotals().minus(gcBefore);
                DaemonStats jvm = DaemonStats.of(scraper.scrape()).minus(jvmBefore);
                String loadAverage = MachineFacts.loadAverage();
                DaemonProcess.Memory memory = daemon.memory();
                int threads = daemon.threads();
                RoundTripProbe.Snapshot end = probe.snapshot(scraper, proxied);
                scraper.awaitAllUp(config.targetNames(), Duration.ofSeconds(10), daemon);
                BenchResult result = new BenchResult(n, LatencyStats.of(run.nanos()), memory, threads, run.bodyBytes(),
                        run.bodyLines(), probe.between(start, end), loadAverage,
                        runSeconds, cpuShare, jvm, gc);
                log("%d targets: p50 %.2f ms, p99 %.2f ms, max %.2f ms, RSS %d MiB, round trips/target/tick %.2f "
                                + "(sampler), %.2f (all)", n, result.latency().p50Millis(), result.latency().p99Millis(),
                        result.latency().maxMillis(), memory.rssBytes() >> 20, result.roundTrips().samplerPerTick(),
                        result.roundTrips().allPerTick());
                log("%d targets: during the scrape loop the daemon used %.2f cores, the servers %.2f, the bench %.2f, "
                        + "others %.2f; GC: %d young (%.2f s), %d full (%.2f s)", n, cpuShare.daemon(), cpuShare.servers(),
                        cpuShare.bench(), cpuShare.other(), gc.youngCount(), gc.youngSeconds(), gc.fullCount(),
                        gc.fullSeconds());
                return result;
            }
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
        System.out.flush();
    }
}
