package io.pgbluegreen.fence;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Tells writes on a fenced side from its housekeeping, transaction id by transaction id. After a capture a server
 * hands out ids for three reasons: our own steps (the caller names those), ANALYZE (autovacuum keeps running on a
 * fenced side; it stores statistics, not data), and a client write. An aborted id wrote nothing. An id is ANALYZE's
 * only when rows of pg_statistic carry it as xmin (matched id to id: a count of analyzed tables would let an ANALYZE
 * that wrote nothing, or one of several tables, hide a client's write). Reading pg_statistic takes a superuser; for
 * any other role every id not ours and not aborted counts as a write (the safe side). And only where no client can
 * run a transaction (a fenced blue, after prove_quiet): a client may ANALYZE inside its own writing transaction, which
 * would pass for ANALYZE's. On green, where clients have written, a rollback takes no id for an ANALYZE's.
 * {@code alsoExamined}: ids below {@code from} that were still running when {@code from} was taken (they may have
 * committed after it).
 */
public final class XidAudit {
    /** Ranges larger than this are not looked at one by one: that many ids are never housekeeping. */
    static final long MAX_EXAMINED = 1000;
    /** Ids in [from, to) that did not abort (committed or still running), ours left out. */
    static final String NOT_ABORTED = """
            SELECT x FROM generate_series(?::bigint, ?::bigint - 1) x
             WHERE txid_status(x) IS DISTINCT FROM 'aborted' AND x <> ALL(?)""";
    static final String STATUS = "SELECT txid_status(?)";
    static final String CAN_READ_STATISTICS = "SELECT has_table_privilege('pg_catalog.pg_statistic', 'SELECT')";
    static final String DATABASES = "SELECT datname FROM pg_database WHERE datallowconn ORDER BY 1";
    /** pg_statistic's xmin is a 32-bit xid: the candidates are compared modulo 2^32. */
    static final String ANALYZE_XIDS = """
            SELECT DISTINCT xmin::text::bigint FROM pg_catalog.pg_statistic WHERE xmin::text::bigint = ANY(?)""";
    private static final long XID_SPACE = 1L << 32;

    /** {@code unexplained} ids are writes; the rest is said in {@code summary}. */
    public record Finding(long unexplained, String summary) {
        public boolean clean() {
            return unexplained == 0;
        }
    }

    private XidAudit() {
    }

    /** Where no client can have run a transaction since {@code from}: ANALYZE's ids are told from writes. */
    public static Finding auditFenced(TargetSession side, TargetConfig target, SamplingConfig sampling, long from, long to,
                                      Set<Long> ours) throws SQLException {
        return audit(side, target, sampling, from, to, ours, List.of(), true);
    }

    /** Where clients may have written: every id not ours and not aborted is a write, ANALYZE's included. */
    public static Finding auditOpen(TargetSession side, long from, long to, Set<Long> ours, List<Long> alsoExamined)
            throws SQLException {
        return audit(side, null, null, from, to, ours, alsoExamined, false);
    }

    private static Finding audit(TargetSession side, TargetConfig target, SamplingConfig sampling, long from, long to,
                                 Set<Long> ours, List<Long> alsoExamined, boolean analyzeExplains) throws SQLException {
        long handedOut = to - from + alsoExamined.size();
        if (handedOut <= 0) {
            return new Finding(0, "no transaction id handed out");
        }
        if (handedOut > MAX_EXAMINED) {
            return new Finding(handedOut, handedOut + " transaction ids handed out");
        }
        List<Long> candidates = new ArrayList<>(side.queryList(NOT_ABORTED, from, to,
                side.jdbc().createArrayOf("int8", ours.toArray())).stream().map(Long::valueOf).toList());
        for (long running : alsoExamined) {
            if (!ours.contains(running) && !"aborted".equals(side.queryString(STATUS, running))) {
                candidates.add(running);
            }
        }
        if (candidates.isEmpty()) {
            return new Finding(0, handedOut + " transaction id(s) handed out, all ours or aborted");
        }
        boolean readable = analyzeExplains && side.queryBoolean(CAN_READ_STATISTICS);
        Set<Long> analyzed = readable ? analyzeXids(target, sampling, candidates) : Set.of();
        long unexplained = candidates.stream().filter(x -> !analyzed.contains(x % XID_SPACE)).count();
        return new Finding(unexplained, handedOut + " transaction id(s) handed out: " + (handedOut - candidates.size())
                + " ours or aborted, " + (candidates.size() - unexplained) + " ANALYZE, " + unexplained + " unexplained"
                + (readable || !analyzeExplains ? "" : " (the daemon's role cannot read pg_statistic, so no id is taken for an ANALYZE's)"));
    }

    /** The candidates (as 32-bit xids) that stored statistics, in any database of the server. */
    static Set<Long> analyzeXids(TargetConfig target, SamplingConfig sampling, List<Long> candidates) throws SQLException {
        List<String> databases;
        try (TargetSession any = new TargetSession(target, sampling)) {
            databases = new ArrayList<>(any.queryList(DATABASES));
        }
        Long[] wanted = candidates.stream().map(x -> x % XID_SPACE).toArray(Long[]::new);
        Set<Long> found = new HashSet<>();
        for (String database : databases) {
            try (TargetSession session = new TargetSession(target.inDatabase(database), sampling)) {
                session.queryList(ANALYZE_XIDS, session.jdbc().createArrayOf("int8", wanted)).forEach(x -> found.add(Long.valueOf(x)));
            }
        }
        return found;
    }
}
