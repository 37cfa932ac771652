package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;
import io.pgbluegreen.cutover.Step;
import io.pgbluegreen.cutover.StepFailure;
import io.pgbluegreen.cutover.Waits;
import io.pgbluegreen.target.Lsn;

import java.time.Duration;

/**
 * Rollback with reverse replication: once green is fenced and no session on it holds a transaction id, waits (up to
 * the catch-up timeout) until blue's reverse subscription has confirmed green's final position.
 */
public final class ReverseCatchUpStep implements Step {
    static final String WRITERS = "SELECT count(*) FROM pg_stat_activity WHERE backend_xid IS NOT NULL AND pid <> pg_backend_pid()";
    static final String FINAL = "SELECT pg_current_wal_insert_lsn()::text";
    static final String CONFIRMED = "SELECT confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?";
    private final String reverse;

    public ReverseCatchUpStep(String reverse) {
        this.reverse = reverse;
    }

    @Override
    public String name() {
        return "reverse_catch_up";
    }

    @Override
    public String run(CutoverContext context) throws Exception {
        var green = context.green();
        if (!Waits.until(Duration.ofSeconds(10), Duration.ofMillis(20), () -> green.queryLong(WRITERS) == 0)) {
            throw new StepFailure("writes still in flight on fenced green after 10s");
        }
        Lsn target = Lsn.parse(green.queryString(FINAL));
        Lsn[] seen = {null};
        boolean reached = Waits.until(context.thresholds().catchUpTimeout(), Duration.ofMillis(20), () -> {
            seen[0] = Lsn.parse(green.queryString(CONFIRMED, reverse));
            return seen[0] != null && seen[0].bytes() >= target.bytes();
        });
        if (!reached) {
            throw new StepFailure("blue confirmed only " + (seen[0] == null ? "nothing" : seen[0].text()) + " of green's "
                    + target.text() + " within the catch-up timeout; green stays fenced, blue too");
        }
        GreenBaseline.moveToNow(context, name());
        return "blue confirmed green's final position " + target.text();
    }
}
