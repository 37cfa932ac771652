package io.pgbluegreen.sampling;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hung server (every process of it stopped with SIGSTOP, so connections are open but nothing answers) and a
 * server that refuses our password: each reads as down with its own error class, while a healthy target beside
 * them keeps being sampled on time and /prometheus and JMX keep answering, also while gate requests wait on the hung
 * side.
 */
class UnhealthyTargetsIT {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void hungAndRefusingTargetsAreDownWithoutDelayingTheHealthyOne() throws Exception {
        try (PgServer healthy = PgServer.start("healthy", 15);
             PgServer hung = PgServer.start("hung", 15);
             Daemon daemon = Daemon.config()
                     .target("healthy", healthy, "postgres")
                     .target("hung", hung, "postgres")
                     .target("refusing", healthy.jdbcUrl(), PgServer.SUPERUSER, "wrong-password")
                     .physical("stuck", "hung", "healthy")
                     .set("pg-bluegreen.socket-timeout", "2s")
                     .set("pg-bluegreen.connect-timeout", "2s")
                     .set("pg-bluegreen.metrics.jmx", "true")
                     .start()) {
            daemon.awaitMetric("pgbg_up", v -> v == 1, WAIT, "target", "hung");
            daemon.awaitMetric("pgbg_target_error", v -> v == 1, WAIT, "target", "refusing", "error", "auth_failed");

            hung.hang();
            try {
                daemon.awaitMetric("pgbg_up", v -> v == 0, WAIT, "target", "hung");
                daemon.awaitMetric("pgbg_target_error", v -> v == 1, WAIT, "target", "hung", "error", "timeout");
                // While the hung target holds its sampler for seconds per try, the healthy one stays fresh.
                for (int i = 0; i < 10; i++) {
                    double age = daemon.metric("pgbg_sample_age_seconds", "target", "healthy").orElseThrow();
                    assertTrue(age < 1.5, "healthy target's sample is " + age + " s old");
                    Thread.sleep(300);
                }
                assertTrue(daemon.metric("pgbg_sample_age_seconds", "target", "hung").orElseThrow() > 1);

                // Gate requests read facts live from the hung side (a login that times out): they wait on worker
                // threads, more of them than Netty has event loops, and /prometheus answers before any of them.
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                List<CompletableFuture<HttpResponse<String>>> gates = IntStream.range(0, 4 * Runtime.getRuntime().availableProcessors())
                        .mapToObj(i -> client.sendAsync(HttpRequest.newBuilder(URI.create(daemon.url() + "/deployments/stuck/gate"))
                                .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofString()))
                        .toList();
                Thread.sleep(300);
                assertEquals(200, daemon.get("/prometheus").statusCode());
                assertTrue(gates.stream().noneMatch(CompletableFuture::isDone), "/prometheus waited for a gate request");
                for (var gate : gates) {
                    assertTrue(gate.get().body().contains("\"ready\":false"), gate.get().body());
                }
            } finally {
                hung.wake();
            }
            daemon.awaitMetric("pgbg_up", v -> v == 1, WAIT, "target", "hung");
            // the cached published series and the sample ages computed now arrive as one well-formed body
            var raw = daemon.get("/prometheus");
            assertEquals("text/plain; version=0.0.4; charset=utf-8", raw.headers().firstValue("content-type").orElse(""));
            assertTrue(raw.body().contains("\npgbg_up{target=\"hung\"} 1\n"), raw.body());
            assertTrue(raw.body().contains("\npgbg_sample_age_seconds{target=\"healthy\"} "), raw.body());
            assertTrue(raw.body().endsWith("\n"));

            // JMX serves the same values: one MBean per target, one attribute per series, named as /prometheus names it.
            MBeanServer jmx = ManagementFactory.getPlatformMBeanServer();
            ObjectName healthyTarget = new ObjectName("io.pgbluegreen:type=target,name=healthy");
            assertEquals(1.0, ((Number) jmx.getAttribute(healthyTarget, "pgbg_up{target=\"healthy\"}")).doubleValue());
            ObjectName hungTarget = new ObjectName("io.pgbluegreen:type=target,name=hung");
            assertEquals(1.0, ((Number) jmx.getAttribute(hungTarget, "pgbg_up{target=\"hung\"}")).doubleValue());
            double age = ((Number) jmx.getAttribute(healthyTarget, "pgbg_sample_age_seconds{target=\"healthy\"}")).doubleValue();
            assertTrue(age >= 0 && age < 5, "sample age over JMX: " + age);
            var listed = java.util.Arrays.stream(jmx.getMBeanInfo(healthyTarget).getAttributes()).map(a -> a.getName()).toList();
            assertTrue(listed.contains("pgbg_up{target=\"healthy\"}"), listed.toString());
            ObjectName refusing = new ObjectName("io.pgbluegreen:type=target,name=refusing");
            assertEquals(1.0, ((Number) jmx.getAttribute(refusing,
                    "pgbg_target_error{target=\"refusing\",error=\"auth_failed\"}")).doubleValue());
        }
    }
}
