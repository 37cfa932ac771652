package io.pgbluegreen.gate;

import io.micronaut.core.annotation.Nullable;
import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.gate.facts.SideFacts;
import io.pgbluegreen.gate.facts.SubscriptionInfo;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.pgbouncer.PgBouncerFacts;
import io.pgbluegreen.sampling.DeploymentLag;
import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * Everything the gate judges, gathered beforehand so that {@link GateEvaluator} stays a pure function:
 * the two sides' samples, the live facts (or why they could not be read), the lag, and when each subscription's
 * error count last grew (to tell errors happening now from history), and the deployment's PgBouncer (null when
 * the applications do not go through one), and for a Patroni deployment its cluster's state (null: none).
 */
public record GateInput(DeploymentConfig deployment, Thresholds thresholds, Instant now,
                        TargetState blue, TargetState green, DeploymentLag lag,
                        @Nullable SideFacts blueFacts, @Nullable String blueFactsError,
                        @Nullable SideFacts greenFacts, @Nullable String greenFactsError,
                        Map<String, SubscriptionErrorHistory.Errors> subscriptionErrors,
                        @Nullable PgBouncerFacts pgbouncer, @Nullable PatroniClusterState patroni) {

    /** The inputs of a deployment that is no Patroni one. */
    public GateInput(DeploymentConfig deployment, Thresholds thresholds, Instant now, TargetState blue, TargetState green,
                     DeploymentLag lag, SideFacts blueFacts, String blueFactsError, SideFacts greenFacts,
                     String greenFactsError, Map<String, SubscriptionErrorHistory.Errors> subscriptionErrors,
                     PgBouncerFacts pgbouncer) {
        this(deployment, thresholds, now, blue, green, lag, blueFacts, blueFactsError, greenFacts, greenFactsError,
                subscriptionErrors, pgbouncer, null);
    }

    /** The side's sample if it is current: the last tick succeeded and is within the freshness limit. */
    public TargetSample fresh(TargetState side) {
        if (side == null || !side.up() || side.lastSample() == null) {
            return null;
        }
        return age(side).compareTo(thresholds.sampleFreshness()) <= 0 ? side.lastSample() : null;
    }

    public Duration age(TargetState side) {
        return Duration.between(side.lastSample().sampledAt(), now);
    }

    /** Why a side has no fresh sample, for an UNKNOWN check's message. */
    public String whyNotFresh(String sideName, TargetState side) {
        if (side == null || side.lastSample() == null) {
            return sideName + " has not been sampled yet";
        }
        if (!side.up()) {
            return sideName + " is down (" + (side.error() == null ? "unknown" : side.error().label()) + ")";
        }
        return sideName + "'s sample is " + seconds(age(side)) + " old (limit " + seconds(thresholds.sampleFreshness()) + ")";
    }

    /** Green's facts about the deployment's subscription (null: green unread, or no such subscription there). */
    public SubscriptionInfo subscriptionInfo() {
        if (greenFacts == null) {
            return null;
        }
        return greenFacts.subscriptions().stream().filter(s -> s.name().equals(deployment.subscription())).findFirst().orElse(null);
    }

    public static String seconds(Duration d) {
        return String.format(java.util.Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
    }
}
