package io.pgbluegreen.bench.cutover;

import java.util.List;
import java.util.Map;

/**
 * What one cutover run measured.
 *
 * @param state         the operation's end state, or {@code error} when the run itself broke (see detail)
 * @param windowMs      longest gap between consecutive acknowledged commits (all writers) from 1 s before the
 *                      cutover request to the end of the run; NaN when no commit was seen at all
 * @param censored      no commit on green came within the wait: the window is at least {@code windowMs}
 * @param gapStartMs    where that gap started, relative to the cutover request (negative: before it)
 * @param errors        client errors (failed connects and statements) over the whole run
 * @param errorsOnGreen of which the writer was aiming at green (after the switch)
 * @param acked         acknowledged commits, all sides
 * @param ackedOnGreen  of which green acknowledged
 * @param lost          acknowledged (on blue or green) but missing on green afterwards
 * @param duplicates    rows on green whose payload is there more than once
 * @param postMs        POST /cutover until its 202 (live gate on fresh samples + acquire_lock)
 * @param stepMs        each step's own duration (startedAt to finishedAt), in runbook order
 * @param segmentMs     the window cut into consecutive segments that add up to it (see CutoverRun)
 * @param probeMs       logical diagnostics only (CatchUpProbe): ms after catch_up's start; empty otherwise
 */
record RunResult(String mode, int run, String state, double windowMs, boolean censored, double gapStartMs, int errors,
                 int errorsOnGreen,
                 long acked, long ackedOnGreen, long lost, long duplicates, double postMs, Map<String, Double> stepMs,
                 Map<String, Double> segmentMs, String loadAverage, List<String> errorSamples, String detail,
                 Map<String, Double> probeMs) {

    boolean succeeded() {
        return "succeeded".equals(state);
    }

    /** Counts toward the window figures: the cutover succeeded and a window was measured. */
    boolean measured() {
        return succeeded() && !Double.isNaN(windowMs);
    }
}
