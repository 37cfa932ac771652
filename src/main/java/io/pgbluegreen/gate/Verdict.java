package io.pgbluegreen.gate;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/** The gate's answer for one deployment: ready only when every check passed. */
@Serdeable
public record Verdict(String deployment, boolean ready, List<CheckResult> checks, Instant evaluatedAt) {

    public static Verdict of(String deployment, List<CheckResult> checks, Instant at) {
        return new Verdict(deployment, checks.stream().allMatch(CheckResult::passed), List.copyOf(checks), at);
    }

    public List<CheckResult> blocking() {
        return checks.stream().filter(c -> !c.passed()).toList();
    }
}
