package io.pgbluegreen.sampling;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A hung server (every process of it stopped with SIGSTOP, so connections are open but nothing answers) and a
 * server that refuses our password: each reads as down with its own error class, while a healthy target beside
 * them keeps being sampled on time and /prometheus and JMX keep answering.
 */
class UnhealthyTargetsTest {
    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void hungAndRefusingTargetsAreDownWithoutDelayingTheHealthyOne() throws Exception {
        try (PgServer healthy = PgServer.start("healthy", 15);
             PgServer hung = PgServer.start("hung", 15);
             Daemon daemon = Daemon.config()
                     .target("healthy", healthy, "postgres")
                     .target("hung", hung, "postgres")
                     .target("refusing", healthy.jdbcUrl(), PgServer.SUPERUSER, "wrong-password")
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
