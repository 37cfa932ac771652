package io.pgbluegreen.sampling;

import io.pgbluegreen.config.DeploymentConfig;
import io.pgbluegreen.config.DeploymentMode;

/**
 * How far green is behind blue in one deployment mode, from the two sides' samples. Each mode's package supplies
 * one as a bean; null parts of the answer are unknown, never 0.
 */
public interface ModeLag {
    /** The modes whose lag this measures (a mode may be measured before its operations exist). */
    boolean measures(DeploymentMode mode);

    /** {@code blue} is never null here; {@code timeline} is blue's WAL end over time. */
    DeploymentLag lag(DeploymentConfig deployment, TargetSample blue, TargetSample green, WalTimeline timeline);
}
