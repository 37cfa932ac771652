package io.pgbluegreen.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The real daemon jar as a child process, the way it is deployed: with the JVM options of the shipped systemd unit,
 * configured through MICRONAUT_CONFIG_FILES, its output in a log file. Closing it stops it (SIGTERM, then kill).
 */
final class DaemonProcess implements AutoCloseable {
    static final Path UNIT = Path.of("systemd", "pg-bluegreen.service");
    private final Process process;
    private final Path log;
    private final Thread killOnExit;

    private DaemonProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
        this.killOnExit = new Thread(process::destroyForcibly, "bench-daemon-kill");
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /** The options between java and -jar on the unit's ExecStart line (relative to the project directory). */
    static List<String> shippedJvmOptions(Path projectDir) throws IOException {
        String exec = Files.readAllLines(projectDir.resolve(UNIT)).stream().filter(l -> l.startsWith("ExecStart="))
                .findFirst().orElseThrow(() -> new IllegalStateException(UNIT + " has no ExecStart line"));
        List<String> words = List.of(exec.substring("ExecStart=".length()).trim().split("\\s+"));
        int jar = words.indexOf("-jar");
        if (jar < 1) {
            throw new IllegalStateException(UNIT + ": ExecStart does not run java ... -jar: " + exec);
        }
        return List.copyOf(words.subList(1, jar));
    }

    static DaemonProcess launch(Path jar, List<String> jvmOptions, Path config, Path log) throws IOException {
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run `mvn -o -q package -DskipTests` first");
        }
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>();
        command.add(javaBinary());
        command.addAll(jvmOptions);
        command.add("-jar");
        command.add(jar.toAbsolutePath().toString());
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        builder.environment().put("MICRONAUT_CONFIG_FILES", config.toAbsolutePath().toString());
        Process process = builder.start();
        process.getOutputStream().close();
        return new DaemonProcess(process, log);
    }

    static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    long pid() {
        return process.pid();
    }

    boolean alive() {
        return process.isAlive();
    }

    /** Resident set size and its peak, in bytes, from /proc/PID/status. */
    record Memory(long rssBytes, long peakRssBytes) {
    }

    Memory memory() throws IOException {
        long rss = -1;
        long hwm = -1;
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = kilobytes(line) * 1024;
            } else if (line.startsWith("VmHWM:")) {
                hwm = kilobytes(line) * 1024;
            }
        }
        return new Memory(rss, hwm);
    }

    /** Live thread count of the daemon (threads are most of a 200-target daemon's native memory). */
    int threads() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid()), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        return -1;
    }

    /** Cumulative GC counts and stop-the-world seconds, young and full, as the JVM itself keeps them. */
    record GcTotals(long youngCount, double youngSeconds, long fullCount, double fullSeconds) {
        GcTotals minus(GcTotals earlier) {
            return new GcTotals(youngCount - earlier.youngCount, youngSeconds - earlier.youngSeconds,
                    fullCount - earlier.fullCount, fullSeconds - earlier.fullSeconds);
        }
    }

    /** Read with jstat from the JVM's performance counters (no safepoint, nothing added to the daemon's work). */
    GcTotals gcTotals() {
        String out = io.pgbluegreen.fixture.Exec.run(List.of(
                Path.of(System.getProperty("java.home"), "bin", "jstat").toString(), "-gcutil", String.valueOf(pid())),
                java.time.Duration.ofSeconds(20));
        String[] lines = out.trim().split("\n");
        String[] header = lines[lines.length - 2].trim().split("\\s+");
        String[] values = lines[lines.length - 1].trim().split("\\s+");
        java.util.Map<String, String> byName = new java.util.HashMap<>();
        for (int i = 0; i < Math.min(header.length, values.length); i++) {
            byName.put(header[i], values[i]);
        }
        return new GcTotals(Long.parseLong(byName.get("YGC")), Double.parseDouble(byName.get("YGCT")),
                Long.parseLong(byName.get("FGC")), Double.parseDouble(byName.get("FGCT")));
    }

    String logTail(int chars) {
        try {
            String text = Files.readString(log);
            return text.length() <= chars ? text : text.substring(text.length() - chars);
        } catch (IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }

    private static long kilobytes(String line) {
        String digits = line.replaceAll("[^0-9]", "");
        return Long.parseLong(digits);
    }

    @Override
    public void close() {
        try {
            process.destroy();
            if (!process.waitFor(15, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killOnExit);
            } catch (IllegalStateException ignored) {
                // already shutting down: the hook runs anyway
            }
        }
    }
}
