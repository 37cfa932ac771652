package io.pgbluegreen.mode.patroni.safetynet;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * 201 answer of POST .../safety-net: the fixed fields ({@code member, xid, lsn, restorePoint, heldSince, cost}) and
 * what else a rollback or an operator needs. {@code xid} is {@code txid_current()} of the marker (epoch included;
 * its low 32 bits are the xid PostgreSQL's recovery_target_xid takes); {@code lsn} the leader's insert position
 * right after the marker's commit (its commit record ends at or before it), {@code lsnBefore} the position just
 * before the marker began (the member must not replay past it).
 */
@Serdeable
public record HoldAnswer(String deployment, String id, String cluster, String member, String leader, long xid, String lsn,
                         String lsnBefore, String restorePoint, String restorePointLsn, int timeline, String replayLsn,
                         Instant heldSince, boolean enteredMaintenanceMode, long verifiedForMillis, int haLoopsCovered,
                         long holdMillis, List<String> cost) {
}
