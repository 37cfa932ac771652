package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.GreenBaseline;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.operation.StepFailure;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;

/**
 * Reverse replication (logical, when configured): while blue is fenced and green has taken no application write,
 * green publishes everything and gets a slot, and blue subscribes to it without copying data — both sides hold the
 * same rows at this instant, so from here on every write on green also reaches blue, and a rollback loses nothing.
 * (A fenced blue still applies: apply workers are not bound by default_transaction_read_only.)
 */
public final class SetUpReverseStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "set_up_reverse";
    public static final String PUBLICATION = "pgbg_reverse";
    static final String HAS_PUBLICATION = "SELECT count(*) FROM pg_publication WHERE pubname = ?";
    static final String HAS_SLOT = "SELECT count(*) FROM pg_replication_slots WHERE slot_name = ?";
    static final String CREATE_SLOT = "SELECT lsn::text FROM pg_create_logical_replication_slot(?, 'pgoutput')";

    /**
     * A daemon's role that is no superuser (16+) cannot SET ROLE to the tables' owners, which an apply worker does by
     * default: its reverse subscription writes as itself, with the table privileges the gate asks for. A superuser's
     * keeps the default, which runs each table's triggers as that table's owner rather than as a superuser.
     */
    static boolean runsAsItsOwner(TargetSession blue) throws SQLException {
        return blue.version().atLeast(16) && !blue.queryBoolean("SELECT rolsuper FROM pg_roles WHERE rolname = current_user");
    }

    public static String name(String deployment) {
        return "pgbg_reverse_" + deployment.replaceAll("[^a-zA-Z0-9]", "_");
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        if (!context.deployment().reverse()) {
            return "reverse replication not configured (a rollback after green took writes will be refused)";
        }
        var green = context.green();
        var blue = context.blue();
        String reverse = name(context.deployment().name());
        context.remember(name(), new StepFact.ReverseSetUp(reverse));
        context.state(LogicalState.class).reverseSubscription(reverse);
        green.execute(Statements.READ_WRITE);
        blue.execute(Statements.READ_WRITE);
        String leftover = "";
        if (blue.queryLong(StopReverseStep.HAS_SUBSCRIPTION, reverse) > 0 || green.queryLong(HAS_SLOT, reverse) > 0) {
            // From an earlier cutover that was never rolled back: its slot starts at that cutover, so reusing it would
            // replay long-applied changes into blue. Only a slot made now, while both sides are equal, is right.
            String what = StopReverseStep.drop(blue, green, reverse);
            if (green.queryLong(HAS_SLOT, reverse) > 0) {
                throw new StepFailure("a reverse slot " + reverse + " from an earlier cutover is still on green: " + what);
            }
            leftover = "; removed first what an earlier cutover left (" + what + ")";
        }
        if (green.queryLong(HAS_PUBLICATION, PUBLICATION) == 0) {
            green.execute("CREATE PUBLICATION " + PUBLICATION + " FOR ALL TABLES");
        }
        String from = green.queryString(CREATE_SLOT, reverse);
        // Created disabled: an apply worker on fenced blue would hand out transaction ids that the post-checks would
        // have to tell from a client's. The slot on green keeps every change until it is enabled. One transaction of
        // its own, so the post-checks know its id as ours.
        String conninfo = LogicalAttach.conninfo(context.greenTarget());
        long xid = blue.writeAsOne("CREATE SUBSCRIPTION " + Sql.ident(reverse) + " CONNECTION " + Sql.literal(conninfo)
                + " PUBLICATION " + PUBLICATION + " WITH (create_slot = false, slot_name = " + Sql.literal(reverse)
                + ", copy_data = false, enabled = false" + (runsAsItsOwner(blue) ? ", run_as_owner = true" : "") + ")");
        context.ownBlueXids().add(xid);
        context.rememberAtEnd(new StepFact.OwnBlueXid(xid));
        GreenBaseline.record(context, green.write());
        return "blue subscribes to green (" + reverse + ", enabled after the post-checks) from " + from + leftover;
    }
}
