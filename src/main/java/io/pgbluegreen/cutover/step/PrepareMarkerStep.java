package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Sql;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;
import io.pgbluegreen.cutover.Waits;

import java.time.Duration;
import java.util.List;

/**
 * Makes sure the marker table exists on both sides and replicates: added to the subscription's first publication
 * unless that publication already covers all tables, then picked up on green without copying data. Changes nothing
 * an application sees; safe to repeat.
 */
public final class PrepareMarkerStep implements Step {
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

    @Override
    public String name() {
        return "prepare_marker";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        String subscription = context.deployment().subscription();
        for (var side : List.of(context.blue(), context.green())) {
            side.execute(Marker.SCHEMA);
            side.execute(Marker.TABLE);
        }
        List<String> publications = context.green().queryList(PUBLICATIONS, subscription);
        if (publications.isEmpty()) {
            throw new StepFailure("subscription " + subscription + " on green follows no publication");
        }
        var names = context.blue().jdbc().createArrayOf("text", publications.toArray());
        if (context.blue().queryLong(PUBLISHED, names) == 0) {
            if (!context.blue().queryBoolean(ALL_TABLES, publications.get(0))) {
                context.blue().execute("ALTER PUBLICATION " + Sql.ident(publications.get(0)) + " ADD TABLE " + Marker.QUALIFIED);
            }
        }
        if (context.green().queryString(SUBSCRIBED_STATE, subscription) == null) {
            context.green().execute("ALTER SUBSCRIPTION " + Sql.ident(subscription) + " REFRESH PUBLICATION WITH (copy_data = false)");
        }
        boolean ready = Waits.until(Duration.ofSeconds(30), Duration.ofMillis(100),
                () -> "r".equals(context.green().queryString(SUBSCRIBED_STATE, subscription)));
        if (!ready) {
            throw new StepFailure("the marker table did not reach state ready in subscription " + subscription + " within 30s");
        }
        return "marker table " + Marker.QUALIFIED + " replicates through " + publications.get(0);
    }
}
