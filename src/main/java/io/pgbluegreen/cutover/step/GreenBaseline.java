package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;

import java.sql.SQLException;
import java.util.Map;

/**
 * The "green took no writes" baseline a rollback compares with: the first transaction id after our own last write
 * on green, taken inside that write (so nothing can slip in between) and before any client can reach green (before
 * its logins come back, before PgBouncer resumes). Our write is also the proof that green takes writes.
 */
public final class GreenBaseline {
    public static final String KEY = "green_baseline_xid";
    /** Green's clock just after the baseline: ANALYZEs since then explain ids a rollback finds. */
    public static final String CLOCK_KEY = "green_baseline_clock";
    static final String CLOCK = "SELECT clock_timestamp()::text";

    private GreenBaseline() {
    }

    /**
     * Journals {@code ourLastXid + 1} as the baseline, with green's clock read after it (later, never earlier: an
     * ANALYZE is then never counted that could hide a client's write); returns it.
     */
    public static long record(CutoverContext context, String step, long ourLastXid) throws SQLException {
        long baseline = ourLastXid + 1;
        context.remember(step, Map.of(KEY, String.valueOf(baseline), CLOCK_KEY, context.green().queryString(CLOCK)));
        return baseline;
    }
}
