package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/**
 * Attack on green's baseline (logical): "the first transaction id after our own last write on green, before any
 * client could reach green". A logical green is never fenced before the switch: a client connected to it directly
 * can hold a transaction that got its id before the baseline and commit it after the switch, when green is the
 * primary. Its id is below the baseline, so the rollback's audit never looks at it: "green took no writes", blue is
 * unfenced, green becomes a subscriber again, and the committed row is on green only.
 */
class GreenTransactionOlderThanBaselineIT {

    @Test
    void aWriteCommittedOnGreenAfterTheSwitchIsNotLostByARollback() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot()).start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                try (Connection early = green.connectAs(DATABASE, "app", "app"); Statement s = early.createStatement()) {
                    // a worker of the new release already connected to green: its transaction has an id (a first
                    // write) before the cutover
                    early.setAutoCommit(false);
                    s.execute("INSERT INTO accounts VALUES (1000001, 0)");
                    var cutover = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                    assertEquals("succeeded", cutover.state(), cutover.toString());
                    // ... and finishes its work once green is the primary: acknowledged by green
                    s.execute("UPDATE accounts SET balance = 42 WHERE id = 1000001");
                    s.execute("INSERT INTO items(payload) VALUES ('committed on green after the switch')");
                    early.commit();
                }
                assertEquals(1, green.queryLong(DATABASE, "SELECT count(*) FROM accounts WHERE id = 1000001"));

                var rollback = daemon.post("/deployments/upgrade/rollback", null);
                System.out.println("ATTACK rollback answered " + rollback.statusCode() + ": " + rollback.body());
                long onBlue = blue.queryLong(DATABASE, "SELECT count(*) FROM accounts WHERE id = 1000001");
                System.out.println("ATTACK green's committed row on blue after it: " + onBlue + "; blue read-only = "
                        + blue.queryString(DATABASE, "SHOW default_transaction_read_only"));
                boolean wentBack = rollback.statusCode() == 200
                        && "succeeded".equals(Operations.read(daemon, rollback.body()).state());
                assertNotEquals(true, wentBack && onBlue == 0, "the rollback made blue the primary again without "
                        + "the row green committed after the switch: " + rollback.body());
            }
        }
    }
}
