package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Attack on the logical gate's table coverage: it is evaluated once, before the cutover changes anything, and never
 * again. A schema migration that lands between the gate and the fence (here: committed right after the cutover was
 * accepted, while it takes its lock and prepares its marker) adds a table whose rows blue
 * acknowledged, but which green's subscription does not apply (no REFRESH PUBLICATION): the cutover reports success
 * and the rows are not on green.
 */
class LateTableIT {

    @Test
    void aTableCommittedOnBlueAfterTheGateStillReachesGreen() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            // the migration tool applies the DDL to green first (as logical upgrades require), then to blue
            green.execute(DATABASE, "CREATE TABLE late (id int PRIMARY KEY, v text NOT NULL)", "GRANT ALL ON late TO app");
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot()).start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                try (Connection migration = blue.connectAs(DATABASE, "app", "app")) {
                    migration.setAutoCommit(false);
                    try (Statement s = migration.createStatement()) {
                        s.execute("CREATE TABLE late (id int PRIMARY KEY, v text NOT NULL)");
                        s.execute("INSERT INTO late SELECT g, 'row ' || g FROM generate_series(1, 200) g");
                    }
                    // a young open transaction: the gate (max-transaction-age 30s) passes
                    var response = daemon.post("/deployments/upgrade/cutover", null);
                    assertEquals(202, response.statusCode(), response.body());
                    String id = Operations.read(daemon, response.body()).id();
                    // the migration commits right after the gate passed, while the cutover prepares (or the fence
                    // comes first and ends it: then nothing was acknowledged)
                    boolean committed;
                    try {
                        migration.commit();
                        committed = true;
                    } catch (SQLException fenced) {
                        committed = false;
                    }
                    System.out.println("ATTACK committed 200 rows into a new table on blue at "
                            + daemon.get("/operations/" + id).body());
                    var operation = Operations.awaitEnd(daemon, id, Duration.ofSeconds(90));
                    System.out.println("ATTACK cutover " + operation.state() + ": " + operation.detail());
                    if (committed && "succeeded".equals(operation.state())) {
                        assertEquals(blue.queryLong(DATABASE, "SELECT count(*) FROM late"),
                                green.queryLong(DATABASE, "SELECT count(*) FROM late"),
                                "the cutover reported success but rows blue acknowledged are missing on green");
                    } else if (committed) {
                        assertEquals("aborted", operation.state(), operation.toString());
                        blue.connectAs(DATABASE, "app", "app").close();   // blue takes writes again
                    }
                }
            }
        }
    }

    /**
     * The same migration committing after prepare_marker checked blue's tables and before the fence: catch_up sees
     * the signature of blue's tables move, checks in full, and aborts before the point of no return.
     */
    @Test
    void aTableCommittedBetweenPrepareMarkerAndTheFenceAbortsTheCutover() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            green.execute(DATABASE, "CREATE TABLE late (id int PRIMARY KEY, v text NOT NULL)", "GRANT ALL ON late TO app");
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                    .set("pg-bluegreen.fault.pause-after-step", "prepare_marker").start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                var response = daemon.post("/deployments/upgrade/cutover", null);
                assertEquals(202, response.statusCode(), response.body());
                String id = Operations.read(daemon, response.body()).id();
                io.pgbluegreen.fixture.Await.until(Duration.ofSeconds(30), "prepare_marker to finish", () ->
                        Operations.read(daemon, daemon.get("/operations/" + id).body()).steps().stream()
                                .anyMatch(s -> s.name().equals("prepare_marker") && "succeeded".equals(s.state())));
                try (Connection migration = blue.connectAs(DATABASE, "app", "app"); Statement s = migration.createStatement()) {
                    s.execute("CREATE TABLE late (id int PRIMARY KEY, v text NOT NULL)");
                    s.execute("INSERT INTO late SELECT g, 'row ' || g FROM generate_series(1, 200) g");
                }
                var operation = Operations.awaitEnd(daemon, id, Duration.ofSeconds(90));
                assertEquals("aborted", operation.state(), operation.toString());
                org.junit.jupiter.api.Assertions.assertTrue(operation.detail().contains("public.late")
                        && operation.detail().contains("appeared on blue after the gate passed"), operation.detail());
                blue.connectAs(DATABASE, "app", "app").close();   // blue takes writes again
            }
        }
    }
}
