package io.pgbluegreen.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How green follows blue. */
public enum DeploymentMode {
    PHYSICAL, LOGICAL, PATRONI;

    public static Optional<DeploymentMode> parse(String text) {
        if (text == null) {
            return Optional.empty();
        }
        return Arrays.stream(values()).filter(m -> m.label().equals(text.trim().toLowerCase(Locale.ROOT))).findFirst();
    }

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
