package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Attack on the logical gate's table checks: they leave out the whole schema {@code pgbg} (meant for the cutover's
 * own marker table), not just the marker. A user table there, holding data, published (FOR ALL TABLES) but
 * never refreshed on green (so green's apply worker skips its changes), passes every check; the cutover succeeds and its rows stay behind on the fenced blue.
 */
class PgbgSchemaBlindSpotIT {

    @Test
    void aTableHoldingDataInSchemaPgbgIsNotLeftBehind() throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            // an application (or a DBA's bookkeeping) that happened to pick the schema name pgbg; the table was
            // created on green too, but nobody ran REFRESH PUBLICATION (what tables_subscribed exists to catch)
            green.execute(DATABASE, "CREATE SCHEMA pgbg", "CREATE TABLE pgbg.billing (id int PRIMARY KEY, amount numeric)");
            blue.execute(DATABASE, "CREATE SCHEMA pgbg", "CREATE TABLE pgbg.billing (id int PRIMARY KEY, amount numeric)",
                    "INSERT INTO pgbg.billing SELECT g, g * 10 FROM generate_series(1, 50) g");
            try (Daemon daemon = Daemon.config().target("blue", blue, DATABASE).target("green", green, DATABASE)
                    .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot()).start()) {
                var verdict = Gates.awaitCheck(daemon, "upgrade", "tables_subscribed", "fail", Duration.ofSeconds(45));
                assertEquals(true, Gates.check(verdict, "tables_subscribed").message().contains("pgbg.billing"), verdict.toString());
                Gates.assertCutoverRefused(daemon, "upgrade", "tables_subscribed");
            }
        }
    }
}
