package io.pgbluegreen.bench;

import io.pgbluegreen.support.PromText;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * GET /prometheus over one keep-alive HTTP/1.1 connection (java.net.http), sequentially: the way one Prometheus
 * server scrapes. Every loop here is bounded by a request count and a deadline.
 */
final class Scraper {
    private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final HttpRequest scrape;

    Scraper(int port) {
        this.scrape = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/prometheus"))
                .timeout(REQUEST_TIMEOUT).GET().build();
    }

    String scrapeText() throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(scrape, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IOException("/prometheus answered " + response.statusCode());
        }
        return response.body();
    }

    List<PromText.Sample> scrape() throws IOException, InterruptedException {
        return PromText.parse(scrapeText());
    }

    /** Value of {@code metric} per target label, for the given targets (missing ones absent). */
    static Map<String, Double> byTarget(List<PromText.Sample> samples, String metric, Collection<String> targets) {
        Map<String, Double> values = new HashMap<>();
        for (PromText.Sample s : samples) {
            String target = s.labels().get("target");
            if (s.name().equals(metric) && target != null && targets.contains(target)) {
                values.put(target, s.value());
            }
        }
        return values;
    }

    /** How many of the targets report pgbg_up 1 right now. */
    int upCount(Collection<String> targets) throws IOException, InterruptedException {
        return (int) byTarget(scrape(), "pgbg_up", targets).values().stream().filter(v -> v == 1.0).count();
    }

    /** Polls until every target reports pgbg_up 1; fails with the daemon's view when the deadline passes. */
    void awaitAllUp(Collection<String> targets, Duration timeout, DaemonProcess daemon) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer yet";
        while (System.nanoTime() < deadline) {
            if (!daemon.alive()) {
                throw new IllegalStateException("the daemon exited:\n" + daemon.logTail(4000));
            }
            try {
                Map<String, Double> up = byTarget(scrape(), "pgbg_up", targets);
                long upCount = up.values().stream().filter(v -> v == 1.0).count();
                if (upCount == targets.size()) {
                    return;
                }
                last = upCount + " of " + targets.size() + " up";
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("targets not all up after " + timeout + " (" + last + "):\n"
                + daemon.logTail(4000));
    }

    /** Result of a latency run: per-request durations plus what the last body looked like. */
    record Run(long[] nanos, int bodyBytes, int bodyLines) {
    }

    /**
     * {@code warmup} unrecorded requests, then up to {@code count} recorded ones, all within {@code budget}. The
     * recorded requests only count the body's bytes (no String decoding) so the client's own work stays small;
     * one last request reads the body as text for its size in lines.
     */
    Run measure(int warmup, int count, Duration budget) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + budget.toNanos();
        long[] received = new long[1];
        HttpResponse.BodyHandler<Void> counting = HttpResponse.BodyHandlers.ofByteArrayConsumer(
                chunk -> chunk.ifPresent(bytes -> received[0] += bytes.length));
        for (int i = 0; i < warmup && System.nanoTime() < deadline; i++) {
            check(http.send(scrape, counting));
        }
        long[] nanos = new long[count];
        int done = 0;
        while (done < count && System.nanoTime() < deadline) {
            long start = System.nanoTime();
            HttpResponse<Void> response = http.send(scrape, counting);
            nanos[done++] = System.nanoTime() - start;
            check(response);
        }
        if (done < count) {
            System.err.printf("latency run stopped by its %s budget after %d of %d requests%n", budget, done, count);
        }
        String body = scrapeText();
        return new Run(Arrays.copyOf(nanos, done), body.getBytes(StandardCharsets.UTF_8).length,
                (int) body.chars().filter(c -> c == '\n').count());
    }

    private static void check(HttpResponse<?> response) throws IOException {
        if (response.statusCode() != 200) {
            throw new IOException("/prometheus answered " + response.statusCode());
        }
    }
}
