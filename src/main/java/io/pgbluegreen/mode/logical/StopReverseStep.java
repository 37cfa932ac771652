package io.pgbluegreen.mode.logical;

import io.pgbluegreen.journal.StepFact;
import io.pgbluegreen.postgres.Statements;
import io.pgbluegreen.operation.OperationContext;
import io.pgbluegreen.postgres.Sql;
import io.pgbluegreen.operation.Step;
import io.pgbluegreen.postgres.Waits;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Rollback: blue stops following green (before anything could flow the other way again), and the reverse
 * subscription goes away with its slot on green: a slot nobody reads retains green's WAL without limit, and a stale
 * one reused by a later cutover would replay old changes into blue.
 */
public final class StopReverseStep implements Step {
    /** This step's name in the journal and the API. */
    public static final String NAME = "stop_reverse";
    static final String HAS_SUBSCRIPTION = "SELECT count(*) FROM pg_subscription WHERE subname = ?";
    static final String DROP_SLOT = "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots WHERE slot_name = ?";
    /** The apply worker's walsender on green may need a moment to let go of the slot after DISABLE. */
    private static final Duration RELEASE_TIMEOUT = Duration.ofSeconds(15);

    private final String reverse;

    public StopReverseStep(String reverse) {
        this.reverse = reverse;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String run(OperationContext context) throws Exception {
        String said = drop(context.blue(), context.green(), reverse);
        context.rememberAtEnd(new StepFact.ReverseDropped());
        return said;
    }

    /** Drops blue's subscription {@code reverse} and green's slot of that name, whichever exist; says what it did. */
    public static String drop(TargetSession blue, TargetSession green, String reverse) throws Exception {
        blue.execute(Statements.READ_WRITE);
        String said = "no reverse subscription " + reverse + " on blue";
        if (blue.queryLong(HAS_SUBSCRIPTION, reverse) > 0) {
            blue.execute(SubscriptionStatements.disable(reverse));
            // Detached from the slot first: DROP SUBSCRIPTION would drop it on green through a connection of its own,
            // which fails while the old walsender still holds it. The slot is dropped below, with a bounded wait.
            blue.execute("ALTER SUBSCRIPTION " + Sql.ident(reverse) + " SET (slot_name = NONE)");
            blue.execute("DROP SUBSCRIPTION " + Sql.ident(reverse));
            said = "reverse subscription " + reverse + " dropped on blue";
        }
        green.execute(Statements.READ_WRITE);
        AtomicReference<SQLException> last = new AtomicReference<>();
        boolean dropped = Waits.until(RELEASE_TIMEOUT, Duration.ofMillis(100), () -> {
            try {
                green.queryList(DROP_SLOT, reverse);
                return true;
            } catch (SQLException stillActive) {
                last.set(stillActive);
                return false;
            }
        });
        if (!dropped) {
            return said + "; slot " + reverse + " could not be dropped on green within " + RELEASE_TIMEOUT.toSeconds()
                    + "s (" + last.get().getMessage() + "): drop it by hand, it retains green's WAL";
        }
        return said + "; its slot on green is gone";
    }
}
