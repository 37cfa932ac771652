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
 * Attack on XidAudit's id-by-id ANALYZE matching: an id is taken for ANALYZE's when pg_statistic rows carry it as
 * xmin. But ANALYZE runs inside a transaction block, so a client transaction that writes rows AND analyzes (a batch
 * load followed by ANALYZE in the same transaction, a routine ETL pattern) leaves pg_statistic rows with its own
 * xid: its write is then explained away as housekeeping, the rollback is not refused, blue is unfenced and the
 * committed rows on green are lost.
 */
class AnalyzeInWriteTransactionIT {
    private static final Duration END = Duration.ofSeconds(90);

    @Test
    void aWriteThatAlsoAnalyzesIsStillAWrite() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            blue.execute("postgres", "INSERT INTO items(payload) SELECT 'seed ' || g FROM generate_series(1, 100) g",
                    "ALTER TABLE items OWNER TO app");
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start()) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                var cutover = Operations.cutover(daemon, "phys", null, END);
                assertEquals("succeeded", cutover.state(), cutover.toString());

                // the application on green (the new primary, its own role: app owns items) loads a batch and
                // refreshes the table's statistics, in one transaction
                try (Connection etl = green.connectAs("postgres", "app", "app")) {
                    etl.setAutoCommit(false);
                    try (Statement s = etl.createStatement()) {
                        s.execute("SET application_name = 'etl'");
                        s.execute("INSERT INTO items(payload) SELECT 'loaded on green ' || g FROM generate_series(1, 500) g");
                        s.execute("ANALYZE items");
                    }
                    etl.commit();
                }
                long onGreen = green.queryLong("postgres", "SELECT count(*) FROM items WHERE payload LIKE 'loaded on green%'");
                assertEquals(500, onGreen);

                var rollback = daemon.post("/deployments/phys/rollback", null);
                System.out.println("ATTACK rollback answered " + rollback.statusCode() + ": " + rollback.body());
                long onBlue = blue.queryLong("postgres", "SELECT count(*) FROM items WHERE payload LIKE 'loaded on green%'");
                System.out.println("ATTACK green's rows on blue after it: " + onBlue + "; blue read-only = "
                        + blue.queryString("postgres", "SHOW default_transaction_read_only"));
                // promise: green took 500 committed rows that nothing carries back; the rollback must be refused
                assertNotEquals(200, rollback.statusCode(), "rollback went ahead although green committed 500 rows "
                        + "(in a transaction that also ran ANALYZE): " + rollback.body() + " (green's rows on blue: " + onBlue + ")");
            }
        }
    }
}
