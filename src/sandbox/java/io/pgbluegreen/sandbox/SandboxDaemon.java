package io.pgbluegreen.sandbox;

import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import io.pgbluegreen.fixture.FreePort;
import io.pgbluegreen.fixture.PgServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/** The real daemon, in-process on a loopback port, configured the way an operator would: password files only. */
final class SandboxDaemon implements AutoCloseable {
    static final int DEFAULT_PORT = 8080;

    private final Map<String, Object> properties = new HashMap<>();
    private final Path passwordFile;
    private EmbeddedServer server;

    SandboxDaemon(Path passwordFile) {
        this.passwordFile = passwordFile;
        properties.put("micronaut.server.host", "127.0.0.1");
        properties.put("pg-bluegreen.sample-interval", "1s");
        properties.put("pg-bluegreen.metrics.jmx", "false");
        // the journal and the API token live beside the password, in the sandbox's temp dir (gone on Ctrl-C)
        Path dir = passwordFile.getParent();
        properties.put("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString());
        try {
            java.nio.file.Files.writeString(tokenFile(), TOKEN + "\n");
        } catch (java.io.IOException e) {
            throw new IllegalStateException("cannot write the API token file in " + dir, e);
        }
        properties.put("pg-bluegreen.api.token-file", tokenFile().toString());
    }

    static final String TOKEN = "sandbox-token";

    Path tokenFile() {
        return passwordFile.getParent().resolve("api.token");
    }

    SandboxDaemon target(String name, PgServer server, String database) {
        properties.put("pg-bluegreen.targets." + name + ".url", server.jdbcUrl(database));
        properties.put("pg-bluegreen.targets." + name + ".user", PgServer.SUPERUSER);
        properties.put("pg-bluegreen.targets." + name + ".password-file", passwordFile.toString());
        return this;
    }

    SandboxDaemon deployment(String name, String blue, String green, String mode) {
        properties.put("pg-bluegreen.deployments." + name + ".blue", blue);
        properties.put("pg-bluegreen.deployments." + name + ".green", green);
        properties.put("pg-bluegreen.deployments." + name + ".mode", mode);
        return this;
    }

    SandboxDaemon logical(String name, String blue, String green, String subscription, String slot) {
        deployment(name, blue, green, "logical");
        properties.put("pg-bluegreen.deployments." + name + ".subscription", subscription);
        properties.put("pg-bluegreen.deployments." + name + ".slot", slot);
        return this;
    }

    /** Starts on the wanted port, or on a free one (said so on stdout) when something else listens there. */
    void start(int wantedPort) {
        int port = wantedPort;
        if (!isFree(port)) {
            port = FreePort.next();
            Sandbox.OUT.println("sandbox: port " + wantedPort + " is in use, the daemon takes " + port + " instead");
        }
        properties.put("micronaut.server.port", port);
        server = ApplicationContext.run(EmbeddedServer.class, properties);
    }

    String url() {
        return "http://127.0.0.1:" + server.getPort();
    }

    /** Waits until /prometheus exports the lag of every deployment; false when it did not within the timeout. */
    boolean awaitLagSeries(List<String> deployments, Duration timeout, BooleanSupplier giveUp) throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create(url() + "/prometheus")).timeout(Duration.ofSeconds(5)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && !giveUp.getAsBoolean()) {
            try {
                String body = http.send(request, HttpResponse.BodyHandlers.ofString()).body();
                if (deployments.stream().allMatch(d -> body.lines().anyMatch(line ->
                        line.startsWith("pgbg_deployment_lag_bytes{") && line.contains("deployment=\"" + d + "\"")))) {
                    return true;
                }
            } catch (IOException e) {
                // not answering yet
            }
            Thread.sleep(250);
        }
        return false;
    }

    private static boolean isFree(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public void close() {
        if (server != null) {
            server.getApplicationContext().close();
        }
    }
}
