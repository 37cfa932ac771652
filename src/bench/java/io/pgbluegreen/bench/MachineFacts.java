package io.pgbluegreen.bench;

import io.pgbluegreen.fixture.Exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on, for the results file. */
final class MachineFacts {
    private MachineFacts() {
    }

    /** {@code source}: what the jar was built from, as the caller knows it; null to ask git about the work tree. */
    static Map<String, String> collect(Path projectDir, String source) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("cpu", cpuModel());
        facts.put("memory", memTotal());
        facts.put("kernel", firstLine(command(List.of("uname", "-sr"))));
        facts.put("java -version", command(List.of(DaemonProcess.javaBinary(), "-version")).trim().replace("\n", " / "));
        facts.put("postgres", firstLine(command(List.of(
                io.pgbluegreen.fixture.PgDistribution.tool(BenchServers.MAJOR, "postgres").toString(), "--version"))));
        if (source != null) {
            facts.put("measured code", source);
            return facts;
        }
        String commit = firstLine(command(List.of("git", "-C", projectDir.toString(), "rev-parse", "--short", "HEAD")));
        String dirty = command(List.of("git", "-C", projectDir.toString(), "status", "--porcelain", "--", "src/main",
                "pom.xml")).isBlank() ? "" : " (with uncommitted changes under src/main or pom.xml)";
        facts.put("measured code", "work tree at " + commit + dirty);
        return facts;
    }

    /** The 1/5/15-minute load averages: other work on the machine (e.g. a concurrent test run) shows here. */
    static String loadAverage() {
        try {
            String[] parts = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return parts[0] + " " + parts[1] + " " + parts[2];
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String cpuModel() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("model name"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024 + " MiB").findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static String command(List<String> command) {
        try {
            return Exec.runAllowingFailure(command, Duration.ofSeconds(20)).output();
        } catch (RuntimeException e) {
            return "unknown";
        }
    }

    private static String firstLine(String text) {
        String trimmed = text.trim();
        int nl = trimmed.indexOf('\n');
        return nl < 0 ? trimmed : trimmed.substring(0, nl);
    }
}
