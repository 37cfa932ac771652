package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgBouncerServer;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cutovers with the applications behind a real PgBouncer: it is paused at the fence and pointed at green at the
 * switch, so writers see a pause, not an error, and never change their connection string.
 */
class PgBouncerCutoverIT {

    @Test
    void physicalCutoverThroughPgBouncerLosesNothingAndClientsSeeNoError() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer bouncer = PgBouncerServer.start("app", blue, "postgres", "app", "app");
                 Daemon daemon = physical(blue, green).pgbouncer("phys", bouncer, "app").start()) {
                runThroughBouncer(daemon, "phys", bouncer, green, "postgres");
            }
        }
    }

    @Test
    void logicalCutoverThroughPgBouncerLosesNothingAndClientsSeeNoError() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            LogicalCutoverIT.createAppRole(pair);
            try (PgBouncerServer bouncer = PgBouncerServer.start("app", pair.publisher(), LogicalPair.DATABASE, "app", "app");
                 Daemon daemon = Daemon.config().target("blue", pair.publisher(), LogicalPair.DATABASE)
                         .target("green", pair.subscriber(), LogicalPair.DATABASE)
                         .logical("upgrade", "blue", "green", LogicalPair.SUBSCRIPTION, pair.slot())
                         .pgbouncer("upgrade", bouncer, "app").start()) {
                runThroughBouncer(daemon, "upgrade", bouncer, pair.subscriber(), LogicalPair.DATABASE);
            }
        }
    }

    /** The switch changes the entry's port only: quoted values with spaces and doubled quotes stay byte for byte. */
    @Test
    void quotedValuesOfThePooledDatabasesEntrySurviveTheSwitch() throws Exception {
        String quoted = "connect_query='SELECT ''pg bluegreen'' AS note'   application_name='app via bouncer'";
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer bouncer = PgBouncerServer.start("app", blue, "postgres", "app", "app", quoted);
                 Daemon daemon = physical(blue, green).pgbouncer("phys", bouncer, "app").start()) {
                String before = java.nio.file.Files.readString(bouncer.configFile());
                runThroughBouncer(daemon, "phys", bouncer, green, "postgres");
                // blue and green differ in their port only (same loopback host, same database)
                assertEquals(before.replace("port=" + blue.port() + " ", "port=" + green.port() + " "),
                        java.nio.file.Files.readString(bouncer.configFile()));
            }
        }
    }

    @Test
    void aRollbackUnderLoadThroughPgBouncerRightAfterTheSwitchLosesNothingAndClientsSeeNoError() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            LogicalCutoverIT.createAppRole(pair);
            PgServer blue = pair.publisher();
            try (PgBouncerServer bouncer = PgBouncerServer.start("app", blue, LogicalPair.DATABASE, "app", "app");
                 Daemon daemon = Daemon.config().target("blue", blue, LogicalPair.DATABASE)
                         .target("green", pair.subscriber(), LogicalPair.DATABASE)
                         .logical("upgrade", "blue", "green", LogicalPair.SUBSCRIPTION, pair.slot())
                         .set("pg-bluegreen.deployments.upgrade.reverse-replication", true)
                         .pgbouncer("upgrade", bouncer, "app").start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 4, false);
                Thread.sleep(1000);
                assertEquals("succeeded", Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90)).state());
                // right after the switch, while the writers carry on against green through PgBouncer
                var rollback = daemon.post("/deployments/upgrade/rollback", null);
                assertEquals(200, rollback.statusCode(), rollback.body());
                var view = Operations.read(daemon, rollback.body());
                assertEquals("succeeded", view.state(), rollback.body());
                assertEquals(List.of("pause_pgbouncer", "fence_green", "audit_green", "reverse_catch_up",
                        "sync_sequences_back", "stop_reverse", "unfence_blue", "point_pgbouncer_at_blue"),
                        view.steps().stream().map(s -> s.name()).toList());
                int atRollback = load.acknowledged().size();
                Thread.sleep(1000);
                load.stop();
                assertTrue(load.acknowledged().size() > atRollback, "writers carried on against blue");
                assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
                Set<String> missing = new HashSet<>(load.acknowledged());
                missing.removeAll(new HashSet<>(blue.queryList(LogicalPair.DATABASE, "SELECT payload FROM items")));
                assertEquals(Set.of(), missing, "acknowledged writes missing on blue after the rollback");
                assertTrue(java.nio.file.Files.readString(bouncer.configFile()).contains("port=" + blue.port()), "PgBouncer points at blue");
            }
        }
    }

    @Test
    void aPhysicalRollbackUnderLoadThroughPgBouncerAfterGreenTookWritesIsRefusedAndChangesNothing() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer bouncer = PgBouncerServer.start("app", blue, "postgres", "app", "app");
                 Daemon daemon = physical(blue, green).pgbouncer("phys", bouncer, "app").start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(45));
                WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 4, false);
                Thread.sleep(1000);
                assertEquals("succeeded", Operations.cutover(daemon, "phys", null, Duration.ofSeconds(90)).state());
                Thread.sleep(300);
                var rollback = daemon.post("/deployments/phys/rollback", null);
                assertEquals(409, rollback.statusCode(), rollback.body());
                assertTrue(rollback.body().contains("green took writes since the cutover"), rollback.body());
                int atRefusal = load.acknowledged().size();
                Thread.sleep(500);
                load.stop();
                assertTrue(load.acknowledged().size() > atRefusal, "writers carry on against green");
                assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
                assertEquals("f", green.queryString("postgres", "SELECT pg_is_in_recovery()"));
                green.connectAs("postgres", "app", "app").close();
                assertEquals("on", blue.queryString("postgres", "SHOW default_transaction_read_only"), "blue stays fenced");
            }
        }
    }

    @Test
    void anAbortedCutoverGivesClientsBehindPgBouncerAPauseNotErrors() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer bouncer = PgBouncerServer.start("app", blue, "postgres", "app", "app");
                 Daemon daemon = physical(blue, green).pgbouncer("phys", bouncer, "app")
                         .set("pg-bluegreen.fault.fail-after-step", "catch_up").start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(45));
                WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 4, false);
                Thread.sleep(1000);
                var operation = Operations.cutover(daemon, "phys", null, Duration.ofSeconds(90));
                assertEquals("aborted", operation.state(), operation.toString());
                int atAbort = load.acknowledged().size();
                Thread.sleep(1000);
                load.stop();
                // blue is unfenced before PgBouncer resumes: the paused clients carry on against a writable blue
                assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
                assertTrue(load.acknowledged().size() > atAbort, "writers carried on after the abort");
                assertEquals("t", green.queryString("postgres", "SELECT pg_is_in_recovery()"), "green was not promoted");
            }
        }
    }

    @Test
    void aPgBouncerTheSwitchCouldNotUseRefusesTheCutoverAndChangesNothing() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer atGreen = PgBouncerServer.start("app", green, "postgres", "app", "app");
                 Daemon daemon = physical(blue, green).pgbouncer("phys", atGreen, "app")
                         .physical("lost", "blue", "green").pgbouncer("lost", atGreen, "app")
                         .set("pg-bluegreen.deployments.lost.pgbouncer.admin-url",
                                 "jdbc:postgresql://127.0.0.1:" + io.pgbluegreen.fixture.FreePort.next() + "/pgbouncer")
                         .start()) {
                String ini = java.nio.file.Files.readString(atGreen.configFile());
                var wrongServer = Gates.awaitCheck(daemon, "phys", "pgbouncer_points_at_blue", "fail", Duration.ofSeconds(30));
                assertTrue(Gates.check(wrongServer, "pgbouncer_points_at_blue").message().contains("not to blue"), wrongServer.toString());
                assertEquals("pass", Gates.check(wrongServer, "pgbouncer_reachable").status().label(), wrongServer.toString());
                Gates.assertCutoverRefused(daemon, "phys", "pgbouncer_points_at_blue");

                var unreachable = Gates.awaitCheck(daemon, "lost", "pgbouncer_reachable", "fail", Duration.ofSeconds(30));
                assertTrue(Gates.check(unreachable, "pgbouncer_reachable").message().contains("cannot open PgBouncer's admin console"),
                        unreachable.toString());
                Gates.assertCutoverRefused(daemon, "lost", "pgbouncer_reachable");

                assertEquals(ini, java.nio.file.Files.readString(atGreen.configFile()), "pgbouncer.ini untouched");
                assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"), "blue untouched");
                blue.connectAs("postgres", "app", "app").close();
            }
        }
    }

    @Test
    void aConfigFilePgBouncerDoesNotRunWithRefusesAndOverriddenLeavesClientsPausedNotSentBack() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("pgbg-ini-copy");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 PgBouncerServer bouncer = PgBouncerServer.start("app", blue, "postgres", "app", "app")) {
                java.nio.file.Path copy = java.nio.file.Files.copy(bouncer.configFile(), dir.resolve("pgbouncer.ini"));
                try (Daemon daemon = physical(blue, green).pgbouncer("phys", bouncer, "app")
                        .set("pg-bluegreen.deployments.phys.pgbouncer.config-file", copy.toString()).start()) {
                    var verdict = Gates.awaitCheck(daemon, "phys", "pgbouncer_config_writable", "fail", Duration.ofSeconds(30));
                    assertTrue(Gates.check(verdict, "pgbouncer_config_writable").message()
                            .contains("PgBouncer runs with " + bouncer.configFile()), verdict.toString());
                    Gates.assertCutoverRefused(daemon, "phys", "pgbouncer_config_writable");

                    // Overridden, the switch rewrites a file PgBouncer does not read: the RELOAD changes nothing, so
                    // PgBouncer must stay paused rather than send its clients back to the fenced blue.
                    String override = "{\"override\":{\"checks\":[\"pgbouncer_config_writable\"],\"reason\":\"test\"}}";
                    var operation = Operations.cutover(daemon, "phys", override, Duration.ofSeconds(90));
                    assertEquals("failed", operation.state(), operation.toString());
                    assertTrue(operation.detail().contains("stays paused"), operation.detail());
                    assertTrue(operation.nextActions().stream().anyMatch(a -> a.contains("RESUME app")), operation.toString());
                    var settings = io.pgbluegreen.pgbouncer.PgBouncerSettings.of(java.util.Map.of("admin-url", bouncer.adminUrl(),
                            "user", PgBouncerServer.ADMIN, "database", "app", "config-file", bouncer.configFile().toString()));
                    try (var console = io.pgbluegreen.pgbouncer.PgBouncerConsole.open(settings, Duration.ofSeconds(5))) {
                        String row = console.run("SHOW DATABASES").stream().filter(r -> r.startsWith("app|")).findFirst().orElseThrow();
                        assertEquals("1", row.split("\\|", -1)[11], "PgBouncer still paused: " + row);
                    }
                    assertEquals("on", blue.queryString("postgres", "SHOW default_transaction_read_only"), "blue stays fenced");
                }
            } finally {
                io.pgbluegreen.fixture.OsUser.deleteTree(dir);
            }
        }
    }

    /** The daemon watching a PostgreSQL 15 primary and standby as deployment "phys". */
    private static Daemon.Config physical(PgServer blue, PgServer green) {
        return Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                .physical("phys", "blue", "green");
    }

    private static void runThroughBouncer(Daemon daemon, String deployment, PgBouncerServer bouncer, PgServer green,
                                          String greenDatabase) throws Exception {
        Gates.awaitReady(daemon, deployment, Duration.ofSeconds(45));
        WriteLoad load = new WriteLoad(bouncer.jdbcUrl("app"), "app", "app", 4, false);
        Thread.sleep(1500);
        var operation = Operations.cutover(daemon, deployment, null, Duration.ofSeconds(90));
        assertEquals("succeeded", operation.state(), operation.toString());
        int atSwitch = load.acknowledged().size();
        Thread.sleep(1500);
        load.stop();

        Set<String> acked = load.acknowledged();
        assertTrue(acked.size() > atSwitch, "writers carried on through PgBouncer after the switch");
        assertEquals(0, load.errors(), "clients behind PgBouncer saw errors: " + load.errorMessages());
        Set<String> missing = new HashSet<>(acked);
        missing.removeAll(new HashSet<>(green.queryList(greenDatabase, "SELECT payload FROM items")));
        assertEquals(Set.of(), missing, "acknowledged writes missing on green");
        assertTrue(java.nio.file.Files.readString(bouncer.configFile()).contains("port=" + green.port()), "PgBouncer points at green");
        // the operation's admin console session (a psql child) ends with the operation; the gate's own stays
        io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(10), "only the gate's psql left running",
                () -> io.pgbluegreen.support.ChildProcesses.psql().size() == 1);
    }
}
