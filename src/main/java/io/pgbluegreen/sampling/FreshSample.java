package io.pgbluegreen.sampling;

import io.pgbluegreen.config.SamplingConfig;
import io.pgbluegreen.config.TargetConfig;

import java.time.Clock;

/**
 * One sample taken now, on a connection of its own, for decisions that must not rest on the cached snapshot
 * (the live gate before an irreversible step). Same SQL and timeouts as the sampling loop.
 */
public final class FreshSample {
    private FreshSample() {
    }

    public static TargetState take(TargetConfig target, SamplingConfig sampling) {
        try (TargetSampler sampler = new TargetSampler(target, sampling, Clock.systemUTC())) {
            return sampler.tick(TargetState.never(target.name()));
        }
    }
}
