package io.pgbluegreen.gate;

import io.pgbluegreen.config.DeploymentMode;
import io.pgbluegreen.gate.facts.SideFacts;

import java.util.List;

/**
 * What one deployment mode adds to the gate: its readiness checks and the privileges its steps need on each side.
 * Each mode's package supplies one as a bean, so that the gate itself never asks which mode it judges.
 */
public interface ModeGate {
    /** The modes these checks judge (a mode may be judged before its operations exist). */
    boolean judges(DeploymentMode mode);

    /** The mode's readiness checks, after the checks every mode shares. */
    void addChecks(List<CheckResult> out, GateInput in);

    /** What this mode's steps need on blue beyond the fence and the post-checks (called for a non-superuser only). */
    void bluePrivileges(List<MissingPrivilege> out, GateInput in, SideFacts blue);

    /** Everything this mode's steps (and its rollback) need on green (called for a non-superuser only). */
    void greenPrivileges(List<MissingPrivilege> out, GateInput in, SideFacts green);
}
