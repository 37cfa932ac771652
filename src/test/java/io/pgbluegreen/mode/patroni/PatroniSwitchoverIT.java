package io.pgbluegreen.mode.patroni;

import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.patroni.PatroniCluster;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The gated Patroni switchover against a real 2-member Patroni 3.0.2 cluster on etcd: under write load, through
 * PgBouncer (clients see a pause, no error) and direct (nothing acknowledged is lost), refused while the cluster is in
 * maintenance mode unless overridden, refused when blue is not the leader, each refusal changing nothing.
 */
class PatroniSwitchoverIT {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> STEPS = List.of("acquire_lock", "pause_pgbouncer", "switchover", "await_new_leader",
            "switch_connections", "old_leader_follows");

    @Test
    void switchoverThroughPgBouncerUnderLoadLosesNothingAndClientsSeeNoError() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgsw1", 2)) {
            String leader = cluster.leaderName();
            String replica = other(cluster, leader);
            prepare(cluster, leader);
            try (PgBouncerServer bouncer = PgBouncerServer.start("app", cluster.pgPort(leader), "postgres", "app", "app", "");
                 Daemon daemon = daemon(cluster, leader, replica).pgbouncer("switch", bouncer, "app").start()) {
                Gates.awaitReady(daemon, "switch", WAIT);
                WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 4, false);
                Thread.sleep(1000);
                var view = Operations.cutover(daemon, "switch", null, Duration.ofSeconds(180));
                assertEquals("succeeded", view.state(), view.toString());
                assertEquals(STEPS, view.steps().stream().map(s -> s.name()).toList());
                int atSwitch = load.acknowledged().size();
                Thread.sleep(1000);
                load.stop();
                assertTrue(load.acknowledged().size() > atSwitch, "writers carried on against the new leader");
                assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
                assertNothingLost(cluster, replica, load);
                assertEquals(replica, cluster.leaderName());
                assertTrue(java.nio.file.Files.readString(bouncer.configFile()).contains("port=" + cluster.pgPort(replica)),
                        "PgBouncer points at the new leader");
            }
        }
    }

    @Test
    void directSwitchoverUnderLoadLosesNoAcknowledgedWriteAndTheOldLeaderFollows() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgsw2", 2)) {
            String leader = cluster.leaderName();
            String replica = other(cluster, leader);
            prepare(cluster, leader);
            try (Daemon daemon = daemon(cluster, leader, replica).start()) {
                Gates.awaitReady(daemon, "switch", WAIT);
                WriteLoad load = new WriteLoad(appUrl(cluster, leader), "app", "app", 4, true);
                Thread.sleep(1000);
                var view = Operations.cutover(daemon, "switch", null, Duration.ofSeconds(180));
                assertEquals("succeeded", view.state(), view.toString());
                assertEquals(STEPS, view.steps().stream().map(s -> s.name()).toList());
                load.target(appUrl(cluster, replica));
                Thread.sleep(1000);
                load.stop();
                assertNothingLost(cluster, replica, load);
                assertEquals(replica, cluster.leaderName());
                assertTrue(view.steps().get(5).detail().contains("streams from green"), view.toString());
                assertTrue(view.detail().contains("blue follows it"), view.detail());
            }
        }
    }

    @Test
    void maintenanceModeAndABlueThatDoesNotLeadAreRefusedAndChangeNothing() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgsw3", 2)) {
            String leader = cluster.leaderName();
            String replica = other(cluster, leader);
            prepare(cluster, leader);
            try (Daemon daemon = daemon(cluster, leader, replica)
                    .deployment("backwards", replica, leader, "patroni")
                    .set("pg-bluegreen.deployments.backwards.patroni-cluster", "demo").start()) {
                Gates.awaitReady(daemon, "switch", WAIT);
                Gates.assertCutoverRefused(daemon, "backwards", PatroniChecks.BLUE_LEADS);
                cluster.setMaintenanceMode(true);
                Gates.awaitCheck(daemon, "switch", PatroniChecks.NOT_IN_MAINTENANCE, "fail", WAIT);
                Gates.assertCutoverRefused(daemon, "switch", PatroniChecks.NOT_IN_MAINTENANCE);
                assertEquals(leader, cluster.leaderName(), "a refusal changes nothing");
                assertTrue(cluster.isMaintenanceMode(), "a refusal changes nothing");
                // the operator says so: a switchover to the named candidate is what Patroni allows while paused
                String override = "{\"override\": {\"checks\": [\"" + PatroniChecks.NOT_IN_MAINTENANCE
                        + "\"], \"reason\": \"planned switchover during maintenance\"}}";
                var view = Operations.cutover(daemon, "switch", override, Duration.ofSeconds(180));
                assertEquals("succeeded", view.state(), view.toString());
                assertEquals(replica, cluster.leaderName());
                assertTrue(cluster.isMaintenanceMode(), "the cluster stays in the maintenance mode the operator set");
            }
        }
    }

    /**
     * Killed right after PgBouncer was paused (before the switchover): the restarted daemon resumes PgBouncer against
     * blue by itself, the writers carry on against blue without an error, and the cluster never switched.
     */
    @Test
    void aDaemonKilledWithPgBouncerPausedResumesItAgainstBlueWhenStartedAgain() throws Exception {
        try (PatroniCluster cluster = PatroniCluster.start("pbgsw4", 2)) {
            String leader = cluster.leaderName();
            String replica = other(cluster, leader);
            prepare(cluster, leader);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pgbg-patroni-crash");
            java.nio.file.Files.writeString(dir.resolve("password"), cluster.superuserPassword() + "\n");
            java.nio.file.Files.writeString(dir.resolve("token"), Daemon.TOKEN + "\n");
            try (PgBouncerServer bouncer = PgBouncerServer.start("app", cluster.pgPort(leader), "postgres", "app", "app", "")) {
                String yaml = """
                        pg-bluegreen:
                          sample-interval: 250ms
                          journal: {path: "%1$s/journal.jsonl"}
                          api: {token-file: "%1$s/token"}
                          fault: {halt-after-step: pause_pgbouncer}
                          metrics: {jmx: false}
                          targets:
                            %2$s: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                            %4$s: {url: "%5$s", user: postgres, password-file: "%1$s/password"}
                          patroni:
                            demo: {members: [%6$s]}
                          deployments:
                            switch:
                              blue: %2$s
                              green: %4$s
                              mode: patroni
                              patroni-cluster: demo
                              pgbouncer: {admin-url: "%7$s", user: %8$s, database: app, config-file: "%9$s"}
                        """.formatted(dir, leader, cluster.jdbcUrl(leader), replica, cluster.jdbcUrl(replica),
                        String.join(", ", cluster.restUrls().stream().map(u -> "\"" + u + "\"").toList()),
                        bouncer.adminUrl(), PgBouncerServer.ADMIN, bouncer.configFile());
                WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 2, false);
                try (io.pgbluegreen.support.ChildDaemon child = io.pgbluegreen.support.ChildDaemon.start(dir, yaml)) {
                    io.pgbluegreen.fixture.Await.until(WAIT, "the cutover to be accepted (then the halt)", () -> {
                        try {
                            return child.post("/deployments/switch/cutover", Daemon.TOKEN).statusCode() == 202;
                        } catch (java.io.IOException | InterruptedException halted) {
                            return true;
                        }
                    });
                    assertEquals(137, child.awaitExit(Duration.ofSeconds(60)), child.log());
                }
                int whilePaused = load.acknowledged().size();
                Thread.sleep(1000);
                assertEquals(whilePaused, load.acknowledged().size(), "PgBouncer is paused while no daemon runs");
                try (Daemon daemon = daemon(cluster, leader, replica).pgbouncer("switch", bouncer, "app")
                        .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString()).start()) {
                    io.pgbluegreen.fixture.Await.until(WAIT, "writers to carry on against blue",
                            () -> load.acknowledged().size() > whilePaused + 20);
                    load.stop();
                    assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
                    assertEquals(leader, cluster.leaderName(), "the cluster never switched");
                    assertNothingLost(cluster, leader, load);
                    String journal = java.nio.file.Files.readString(dir.resolve("journal.jsonl"));
                    assertTrue(journal.contains("\"step\":\"point_pgbouncer_at_blue\",\"state\":\"succeeded\""), journal);
                }
            }
        }
    }

    private static Daemon.Config daemon(PatroniCluster cluster, String leader, String replica) {
        return Daemon.config()
                .target(leader, cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword())
                .target(replica, cluster.jdbcUrl(replica), cluster.superuser(), cluster.superuserPassword())
                .set("pg-bluegreen.patroni.demo.members", cluster.restUrls())
                .deployment("switch", leader, replica, "patroni")
                .set("pg-bluegreen.deployments.switch.patroni-cluster", "demo");
    }

    private static void prepare(PatroniCluster cluster, String leader) throws Exception {
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(leader), cluster.superuser(), cluster.superuserPassword());
             Statement s = c.createStatement()) {
            s.execute("CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL UNIQUE)");
            s.execute("CREATE ROLE app LOGIN PASSWORD 'app'");
            s.execute("GRANT ALL ON items TO app");
            s.execute("GRANT ALL ON SEQUENCE items_id_seq TO app");
        }
    }

    private static String appUrl(PatroniCluster cluster, String member) {
        return cluster.jdbcUrl(member);
    }

    private static String other(PatroniCluster cluster, String leader) {
        return cluster.memberNames().stream().filter(m -> !m.equals(leader)).findFirst().orElseThrow();
    }

    private static void assertNothingLost(PatroniCluster cluster, String newLeader, WriteLoad load) throws Exception {
        Set<String> onLeader = new HashSet<>();
        try (Connection c = DriverManager.getConnection(cluster.jdbcUrl(newLeader), cluster.superuser(),
                cluster.superuserPassword());
             Statement s = c.createStatement(); ResultSet rows = s.executeQuery("SELECT payload FROM items")) {
            while (rows.next()) {
                onLeader.add(rows.getString(1));
            }
        }
        Set<String> missing = new HashSet<>(load.acknowledged());
        missing.removeAll(onLeader);
        assertEquals(Set.of(), missing, "acknowledged writes missing on the new leader");
        assertTrue(load.acknowledged().size() > 50, "the load wrote: " + load.acknowledged().size());
    }
}
