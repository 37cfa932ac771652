package io.pgbluegreen.cutover.step;

import io.pgbluegreen.cutover.CutoverContext;

import java.util.Map;

/**
 * The "green took no writes" baseline a rollback compares with: the first transaction id after our own last write
 * on green, taken inside that write (so nothing can slip in between) and before any client can reach green (before
 * its logins come back, before PgBouncer resumes). Our write is also the proof that green takes writes.
 */
public final class GreenBaseline {
    public static final String KEY = "green_baseline_xid";

    private GreenBaseline() {
    }

    /** Journals {@code ourLastXid + 1} as the baseline; returns it. */
    public static long record(CutoverContext context, String step, long ourLastXid) {
        long baseline = ourLastXid + 1;
        context.remember(step, Map.of(KEY, String.valueOf(baseline)));
        return baseline;
    }
}
