package io.pgbluegreen.attack;

import io.pgbluegreen.cutover.PhysicalCutoverIT;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Operations;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Attack on the fence (found by review, now a regression test): a connection opened with {@code replication=database} is a walsender, not a 'client backend',
 * yet it runs any SQL, writes included. The fence ends only client backends, prove_quiet and post_checks only look
 * for client backends, and the gate counts walsender as a built-in process that never writes. Any role with
 * REPLICATION (CDC tools, Debezium, a DBA) keeps a writable session on blue through and after the cutover.
 */
class WalsenderSessionIT {
    private static final Duration END = Duration.ofSeconds(90);

    /** A logical-replication-style connection (walsender) that runs plain SQL. */
    static Connection walsender(PgServer server, String user, String password) throws Exception {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("replication", "database");
        props.setProperty("preferQueryMode", "simple");
        props.setProperty("assumeMinServerVersion", "10");
        props.setProperty("ApplicationName", "cdc-tool");
        return DriverManager.getConnection(server.jdbcUrl(), props);
    }

    static void createCdcRole(PgServer blue) {
        blue.execute("postgres", "CREATE ROLE cdc LOGIN REPLICATION PASSWORD 'cdc'", "GRANT ALL ON items TO cdc",
                "GRANT ALL ON SEQUENCE items_id_seq TO cdc");
    }

    /** After a cutover that succeeded, blue still takes writes: two writable primaries. */
    @Test
    void aReplicationConnectionKeepsWritingOnBlueAfterASuccessfulCutover() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15)) {
            PhysicalCutoverIT.prepare(blue);
            createCdcRole(blue);
            try (PgServer green = PgServer.startStandby("green", blue, "green_slot");
                 Daemon daemon = Daemon.config().target("blue", blue, "postgres").target("green", green, "postgres")
                         .physical("phys", "blue", "green").start();
                 Connection cdc = walsender(blue, "cdc", "cdc")) {
                Gates.awaitReady(daemon, "phys", Duration.ofSeconds(30));
                var cutover = Operations.cutover(daemon, "phys", null, END);
                System.out.println("ATTACK cutover: " + cutover);
                assertEquals("succeeded", cutover.state(), cutover.toString());
                assertEquals("f", green.queryString("postgres", "SELECT pg_is_in_recovery()"));

                String outcome;
                try (Statement s = cdc.createStatement()) {
                    s.execute("BEGIN READ WRITE");
                    s.execute("INSERT INTO items(payload) VALUES ('written on fenced blue after the cutover')");
                    s.execute("COMMIT");
                    outcome = "committed";
                } catch (Exception e) {
                    outcome = "refused: " + e.getMessage();
                }
                long onBlue = blue.queryLong("postgres",
                        "SELECT count(*) FROM items WHERE payload = 'written on fenced blue after the cutover'");
                System.out.println("ATTACK write on blue after the cutover: " + outcome + "; rows on blue: " + onBlue);
                assertNotEquals("committed", outcome, "fenced blue took a write after a successful cutover while green"
                        + " is the primary: two writable primaries");
            }
        }
    }
}
