package io.pgbluegreen.support;

import io.micronaut.json.JsonMapper;
import io.pgbluegreen.operation.OperationView;
import io.pgbluegreen.fixture.Await;

import java.io.IOException;
import java.time.Duration;

/** Starts operations through the HTTP API and follows them to their end, as an operator's script would. */
public final class Operations {
    private Operations() {
    }

    public static OperationView read(Daemon daemon, String body) {
        try {
            return daemon.context().getBean(JsonMapper.class).readValue(body, OperationView.class);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable operation: " + body, e);
        }
    }

    public static OperationView awaitEnd(Daemon daemon, String id, Duration timeout) {
        OperationView[] last = {null};
        Await.until(timeout, "operation " + id + " to end", () -> {
            last[0] = read(daemon, daemon.get("/operations/" + id).body());
            return !"running".equals(last[0].state());
        });
        return last[0];
    }

    /** POST cutover, expect 202, follow it to its end. */
    public static OperationView cutover(Daemon daemon, String deployment, String body, Duration timeout) {
        var response = daemon.post("/deployments/" + deployment + "/cutover", body);
        if (response.statusCode() != 202) {
            throw new AssertionError("cutover answered " + response.statusCode() + ": " + response.body());
        }
        return awaitEnd(daemon, read(daemon, response.body()).id(), timeout);
    }
}
