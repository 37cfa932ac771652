package io.pgbluegreen.sampling;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.sampling.view.Activity;
import io.pgbluegreen.sampling.view.Recovery;
import io.pgbluegreen.sampling.view.ReplicationSlot;
import io.pgbluegreen.sampling.view.ServerStatus;
import io.pgbluegreen.sampling.view.StandbyReplication;
import io.pgbluegreen.sampling.view.Subscription;
import io.pgbluegreen.sampling.view.WalReceiver;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.ServerVersion;

import java.time.Instant;
import java.util.List;

/**
 * Everything one successful tick read from a target, immutable. {@code replayLagSeconds} is derived by the
 * sampler (it needs the previous tick, see {@link StandbyLag}); null when the target is not a standby.
 */
@Serdeable
public record TargetSample(Instant sampledAt, double durationSeconds, ServerVersion version, ServerStatus server,
                           Activity activity, List<StandbyReplication> replication, List<ReplicationSlot> slots,
                           WalReceiver walReceiver, Recovery recovery, List<Subscription> subscriptions,
                           Double replayLagSeconds) {

    public TargetRole role() {
        if (server.inRecovery()) {
            return TargetRole.STANDBY;
        }
        return subscriptions.isEmpty() ? TargetRole.PRIMARY : TargetRole.SUBSCRIBER;
    }

    /** Where this server's WAL ends: the insert position on a primary, what it has received on a standby. */
    public Lsn walEnd() {
        if (server.currentLsn() != null) {
            return server.currentLsn();
        }
        return recovery == null ? null : recovery.receiveLsn();
    }

    /** Bytes received but not yet replayed on a standby. */
    public Long replayLagBytes() {
        return recovery == null ? null : Lsn.distance(recovery.receiveLsn(), recovery.replayLsn());
    }
}
