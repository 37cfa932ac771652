package io.pgbluegreen.bench.cutover;

import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the figures were measured on. */
public final class Machine {
    private Machine() {
    }

    /** {@code measuredCode}: what was built, as the caller saw it right after the build; null to ask git now. */
    public static Map<String, String> facts(String measuredCode) {
        Map<String, String> facts = new LinkedHashMap<>();
        facts.put("date", ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        facts.put("nproc", String.valueOf(Runtime.getRuntime().availableProcessors()));
        facts.put("cpu", grep("/proc/cpuinfo", "model name"));
        facts.put("memory", memTotal());
        facts.put("kernel", firstLine(run(List.of("uname", "-sr"))));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        facts.put("java -version", run(List.of(java, "-version")).trim().replace("\n", " / "));
        for (int major : new int[]{14, 15, 16}) {
            try {
                facts.put("postgres " + major, firstLine(run(List.of(PgDistribution.tool(major, "postgres").toString(), "--version"))));
            } catch (RuntimeException e) {
                facts.put("postgres " + major, "unknown: " + e.getMessage());
            }
        }
        if (measuredCode != null) {
            facts.put("measured code", measuredCode);
            return facts;
        }
        Path project = PgDistribution.projectDir();
        String commit = firstLine(run(List.of("git", "-C", project.toString(), "rev-parse", "--short", "HEAD")));
        String dirty = run(List.of("git", "-C", project.toString(), "status", "--porcelain", "--", "src/main", "pom.xml")).trim();
        facts.put("measured code", "work tree at " + commit + (dirty.isEmpty() ? " (no uncommitted change under src/main or pom.xml)"
                : " with uncommitted changes: " + String.join(", ", dirty.lines().map(String::trim).toList())));
        return facts;
    }

    private static String grep(String file, String prefix) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(prefix))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (Exception e) {
            return "unknown";
        }
    }

    private static String memTotal() {
        String kb = grep("/proc/meminfo", "MemTotal").replaceAll("[^0-9]", "");
        return kb.isEmpty() ? "unknown" : Long.parseLong(kb) / 1024 + " MiB";
    }

    private static String run(List<String> command) {
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
