package io.pgbluegreen.gate;

import io.pgbluegreen.sampling.TargetSample;
import io.pgbluegreen.sampling.TargetState;

import java.util.List;

/** Checks every mode needs: both sides answer, versions go forward, blue has nothing in flight, privileges. */
final class CommonChecks {
    private CommonChecks() {
    }

    static void add(List<CheckResult> out, GateInput in, ModeGate mode) {
        out.add(reachable("blue_reachable", "blue", in.blue(), in));
        out.add(reachable("green_reachable", "green", in.green(), in));
        out.add(greenMajorNotOlder(in));
        out.add(noPreparedTransactions(in));
        out.add(noOldTransactions(in));
        PrivilegeChecks.add(out, in, mode);
    }

    private static CheckResult reachable(String name, String side, TargetState state, GateInput in) {
        if (state == null || state.lastSample() == null || !state.up()) {
            String why = state == null || state.error() == null ? "not sampled yet"
                    : state.error().label() + ": " + state.errorMessage();
            return state != null && state.attemptedAt() != null
                    ? CheckResult.fail(name, "down", "up", side + " cannot be sampled: " + why)
                    : CheckResult.unknown(name, side + " has not been sampled yet");
        }
        if (in.fresh(state) == null) {
            return CheckResult.unknown(name, in.whyNotFresh(side, state));
        }
        return CheckResult.pass(name, "up, sampled " + GateInput.seconds(in.age(state)) + " ago",
                "within " + GateInput.seconds(in.thresholds().sampleFreshness()), side + " answers");
    }

    private static CheckResult greenMajorNotOlder(GateInput in) {
        String name = "green_major_not_older";
        if (in.blue() == null || in.blue().lastSample() == null || in.green() == null || in.green().lastSample() == null) {
            return CheckResult.unknown(name, "both sides must have been sampled once to compare versions");
        }
        int blue = in.blue().lastSample().version().major();
        int green = in.green().lastSample().version().major();
        return CheckResult.of(name, green >= blue, green, ">= " + blue, "green runs PostgreSQL " + green + ", blue " + blue,
                "green runs PostgreSQL " + green + ", older than blue's " + blue + ": there is no way back to an older major");
    }

    private static CheckResult noPreparedTransactions(GateInput in) {
        String name = "blue_no_prepared_transactions";
        TargetSample blue = in.fresh(in.blue());
        if (blue == null) {
            return CheckResult.unknown(name, in.whyNotFresh("blue", in.blue()));
        }
        long prepared = blue.activity().preparedTransactions();
        return CheckResult.of(name, prepared == 0, prepared, 0, "no prepared transaction on blue",
                prepared + " prepared transaction(s) on blue: commit or roll them back (pg_prepared_xacts) before a cutover");
    }

    private static CheckResult noOldTransactions(GateInput in) {
        String name = "blue_no_old_transactions";
        TargetSample blue = in.fresh(in.blue());
        if (blue == null) {
            return CheckResult.unknown(name, in.whyNotFresh("blue", in.blue()));
        }
        Double age = blue.activity().oldestTransactionAgeSeconds();
        double limit = in.thresholds().maxTransactionAge().toMillis() / 1000.0;
        double observed = age == null ? 0 : age;
        return CheckResult.of(name, observed <= limit, String.format(java.util.Locale.ROOT, "%.1fs", observed),
                "<= " + GateInput.seconds(in.thresholds().maxTransactionAge()),
                "oldest open transaction on blue is " + Math.round(observed) + "s old",
                "a transaction on blue has been open for " + Math.round(observed) + "s: fencing would have to end it; "
                        + "find it in pg_stat_activity");
    }
}
