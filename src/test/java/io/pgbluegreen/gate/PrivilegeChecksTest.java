package io.pgbluegreen.gate;

import io.pgbluegreen.mode.logical.LogicalMode;
import io.pgbluegreen.mode.physical.PhysicalMode;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.gate.facts.ClusterRole;
import io.pgbluegreen.gate.facts.DatabaseAccess;
import io.pgbluegreen.gate.facts.Databases;
import io.pgbluegreen.gate.facts.LargeObjects;
import io.pgbluegreen.gate.facts.MarkerAccess;
import io.pgbluegreen.gate.facts.Publications;
import io.pgbluegreen.gate.facts.PublishedTable;
import io.pgbluegreen.gate.facts.RoleFacts;
import io.pgbluegreen.gate.facts.Sequences;
import io.pgbluegreen.gate.facts.ServerSettings;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;
import io.pgbluegreen.gate.facts.TableAccess;
import io.pgbluegreen.gate.facts.TableColumns;
import io.pgbluegreen.gate.facts.WriterProcesses;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The privilege checks as the pure functions they are, on hand-built facts: each missing privilege is named with the
 * statement that grants it, and only for the steps the deployment's configuration runs.
 */
class PrivilegeChecksTest {
    private static final DeploymentConfig PHYSICAL = deployment("physical", null, null);
    private static final DeploymentConfig LOGICAL = deployment("logical", "bg_sub", false);
    private static final DeploymentConfig REVERSE = deployment("logical", "bg_sub", true);
    private static final Sequences GRANTED = sequences(true, true);
    private static final List<String> GRANTS = List.of("createRole", "signalBackend", "readAllStats", "alterSystem",
            "reloadConf", "readFileSettings", "promote");

    @Test
    void aRoleWithoutGrantsIsToldEachStatementOnEveryMajor() {
        for (int major : new int[]{15, 16, 17}) {
            RoleFacts bare = role(major, GRANTS.toArray(String[]::new));
            Map<String, CheckResult> checks = evaluate(PHYSICAL, side(bare), side(bare));
            String blue = checks.get("blue_privileges").message();
            for (String grant : List.of("ALTER ROLE pgbg CREATEROLE", "GRANT pg_signal_backend TO pgbg",
                    "GRANT pg_read_all_stats TO pgbg", "GRANT ALTER SYSTEM ON PARAMETER default_transaction_read_only TO pgbg",
                    "GRANT EXECUTE ON FUNCTION pg_reload_conf() TO pgbg (in database app",
                    "GRANT SELECT ON pg_file_settings TO pgbg and GRANT EXECUTE ON FUNCTION pg_show_all_file_settings() TO pgbg")) {
                assertTrue(blue.contains(grant), major + ": " + grant + " in " + blue);
            }
            assertTrue(checks.get("green_privileges").message().contains("GRANT EXECUTE ON FUNCTION pg_promote(boolean, integer) TO pgbg"),
                    checks.get("green_privileges").message());
        }
    }

    @Test
    void beforePostgres15TheBackstopTakesASuperuser() {
        Map<String, CheckResult> checks = evaluate(PHYSICAL, side(role(14, "alterSystem")), side(role(14)));
        assertEquals("fail", checks.get("blue_privileges").status().label());
        assertTrue(checks.get("blue_privileges").message().contains("ALTER SYSTEM, the read-only backstop, which is superuser-only before PostgreSQL 15"));
        assertEquals("pass", checks.get("green_privileges").status().label());
    }

    @Test
    void theDocumentedGrantsOrASuperuserPass() {
        Map<String, CheckResult> granted = evaluate(PHYSICAL, side(role(16)), side(role(16)));
        assertEquals("pass", granted.get("blue_privileges").status().label(), granted.toString());
        assertEquals("pass", granted.get("green_privileges").status().label(), granted.toString());
        RoleFacts superuser = new RoleFacts("postgres", "postgres", 15, true, false, false, false, false, false, false, false,
                false, false);
        Map<String, CheckResult> checks = evaluate(REVERSE, logicalSide(superuser, GRANTED, notOwned()),
                logicalSide(superuser, GRANTED, notOwned()));
        assertEquals("pass", checks.get("blue_privileges").status().label(), checks.toString());
        assertEquals("pass", checks.get("green_privileges").status().label(), checks.toString());
    }

