package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Attack: two deployments on one Patroni cluster (one per database, each with its PgBouncer database), switched
 * over at nearly the same time. Their locks are per deployment; the second one's switchover step finds blue no
 * longer leads (the first moved it) and refuses; its abort RESUMEs its PgBouncer against blue, now demoted.
 * Promise: never clients pointed at a demoted node. (The cutovers are held 3 s after pause_pgbouncer to line them up: b starts while a is held.)
 */
class PatroniConcurrentDeploymentsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void twoDeploymentsOfOneClusterSwitchedTogetherNeverLeaveClientsOnTheDemotedBlue() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk10", 2)) {
            String blue = cluster.leaderName();
            String green = cluster.memberNames().stream().filter(m -> !m.equals(blue)).findFirst().orElseThrow();
            try (PgBouncerServer ba = PgBouncerServer.start("postgres", cluster.pgPort(blue), "postgres", "postgres",
                    cluster.superuserPassword(), "");
                 PgBouncerServer bb = PgBouncerServer.start("postgres", cluster.pgPort(blue), "postgres", "postgres",
                         cluster.superuserPassword(), "");
                 Daemon daemon = Daemon.config()
                         .target(blue, cluster.jdbcUrl(blue), cluster.superuser(), cluster.superuserPassword())
                         .target(green, cluster.jdbcUrl(green), cluster.superuser(), cluster.superuserPassword())
                         .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                         .deployment("a", blue, green, "patroni")
                         .set("pg-bluegreen.deployments.a.patroni-cluster", "demo")
                         .deployment("b", blue, green, "patroni")
                         .set("pg-bluegreen.deployments.b.patroni-cluster", "demo")
                         .pgbouncer("a", ba, "postgres").pgbouncer("b", bb, "postgres")
                         .set("pg-bluegreen.fault.pause-after-step", "pause_pgbouncer").start()) {
                Gates.awaitReady(daemon, "a", WAIT);
                Gates.awaitReady(daemon, "b", WAIT);
                var ra = daemon.post("/deployments/a/cutover", "");
                assertEquals(202, ra.statusCode(), ra.body());
                Thread.sleep(800);
                long asked = System.nanoTime();
                var rb = daemon.post("/deployments/b/cutover", "");
                var va = Operations.awaitEnd(daemon, Operations.read(daemon, ra.body()).id(), Duration.ofSeconds(240));
                String vb = rb.body() + " (answered after " + (System.nanoTime() - asked) / 1_000_000 + " ms)";
                // only a PgBouncer whose cutover was accepted is the daemon's doing
                boolean bAccepted = rb.statusCode() == 202;
                if (rb.statusCode() == 202) {
                    vb = Operations.awaitEnd(daemon, Operations.read(daemon, rb.body()).id(), Duration.ofSeconds(240)).toString();
                }
                Await.until(WAIT, blue + " to follow " + green, () -> "t".equals(PatroniCrashPgBouncerIT.queryOrNull(
                        cluster.jdbcUrl(blue), cluster, "SELECT pg_is_in_recovery()")));
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (System.nanoTime() < until) {
                    for (PgBouncerServer bouncer : bAccepted ? new PgBouncerServer[]{ba, bb} : new PgBouncerServer[]{ba}) {
                        assertNotEquals("t", PatroniCrashPgBouncerIT.queryOrNull(bouncer.jdbcUrl("postgres"), cluster,
                                "SELECT pg_is_in_recovery()"), "PgBouncer " + (bouncer == ba ? "a" : "b")
                                + " has its clients on the demoted " + blue + "; a: " + va + "; b: " + rb.statusCode() + " " + vb);
                    }
                    Thread.sleep(500);
                }
            }
        }
    }
}
