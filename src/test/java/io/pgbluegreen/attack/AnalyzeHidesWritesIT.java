package io.pgbluegreen.attack;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Attack on XidAudit (found by review, now a regression test): it used to assume that every table whose
 * last_(auto)analyze moved cost one transaction id. An ANALYZE of a table with no live rows (empty, or drained
 * queue/staging tables; dozens of empty catalogs in every database) stores no statistics and hands out no id, yet
 * counted as one: each such table hid one client write, and a database-wide ANALYZE on green after a move (the
 * textbook post-migration step) let a rollback unfence blue and lose green's writes. ANALYZE is now matched id to id
 * (pg_statistic's xmin).
 */
class AnalyzeHidesWritesIT {
    private static final Duration END = Duration.ofSeconds(90);

    @Test
    void rollbackMustNotLoseGreensWritesAfterARoutineAnalyze() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                var cutover = Operations.cutover(daemon, "phys", null, END);
                assertEquals("succeeded", cutover.state(), cutover.toString());

                // the application writes on green, the new primary: three committed orders
                try (Connection app = green.connectAs("postgres", "app", "app"); Statement s = app.createStatement()) {
                    for (int i = 1; i <= 3; i++) {
                        s.execute("INSERT INTO items(payload) VALUES ('written on green " + i + "')");
                    }
                }
                // the DBA refreshes statistics after the move (what every upgrade runbook says)
                green.execute("postgres", "ANALYZE");

                var rollback = daemon.post("/deployments/phys/rollback", null);
                long onBlue = blue.queryLong("postgres", "SELECT count(*) FROM items WHERE payload LIKE 'written on green%'");
                System.out.println("ATTACK rollback answered " + rollback.statusCode() + ": " + rollback.body());
                System.out.println("ATTACK green's rows on blue after it: " + onBlue + "; blue read-only = "
                        + blue.queryString("postgres", "SHOW default_transaction_read_only") + ", green read-only = "
                        + green.queryString("postgres", "SHOW default_transaction_read_only"));
                // promise: green took writes and nothing carries them back, so the rollback must be refused
                assertNotEquals(200, rollback.statusCode(), "rollback went ahead although green took 3 writes: "
                        + rollback.body() + " (green's rows on blue: " + onBlue + ")");
            }
        }
    }
}