    @Test
    void aPublicationOfItsOwnTablesMustBeOursUnlessItPublishesTheMarkerOrAllTables() {
        SideFacts green = logicalSide(role(16), GRANTED, owned(true, List.of(), List.of()));
        SideFacts listing = logicalSide(role(16), GRANTED, null);
        String blue = evaluate(LOGICAL, listing, green).get("blue_privileges").message();
        assertTrue(blue.contains("ownership of publication bg_pub") && blue.contains("ALTER PUBLICATION bg_pub OWNER TO pgbg"), blue);

        SideFacts allTables = withPublications(listing, new Publications(Set.of("bg_pub"), Set.of("bg_pub"), Set.of(), Set.of()));
        assertEquals("pass", evaluate(LOGICAL, allTables, green).get("blue_privileges").status().label());
        SideFacts published = withPublications(listing, new Publications(Set.of("bg_pub"), Set.of(), Set.of(), Set.of("bg_pub")));
        assertEquals("pass", evaluate(LOGICAL, published, green).get("blue_privileges").status().label());
        SideFacts ours = withPublications(listing, new Publications(Set.of("bg_pub"), Set.of(), Set.of("bg_pub"), Set.of()));
        assertEquals("pass", evaluate(LOGICAL, ours, green).get("blue_privileges").status().label());
    }

    @Test
    void reverseReplicationPrivilegesAreAskedForOnlyWhenItIsOn() {
        SideFacts blue = forAllTables(logicalSide(role(16, "createSubscription"), sequences(true, false), null));
        blue = withDatabases(blue, new DatabaseAccess("app", false, List.of()));
        SideFacts green = logicalSide(role(17, "replication"), GRANTED, owned(true, List.of(), List.of()));
        Map<String, CheckResult> off = evaluate(LOGICAL, blue, green);
        assertEquals("pass", off.get("blue_privileges").status().label(), off.toString());
        assertEquals("pass", off.get("green_privileges").status().label(), off.toString());

        Map<String, CheckResult> on = evaluate(REVERSE, blue, green);
        String blueMessage = on.get("blue_privileges").message();
        for (String grant : List.of("GRANT pg_create_subscription TO pgbg", "GRANT CREATE ON DATABASE app TO pgbg",
                "GRANT UPDATE ON SEQUENCE public.items_id_seq TO pgbg",
                "GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.items TO pgbg")) {
            assertTrue(blueMessage.contains(grant), grant + " in " + blueMessage);
        }
        String greenMessage = on.get("green_privileges").message();
        assertTrue(greenMessage.contains("ALTER ROLE pgbg REPLICATION"), greenMessage);
        assertTrue(greenMessage.contains("CREATE PUBLICATION pgbg_reverse FOR ALL TABLES (as a superuser"), greenMessage);

        String before16 = evaluate(REVERSE, withRole(blue, role(15)), green).get("blue_privileges").message();
        assertTrue(before16.contains("superuser (set_up_reverse: CREATE SUBSCRIPTION on blue, which before PostgreSQL 16"), before16);
    }

    @Test
    void theSubscriptionMustBeOursAndItsApplyWorkerAbleToWrite() {
        SideFacts blue = forAllTables(logicalSide(role(16), GRANTED, null));
        String on15 = evaluate(LOGICAL, blue, logicalSide(role(15), GRANTED, notOwned())).get("green_privileges").message();
        assertTrue(on15.contains("ownership of subscription bg_sub (owned by postgres)")
                && on15.contains("before PostgreSQL 16 only a superuser can be given a subscription"), on15);
        String on16 = evaluate(LOGICAL, blue, logicalSide(role(16), GRANTED, notOwned())).get("green_privileges").message();
        assertTrue(on16.contains("ALTER SUBSCRIPTION bg_sub OWNER TO pgbg"), on16);

        String asOwner = evaluate(LOGICAL, blue, logicalSide(role(16), GRANTED, owned(true, List.of("public.items"), List.of())))
                .get("green_privileges").message();
        assertTrue(asOwner.contains("GRANT SELECT, INSERT, UPDATE, DELETE, TRUNCATE ON public.items TO pgbg"), asOwner);
        String asTableOwner = evaluate(LOGICAL, blue, logicalSide(role(16), GRANTED, owned(false, List.of(), List.of("public.items"))))
                .get("green_privileges").message();
        assertTrue(asTableOwner.contains("SET ROLE to the owner(s) of table(s) public.items")
                && asTableOwner.contains("ALTER SUBSCRIPTION bg_sub SET (run_as_owner = true)"), asTableOwner);
        SubscriptionInfo noPassword = new SubscriptionInfo("bg_sub", List.of("bg_pub"), true, "pgbg", true, false, List.of(), List.of());
        String password = evaluate(LOGICAL, blue, logicalSide(role(16), GRANTED, noPassword)).get("green_privileges").message();
        assertTrue(password.contains("SET (password_required = true)"), password);
    }

