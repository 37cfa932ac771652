package io.pgbluegreen.support;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.FreePort;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The daemon in a JVM of its own, started from a YAML file as an operator would, so a test can kill it (or let a
 * fault injection halt it) without taking the test down. Output goes to a log file beside the config.
 */
public final class ChildDaemon implements AutoCloseable {
    private final Process process;
    private final int port;
    private final Path log;

    private ChildDaemon(Process process, int port, Path log) {
        this.process = process;
        this.port = port;
        this.log = log;
    }

    public static ChildDaemon start(Path dir, String yaml) throws IOException {
        int port = FreePort.next();
        Path config = dir.resolve("daemon-" + port + ".yml");
        Files.writeString(config, "micronaut:\n  server:\n    port: " + port + "\n    host: 127.0.0.1\n" + yaml);
        Path log = dir.resolve("daemon-" + port + ".log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx128m", "-cp", System.getProperty("java.class.path"),
                "io.pgbluegreen.Application")).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().put("MICRONAUT_CONFIG_FILES", config.toString());
        ChildDaemon daemon = new ChildDaemon(builder.start(), port, log);
        HttpClient http = HttpClient.newHttpClient();
        Await.until(Duration.ofSeconds(60), "child daemon on port " + port + " to answer", () -> {
            if (!daemon.process.isAlive()) {
                throw new AssertionError("child daemon exited: " + daemon.log());
            }
            try {
                return http.send(HttpRequest.newBuilder(URI.create(daemon.url() + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() < 500;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
        return daemon;
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    public HttpResponse<String> post(String path, String token) throws IOException, InterruptedException {
        return post(path, token, null);
    }

    /** POST with a JSON body ({@code null}: none). */
    public HttpResponse<String> post(String path, String token, String json) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url() + path)).header("Authorization", "Bearer " + token);
        if (json == null) {
            request.POST(HttpRequest.BodyPublishers.noBody());
        } else {
            request.header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(json));
        }
        return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    public HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** SIGTERM, as systemctl stop sends it. */
    public void terminate() {
        process.destroy();
    }

    /** Waits for the process to end by itself; returns its exit status. */
    public int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("child daemon still running after " + timeout + ": " + log());
        }
        return process.exitValue();
    }

    public String log() {
        try {
            return Files.exists(log) ? Files.readString(log) : "";
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }

}
