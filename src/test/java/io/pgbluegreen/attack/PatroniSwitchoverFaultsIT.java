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
 * Attack: a Patroni member stopped after the gate passed and PgBouncer was paused, before the switchover step runs
 * (the cutover held 3 s after pause_pgbouncer). Promise: never clients pointed at a demoted node; a refusal at the
 * point of no return changes nothing.
 */
class PatroniSwitchoverFaultsIT {
    private static final Duration WAIT = Duration.ofSeconds(60);

    /**
     * Blue (the leader) stops: Patroni fails over to green by itself. The switchover step finds blue no longer leads
     * and refuses; the abort then RESUMEs PgBouncer, still pointed at blue. Once blue's Patroni is back, blue is a
     * replica of green, and PgBouncer's clients are on it.
     */
    @Test
    void leaderStoppedBeforeTheSwitchover() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk8", 2)) {
            String blue = cluster.leaderName();
            String green = cluster.memberNames().stream().filter(m -> !m.equals(blue)).findFirst().orElseThrow();
            try (PgBouncerServer bouncer = PgBouncerServer.start("postgres", cluster.pgPort(blue), "postgres",
                    "postgres", cluster.superuserPassword(), "");
                 Daemon daemon = daemon(cluster, blue, green).pgbouncer("switch", bouncer, "postgres").start()) {
                Gates.awaitReady(daemon, "switch", WAIT);
                String id = startAndStop(daemon, cluster, blue);
                var view = Operations.awaitEnd(daemon, id, Duration.ofSeconds(240));
                cluster.startMember(blue);
                Await.until(WAIT, blue + " to follow", () -> "t".equals(PatroniCrashPgBouncerIT.queryOrNull(
                        cluster.jdbcUrl(blue), cluster, "SELECT pg_is_in_recovery()")));
                long until = System.nanoTime() + Duration.ofSeconds(10).toNanos();
                while (System.nanoTime() < until) {
                    assertNotEquals("t", PatroniCrashPgBouncerIT.queryOrNull(bouncer.jdbcUrl("postgres"), cluster,
                            "SELECT pg_is_in_recovery()"), "PgBouncer's clients are on the demoted " + blue + " ("
                            + cluster.leaderName() + " leads); operation: " + view);
                    Thread.sleep(500);
                }
            }
        }
    }

    /** Green (the candidate) stops: the switchover must not happen, and clients go on against blue. */
    @Test
    void candidateStoppedBeforeTheSwitchover() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgatk9", 2)) {
            String blue = cluster.leaderName();
            String green = cluster.memberNames().stream().filter(m -> !m.equals(blue)).findFirst().orElseThrow();
            try (PgBouncerServer bouncer = PgBouncerServer.start("postgres", cluster.pgPort(blue), "postgres",
                    "postgres", cluster.superuserPassword(), "");
                 Daemon daemon = daemon(cluster, blue, green).pgbouncer("switch", bouncer, "postgres").start()) {
                Gates.awaitReady(daemon, "switch", WAIT);
                String id = startAndStop(daemon, cluster, green);
                var view = Operations.awaitEnd(daemon, id, Duration.ofSeconds(240));
                assertEquals(blue, cluster.leaderName(), view.toString());
                assertEquals("aborted", view.state(), view.toString());
                assertEquals("f", PatroniCrashPgBouncerIT.queryOrNull(bouncer.jdbcUrl("postgres"), cluster,
                        "SELECT pg_is_in_recovery()"), "clients go on against blue: " + view);
            }
        }
    }

    private static String startAndStop(Daemon daemon, PatroniCluster cluster, String member) {
        var response = daemon.post("/deployments/switch/cutover", "");
        assertEquals(202, response.statusCode(), response.body());
        String id = Operations.read(daemon, response.body()).id();
        Await.until(WAIT, "PgBouncer paused", () -> daemon.get("/operations/" + id).body()
                .contains("\"name\":\"pause_pgbouncer\",\"state\":\"succeeded\""));
        cluster.stopMember(member);
        return id;
    }

    private static Daemon.Config daemon(PatroniCluster cluster, String blue, String green) {
        return Daemon.config()
                .target(blue, cluster.jdbcUrl(blue), cluster.superuser(), cluster.superuserPassword())
                .target(green, cluster.jdbcUrl(green), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment("switch", blue, green, "patroni")
                .set("pg-bluegreen.deployments.switch.patroni-cluster", "demo")
                .set("pg-bluegreen.fault.pause-after-step", "pause_pgbouncer");
    }
}
