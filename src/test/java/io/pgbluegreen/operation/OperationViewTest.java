package io.pgbluegreen.operation;

import io.micronaut.json.JsonMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The API keeps showing operation kinds and step states as the lowercase strings operators read. */
class OperationViewTest {
    private static final JsonMapper JSON = JsonMapper.createDefault();

    @Test
    void kindsAndStatesAreLowercaseLabels() throws IOException {
        Operation op = new Operation("a1", "upgrade", OperationKind.ATTACH, Instant.parse("2026-11-22T03:41:07Z"));
        op.stepStarted("subscribe", Instant.parse("2026-11-22T03:41:08Z"));
        op.stepStarted("check", Instant.parse("2026-11-22T03:41:09Z"));
        op.stepEnded("subscribe", StepState.SUCCEEDED, Instant.parse("2026-11-22T03:41:10Z"), "subscribed");
        op.stepEnded("check", StepState.FAILED, Instant.parse("2026-11-22T03:41:11Z"), "it broke");
        String json = JSON.writeValueAsString(op.view());
        assertTrue(json.contains("\"kind\":\"attach\"") && json.contains("\"state\":\"running\""), json);
        assertTrue(json.contains("\"state\":\"succeeded\"") && json.contains("\"state\":\"failed\""), json);
        assertFalse(json.contains("stepState"), json);
        assertEquals("subscribe", op.lastCompletedStep());
        assertEquals("attach", OperationKind.ATTACH.toString(), "messages name the kind as operators know it");
        for (OperationKind kind : OperationKind.values()) {
            assertEquals(kind, OperationKind.ofLabel(kind.label()));
        }
        for (StepState state : StepState.values()) {
            assertEquals(state, StepState.ofLabel(state.label()));
        }
    }
}
