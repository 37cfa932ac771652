package io.pgbluegreen.metrics;

import io.pgbluegreen.patroni.ClusterResponse;
import io.pgbluegreen.patroni.MemberStatusResponse;
import io.pgbluegreen.patroni.PatroniClusterState;

import static io.pgbluegreen.metrics.MetricCatalog.*;

/** A Patroni cluster: members, roles, states, timelines, lag, maintenance mode and each member's own view. */
final class PatroniSeries {
    private PatroniSeries() {
    }

    static void add(SeriesList out, PatroniClusterState state) {
        String c = state.name();
        out.flag(PATRONI_UP, state.up(), c);
        if (!state.up()) {
            return;
        }
        out.flag(PATRONI_MAINTENANCE, state.cluster().paused(), c);
        out.add(PATRONI_MEMBERS, state.cluster().memberList().size(), c);
        for (ClusterResponse.Member member : state.cluster().memberList()) {
            String m = member.name();
            out.add(PATRONI_MEMBER_INFO, 1, c, m, member.patroniRole().label(), member.state());
            out.flag(PATRONI_MEMBER_LEADER, member.patroniRole().leads(), c, m);
            out.add(PATRONI_MEMBER_TIMELINE, member.timeline(), c, m);
            out.add(PATRONI_MEMBER_LAG, member.patroniRole().leads() ? Long.valueOf(0) : member.lagBytes(), c, m);
            PatroniClusterState.MemberStatus own = state.statusOf(member);
            if (own == null) {
                continue;
            }
            out.flag(PATRONI_MEMBER_API_UP, own.status() != null, c, m);
            MemberStatusResponse status = own.status();
            if (status == null) {
                continue;
            }
            out.flag(PATRONI_MEMBER_PENDING_RESTART, Boolean.TRUE.equals(status.pendingRestart()), c, m);
            MemberStatusResponse.Xlog xlog = status.xlog();
            if (xlog != null) {
                out.flag(PATRONI_MEMBER_REPLAY_PAUSED, Boolean.TRUE.equals(xlog.paused()), c, m);
                out.add(PATRONI_MEMBER_WAL_POSITION, xlog.location() != null ? xlog.location() : xlog.replayedLocation(), c, m);
                out.add(PATRONI_MEMBER_RECEIVED, xlog.receivedLocation(), c, m);
            }
        }
    }
}