    @Test
    void theMarkerSchemaTheSequencesAndEveryDatabaseAreNamed() {
        SideFacts blue = forAllTables(logicalSide(role(16), sequences(false, false), null));
        blue = withMarker(blue, new MarkerAccess(false, false, false, false, null, false));
        blue = withDatabases(blue, new DatabaseAccess("app", false, List.of("otherdb")));
        SideFacts green = withMarker(logicalSide(role(17), sequences(false, false), owned(true, List.of(), List.of())),
                new MarkerAccess(true, true, true, true, "postgres", false));
        Map<String, CheckResult> checks = evaluate(LOGICAL, blue, green);
        String blueMessage = checks.get("blue_privileges").message();
        assertTrue(blueMessage.contains("CREATE SCHEMA pgbg AUTHORIZATION pgbg"), blueMessage);
        assertTrue(blueMessage.contains("GRANT SELECT ON SEQUENCE public.items_id_seq TO pgbg"), blueMessage);
        assertTrue(blueMessage.contains("GRANT CONNECT ON DATABASE otherdb TO pgbg"), blueMessage);
        assertFalse(blueMessage.contains("UPDATE ON SEQUENCE"), "blue's sequences are only read without reverse: " + blueMessage);
        String greenMessage = checks.get("green_privileges").message();
        assertTrue(greenMessage.contains("ALTER TABLE pgbg.cutover_marker OWNER TO pgbg"), greenMessage);
        assertTrue(greenMessage.contains("GRANT SELECT ON SEQUENCE public.items_id_seq TO pgbg")
                && greenMessage.contains("GRANT UPDATE ON SEQUENCE public.items_id_seq TO pgbg"), greenMessage);
    }

    @Test
    void superusersTheDaemonCannotFenceHaveACheckOfTheirOwnSoOverridingItHidesNoMissingGrant() {
        String superuser = "it is a superuser and the daemon's role is not";
        String noAdmin = "the daemon's role has no ADMIN OPTION on it (GRANT app TO pgbg WITH ADMIN OPTION, INHERIT FALSE, SET FALSE)";
        List<ClusterRole> roles = List.of(new ClusterRole("postgres", true, true, false, false, 0, superuser),
                new ClusterRole("app", true, false, false, false, 0, noAdmin),
                new ClusterRole("pgbg", true, false, false, true, 0, null));
        CheckResult superusers = FenceChecks.superusers(roles, null);
        assertEquals("fail", superusers.status().label());
        assertTrue(superusers.message().startsWith("superuser(s) postgres can log in"), superusers.message());
        CheckResult others = FenceChecks.roles(roles, null);
        assertEquals("fail", others.status().label());
        assertTrue(others.message().contains("role app cannot be fenced: " + noAdmin), others.message());
        assertFalse(others.message().contains("postgres"), others.message());

        List<ClusterRole> granted = List.of(roles.get(0), new ClusterRole("app", true, false, false, false, 0, null), roles.get(2));
        assertEquals("pass", FenceChecks.roles(granted, null).status().label());
        // an explicit fence-roles that leaves the superuser out is fence_covers_roles' business
        assertEquals("pass", FenceChecks.superusers(granted, List.of("app")).status().label());
        assertTrue(FenceChecks.roles(granted, List.of("app")).message().contains("superuser postgres can log in and is not in fence-roles"));
    }

    private static Map<String, CheckResult> evaluate(DeploymentConfig deployment, SideFacts blue, SideFacts green) {
        GateInput in = new GateInput(deployment, null, Instant.EPOCH, null, null, null, blue, null, green, null, Map.of(), null);
        List<CheckResult> out = new ArrayList<>();
        PrivilegeChecks.add(out, in, new ModeGates(List.of(new PhysicalMode(), new LogicalMode()))
                .of(deployment.deploymentMode()));
        Map<String, CheckResult> byName = new java.util.HashMap<>();
        out.forEach(c -> byName.put(c.name(), c));
        return byName;
    }

    private static DeploymentConfig deployment(String mode, String subscription, Boolean reverse) {
        return new DeploymentConfig("d", "blue", "green", mode, subscription, subscription, null, null, null, null, reverse,
                null, null, null);
    }

    /** A role with every grant the README lists for its major (and REPLICATION, pg_create_subscription) but those named. */
    private static RoleFacts role(int major, String... missing) {
        Set<String> lacks = Set.of(missing);
        return new RoleFacts("pgbg", "pgbg", major, false, !lacks.contains("createRole"), !lacks.contains("replication"),
                !lacks.contains("signalBackend"), !lacks.contains("readAllStats"), !lacks.contains("alterSystem"),
                !lacks.contains("reloadConf"), !lacks.contains("readFileSettings"), !lacks.contains("promote"),
                !lacks.contains("createSubscription"));
    }

