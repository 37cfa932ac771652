package io.pgbluegreen.cutover;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.target.TargetSession;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Tells writes on a fenced side from its housekeeping. After a capture a server hands out transaction ids for three
 * reasons: our own steps (the caller names those), ANALYZE, auto or not (one per table whose statistics it stores;
 * statistics, not data), and a client write. An aborted id wrote nothing. So: ids not ours and not aborted, beyond
 * the number of tables analyzed since the capture in every database, are writes nobody can account for.
 */
public final class XidAudit {
    /** Ranges larger than this are not looked at one by one: that many ids are never housekeeping. */
    static final long MAX_EXAMINED = 1000;
    /** Ids in [from, to) that did not abort (committed or still running), ours left out. */
    static final String NOT_ABORTED = """
            SELECT count(*) FROM generate_series(?::bigint, ?::bigint - 1) x
             WHERE txid_status(x) IS DISTINCT FROM 'aborted' AND x <> ALL(?)""";
    static final String DATABASES = "SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1";
    static final String ANALYZED_SINCE = """
            SELECT count(*) FROM pg_stat_all_tables WHERE greatest(last_analyze, last_autoanalyze) >= ?::timestamptz""";
    /** Statistics before 15 come from the collector, up to half a second late: read them twice at most. */
    private static final long STATS_LAG_MILLIS = 1000;

    /** {@code unexplained} ids are writes; the rest is said in {@code summary}. */
    public record Finding(long unexplained, String summary) {
        public boolean clean() {
            return unexplained == 0;
        }
    }

    private XidAudit() {
    }

    /**
     * What the ids {@code side} handed out in [{@code from}, {@code to}) came from; {@code since} is the side's own
     * clock at {@code from} (text, as the server printed it).
     */
    public static Finding audit(TargetSession side, TargetConfig target, SamplingConfig sampling, long from, long to,
                                Set<Long> ours, String since) throws SQLException {
        long handedOut = to - from;
        if (handedOut <= 0) {
            return new Finding(0, "no transaction id handed out");
        }
        if (handedOut > MAX_EXAMINED) {
            return new Finding(handedOut, handedOut + " transaction ids handed out");
        }
        long notAborted = side.queryLong(NOT_ABORTED, from, to, side.jdbc().createArrayOf("int8", ours.toArray()));
        if (notAborted == 0) {
            return new Finding(0, handedOut + " transaction id(s) handed out, all ours or aborted");
        }
        long analyzed = analyzedSince(target, sampling, since);
        if (analyzed < notAborted) {
            sleep();
            analyzed = analyzedSince(target, sampling, since);
        }
        long unexplained = Math.max(0, notAborted - analyzed);
        return new Finding(unexplained, handedOut + " transaction id(s) handed out: " + (handedOut - notAborted)
                + " ours or aborted, " + Math.min(notAborted, analyzed) + " ANALYZE, " + unexplained + " unexplained");
    }

    /** Tables analyzed since {@code since}, summed over every database of the server (statistics are per database). */
    static long analyzedSince(TargetConfig target, SamplingConfig sampling, String since) throws SQLException {
        List<String> databases;
        try (TargetSession any = new TargetSession(target, sampling)) {
            databases = new ArrayList<>(any.queryList(DATABASES));
        }
        long total = 0;
        for (String database : databases) {
            try (TargetSession session = new TargetSession(target.inDatabase(database), sampling)) {
                total += session.queryLong(ANALYZED_SINCE, since);
            }
        }
        return total;
    }

    private static void sleep() {
        try {
            Thread.sleep(STATS_LAG_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
