package io.pgbluegreen.gate;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** One named check: what was observed, the threshold it was held to, and a one-line message. */
@Serdeable
public record CheckResult(String name, CheckStatus status, @Nullable String observed, @Nullable String threshold,
                          String message) {

    public static CheckResult pass(String name, Object observed, Object threshold, String message) {
        return new CheckResult(name, CheckStatus.PASS, text(observed), text(threshold), message);
    }

    public static CheckResult fail(String name, Object observed, Object threshold, String message) {
        return new CheckResult(name, CheckStatus.FAIL, text(observed), text(threshold), message);
    }

    public static CheckResult unknown(String name, String message) {
        return new CheckResult(name, CheckStatus.UNKNOWN, null, null, message);
    }

    public static CheckResult of(String name, boolean ok, Object observed, Object threshold, String passMessage,
                                 String failMessage) {
        return ok ? pass(name, observed, threshold, passMessage) : fail(name, observed, threshold, failMessage);
    }

    public boolean passed() {
        return status == CheckStatus.PASS;
    }

    private static String text(Object value) {
        return value == null ? null : String.valueOf(value);
    }
}
