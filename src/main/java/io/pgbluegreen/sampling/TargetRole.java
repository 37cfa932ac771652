package io.pgbluegreen.sampling;

import java.util.Locale;

/** What a target is, as seen from its own views. UNKNOWN until a first sample succeeds. */
public enum TargetRole {
    PRIMARY, STANDBY, SUBSCRIBER, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
