package io.pgbluegreen.bench;

import io.pgbluegreen.fixture.FreePort;

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
 * --warmup-seconds 10 --proxied 10 --interval-ms 1000 --isolate-servers true --jvm-options "..." (default: those of systemd/pg-bluegreen.service)
 * --jar target/pg-bluegreen.jar --work DIR --source "what was built"}. {@code --isolate-servers false} leaves the PostgreSQL servers competing
 * with the daemon for the CPU (see {@link BenchServers#isolate()}).
 */
public final class ScrapeBench {
    static final Duration SAMPLE_INTERVAL = Duration.ofSeconds(1);
    private static final Duration ALL_UP_TIMEOUT = Duration.ofSeconds(120);

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
            List<String> jvmOptions = null;
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
            if (jvmOptions == null) {
                try {
                    jvmOptions = DaemonProcess.shippedJvmOptions(Path.of(""));
                } catch (java.io.IOException e) {
                    throw new IllegalArgumentException("cannot read the shipped JVM options from " + DaemonProcess.UNIT + ": " + e);
                }
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
                ScrapeLoop.Outcome loop = ScrapeLoop.run(scraper, daemon, servers, settings);
                nativeMemory(daemon, n, settings);
                RoundTripProbe.Snapshot end = probe.snapshot(scraper, proxied);
                int upAtEnd = scraper.upCount(config.targetNames());
                BenchResult result = new BenchResult(n, LatencyStats.of(loop.run().nanos()), loop, upAtEnd,
                        probe.between(start, end));
                log("%d targets: p50 %.2f ms, p99 %.2f ms, max %.2f ms, RSS %d MiB, round trips/target/tick %.2f "
                                + "(sampler), %.2f (all)", n, result.latency().p50Millis(), result.latency().p99Millis(),
                        result.latency().maxMillis(), loop.memory().rssBytes() >> 20, result.roundTrips().samplerPerTick(),
                        result.roundTrips().allPerTick());
                log("%d targets: during the scrape loop the daemon used %.2f cores, the servers %.2f, the bench %.2f, "
                        + "others %.2f; GC: %d young (%.2f s), %d full (%.2f s); %d of %d targets up at the end", n,
                        loop.cpu().daemon(), loop.cpu().servers(), loop.cpu().bench(), loop.cpu().other(),
                        loop.gc().youngCount(), loop.gc().youngSeconds(), loop.gc().fullCount(), loop.gc().fullSeconds(),
                        upAtEnd, n);
                return result;
            }
        }
    }

    /**
     * With -XX:NativeMemoryTracking in --jvm-options: the JVM's own account of where the daemon's memory is
     * (heap, class metadata, threads, code, GC, ...) right after the loop, in work/nmt-N.txt, and the live heap by
     * class (after a full collection) in work/histogram-N.txt.
     */
    private static void nativeMemory(DaemonProcess daemon, int n, Settings settings) throws Exception {
        if (settings.jvmOptions().stream().noneMatch(o -> o.startsWith("-XX:NativeMemoryTracking="))) {
            return;
        }
        jcmd(daemon, settings.work().resolve("nmt-" + n + ".txt"), "VM.native_memory", "summary");
        jcmd(daemon, settings.work().resolve("histogram-" + n + ".txt"), "GC.class_histogram");
        log("%d targets: native memory summary and live heap histogram in %s", n, settings.work());
    }

    private static void jcmd(DaemonProcess daemon, Path out, String... command) throws Exception {
        List<String> line = new ArrayList<>(List.of("jcmd", String.valueOf(daemon.pid())));
        line.addAll(List.of(command));
        Process jcmd = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!jcmd.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
            jcmd.destroyForcibly();
        }
    }

    static void log(String format, Object... args) {
        System.out.printf("[bench] " + format + "%n", args);
        System.out.flush();
    }
}
