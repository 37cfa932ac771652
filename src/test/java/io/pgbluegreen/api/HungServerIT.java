package io.pgbluegreen.api;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Monitoring never waits on a database: while blue hangs (every process SIGSTOPped) and gate, cutover and rollback
 * requests wait on it, /prometheus, /targets and /health keep answering, and another deployment's gate answers.
 * Asserted only as "answered within its timeout"; the figures are printed for the README.
 */
class HungServerIT {
    private static final Duration MONITORING_TIMEOUT = Duration.ofSeconds(2);
    private static final int GATE_REQUESTS = 12;

    @Test
    void monitoringAndOtherDeploymentsAnswerWhileRequestsWaitOnAHungBlue() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgServer other = PgServer.start("other", 15);
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .target("other", other, "postgres")
                         .physical("hung", "blue", "green").physical("elsewhere", "other", "green").start()) {
                Gates.awaitReady(daemon, "hung", Duration.ofSeconds(30));
                HttpClient http = HttpClient.newBuilder().connectTimeout(MONITORING_TIMEOUT).build();
                ExecutorService pool = Executors.newCachedThreadPool();
                blue.hang();
                try {
                    List<CompletableFuture<HttpResponse<String>>> waiting = new ArrayList<>();
                    for (int i = 0; i < GATE_REQUESTS; i++) {
                        waiting.add(CompletableFuture.supplyAsync(() -> daemon.get("/deployments/hung/gate"), pool));
                    }
                    waiting.add(CompletableFuture.supplyAsync(() -> daemon.post("/deployments/hung/cutover", null), pool));
                    waiting.add(CompletableFuture.supplyAsync(() -> daemon.post("/deployments/hung/cutover?dryRun=true", null), pool));
                    waiting.add(CompletableFuture.supplyAsync(() -> daemon.post("/deployments/hung/rollback", null), pool));
                    Thread.sleep(300);

                    List<Long> millis = new ArrayList<>();
                    long otherGate = -1;
                    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                    while (waiting.stream().anyMatch(f -> !f.isDone()) && System.nanoTime() < deadline) {
                        for (String path : List.of("/prometheus", "/targets", "/health")) {
                            long start = System.nanoTime();
                            // throws on the timeout: the assertion is that it answers within it
                            HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(daemon.url() + path))
                                    .timeout(MONITORING_TIMEOUT).build(), HttpResponse.BodyHandlers.ofString());
                            millis.add((System.nanoTime() - start) / 1_000_000);
                            assertEquals(200, response.statusCode(), path + ": " + response.body());
                        }
                        if (otherGate < 0) {
                            long start = System.nanoTime();
                            HttpResponse<String> elsewhere = http.send(HttpRequest.newBuilder(URI.create(daemon.url()
                                    + "/deployments/elsewhere/gate")).timeout(Duration.ofSeconds(2)).build(),
                                    HttpResponse.BodyHandlers.ofString());
                            assertEquals(200, elsewhere.statusCode(), elsewhere.body());
                            otherGate = (System.nanoTime() - start) / 1_000_000;
                        }
                        Thread.sleep(50);
                    }
                    assertTrue(millis.size() >= 9 && otherGate >= 0,
                            "monitoring was asked while requests waited on the hung blue: " + millis.size());
                    millis.sort(null);
                    System.out.printf(Locale.ROOT, "hung blue, %d gate + cutover + dry run + rollback requests waiting: "
                                    + "%d monitoring requests, p50 %d ms, max %d ms; another deployment's gate %d ms%n",
                            GATE_REQUESTS, millis.size(), millis.get(millis.size() / 2), millis.get(millis.size() - 1),
                            otherGate);
                    blue.wake();
                    for (CompletableFuture<HttpResponse<String>> request : waiting) {
                        HttpResponse<String> response = request.get();
                        assertTrue(response.statusCode() == 200 || response.statusCode() == 409, response.body());
                    }
                } finally {
                    blue.wake();
                    pool.shutdownNow();
                }
                blue.connectAs("postgres", "app", "app").close();
                assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"), "nothing changed on blue");
            }
        }
    }
}
