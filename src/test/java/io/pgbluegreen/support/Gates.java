package io.pgbluegreen.support;

import io.micronaut.json.JsonMapper;
import io.pgbluegreen.fixture.Await;
import io.pgbluegreen.gate.CheckResult;
import io.pgbluegreen.gate.Verdict;

import java.io.IOException;
import java.time.Duration;

/** Reads a deployment's gate through the HTTP API, as an operator's curl would. */
public final class Gates {
    private Gates() {
    }

    public static Verdict get(Daemon daemon, String deployment) {
        var response = daemon.get("/deployments/" + deployment + "/gate");
        if (response.statusCode() != 200) {
            throw new IllegalStateException("gate of " + deployment + " answered " + response.statusCode() + ": " + response.body());
        }
        try {
            return daemon.context().getBean(JsonMapper.class).readValue(response.body(), Verdict.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable verdict: " + response.body(), e);
        }
    }

    public static CheckResult check(Verdict verdict, String name) {
        return verdict.checks().stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no check " + name + " in " + verdict));
    }

    /** Waits until the named check has the status; returns the verdict that showed it. */
    public static Verdict awaitCheck(Daemon daemon, String deployment, String check, String status, Duration timeout) {
        Verdict[] last = {null};
        Await.until(timeout, deployment + "/" + check + " to be " + status, () -> {
            last[0] = get(daemon, deployment);
            return status.equals(check(last[0], check).status().label());
        });
        return last[0];
    }

    /** A cutover asked for now is refused with 409 and names the check (the live gate sees what the cached one saw). */
    public static void assertCutoverRefused(Daemon daemon, String deployment, String check) {
        var response = daemon.post("/deployments/" + deployment + "/cutover", null);
        if (response.statusCode() != 409 || !response.body().contains("\"name\":\"" + check + "\"")) {
            throw new AssertionError("cutover of " + deployment + " was not refused for " + check + ": "
                    + response.statusCode() + " " + response.body());
        }
    }

    public static Verdict awaitReady(Daemon daemon, String deployment, Duration timeout) {
        Verdict[] last = {null};
        try {
            Await.until(timeout, deployment + " to be ready", () -> {
                last[0] = get(daemon, deployment);
                return last[0].ready();
            });
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; blocking: " + (last[0] == null ? "?" : last[0].blocking()), e);
        }
        return last[0];
    }
}
