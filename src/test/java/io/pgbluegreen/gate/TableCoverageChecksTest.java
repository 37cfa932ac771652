package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.gate.facts.ClusterSubscription;
import io.pgbluegreen.gate.facts.DatabaseContents;
import io.pgbluegreen.gate.facts.Databases;
import io.pgbluegreen.gate.facts.LargeObjects;
import io.pgbluegreen.gate.facts.PublicationSettings;
import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.PublishedTableFilter;
import io.pgbluegreen.gate.facts.Publications;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscribedTable;
import io.pgbluegreen.gate.facts.SubscriptionInfo;
import io.pgbluegreen.gate.facts.UserTable;
import io.pgbluegreen.config.JdbcAddress;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The table checks as a pure function of hand-made facts: the cases a real server makes slow or awkward to stage. */
class TableCoverageChecksTest {

    @Test
    void aLeafIsCoveredThroughAPublishedAncestorAndAMissingLeafIsNamedWithItsRoot() {
        Side blue = new Side().table("public.measurements", true, null).table("public.m2024", false, "public.measurements")
                .table("public.m2025", false, "public.measurements").published("pub", "public.m2024");
        CheckResult published = run(logical(null), blue, new Side(), "tables_published");
        assertEquals("fail", published.status().label());
        assertTrue(published.message().contains("public.m2025 (partition of public.measurements)"), published.message());
        assertTrue(!published.message().contains("m2024"), published.message());

        // publish_via_partition_root: pg_publication_tables shows the root, which covers every leaf
        Side viaRoot = new Side().table("public.measurements", true, null).table("public.m2024", false, "public.measurements")
                .table("public.m2025", false, "public.measurements").published("pub", "public.measurements");
        Side green = new Side().subscribed("public.measurements", "r");
        assertEquals("pass", run(logical(null), viaRoot, green, "tables_published").status().label());
        assertEquals("pass", run(logical(null), viaRoot, green, "tables_subscribed").status().label());
    }

    @Test
    void aLeafPublishedBesideItsRootIsAppliedThroughTheRoot() {
        // PostgreSQL 16+ subscribers subscribe the root only when one publication sends the leaf and another the root
        Side blue = new Side().table("public.measurements", true, null).table("public.m2024", false, "public.measurements")
                .published("pub", "public.m2024").published("pub", "public.measurements");
        Side green = new Side().subscribed("public.measurements", "r");
        assertEquals("pass", run(logical(null), blue, green, "tables_subscribed").status().label());
    }

    @Test
    void aPublishedTableGreenDoesNotApplyIsNamedWithWhatToDo() {
        Side blue = new Side().table("public.a", false, null).table("public.b", false, null).table("public.c", false, null)
                .published("pub", "public.a").published("pub", "public.b").published("pub", "public.c")
                .published("pub", "pgbg.cutover_marker");
        Side green = new Side().table("public.a", false, null).table("public.b", false, null)
                .subscribed("public.a", "r").subscribed("public.b", "d");
        CheckResult check = run(logical(null), blue, green, "tables_subscribed");
        assertEquals("fail", check.status().label());
        assertEquals("2 of 3 not applied", check.observed());
        assertTrue(check.message().contains("public.b (copying data)"), check.message());
        assertTrue(check.message().contains("public.c (not subscribed, missing on green)"), check.message());
        assertTrue(check.message().contains("ALTER SUBSCRIPTION sub REFRESH PUBLICATION"), check.message());
        assertTrue(!check.message().contains("pgbg"), "our own marker table is the cutover's business: " + check.message());
    }

    @Test
    void longListsAreCappedAndSayHowManyMore() {
        Side blue = new Side();
        for (int i = 1; i <= 8; i++) {
            blue.table("public.t" + i, false, null);
        }
        CheckResult check = run(logical(null), blue, new Side(), "tables_published");
        assertTrue(check.message().contains("public.t5 and 3 more"), check.message());
        assertTrue(!check.message().contains("public.t6"), check.message());
    }

