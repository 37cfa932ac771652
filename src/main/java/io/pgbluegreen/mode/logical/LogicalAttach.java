package io.pgbluegreen.mode.logical;

import io.pgbluegreen.operation.Refusal;
import io.pgbluegreen.operation.StepRunner;
import io.pgbluegreen.postgres.Sql;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.config.Secrets;
import io.pgbluegreen.config.TargetConfig;
import io.pgbluegreen.config.Topology;
import io.pgbluegreen.config.JdbcAddress;
import io.pgbluegreen.postgres.Lsn;
import io.pgbluegreen.postgres.TargetSession;

import java.sql.SQLException;
import java.util.List;

/**
 * Attaches a green restored from a backup of blue (a point-in-time restore, as managed services offer) to the
 * logical slot that was created on blue at the restore point: creates the subscription disabled on the existing
 * slot without copying data, advances its replication origin to the LSN the copy is consistent at, and enables it.
 * Refused when the slot is missing, busy or not pgoutput, or when the LSN is outside what the slot still holds.
 */
public final class LogicalAttach {
    static final String SLOT = """
            SELECT slot_type, plugin, active, confirmed_flush_lsn::text FROM pg_replication_slots WHERE slot_name = ?""";
    static final String CURRENT = "SELECT pg_current_wal_lsn()::text";
    static final String PUBLICATIONS = "SELECT pubname FROM pg_publication ORDER BY 1";
    static final String SUBSCRIPTION_EXISTS = "SELECT count(*) FROM pg_subscription WHERE subname = ?";
    static final String ORIGIN = "SELECT 'pg_' || oid FROM pg_subscription WHERE subname = ?";
    static final String ADVANCE = "SELECT pg_replication_origin_advance(?, ?::pg_lsn)";

    /** What the request came to: a refusal (HTTP 409), bad input (400), or the steps run (their summary). */
    public record Result(Refusal refusal, String invalid, List<String> done) {
    }

    private LogicalAttach() {
    }

    /** What this attach cannot do safely with blue's slot or green's subscriptions as they are. */
    private static Result refused(String reason) {
        return new Result(Refusal.of(Refusal.Cause.UNSAFE, reason), null, null);
    }

    public static Result attach(Topology topology, DeploymentConfig deployment, String lsnText, String publication) {
        if (deployment.deploymentMode() != DeploymentMode.LOGICAL) {
            return new Result(Refusal.of(Refusal.Cause.NOT_OFFERED, "attach is for logical deployments; "
                    + deployment.name() + " is " + deployment.deploymentMode().label()), null, null);
        }
        Lsn lsn;
        try {
            lsn = Lsn.parse(lsnText == null ? null : lsnText.trim());
        } catch (IllegalArgumentException e) {
            lsn = null;
        }
        if (lsn == null) {
            return new Result(null, "lsn: give the LSN the restored copy is consistent at, e.g. \"0/3000148\"", null);
        }
        TargetConfig blueConfig = topology.targets().get(deployment.blue());
        try (TargetSession blue = new TargetSession(blueConfig, topology.sampling());
             TargetSession green = new TargetSession(topology.targets().get(deployment.green()), topology.sampling())) {
            List<String> slot = blue.queryRow(SLOT, deployment.slot());
            if (slot == null) {
                return refused("slot " + deployment.slot() + " does not exist on blue");
            }
            String type = slot.get(0);
            String plugin = slot.get(1);
            boolean active = "t".equals(slot.get(2));
            Lsn confirmed = Lsn.parse(slot.get(3));
            if (!"logical".equals(type) || !"pgoutput".equals(plugin)) {
                return refused("slot " + deployment.slot() + " is " + type + "/" + plugin + ", not a pgoutput logical slot");
            }
            if (active) {
                return refused("slot " + deployment.slot() + " is in use by another consumer");
            }
            if (lsn.bytes() < confirmed.bytes()) {
                return refused("the slot no longer holds changes from " + lsn.text() + ": it was confirmed up to "
                        + confirmed.text() + ", so changes between them are gone");
            }
            Lsn current = Lsn.parse(blue.queryString(CURRENT));
            if (lsn.bytes() > current.bytes()) {
                return refused(lsn.text() + " is ahead of blue's current WAL position " + current.text());
            }
            String pub = publication;
            if (pub == null || pub.isBlank()) {
                List<String> all = blue.queryList(PUBLICATIONS);
                if (all.size() != 1) {
                    return new Result(null, "publication: blue has " + all.size() + " publications " + all + ", name one", null);
                }
                pub = all.get(0);
            }
            if (green.queryLong(SUBSCRIPTION_EXISTS, deployment.subscription()) > 0) {
                return refused("green already has a subscription " + deployment.subscription());
            }
            String subscription = Sql.ident(deployment.subscription());
            green.execute("CREATE SUBSCRIPTION " + subscription + " CONNECTION " + Sql.literal(conninfo(blueConfig))
                    + " PUBLICATION " + Sql.ident(pub) + " WITH (create_slot = false, slot_name = "
                    + Sql.literal(deployment.slot()) + ", enabled = false, copy_data = false)");
            String origin = green.queryString(ORIGIN, deployment.subscription());
            green.queryString(ADVANCE, origin, lsn.text());
            green.execute(SubscriptionStatements.enable(deployment.subscription()));
            return new Result(null, null, List.of("created subscription " + deployment.subscription() + " on slot "
                    + deployment.slot() + " without copying data", "advanced origin " + origin + " to " + lsn.text(),
                    "enabled it: green replays blue's changes after " + lsn.text()));
        } catch (SQLException e) {
            return new Result(Refusal.of(Refusal.Cause.UNREACHABLE, "attach failed: " + StepRunner.message(e)), null, null);
        }
    }

    /** libpq connection string for one server to reach another, from the target's settings (the daemon's address). */
    public static String conninfo(TargetConfig blue) {
        JdbcAddress address = JdbcAddress.parse(blue.url());
        StringBuilder out = new StringBuilder("host=" + quote(address.host()) + " port=" + address.port()
                + " dbname=" + quote(address.database()) + " user=" + quote(blue.user()));
        Secrets.password(blue).ifPresent(p -> out.append(" password=").append(quote(p)));
        return out.toString();
    }

    private static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
