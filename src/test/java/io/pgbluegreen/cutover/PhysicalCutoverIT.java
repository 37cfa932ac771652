package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Operations;
import io.pgbluegreen.support.WriteLoad;
import org.junit.jupiter.api.Test;

import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Cutover of a real PostgreSQL 15 primary to its streaming standby under continuous write load, including a client
 * that insists on writing: every commit blue acknowledged is on green exactly once, and blue ends fenced.
 */
public class PhysicalCutoverIT {
    private static final Duration END = Duration.ofSeconds(90);

    public static void prepare(PgServer blue) {
        blue.execute("postgres", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL UNIQUE)",
                "CREATE ROLE app LOGIN PASSWORD 'app'", "GRANT ALL ON items TO app", "GRANT ALL ON SEQUENCE items_id_seq TO app");
    }

    @Test
    void cutsOverUnderLoadWithoutLosingAnAcknowledgedWriteAndRefusesRollbackOnceGreenTookWrites() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start()) {
                io.pgbluegreen.support.Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                WriteLoad load = new WriteLoad(blue.jdbcUrl(), "app", "app", 4, true);
                Thread.sleep(1500);
                var operation = Operations.cutover(daemon, "phys", null, END);
                assertEquals("succeeded", operation.state(), operation.toString());
                assertEquals(List.of("acquire_lock", "fence_blue", "prove_quiet", "catch_up", "promote",
                        "switch_connections", "post_checks"), operation.steps().stream().map(s -> s.name()).toList());
                int beforeSwitch = load.acknowledged().size();
                load.target(green.jdbcUrl());
                Thread.sleep(1000);
                load.stop();

                Set<String> acked = load.acknowledged();
                assertTrue(acked.size() > beforeSwitch, "the application writes on green after the switch");
                green.connectAs("postgres", "app", "app").close();
                assertTrue(acked.stream().anyMatch(p -> p.startsWith("insist:")), "the insisting writer wrote");
                Set<String> onGreen = new HashSet<>(green.queryList("postgres", "SELECT payload FROM items"));
                Set<String> missing = new HashSet<>(acked);
                missing.removeAll(onGreen);
                assertEquals(Set.of(), missing, "acknowledged writes missing on green");
                assertEquals(onGreen.size(), green.queryLong("postgres", "SELECT count(*) FROM items"), "each row once");
                assertTrue(acked.size() > 50, "load ran: " + acked.size() + " commits, errors " + load.errorMessages());

                // blue is fenced: the application cannot log in, a superuser session starts read-only
                assertThrows(SQLException.class, () -> blue.connectAs("postgres", "app", "app").close());
                assertEquals("on", blue.queryString("postgres", "SHOW default_transaction_read_only"));
                assertEquals("f", green.queryString("postgres", "SELECT pg_is_in_recovery()"));

                // the application wrote on green: going back would lose that, so rollback is refused
                var rollback = daemon.post("/deployments/phys/rollback", null);
                assertEquals(409, rollback.statusCode(), rollback.body());
                assertTrue(rollback.body().contains("green took writes"), rollback.body());
                assertEquals("on", blue.queryString("postgres", "SHOW default_transaction_read_only"), "blue stays fenced");
            }
        }
    }

    @Test
    void rollbackWhileGreenIsUntouchedFencesGreenAndGivesWritesBackToBlue() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start()) {
                io.pgbluegreen.support.Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                assertEquals("succeeded", Operations.cutover(daemon, "phys", null, END).state());
                // nobody wrote on green since: rollback fences green and gives writes back to blue
                var rollback = daemon.post("/deployments/phys/rollback", null);
                assertEquals(200, rollback.statusCode(), rollback.body());
                var view = Operations.read(daemon, rollback.body());
                assertEquals("succeeded", view.state(), rollback.body());
                assertEquals(List.of("fence_green", "audit_green", "unfence_blue"), view.steps().stream().map(s -> s.name()).toList());
                blue.connectAs("postgres", "app", "app").close();
                assertEquals("off", blue.queryString("postgres", "SHOW default_transaction_read_only"));
                assertEquals("on", green.queryString("postgres", "SHOW default_transaction_read_only"));
                assertThrows(SQLException.class, () -> green.connectAs("postgres", "app", "app").close());
            }
        }
    }

    @Test
    void postgres11IsPromotedWithTheConfiguredCommand() throws Exception {
        try (PgServer blue = PgServer.start("blue11", 11)) {
            prepare(blue);
            try (PgServer green = PgServer.startStandby("green11", blue, "green_slot")) {
                List<String> promote = io.pgbluegreen.fixture.OsUser.asServerUser(List.of(
                        io.pgbluegreen.fixture.PgDistribution.tool(11, "pg_ctl").toString(), "promote", "-D", green.dataDir().toString()));
                try (Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                        .physical("phys", "blue", "green").set("pg-bluegreen.deployments.phys.promote-command", promote).start()) {
                    io.pgbluegreen.support.Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                    blue.execute("postgres", "INSERT INTO items(payload) VALUES ('before the cutover')");
                    var operation = Operations.cutover(daemon, "phys", null, END);
                    assertEquals("succeeded", operation.state(), operation.toString());
                    assertEquals("f", green.queryString("postgres", "SELECT pg_is_in_recovery()"));
                    assertEquals(1, green.queryLong("postgres", "SELECT count(*) FROM items WHERE payload = 'before the cutover'"));
                    green.connectAs("postgres", "app", "app").close();
                }
            }
        }
    }
}
