package io.pgbluegreen.gate;

import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.fixture.LogicalPair;
import io.pgbluegreen.fixture.PgServer;
import io.pgbluegreen.support.Daemon;
import io.pgbluegreen.support.Gates;
import io.pgbluegreen.support.Teardown;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static io.pgbluegreen.fixture.LogicalPair.DATABASE;
import static io.pgbluegreen.fixture.LogicalPair.SUBSCRIPTION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every table that holds data reaches green, or the gate refuses — against real servers: a 14 -> 16 pair whose
 * publication is FOR ALL TABLES, and a 16 -> 17 pair whose subscription follows a publication that lists its
 * tables (row filters, column lists, TABLES IN SCHEMA and partitions need 15+). Each test breaks one thing for
 * real, shows the check failing and a cutover refused with 409 naming it, fixes it and sees the gate open again.
 */
class TableCoverageGateIT {
    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final String LISTED = "bg_list";
    private static LogicalPair forAll;
    private static LogicalPair listed;
    private static PgServer blue;
    private static PgServer green;
    private static PgServer blue16;
    private static PgServer green17;
    private static Daemon daemon;

    @BeforeAll
    static void start() {
        forAll = LogicalPair.start(14, 16);
        blue = forAll.publisher();
        green = forAll.subscriber();
        // a role without superuser, so that a database can be closed to it (REVOKE CONNECT)
        blue.execute(DATABASE, "CREATE ROLE pgbg_reader LOGIN PASSWORD 'reader' IN ROLE pg_monitor");
        listed = LogicalPair.start(16, 17);
        blue16 = listed.publisher();
        green17 = listed.subscriber();
        blue16.execute(DATABASE, "CREATE PUBLICATION " + LISTED + " FOR TABLE items, accounts");
        green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " SET PUBLICATION " + LISTED);
        daemon = Daemon.config()
                .target("blue", blue, DATABASE)
                .target("green", green, DATABASE)
                .target("blue-reader", blue.jdbcUrl(DATABASE), "pgbg_reader", "reader")
                .target("blue16", blue16, DATABASE)
                .target("green17", green17, DATABASE)
                .logical("upgrade", "blue", "green", SUBSCRIPTION, forAll.slot())
                .logical("excluding", "blue", "green", SUBSCRIPTION, forAll.slot())
                .set("pg-bluegreen.deployments.excluding.exclude-tables", List.of("legacy.public.old_stuff"))
                .logical("reader", "blue-reader", "green", SUBSCRIPTION, forAll.slot())
                .logical("listed", "blue16", "green17", SUBSCRIPTION, listed.slot())
                .set("pg-bluegreen.gate.interval", "2s")
                .start();
    }

    @AfterAll
    static void stop() {
        Teardown.closeAll(daemon, forAll, listed);
    }

    /** The reported bug: published (FOR ALL TABLES) and present on both sides, but green never refreshed. */
    @Test
    void aPublishedTableGreenNeverRefreshedIsRefusedUntilItIsApplied() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        bothSides(forAll, "CREATE TABLE late_added (id int PRIMARY KEY, note text)");
        try {
            blue.execute(DATABASE, "INSERT INTO late_added SELECT g, 'row ' || g FROM generate_series(1, 100) g");
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "tables_subscribed", "fail", WAIT);
            String message = Gates.check(verdict, "tables_subscribed").message();
            assertTrue(message.contains("public.late_added (not subscribed)") && message.contains("REFRESH PUBLICATION"), message);
            // every check the gate had before this one passes: without it the gate said ready and the rows were lost
            assertEquals(Set.of("tables_subscribed"), blockingNames(verdict), verdict.toString());
            Gates.assertCutoverRefused(daemon, "upgrade", "tables_subscribed");
            green.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Gates.awaitReady(daemon, "upgrade", WAIT);
            assertEquals(100, green.queryLong(DATABASE, "SELECT count(*) FROM late_added"));
        } finally {
            bothSides(forAll, "DROP TABLE IF EXISTS late_added");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    @Test
    void aPublicationThatSendsOnlyInsertsIsRefused() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        blue.execute(DATABASE, "ALTER PUBLICATION " + LogicalPair.PUBLICATION + " SET (publish = 'insert')");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "publication_sends_everything", "fail", WAIT);
            String message = Gates.check(verdict, "publication_sends_everything").message();
            assertTrue(message.contains("bg_pub leaves out update, delete, truncate"), message);
            Gates.assertCutoverRefused(daemon, "upgrade", "publication_sends_everything");
        } finally {
            blue.execute(DATABASE, "ALTER PUBLICATION " + LogicalPair.PUBLICATION + " SET (publish = 'insert, update, delete, truncate')");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    @Test
    void anUnloggedTableIsRefusedUntilItIsLoggedAndApplied() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        blue.execute(DATABASE, "CREATE UNLOGGED TABLE scratch (id int PRIMARY KEY)",
                "INSERT INTO scratch SELECT generate_series(1, 10)");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "tables_logged", "fail", WAIT);
            String message = Gates.check(verdict, "tables_logged").message();
            assertTrue(message.contains("public.scratch") && message.contains("SET LOGGED"), message);
            Gates.assertCutoverRefused(daemon, "upgrade", "tables_logged");
            blue.execute(DATABASE, "ALTER TABLE scratch SET LOGGED");
            green.execute(DATABASE, "CREATE TABLE scratch (id int PRIMARY KEY)");
            green.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Gates.awaitReady(daemon, "upgrade", WAIT);
            assertEquals(10, green.queryLong(DATABASE, "SELECT count(*) FROM scratch"));
        } finally {
            bothSides(forAll, "DROP TABLE IF EXISTS scratch");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    @Test
    void aLargeObjectIsRefused() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        long oid = blue.queryLong(DATABASE, "SELECT lo_from_bytea(0, 'not replicated'::bytea)");
        try {
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "no_large_objects", "fail", WAIT);
            assertEquals("1", Gates.check(verdict, "no_large_objects").observed());
            Gates.assertCutoverRefused(daemon, "upgrade", "no_large_objects");
        } finally {
            blue.execute(DATABASE, "SELECT lo_unlink(" + oid + ")");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    /** pg_subscription is shared: a subscription in another database of green keeps applying after the switch. */
    @Test
    void anotherEnabledSubscriptionOnGreenIsRefusedUntilDisabled() {
        Gates.awaitReady(daemon, "upgrade", WAIT);
        blue.execute("postgres", "CREATE DATABASE feed");
        green.execute("postgres", "CREATE DATABASE sidecar");
        try {
            blue.execute("feed", "CREATE PUBLICATION feed_pub FOR ALL TABLES");
            green.execute("sidecar", "CREATE SUBSCRIPTION side_sub CONNECTION '" + blue.conninfo("feed") + "' PUBLICATION feed_pub");
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "green_no_other_subscriptions", "fail", WAIT);
            String message = Gates.check(verdict, "green_no_other_subscriptions").message();
            assertTrue(message.contains("side_sub (database sidecar)"), message);
            Gates.assertCutoverRefused(daemon, "upgrade", "green_no_other_subscriptions");
            green.execute("sidecar", "ALTER SUBSCRIPTION side_sub DISABLE");
            Gates.awaitReady(daemon, "upgrade", WAIT);
        } finally {
            Teardown.closeAll(() -> green.execute("sidecar", "DROP SUBSCRIPTION IF EXISTS side_sub"),
                    () -> green.execute("postgres", "DROP DATABASE IF EXISTS sidecar WITH (FORCE)"),
                    () -> blue.execute("postgres", "DROP DATABASE IF EXISTS feed WITH (FORCE)"));
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
    }

    /**
     * A table in a database the deployment does not move is refused, unless exclude-tables names it (then the check
     * passes and says so); an entry naming no table refuses, since a typo would not do what was meant.
     */
    @Test
    void aTableInAnotherDatabaseIsRefusedUnlessExcludedOnPurpose() {
        Verdict typo = Gates.awaitCheck(daemon, "excluding", "excluded_tables_exist", "fail", WAIT);
        assertTrue(Gates.check(typo, "excluded_tables_exist").message().contains("legacy.public.old_stuff"), typo.toString());
        Gates.assertCutoverRefused(daemon, "excluding", "excluded_tables_exist");
        Gates.awaitReady(daemon, "upgrade", WAIT);
        blue.execute("postgres", "CREATE DATABASE legacy");
        try {
            blue.execute("legacy", "CREATE TABLE old_stuff (id int PRIMARY KEY)", "INSERT INTO old_stuff VALUES (1), (2)");
            Verdict verdict = Gates.awaitCheck(daemon, "upgrade", "other_databases_empty", "fail", WAIT);
            String message = Gates.check(verdict, "other_databases_empty").message();
            assertTrue(message.contains("legacy.public.old_stuff") && message.contains("moves app only"), message);
            Gates.assertCutoverRefused(daemon, "upgrade", "other_databases_empty");

            Verdict excluded = Gates.awaitReady(daemon, "excluding", WAIT);
            String passed = Gates.check(excluded, "other_databases_empty").message();
            assertTrue(passed.contains("excluded on purpose") && passed.contains("legacy.public.old_stuff"), passed);
            assertEquals("pass", Gates.check(excluded, "excluded_tables_exist").status().label());
        } finally {
            blue.execute("postgres", "DROP DATABASE IF EXISTS legacy WITH (FORCE)");
        }
        Gates.awaitReady(daemon, "upgrade", WAIT);
        Gates.awaitCheck(daemon, "excluding", "excluded_tables_exist", "fail", WAIT);
    }

    /** Looking is part of the check: a database the daemon's role cannot enter is unknown, never taken for empty. */
    @Test
    void aDatabaseTheDaemonCannotEnterIsUnknownNotEmpty() {
        Gates.awaitCheck(daemon, "reader", "other_databases_empty", "pass", WAIT);
        blue.execute("postgres", "CREATE DATABASE locked");
        try {
            blue.execute("postgres", "REVOKE CONNECT ON DATABASE locked FROM PUBLIC");
            Verdict verdict = Gates.awaitCheck(daemon, "reader", "other_databases_empty", "unknown", WAIT);
            String message = Gates.check(verdict, "other_databases_empty").message();
            assertTrue(message.contains("locked (permission_denied"), message);
            Gates.assertCutoverRefused(daemon, "reader", "other_databases_empty");
            blue.execute("postgres", "GRANT CONNECT ON DATABASE locked TO pgbg_reader");
            Gates.awaitCheck(daemon, "reader", "other_databases_empty", "pass", WAIT);
        } finally {
            blue.execute("postgres", "DROP DATABASE IF EXISTS locked WITH (FORCE)");
        }
    }

    @Test
    void aTableInNoPublicationIsRefusedUntilPublishedAndApplied() {
        Gates.awaitReady(daemon, "listed", WAIT);
        bothSides(listed, "CREATE TABLE lonely (id int PRIMARY KEY)");
        try {
            blue16.execute(DATABASE, "INSERT INTO lonely SELECT generate_series(1, 50)");
            Verdict verdict = Gates.awaitCheck(daemon, "listed", "tables_published", "fail", WAIT);
            String message = Gates.check(verdict, "tables_published").message();
            assertTrue(message.contains("public.lonely") && message.contains("ALTER PUBLICATION bg_list ADD TABLE"), message);
            Gates.assertCutoverRefused(daemon, "listed", "tables_published");
            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " ADD TABLE lonely");
            Gates.awaitCheck(daemon, "listed", "tables_published", "pass", WAIT);
            Gates.awaitCheck(daemon, "listed", "tables_subscribed", "fail", WAIT);
            green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Gates.awaitReady(daemon, "listed", WAIT);
            assertEquals(50, green17.queryLong(DATABASE, "SELECT count(*) FROM lonely"));
        } finally {
            bothSides(listed, "DROP TABLE IF EXISTS lonely");
        }
        Gates.awaitReady(daemon, "listed", WAIT);
    }

    /** A table in another schema counts like any other; FOR TABLES IN SCHEMA (15+) covers it. */
    @Test
    void aTableInAnotherSchemaIsCoveredByTablesInSchema() {
        Gates.awaitReady(daemon, "listed", WAIT);
        bothSides(listed, "CREATE SCHEMA sales", "CREATE TABLE sales.orders (id int PRIMARY KEY)");
        try {
            blue16.execute(DATABASE, "INSERT INTO sales.orders SELECT generate_series(1, 20)");
            Verdict verdict = Gates.awaitCheck(daemon, "listed", "tables_published", "fail", WAIT);
            assertTrue(Gates.check(verdict, "tables_published").message().contains("sales.orders"), verdict.toString());
            Gates.assertCutoverRefused(daemon, "listed", "tables_published");
            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " ADD TABLES IN SCHEMA sales");
            Gates.awaitCheck(daemon, "listed", "tables_published", "pass", WAIT);
            verdict = Gates.awaitCheck(daemon, "listed", "tables_subscribed", "fail", WAIT);
            assertTrue(Gates.check(verdict, "tables_subscribed").message().contains("sales.orders"), verdict.toString());
            green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Gates.awaitReady(daemon, "listed", WAIT);
            assertEquals(20, green17.queryLong(DATABASE, "SELECT count(*) FROM sales.orders"));
        } finally {
            Teardown.closeAll(() -> blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " DROP TABLES IN SCHEMA sales"),
                    () -> bothSides(listed, "DROP SCHEMA IF EXISTS sales CASCADE"));
        }
        Gates.awaitReady(daemon, "listed", WAIT);
    }

    @Test
    void aRowFilterOrAColumnListIsRefused() {
        Gates.awaitReady(daemon, "listed", WAIT);
        try {
            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET TABLE items, accounts WHERE (id > 5)");
            Verdict verdict = Gates.awaitCheck(daemon, "listed", "publication_no_filters", "fail", WAIT);
            String message = Gates.check(verdict, "publication_no_filters").message();
            assertTrue(message.contains("public.accounts (row filter (id > 5))"), message);
            Gates.assertCutoverRefused(daemon, "listed", "publication_no_filters");

            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET TABLE items (id, payload), accounts");
            verdict = awaitMessage("listed", "publication_no_filters", "fail", "public.items");
            message = Gates.check(verdict, "publication_no_filters").message();
            assertTrue(message.contains("public.items (columns not sent: created_at)") && !message.contains("accounts"), message);
            Gates.assertCutoverRefused(daemon, "listed", "publication_no_filters");
        } finally {
            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET TABLE items, accounts");
        }
        Gates.awaitReady(daemon, "listed", WAIT);
    }

    /**
     * A partition counts as published through itself or an ancestor: published by its leaves (the default) the
     * gate wants every leaf; published via the root (publish_via_partition_root) green must apply the root.
     */
    @Test
    void aPartitionedTableIsCoveredByItsLeavesOrItsRoot() {
        Gates.awaitReady(daemon, "listed", WAIT);
        bothSides(listed, """
                        CREATE TABLE measurements (id int, at date, PRIMARY KEY (id, at)) PARTITION BY RANGE (at)""",
                "CREATE TABLE m2024 PARTITION OF measurements FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')",
                "CREATE TABLE m2025 PARTITION OF measurements FOR VALUES FROM ('2025-01-01') TO ('2026-01-01')");
        try {
            blue16.execute(DATABASE, "INSERT INTO measurements SELECT g, date '2024-06-01' + g FROM generate_series(1, 400) g");
            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " ADD TABLE m2024");
            Verdict verdict = Gates.awaitCheck(daemon, "listed", "tables_published", "fail", WAIT);
            String message = Gates.check(verdict, "tables_published").message();
            assertTrue(message.contains("public.m2025 (partition of public.measurements)") && !message.contains("m2024"), message);
            Gates.assertCutoverRefused(daemon, "listed", "tables_published");

            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET TABLE items, accounts, measurements");
            Gates.awaitCheck(daemon, "listed", "tables_published", "pass", WAIT);
            awaitMessage("listed", "tables_subscribed", "fail", "public.m2024 (not subscribed)", "public.m2025 (not subscribed)");
            green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION");
            Gates.awaitReady(daemon, "listed", WAIT);
            assertEquals(400, green17.queryLong(DATABASE, "SELECT count(*) FROM measurements"));

            blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET (publish_via_partition_root = true)");
            verdict = awaitMessage("listed", "tables_subscribed", "fail", "public.measurements (not subscribed)");
            message = Gates.check(verdict, "tables_subscribed").message();
            assertTrue(!message.contains("m2024") && !message.contains("m2025"), message);
            assertEquals("pass", Gates.check(verdict, "tables_published").status().label(), verdict.toString());
            Gates.assertCutoverRefused(daemon, "listed", "tables_subscribed");
            // the leaves' rows are on green already: take the root over without copying them again
            green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION WITH (copy_data = false)");
            Gates.awaitReady(daemon, "listed", WAIT);
        } finally {
            Teardown.closeAll(
                    () -> blue16.execute(DATABASE, "ALTER PUBLICATION " + LISTED + " SET (publish_via_partition_root = false)",
                            "ALTER PUBLICATION " + LISTED + " SET TABLE items, accounts"),
                    () -> green17.execute(DATABASE, "ALTER SUBSCRIPTION " + SUBSCRIPTION + " REFRESH PUBLICATION"),
                    () -> bothSides(listed, "DROP TABLE IF EXISTS measurements"));
        }
        Gates.awaitReady(daemon, "listed", WAIT);
    }

    /** A promoted standby has every unlogged table empty, in any database: the physical gate refuses them too. */
    @Test
    void physicalRefusesUnloggedTablesInAnyDatabaseButExcludedOnes() {
        PgServer primary = null;
        PgServer standby = null;
        Daemon physical = null;
        try {
            primary = PgServer.start("tblue", 15);
            // the database comes after the base backup: copied before it, its hundreds of dirty buffers would make
            // the backup's spread checkpoint pace for a minute and more
            standby = PgServer.startStandby("tgreen", primary, "tgreen_slot");
            primary.execute("postgres", "CREATE DATABASE reports");
            physical = Daemon.config()
                    .target("blue", primary, "postgres")
                    .target("green", standby, "postgres")
                    .physical("phys", "blue", "green")
                    .physical("phys-excluding", "blue", "green")
                    .set("pg-bluegreen.deployments.phys-excluding.exclude-tables", List.of("reports.public.cache"))
                    .set("pg-bluegreen.gate.interval", "2s")
                    .start();
            Gates.awaitReady(physical, "phys", WAIT);
            primary.execute("reports", "CREATE UNLOGGED TABLE cache (k text PRIMARY KEY, v text)",
                    "INSERT INTO cache VALUES ('a', 'only on blue')");
            Verdict verdict = Gates.awaitCheck(physical, "phys", "tables_logged", "fail", WAIT);
            String message = Gates.check(verdict, "tables_logged").message();
            assertTrue(message.contains("reports.public.cache") && message.contains("promoted standby"), message);
            Gates.assertCutoverRefused(physical, "phys", "tables_logged");
            Verdict excluded = Gates.awaitReady(physical, "phys-excluding", WAIT);
            assertTrue(Gates.check(excluded, "tables_logged").message().contains("excluded on purpose (exclude-tables): reports.public.cache"),
                    excluded.toString());
            primary.execute("reports", "ALTER TABLE cache SET LOGGED");
            Gates.awaitReady(physical, "phys", WAIT);
        } finally {
            Teardown.closeAll(physical, standby, primary);
        }
    }

    /** Waits until the check has the status and its message every fragment (a check may already fail for an earlier cause). */
    private static Verdict awaitMessage(String deployment, String check, String status, String... fragments) {
        Verdict[] last = {null};
        Await.until(WAIT, deployment + "/" + check + " to be " + status + " naming " + List.of(fragments), () -> {
            last[0] = Gates.get(daemon, deployment);
            CheckResult result = Gates.check(last[0], check);
            return result.status().label().equals(status) && List.of(fragments).stream().allMatch(result.message()::contains);
        });
        return last[0];
    }

    private static Set<String> blockingNames(Verdict verdict) {
        return verdict.blocking().stream().map(CheckResult::name).collect(Collectors.toSet());
    }

    private static void bothSides(LogicalPair pair, String... statements) {
        pair.publisher().execute(DATABASE, statements);
        pair.subscriber().execute(DATABASE, statements);
    }
}
