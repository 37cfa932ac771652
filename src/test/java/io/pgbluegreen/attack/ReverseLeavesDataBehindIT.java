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

/**
 * Attack on the rollback through reverse replication: the cutover's gate refuses large objects on blue
 * (no_large_objects: logical replication does not carry them), but nothing looks at what green took since. A large
 * object written on green after the switch counts as "a write" (an id), the reverse path "works", so the rollback
 * goes ahead, unfences blue and fences green: the large object (and the row pointing at it, which did travel) is
 * on green only. Green's committed write is lost to the clients, who are back on blue.
 */
class ReverseLeavesDataBehindIT {

    @Test
    void aRollbackDoesNotLeaveGreensLargeObjectsBehind() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                    .set("pg-bluegreen.deployments.upgrade.reverse-replication", true).start()) {
                Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                var cutover = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                assertEquals("succeeded", cutover.state(), cutover.toString());

                // the application, now on green, stores a document as a large object and a row naming it
                long oid;
                try (Connection app = green.connectAs(DATABASE, "app", "app"); Statement s = app.createStatement()) {
                    app.setAutoCommit(false);
                    try (var rs = s.executeQuery("SELECT lo_from_bytea(0, 'invoice written on green')")) {
                        rs.next();
                        oid = rs.getLong(1);
                    }
                    s.execute("INSERT INTO items(payload) VALUES ('document " + oid + "')");
                    app.commit();
                }

                var rollback = daemon.post("/deployments/upgrade/rollback", null);
                System.out.println("ATTACK rollback answered " + rollback.statusCode() + ": " + rollback.body());
                long rowOnBlue = blue.queryLong(DATABASE, "SELECT count(*) FROM items WHERE payload = 'document " + oid + "'");
                long loOnBlue = blue.queryLong(DATABASE, "SELECT count(*) FROM pg_largeobject_metadata WHERE oid = " + oid);
                System.out.println("ATTACK after the rollback blue has the row: " + rowOnBlue + ", the large object: " + loOnBlue
                        + "; blue read-only = " + blue.queryString(DATABASE, "SHOW default_transaction_read_only"));
                boolean wentBack = rollback.statusCode() == 200
                        && "succeeded".equals(Operations.read(daemon, rollback.body()).state());
                if (wentBack) {
                    assertEquals(1, loOnBlue, "the rollback made blue the primary again without green's large object " + oid
                            + " (its row did travel: " + rowOnBlue + ")");
                }
            }
        }
    }
}
