package io.pgbluegreen.gate;

import java.util.Locale;

/** UNKNOWN blocks like FAIL: the gate only opens on what it could verify. */
public enum CheckStatus {
    PASS, FAIL, UNKNOWN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
