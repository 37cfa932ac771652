package io.pgbluegreen.config;

import java.util.List;

/** Every configuration problem found at start, each naming its key; the daemon prints them and exits non-zero. */
public class InvalidConfigurationException extends RuntimeException {
    private final List<String> problems;

    public InvalidConfigurationException(List<String> problems) {
        super("invalid configuration:\n  " + String.join("\n  ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