    @Test
    void aFilterCountsOnlyWhenEveryPublicationSendingTheTableFiltersIt() {
        Side blue = new Side().table("public.a", false, null).table("public.b", false, null)
                .published("p1", "public.a").published("p2", "public.a").published("p1", "public.b")
                .filter("p1", "public.a", "(id > 5)", List.of("\"Secret\""))
                .filter("p1", "public.b", null, List.of("note"));
        CheckResult check = run(logical(null), blue, new Side(), "publication_no_filters", "p1", "p2");
        assertEquals("fail", check.status().label());
        assertTrue(check.message().contains("public.b (columns not sent: note)"), check.message());
        assertTrue(!check.message().contains("public.a"), "p2 sends public.a whole: " + check.message());
    }

    @Test
    void exclusionsAreReportedAndAnEntryThatNamesNothingFails() {
        Side blue = new Side().table("public.scratch", false, null).table("Audit.Log", false, null)
                .otherDatabase(new DatabaseContents("legacy", List.of(table("public.old", false, null)), 0, null));
        DeploymentConfig deployment = logical(List.of("public.scratch", "\"Audit\".\"Log\"", "legacy.public.old", "public.typo"));
        List<CheckResult> verdict = evaluate(deployment, blue, new Side());
        CheckResult published = find(verdict, "tables_published");
        assertEquals("pass", published.status().label(), published.toString());
        assertTrue(published.message().contains("excluded on purpose (exclude-tables): Audit.Log, public.scratch"), published.message());
        CheckResult others = find(verdict, "other_databases_empty");
        assertEquals("pass", others.status().label(), others.toString());
        assertTrue(others.message().contains("legacy.public.old"), others.message());
        CheckResult entries = find(verdict, "excluded_tables_exist");
        assertEquals("fail", entries.status().label());
        assertEquals("public.typo", entries.observed());
    }

    @Test
    void anUnreadableOtherDatabaseIsUnknownNotEmpty() {
        Side blue = new Side().otherDatabase(DatabaseContents.unreadable("locked", "permission_denied: no CONNECT"));
        CheckResult check = run(logical(null), blue, new Side(), "other_databases_empty");
        assertEquals("unknown", check.status().label());
        assertTrue(check.message().contains("locked (permission_denied: no CONNECT)"), check.message());
    }

    @Test
    void anotherEnabledSubscriptionAnywhereOnGreenFails() {
        Side green = new Side().clusterSubscription("sub", "app", true).clusterSubscription("sub", "other", true)
                .clusterSubscription("old", "app", false);
        CheckResult check = run(logical(null), new Side(), green, "green_no_other_subscriptions");
        assertEquals("fail", check.status().label());
        assertEquals("sub (database other)", check.observed());
    }

    @Test
    void physicalLooksForUnloggedTablesInEveryDatabase() {
        Side blue = new Side().table("public.cache", false, null, true)
                .otherDatabase(new DatabaseContents("reports", List.of(table("public.tmp", false, null, true)), 0, null));
        DeploymentConfig physical = new DeploymentConfig("d", "blue", "green", "physical", null, null, null, null, null,
                null, null, null, null, List.of("reports.public.tmp"));
        List<CheckResult> verdict = evaluate(physical, blue, new Side());
        CheckResult logged = find(verdict, "tables_logged");
        assertEquals("fail", logged.status().label());
        assertEquals("public.cache", logged.observed());
        assertTrue(logged.message().contains("excluded on purpose (exclude-tables): reports.public.tmp"), logged.message());
        assertEquals("pass", find(verdict, "excluded_tables_exist").status().label());
    }

    @Test
    void excludeTableEntriesParseAsSqlNames() {
        TableExclusions.Entry quoted = TableExclusions.parse("db.\"My \"\"Schema\"\"\".\"T.1\"");
        assertEquals("db", quoted.database());
        assertEquals("My \"Schema\"", quoted.schema());
        assertEquals("T.1", quoted.table());
        TableExclusions.Entry folded = TableExclusions.parse("Public.Items");
        assertNull(folded.database());
        assertEquals("public", folded.schema());
        assertEquals("items", folded.table());
        assertEquals(List.of("k: 'items' is not schema.table or database.schema.table",
                        "k: 'a..b' is not schema.table or database.schema.table",
                        "k: 'a.b.c.d' is not schema.table or database.schema.table",
                        "k: '\"a.b' is not schema.table or database.schema.table"),
                TableExclusions.problems("k", List.of("items", "a..b", "a.b.c.d", "\"a.b", "ok.fine")));
    }