    /** Facts of a side with no user table, publication setting, large object or other database (not looked at here). */
    private static SideFacts facts(RoleFacts role, ServerSettings settings, Publications publications,
                                   List<PublishedTable> published, TableColumns columns, Sequences sequences,
                                   List<SubscriptionInfo> subscriptions, List<ClusterRole> roles, WriterProcesses writers,
                                   DatabaseAccess databases, MarkerAccess marker, TableAccess tables) {
        return new SideFacts(role, settings, publications, published, columns, sequences, subscriptions, List.of(),
                List.of(), List.of(), new LargeObjects(0), List.of(), List.of(), new Databases("app", List.of()), null,
                roles, writers, databases, marker, tables);
    }

    private static SideFacts side(RoleFacts role) {
        return facts(role, new ServerSettings("logical", 8, 8, 8, 0, 0, false),
                new Publications(Set.of(), Set.of(), Set.of(), Set.of()), List.of(), new TableColumns(Map.of()),
                new Sequences(Set.of(), Set.of(), Set.of(), Set.of()), List.of(), List.of(), new WriterProcesses(List.of(), List.of()),
                new DatabaseAccess("app", true, List.of()), new MarkerAccess(true, true, true, false, null, false),
                new TableAccess(List.of()));
    }

    /**
     * A side of a logical pair: publication bg_pub of public.items (not FOR ALL TABLES, not ours), its sequences, the
     * subscription (null: none on this side), blue's tables not writable as the daemon (public.items).
     */
    private static SideFacts logicalSide(RoleFacts role, Sequences sequences, SubscriptionInfo subscription) {
        return facts(role, new ServerSettings("logical", 8, 8, 8, 0, 0, false),
                new Publications(Set.of("bg_pub"), Set.of(), Set.of(), Set.of()),
                List.of(new PublishedTable("bg_pub", "public.items", "d", true, false)), new TableColumns(Map.of()),
                sequences,
                subscription == null ? List.of() : List.of(subscription), List.of(), new WriterProcesses(List.of(), List.of()),
                new DatabaseAccess("app", true, List.of()), new MarkerAccess(true, true, true, false, null, false),
                new TableAccess(List.of("public.items")));
    }

    /** public.items_id_seq, without the privileges named. */
    private static Sequences sequences(boolean select, boolean update) {
        Set<String> all = Set.of("public.items_id_seq");
        return new Sequences(all, select ? Set.of() : all, update ? Set.of() : all, Set.of());
    }

    private static SubscriptionInfo notOwned() {
        return new SubscriptionInfo("bg_sub", List.of("bg_pub"), false, "postgres", false, true, List.of(), List.of());
    }

    private static SubscriptionInfo owned(boolean runAsOwner, List<String> cannotWrite, List<String> cannotBecomeOwner) {
        return new SubscriptionInfo("bg_sub", List.of("bg_pub"), true, "pgbg", runAsOwner, true, cannotWrite, cannotBecomeOwner);
    }

    private static SideFacts forAllTables(SideFacts side) {
        return withPublications(side, new Publications(Set.of("bg_pub"), Set.of("bg_pub"), Set.of(), Set.of()));
    }

    private static SideFacts withPublications(SideFacts s, Publications publications) {
        return facts(s.role(), s.settings(), publications, s.publishedTables(), s.columns(), s.sequences(),
                s.subscriptions(), s.roles(), s.writerProcesses(), s.databaseAccess(), s.markerAccess(), s.tableAccess());
    }

    private static SideFacts withDatabases(SideFacts s, DatabaseAccess databases) {
        return facts(s.role(), s.settings(), s.publications(), s.publishedTables(), s.columns(), s.sequences(),
                s.subscriptions(), s.roles(), s.writerProcesses(), databases, s.markerAccess(), s.tableAccess());
    }

    private static SideFacts withMarker(SideFacts s, MarkerAccess marker) {
        return facts(s.role(), s.settings(), s.publications(), s.publishedTables(), s.columns(), s.sequences(),
                s.subscriptions(), s.roles(), s.writerProcesses(), s.databaseAccess(), marker, s.tableAccess());
    }

    private static SideFacts withRole(SideFacts s, RoleFacts role) {
        return facts(role, s.settings(), s.publications(), s.publishedTables(), s.columns(), s.sequences(),
                s.subscriptions(), s.roles(), s.writerProcesses(), s.databaseAccess(), s.markerAccess(), s.tableAccess());
    }
}
