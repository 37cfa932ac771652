package io.pgbluegreen.attack;

import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.OsUser;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.ChildDaemon;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Attack on "a rollback never leaves both sides unwritable" and "never loses green's writes" across a crash, logical
 * with reverse replication: the daemon is killed (halt-after-step) at a step boundary of a rollback that carries
 * green's writes back, restarted, and the operator retries. After stop_reverse the journal says the reverse
 * replication was dropped, so the retry's plan refuses ("an earlier rollback already dropped the reverse
 * replication") before it looks at whether the writes had been carried already (reverse_catch_up finished, green
 * fenced since): green keeps the crashed rollback's fence, blue keeps the cutover's, and nothing gives either back.
 */
class LogicalRollbackCrashIT {
    private static final String TOKEN = Daemon.TOKEN;

    @ParameterizedTest
    @ValueSource(strings = {"stop_reverse"}) // halting after reverse_catch_up or sync_sequences_back was tried too: the retry finishes
    void aRollbackRetriedAfterACrashLeavesOneSideWritableWithGreensWrites(String haltAfter) throws Exception {
        try (LogicalPair pair = LogicalPair.start(14, 16)) {
            PgServer blue = pair.publisher();
            PgServer green = pair.subscriber();
            AttackPairs.createAppRole(pair);
            Path dir = Files.createTempDirectory("pgbg-attack-lcrash");
            Files.writeString(dir.resolve("password"), PgServer.PASSWORD + "\n");
            Files.writeString(dir.resolve("token"), TOKEN + "\n");
            try {
                try (Daemon daemon = daemon(pair, dir).start()) {
                    Gates.awaitReady(daemon, "upgrade", Duration.ofSeconds(45));
                    var cutover = Operations.cutover(daemon, "upgrade", null, Duration.ofSeconds(90));
                    assertEquals("succeeded", cutover.state(), cutover.toString());
                }
                green.execute(DATABASE, "INSERT INTO items(payload) VALUES ('written on green')");
                try (ChildDaemon child = ChildDaemon.start(dir, yaml(dir, blue, green, haltAfter))) {
                    try {
                        child.post("/deployments/upgrade/rollback", TOKEN);
                    } catch (java.io.IOException diedBeforeAnswering) {
                        // halted inside the request
                    }
                    assertEquals(137, child.awaitExit(Duration.ofSeconds(60)), child.log());
                }
                System.out.println("ATTACK [" + haltAfter + "] after the crash: blue writable " + writable(blue)
                        + ", green writable " + writable(green));
                try (Daemon daemon = daemon(pair, dir).start()) {
                    var rollback = daemon.post("/deployments/upgrade/rollback", null);
                    System.out.println("ATTACK [" + haltAfter + "] retried rollback answered " + rollback.statusCode()
                            + ": " + rollback.body());
                    boolean blueW = writable(blue);
                    boolean greenW = writable(green);
                    long onBlue = blue.queryLong(DATABASE, "SELECT count(*) FROM items WHERE payload = 'written on green'");
                    System.out.println("ATTACK [" + haltAfter + "] after it: blue writable " + blueW + ", green writable "
                            + greenW + ", green's row on blue " + onBlue);
                    assertTrue(blueW || greenW, "both sides unwritable after the retried rollback, which said: " + rollback.body());
                    if (blueW) {
                        assertEquals(1, onBlue, "blue is the primary again without green's write");
                    }
                }
            } finally {
                OsUser.deleteTree(dir);
            }
        }
    }

    private static Daemon.Config daemon(LogicalPair pair, Path dir) {
        return Daemon.config().target("blue", pair.publisher(), DATABASE).target("green", pair.subscriber(), DATABASE)
                .logical("upgrade", "blue", "green", SUBSCRIPTION, pair.slot())
                .set("pg-bluegreen.deployments.upgrade.reverse-replication", true)
                .set("pg-bluegreen.journal.path", dir.resolve("journal.jsonl").toString());
    }

    private static String yaml(Path dir, PgServer blue, PgServer green, String haltAfter) {
        return """
                pg-bluegreen:
                  sample-interval: 250ms
                  journal: {path: "%1$s/journal.jsonl"}
                  api: {token-file: "%1$s/token"}
                  fault: {halt-after-step: %4$s}
                  metrics: {jmx: false}
                  targets:
                    blue: {url: "%2$s", user: postgres, password-file: "%1$s/password"}
                    green: {url: "%3$s", user: postgres, password-file: "%1$s/password"}
                  deployments:
                    upgrade: {blue: blue, green: green, mode: logical, subscription: %5$s, slot: %5$s, reverse-replication: true}
                """.formatted(dir, blue.jdbcUrl(DATABASE), green.jdbcUrl(DATABASE), haltAfter, SUBSCRIPTION);
    }

    /** The application can log in and new sessions start read-write. */
    private static boolean writable(PgServer server) {
        try {
            server.connectAs(DATABASE, "app", "app").close();
        } catch (SQLException e) {
            return false;
        }
        return "off".equals(server.queryString(DATABASE, "SHOW default_transaction_read_only"));
    }
}
