package io.pgbluegreen.gate;

import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.config.GateConfig;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The limits one deployment's gate applies: the defaults with that deployment's overrides. */
@Serdeable
public record Thresholds(long maxReplayLagBytes, Duration maxReplayLag, Duration maxTransactionAge,
                         Duration catchUpTimeout, Duration sampleFreshness, Duration errorQuietPeriod) {
    public static final Set<String> KEYS = Set.of("max-replay-lag-bytes", "max-replay-lag", "max-transaction-age",
            "catch-up-timeout", "sample-freshness", "error-quiet-period");
    private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h)");

    public static Thresholds defaults(GateConfig config) {
        return new Thresholds(config.maxReplayLagBytes(), config.maxReplayLag(), config.maxTransactionAge(),
                config.catchUpTimeout(), config.sampleFreshness(), config.errorQuietPeriod());
    }

    /** Applies overrides; call {@link #problems} first (validation), this assumes they parse. */
    public Thresholds with(Map<String, String> overrides) {
        if (overrides == null || overrides.isEmpty()) {
            return this;
        }
        return new Thresholds(
                overrides.containsKey("max-replay-lag-bytes") ? Long.parseLong(overrides.get("max-replay-lag-bytes").trim()) : maxReplayLagBytes,
                duration(overrides, "max-replay-lag", maxReplayLag),
                duration(overrides, "max-transaction-age", maxTransactionAge),
                duration(overrides, "catch-up-timeout", catchUpTimeout),
                duration(overrides, "sample-freshness", sampleFreshness),
                duration(overrides, "error-quiet-period", errorQuietPeriod));
    }

    /** One message per bad override, each naming its key under {@code keyPrefix}. */
    public static List<String> problems(String keyPrefix, Map<String, String> overrides) {
        List<String> problems = new ArrayList<>();
        if (overrides == null) {
            return problems;
        }
        overrides.forEach((key, value) -> {
            if (!KEYS.contains(key)) {
                problems.add(keyPrefix + key + ": unknown gate threshold (known: " + String.join(", ", KEYS.stream().sorted().toList()) + ")");
            } else if (key.equals("max-replay-lag-bytes")) {
                try {
                    if (Long.parseLong(value.trim()) < 0) {
                        problems.add(keyPrefix + key + ": must not be negative");
                    }
                } catch (NumberFormatException e) {
                    problems.add(keyPrefix + key + ": '" + value + "' is not a number of bytes");
                }
            } else if (parse(value) == null) {
                problems.add(keyPrefix + key + ": '" + value + "' is not a duration such as 10s, 500ms or 2m");
            }
        });
        return problems;
    }

    private static Duration duration(Map<String, String> overrides, String key, Duration fallback) {
        return overrides.containsKey(key) ? parse(overrides.get(key)) : fallback;
    }

    static Duration parse(String text) {
        Matcher m = DURATION.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            return null;
        }
        long n = Long.parseLong(m.group(1));
        return switch (m.group(2)) {
            case "ms" -> Duration.ofMillis(n);
            case "s" -> Duration.ofSeconds(n);
            case "m" -> Duration.ofMinutes(n);
            default -> Duration.ofHours(n);
        };
    }
}