    @Test
    void anotherDatabaseUrlKeepsHostsAndParameters() {
        assertEquals("jdbc:postgresql://h1:5432,h2:5433/legacy?sslmode=verify-full",
                JdbcAddress.withDatabase("jdbc:postgresql://h1:5432,h2:5433/app?sslmode=verify-full", "legacy"));
        assertEquals("jdbc:postgresql://h/my+db", JdbcAddress.withDatabase("jdbc:postgresql://h", "my db"));
    }

    // --- hand-made facts

    private static final class Side {
        final List<UserTable> tables = new ArrayList<>();
        final List<PublishedTable> published = new ArrayList<>();
        final List<PublishedTableFilter> filters = new ArrayList<>();
        final List<SubscribedTable> subscribed = new ArrayList<>();
        final List<ClusterSubscription> subscriptions = new ArrayList<>();
        final List<DatabaseContents> others = new ArrayList<>();

        Side table(String qualified, boolean partitioned, String parent) {
            return table(qualified, partitioned, parent, false);
        }

        Side table(String qualified, boolean partitioned, String parent, boolean unlogged) {
            tables.add(TableCoverageChecksTest.table(qualified, partitioned, parent, unlogged));
            return this;
        }

        Side published(String publication, String table) {
            published.add(new PublishedTable(publication, table, "d", true, false));
            return this;
        }

        Side filter(String publication, String table, String rowFilter, List<String> hidden) {
            filters.add(new PublishedTableFilter(publication, table, rowFilter, hidden));
            return this;
        }

        Side subscribed(String table, String state) {
            subscribed.add(new SubscribedTable("sub", table, state));
            return this;
        }

        Side clusterSubscription(String name, String database, boolean enabled) {
            subscriptions.add(new ClusterSubscription(name, database, enabled));
            return this;
        }

        Side otherDatabase(DatabaseContents contents) {
            others.add(contents);
            return this;
        }

        SideFacts facts(List<String> subscriptionPublications) {
            List<PublicationSettings> settings = subscriptionPublications.stream()
                    .map(p -> new PublicationSettings(p, false, true, true, true, true)).toList();
            return new SideFacts(null, null, new Publications(Set.copyOf(subscriptionPublications), Set.of(), Set.of(), Set.of()),
                    published, null, null,
                    List.of(new SubscriptionInfo("sub", subscriptionPublications, true, "pgbg", false, true, List.of(), List.of())),
                    tables, settings, filters, new LargeObjects(0), subscribed, subscriptions,
                    new Databases("app", others.stream().map(DatabaseContents::database).toList()), others, List.of(),
                    new io.pgbluegreen.gate.facts.WriterProcesses(List.of(), List.of()), null, null, null);
        }
    }

    static UserTable table(String qualified, boolean partitioned, String parent) {
        return table(qualified, partitioned, parent, false);
    }

    static UserTable table(String qualified, boolean partitioned, String parent, boolean unlogged) {
        String[] parts = qualified.split("\\.");
        return new UserTable(parts[0], parts[1], qualified, partitioned, unlogged, parent);
    }

    private static DeploymentConfig logical(List<String> excludeTables) {
        return new DeploymentConfig("d", "blue", "green", "logical", "sub", "sub", null, null, null, null, null, null, null,
                excludeTables);
    }

    private static CheckResult run(DeploymentConfig deployment, Side blue, Side green, String check, String... publications) {
        return find(evaluate(deployment, blue, green, publications), check);
    }

    /** Only the table checks: the others want samples and facts these tests do not stage. */
    private static List<CheckResult> evaluate(DeploymentConfig deployment, Side blue, Side green, String... publications) {
        List<String> pubs = publications.length == 0 ? List.of("pub") : List.of(publications);
        GateInput in = new GateInput(deployment, null, Instant.EPOCH, null, null, null, blue.facts(pubs), null,
                green.facts(pubs), null, Map.of(), null);
        List<CheckResult> out = new ArrayList<>();
        if (deployment.deploymentMode() == io.pgbluegreen.config.DeploymentMode.LOGICAL) {
            TableCoverageChecks.addLogical(out, in, in.greenFacts().subscriptions().get(0));
        } else {
            TableCoverageChecks.addPhysical(out, in);
        }
        return out;
    }

    private static CheckResult find(List<CheckResult> checks, String name) {
        return checks.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + checks));
    }
}
