package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The fence covers every writer on blue, or the gate refuses before anything changes. Writers of every kind of role
 * (superuser, REPLICATION, BYPASSRLS, role-level settings, in another database), each reconnecting in a loop and
 * insisting on writing, lose nothing and never write on blue after the capture; what the fence cannot stop (a
 * role left out of fence-roles or named wrongly, the daemon's own role used by an application, an apply worker, a
 * job scheduler's background worker) refuses the cutover by name.
 */
class FenceWritersIT {
    /** Each role and whether its writer must override read-only itself (its role settings do it for set_app). */
    private static final Map<String, String> ROLES = Map.of(
            "admin_su", "SUPERUSER", "repl_app", "REPLICATION", "byp_app", "BYPASSRLS", "set_app", "");

    private static void createWriterRoles(PgServer blue) {
        blue.execute("postgres", "CREATE DATABASE otherdb");
        blue.execute("otherdb", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL UNIQUE)",
                "GRANT ALL ON items TO app", "GRANT ALL ON SEQUENCE items_id_seq TO app");
        ROLES.forEach((role, attribute) -> blue.execute("postgres",
                "CREATE ROLE " + role + " LOGIN " + attribute + " PASSWORD '" + role + "'",
                "GRANT ALL ON items TO " + role, "GRANT ALL ON SEQUENCE items_id_seq TO " + role));
        blue.execute("postgres", "ALTER ROLE set_app SET default_transaction_read_only = off");
    }

    @Test
    void writersOfEveryKindOfRoleReconnectingInALoopLoseNothingAndNeverWriteOnBlueAfterTheFence() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            createWriterRoles(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                List<WriteLoad> loads = new java.util.ArrayList<>();
                ROLES.forEach((role, attribute) -> loads.add(new WriteLoad(blue.jdbcUrl(), role, role, 1,
                        !role.equals("set_app"), role + ":")));
                WriteLoad otherDatabase = new WriteLoad(blue.jdbcUrl("otherdb"), "app", "app", 1, true, "other:");
                Thread.sleep(1500);
                var operation = Operations.cutover(daemon, "phys", null, Duration.ofSeconds(90));
                Thread.sleep(500);
                loads.forEach(WriteLoad::stop);
                otherDatabase.stop();
                assertEquals("succeeded", operation.state(), operation.toString());
                assertTrue(operation.steps().stream().anyMatch(s -> s.name().equals("post_checks")
                        && s.detail().contains("no session but ours")), operation.toString());

                Set<String> onGreen = new HashSet<>(green.queryList("postgres", "SELECT payload FROM items"));
                for (WriteLoad load : loads) {
                    Set<String> missing = new HashSet<>(load.acknowledged());
                    missing.removeAll(onGreen);
                    assertEquals(Set.of(), missing, "acknowledged writes missing on green");
                    assertTrue(load.acknowledged().size() > 5, "the writer wrote: " + load.acknowledged().size());
                }
                Set<String> missingOther = new HashSet<>(otherDatabase.acknowledged());
                missingOther.removeAll(green.queryList("otherdb", "SELECT payload FROM items"));
                assertEquals(Set.of(), missingOther, "acknowledged writes of another database missing on green");
                for (String role : ROLES.keySet()) {
                    assertThrows(SQLException.class, () -> blue.connectAs("postgres", role, role).close(),
                            role + " cannot log in to fenced blue");
                    green.connectAs("postgres", role, role).close();
                }
            }
        }
    }

    @Test
    void whatTheFenceCannotStopRefusesTheCutoverByName() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            createWriterRoles(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green")
                         .physical("listed", "blue", "green")
                         .set("pg-bluegreen.deployments.listed.fence-roles", List.of("app", "repl_app", "byp_app", "set_app", "apq"))
                         .start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                // an explicit fence-roles that leaves a login role out, and names one that does not exist
                var listed = Gates.awaitCheck(daemon, "listed", "fence_covers_roles", "fail", Duration.ofSeconds(30));
                String message = Gates.check(listed, "fence_covers_roles").message();
                assertTrue(message.contains("superuser admin_su can log in and is not in fence-roles"), message);
                assertTrue(message.contains("fence-roles names apq, which blue has no role of"), message);
                Gates.assertCutoverRefused(daemon, "listed", "fence_covers_roles");
                assertBlueUntouched(blue);

                // the daemon's own role used by an application
                try (Connection shared = connect(blue, "postgres", "billing")) {
                    var verdict = Gates.awaitCheck(daemon, "phys", "fence_covers_roles", "fail", Duration.ofSeconds(30));
                    assertTrue(Gates.check(verdict, "fence_covers_roles").message().contains("role postgres is the daemon's own"),
                            verdict.toString());
                    Gates.assertCutoverRefused(daemon, "phys", "fence_covers_roles");
                }
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));

                // blue applies a subscription of its own (in another database)
                blue.execute("otherdb", "CREATE PUBLICATION loop_pub FOR TABLE items");
                blue.execute("otherdb", "CREATE SUBSCRIPTION upstream CONNECTION '" + blue.conninfo("otherdb")
                        + "' PUBLICATION loop_pub WITH (create_slot = false, slot_name = NONE, enabled = false, connect = false)");
                blue.execute("otherdb", "ALTER SUBSCRIPTION upstream DISABLE");
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));   // disabled: writes nothing
                blue.execute("otherdb", "SELECT pg_create_logical_replication_slot('upstream', 'pgoutput')",
                        "ALTER SUBSCRIPTION upstream SET (slot_name = 'upstream')", "ALTER SUBSCRIPTION upstream ENABLE");
                var applying = Gates.awaitCheck(daemon, "phys", "fence_covers_apply_workers", "fail", Duration.ofSeconds(30));
                assertTrue(Gates.check(applying, "fence_covers_apply_workers").message().contains("upstream in database otherdb"),
                        applying.toString());
                Gates.assertCutoverRefused(daemon, "phys", "fence_covers_apply_workers");
                blue.execute("otherdb", "ALTER SUBSCRIPTION upstream DISABLE", "ALTER SUBSCRIPTION upstream SET (slot_name = NONE)",
                        "DROP SUBSCRIPTION upstream");
                // the disabled apply worker's walsender lets go of the slot a moment later (seen under load)
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(30), "the slot upstream to be released",
                        () -> "f".equals(blue.queryString("postgres",
                                "SELECT active FROM pg_replication_slots WHERE slot_name = 'upstream'")));
                blue.execute("otherdb", "SELECT pg_drop_replication_slot('upstream')");
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));

                // a job scheduler's background worker (pg_cron, Debian's postgresql-15-cron)
                blue.execute("postgres", "ALTER SYSTEM SET shared_preload_libraries = 'pg_cron'");
                blue.stop();
                blue.start();
                var jobs = Gates.awaitCheck(daemon, "phys", "fence_covers_background_workers", "fail", Duration.ofSeconds(60));
                assertTrue(Gates.check(jobs, "fence_covers_background_workers").message().contains("pg_cron launcher"),
                        jobs.toString());
                Gates.assertCutoverRefused(daemon, "phys", "fence_covers_background_workers");
                assertBlueUntouched(blue);
                blue.execute("postgres", "ALTER SYSTEM RESET shared_preload_libraries");
                blue.stop();
                blue.start();
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(60));
            }
        }
    }

    private static Connection connect(PgServer server, String user, String applicationName) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", PgServer.PASSWORD);
        props.setProperty("ApplicationName", applicationName);
        return java.sql.DriverManager.getConnection(server.jdbcUrl(), props);
    }

    private static void assertBlueUntouched(PgServer blue) throws SQLException {
        for (String role : ROLES.keySet()) {
            blue.connectAs("postgres", role, role).close();
        }
        assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"));
    }
}
