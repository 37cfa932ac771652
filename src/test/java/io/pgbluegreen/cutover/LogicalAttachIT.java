package io.pgbluegreen.cutover;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.Exec;
import io.pgbluegreen.fixture.PgDistribution;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The attach helper against real servers: a copy of blue taken at the moment a logical slot was created (what a
 * point-in-time restore gives) is attached to that slot and catches up with everything written since, without
 * copying data; attaching from a position the slot no longer holds, or to a missing slot, is refused.
 */
class LogicalAttachIT {

    @Test
    void attachesARestoredCopyToTheSlotAndRefusesWhatCannotWork() throws Exception {
        try (PgServer blue = PgServer.start("blue", 15); PgServer green = PgServer.start("green", 16)) {
            blue.execute("postgres", "CREATE DATABASE app");
            green.execute("postgres", "CREATE DATABASE app");
            blue.execute("app", "CREATE TABLE items (id bigserial PRIMARY KEY, payload text NOT NULL)",
                    "INSERT INTO items(payload) SELECT 'before ' || g FROM generate_series(1, 500) g",
                    "CREATE PUBLICATION bg_pub FOR ALL TABLES");
            // the restore point: the slot's consistent LSN, and a copy of blue as of then (no writes in between)
            String lsn = blue.queryString("app", "SELECT lsn::text FROM pg_create_logical_replication_slot('restore_slot', 'pgoutput')");
            Path dump = Files.createTempFile("blue", ".sql");
            Exec.run(List.of(PgDistribution.CLIENT_TOOLS.resolve("pg_dump").toString(), "-h", "127.0.0.1", "-p",
                    String.valueOf(blue.port()), "-U", PgServer.SUPERUSER, "-d", "app", "--no-publications", "-f", dump.toString()),
                    Duration.ofMinutes(2), Map.of("PGPASSWORD", PgServer.PASSWORD), null);
            Exec.run(List.of(PgDistribution.CLIENT_TOOLS.resolve("psql").toString(), "-h", "127.0.0.1", "-p",
                    String.valueOf(green.port()), "-U", PgServer.SUPERUSER, "-d", "app", "-v", "ON_ERROR_STOP=1", "-q",
                    "-f", dump.toString()), Duration.ofMinutes(2), Map.of("PGPASSWORD", PgServer.PASSWORD), null);
            Files.delete(dump);
            blue.execute("app", "INSERT INTO items(payload) SELECT 'after ' || g FROM generate_series(1, 300) g");

            try (Daemon daemon = Daemon.config().target("blue", blue, "app").target("green", green, "app")
                    .logical("restored", "blue", "green", "bg_sub", "restore_slot")
                    .logical("no-slot", "blue", "green", "bg_sub", "missing_slot").start()) {
                var bad = daemon.post("/deployments/restored/logical/attach", "{\"lsn\":\"not an lsn\"}");
                assertEquals(400, bad.statusCode(), bad.body());
                assertTrue(bad.body().contains("lsn:"), bad.body());
                var missing = daemon.post("/deployments/no-slot/logical/attach", "{\"lsn\":\"" + lsn + "\"}");
                assertEquals(409, missing.statusCode(), missing.body());
                assertTrue(missing.body().contains("missing_slot does not exist"), missing.body());
                var ahead = daemon.post("/deployments/restored/logical/attach", "{\"lsn\":\"FF/0\"}");
                assertEquals(409, ahead.statusCode(), ahead.body());

                var attached = daemon.post("/deployments/restored/logical/attach", "{\"lsn\":\"" + lsn + "\"}");
                assertEquals(200, attached.statusCode(), attached.body());
                assertTrue(attached.body().contains("\"state\":\"succeeded\""), attached.body());
                Await.until(Duration.ofSeconds(60), "green to have every row of blue", () ->
                        green.queryLong("app", "SELECT count(*) FROM items") == 800);
                assertEquals(300, green.queryLong("app", "SELECT count(*) FROM items WHERE payload LIKE 'after %'"));

                // once green confirmed past the restore point, that point is gone from the slot
                blue.execute("app", "INSERT INTO items(payload) VALUES ('later')");
                Await.until(Duration.ofSeconds(60), "green to confirm past the restore point", () ->
                        io.pgbluegreen.postgres.Lsn.parse(blue.queryString("app",
                                "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = 'restore_slot'")).bytes()
                                > io.pgbluegreen.postgres.Lsn.parse(lsn).bytes());
                green.execute("app", "ALTER SUBSCRIPTION bg_sub DISABLE");
                Await.until(Duration.ofSeconds(30), "the slot to be released", () ->
                        "f".equals(blue.queryString("app", "SELECT active FROM pg_replication_slots WHERE slot_name = 'restore_slot'")));
                green.execute("app", "ALTER SUBSCRIPTION bg_sub SET (slot_name = NONE)", "DROP SUBSCRIPTION bg_sub");
                var stale = daemon.post("/deployments/restored/logical/attach", "{\"lsn\":\"" + lsn + "\"}");
                assertEquals(409, stale.statusCode(), stale.body());
                assertTrue(stale.body().contains("no longer holds changes"), stale.body());
            }
        }
    }
}
