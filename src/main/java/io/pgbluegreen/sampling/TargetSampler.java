package io.pgbluegreen.sampling;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.postgres.ErrorClass;
import io.pgbluegreen.postgres.ServerVersion;
import io.pgbluegreen.postgres.TargetConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/**
 * One tick against one target: (re)connect if needed, run the batch, turn the rows into a {@link TargetState}.
 * Owns its connection and the little history a tick needs (when the standby was last caught up).
 * Never throws: every failure becomes a down state with a bounded error class.
 */
final class TargetSampler implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TargetSampler.class);
    private final String target;
    private final TargetConnection connection;
    private final Clock clock;
    private ServerVersion batchVersion;
    private String batchSql;
    private Double lastCaughtUpEpoch;
    private long roundTrips;
    private long failures;

    TargetSampler(TargetConfig config, SamplingConfig sampling, Clock clock) {
        this.target = config.name();
        this.connection = new TargetConnection(config, sampling);
        this.clock = clock;
    }

    TargetState tick(TargetState previous) {
        Instant started = clock.instant();
        long startNanos = System.nanoTime();
        try {
            var jdbc = connection.get();
            if (!connection.version().equals(batchVersion)) {
                batchVersion = connection.version();
                batchSql = SampleBatch.sql(batchVersion);
            }
            roundTrips++;
            SampleBatch.Result rows = SampleBatch.run(jdbc, batchSql);
            double duration = (System.nanoTime() - startNanos) / 1e9;
            Double lag = StandbyLag.seconds(rows.server(), rows.recovery(), rows.walReceiver(), lastCaughtUpEpoch);
            if (rows.recovery() == null || StandbyLag.caughtUp(rows.recovery(), rows.walReceiver())) {
                lastCaughtUpEpoch = rows.server().serverEpochSeconds();
            }
            TargetSample sample = new TargetSample(started, duration, batchVersion, rows.server(), rows.activity(),
                    rows.replication(), rows.slots(), rows.walReceiver(), rows.recovery(), rows.subscriptions(), lag);
            if (!previous.up() && previous.attemptedAt() != null) {
                LOG.info("target {} is back ({} {})", target, sample.role().label(), batchVersion.text());
            }
            return previous.succeeded(started, sample, counters());
        } catch (SQLException | RuntimeException e) {
            connection.reset();
            failures++;
            ErrorClass errorClass = ErrorClass.of(e);
            String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (previous.up() || previous.attemptedAt() == null || previous.error() != errorClass) {
                LOG.warn("target {} is down: {} ({})", target, errorClass.label(), message);
            }
            return previous.failed(started, errorClass, message, counters());
        }
    }

    private TargetState.Counters counters() {
        return new TargetState.Counters(roundTrips, connection.opened(), failures);
    }

    @Override
    public void close() {
        connection.close();
    }
}
