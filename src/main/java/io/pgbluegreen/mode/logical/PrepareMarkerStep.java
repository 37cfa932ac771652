package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.Waits;

import java.time.Duration;
import java.util.List;

/**
 * Makes sure the marker table exists on both sides and replicates: added to the subscription's first publication
 * unless that publication already covers all tables, then picked up on green without copying data. Changes nothing
 * an application sees; safe to repeat.
 */
public final class PrepareMarkerStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "prepare_marker";
    static final String PUBLICATIONS = """
            SELECT unnest(subpublications) FROM pg_subscription
             WHERE subname = ? AND subdbid = (SELECT oid FROM pg_database WHERE datname = current_database())""";
    static final String PUBLISHED = """
            SELECT count(*) FROM pg_publication_tables
             WHERE pubname = ANY(?) AND schemaname = 'pgbg' AND tablename = 'cutover_marker'""";
    static final String ALL_TABLES = "SELECT puballtables FROM pg_publication WHERE pubname = ?";
    static final String SUBSCRIBED_STATE = """
            SELECT r.srsubstate FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
             WHERE s.subname = ? AND r.srrelid = 'pgbg.cutover_marker'::regclass""";

    static final String SYNC_COMMIT = "SELECT subsynccommit FROM pg_subscription WHERE subname = ?";
    static final String WORKER_RUNNING = """
            SELECT count(*) FROM pg_stat_subscription w JOIN pg_subscription s ON s.oid = w.subid
             WHERE s.subname = ? AND w.relid IS NULL AND w.pid IS NOT NULL""";

    static final String SUBSCRIBED_ANY_STATE = """
            SELECT quote_ident(n.nspname) || '.' || quote_ident(c.relname)
              FROM pg_subscription_rel r JOIN pg_subscription s ON s.oid = r.srsubid
              JOIN pg_class c ON c.oid = r.srrelid JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE s.subname = ?""";

    @Override
    public String name() {
        return NAME;
    }

    /**
     * A refresh without copying picks up every table the publications gained, not only the marker: one that holds
     * rows would be marked as subscribed with none of them. Refused unless the marker is all it would add.
     */
    private static void refreshForTheMarkerOnly(OperationContext context, List<String> publications) throws Exception {
        String subscription = context.deployment().subscription();
        var blue = context.blue();
        java.util.Set<String> added = new java.util.TreeSet<>(blue.queryList(TablesStillCovered.PUBLISHED,
                blue.jdbc().createArrayOf("text", publications.toArray())));
        added.removeAll(context.green().queryList(SUBSCRIBED_ANY_STATE, subscription));
        added.remove(Marker.QUALIFIED);
        if (!added.isEmpty()) {
            throw new StepFailure("green does not subscribe to published table(s) " + added + ": refreshing for the"
                    + " marker without copying would skip their rows; ALTER SUBSCRIPTION " + subscription
                    + " REFRESH PUBLICATION (copying them) first");
        }
        context.green().execute("ALTER SUBSCRIPTION " + Sql.ident(subscription) + " REFRESH PUBLICATION WITH (copy_data = false)");
    }

    @Override
    public String run(OperationContext context) throws Exception {
        String subscription = context.deployment().subscription();
        for (var side : List.of(context.blue(), context.green())) {
            if (side.queryLong(Marker.SCHEMA_EXISTS) == 0) {
                side.execute(Marker.SCHEMA);
            }
            if (side.queryLong(Marker.TABLE_EXISTS) == 0) {
                side.execute(Marker.TABLE);
            }
        }
        List<String> publications = context.green().queryList(PUBLICATIONS, subscription);
        if (publications.isEmpty()) {
            throw new StepFailure("subscription " + subscription + " on green follows no publication");
        }
        context.state(LogicalState.class).subscriptionPublications(publications);
        var names = context.blue().jdbc().createArrayOf("text", publications.toArray());
        if (context.blue().queryLong(PUBLISHED, names) == 0) {
            if (!context.blue().queryBoolean(ALL_TABLES, publications.get(0))) {
                context.blue().execute("ALTER PUBLICATION " + Sql.ident(publications.get(0)) + " ADD TABLE " + Marker.QUALIFIED);
            }
        }
        if (context.green().queryString(SUBSCRIBED_STATE, subscription) == null) {
            refreshForTheMarkerOnly(context, publications);
        }
        boolean ready = Waits.until(Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> {
                    context.failIfStopping();
                    return "r".equals(context.green().queryString(SUBSCRIBED_STATE, subscription));
                });
        if (!ready) {
            throw new StepFailure("the marker table did not reach state ready in subscription " + subscription + " within 30s");
        }
        String previous = context.green().queryString(SYNC_COMMIT, subscription);
        if (!"on".equals(previous)) {
            // Green reports a position flushed only once its apply commits are; asynchronous ones (the default for
            // subscriptions) make the slot confirm the final position hundreds of ms late, inside the write pause.
            context.remember(name(), new StepFact.SynchronousCommitReplaced(previous));
            context.state(LogicalState.class).previousSynchronousCommit(previous);
            context.green().execute("ALTER SUBSCRIPTION " + Sql.ident(subscription) + " SET (synchronous_commit = 'on')");
            boolean restarted = Waits.until(Duration.ofSeconds(30), Duration.ofMillis(50),
                    () -> {
                        context.failIfStopping();
                        return context.green().queryLong(WORKER_RUNNING, subscription) == 1;
                    });
            if (!restarted) {
                throw new StepFailure("the apply worker of " + subscription + " did not come back within 30s after "
                        + "switching it to synchronous_commit = on");
            }
        }
        // before the fence, outside the write pause: catch_up then only compares the signature
        TablesStillCovered.verify(context, publications);
        context.state(LogicalState.class).tableSignature(TablesStillCovered.signature(context.blue()));
        return "marker table " + Marker.QUALIFIED + " replicates through " + publications.get(0)
                + (previous.equals("on") ? "" : "; subscription commits synchronously for the cutover (was " + previous + ")");
    }
}
