package io.pgbluegreen.operation;

import io.pgbluegreen.metrics.SeriesBoard;
import io.pgbluegreen.metrics.SeriesList;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Operation series from hand-built operations, compared as the Prometheus text a scrape shows. */
class OperationSeriesTest {
    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    private static final WriteWindow FENCE_TO_SWITCH = new WriteWindow(List.of("fence_blue"), "switch_connections");
    private static final WriteWindow PAUSE_OR_SWITCHOVER = new WriteWindow(List.of("pause_pgbouncer", "switchover"),
            "switch_connections");

    @Test
    void aCutoverThenARollbackCountOnceEachAndTheLastOfEachKindShowsItsSteps() {
        Operation cutover = op("c1", OperationKind.CUTOVER, 0);
        step(cutover, "acquire_lock", 0, 100);
        step(cutover, "fence_blue", 100, 350);
        step(cutover, "promote", 350, 1350);
        step(cutover, "switch_connections", 1350, 1500);
        step(cutover, "post_checks", 1500, 1700);
        cutover.finish(OperationState.SUCCEEDED, "ok", List.of(), T0.plusMillis(1700));
        Operation rollback = op("r1", OperationKind.ROLLBACK, 60_000);
        step(rollback, "fence_green", 60_000, 60_500);
        rollback.finish(OperationState.ABORTED, "no", List.of(), T0.plusMillis(61_000));

        assertEquals("""
                # HELP pgbg_last_operation_end_timestamp_seconds Unix time the last operation of each kind ended (absent while it runs)
                # TYPE pgbg_last_operation_end_timestamp_seconds gauge
                pgbg_last_operation_end_timestamp_seconds{deployment="app",kind="cutover"} 1.7960040017E9
                pgbg_last_operation_end_timestamp_seconds{deployment="app",kind="rollback"} 1796004061
                # HELP pgbg_last_operation_state State set of the last operation of each kind: running, succeeded, aborted, failed, interrupted
                # TYPE pgbg_last_operation_state gauge
                pgbg_last_operation_state{deployment="app",kind="cutover",state="running"} 0
                pgbg_last_operation_state{deployment="app",kind="cutover",state="succeeded"} 1
                pgbg_last_operation_state{deployment="app",kind="cutover",state="aborted"} 0
                pgbg_last_operation_state{deployment="app",kind="cutover",state="failed"} 0
                pgbg_last_operation_state{deployment="app",kind="cutover",state="interrupted"} 0
                pgbg_last_operation_state{deployment="app",kind="rollback",state="running"} 0
                pgbg_last_operation_state{deployment="app",kind="rollback",state="succeeded"} 0
                pgbg_last_operation_state{deployment="app",kind="rollback",state="aborted"} 1
                pgbg_last_operation_state{deployment="app",kind="rollback",state="failed"} 0
                pgbg_last_operation_state{deployment="app",kind="rollback",state="interrupted"} 0
                # HELP pgbg_last_operation_step_duration_seconds How long each finished step of the last operation of each kind took (a step run twice: the sum)
                # TYPE pgbg_last_operation_step_duration_seconds gauge
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="cutover",step="acquire_lock"} 0.1
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="cutover",step="fence_blue"} 0.25
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="cutover",step="promote"} 1
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="cutover",step="switch_connections"} 0.15
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="cutover",step="post_checks"} 0.2
                pgbg_last_operation_step_duration_seconds{deployment="app",kind="rollback",step="fence_green"} 0.5
                # HELP pgbg_last_operation_write_unavailable_seconds Last cutover: from the step that stops writes (fence_blue; Patroni: pause_pgbouncer or switchover) to the end of switch_connections, or to the end of an abort (absent when unknown)
                # TYPE pgbg_last_operation_write_unavailable_seconds gauge
                pgbg_last_operation_write_unavailable_seconds{deployment="app",kind="cutover"} 1.4
                # HELP pgbg_operation_running 1 while an operation runs on the deployment, else 0
                # TYPE pgbg_operation_running gauge
                pgbg_operation_running{deployment="app"} 0
                # HELP pgbg_operations_ended_total Operations ended, by final state: succeeded, aborted, failed, interrupted (from the journal)
                # TYPE pgbg_operations_ended_total counter
                """ + ended("cutover", 1, 0, 0, 0) + ended("rollback", 0, 1, 0, 0) + ended("attach", 0, 0, 0, 0)
                + ended("safety_net_rollback", 0, 0, 0, 0) + """
                # HELP pgbg_operations_started_total Operations started on the deployment, from the journal (earlier daemon runs included)
                # TYPE pgbg_operations_started_total counter
                pgbg_operations_started_total{deployment="app",kind="cutover"} 1
                pgbg_operations_started_total{deployment="app",kind="rollback"} 1
                pgbg_operations_started_total{deployment="app",kind="attach"} 0
                pgbg_operations_started_total{deployment="app",kind="safety_net_rollback"} 0
                """, render(List.of(rollback, cutover), FENCE_TO_SWITCH), "newest of each kind, whatever the order given");
    }

    @Test
    void aRunningOperationHasNoEndNorWindowAndItsRunningStepNoDuration() {
        Operation cutover = op("c1", OperationKind.CUTOVER, 0);
        step(cutover, "fence_blue", 0, 200);
        cutover.stepStarted("promote", T0.plusMillis(200));
        String text = render(List.of(cutover), FENCE_TO_SWITCH);

        assertEquals(List.of(
                "pgbg_last_operation_state{deployment=\"app\",kind=\"cutover\",state=\"running\"} 1",
                "pgbg_last_operation_step_duration_seconds{deployment=\"app\",kind=\"cutover\",step=\"fence_blue\"} 0.2",
                "pgbg_operation_running{deployment=\"app\"} 1",
                "pgbg_operations_ended_total{deployment=\"app\",kind=\"cutover\",state=\"succeeded\"} 0",
                "pgbg_operations_started_total{deployment=\"app\",kind=\"cutover\"} 1"),
                text.lines().filter(l -> l.contains("cutover") && !l.endsWith(" 0") || l.contains("running{")
                        || l.contains("ended_total") && l.contains("cutover\",state=\"succeeded")).toList());
    }

    @Test
    void theWindowOfAPatroniSwitchoverOpensAtThePauseOrElseAtTheSwitchover() {
        Operation paused = op("p1", OperationKind.CUTOVER, 0);
        step(paused, "pause_pgbouncer", 0, 50);
        step(paused, "switchover", 50, 3050);
        step(paused, "switch_connections", 3050, 3100);
        step(paused, "old_leader_follows", 3100, 9000);
        paused.finish(OperationState.SUCCEEDED, "ok", List.of(), T0.plusMillis(9000));
        assertEquals(3.1, PAUSE_OR_SWITCHOVER.seconds(paused.view()));

        Operation unpaused = op("p2", OperationKind.CUTOVER, 0);
        step(unpaused, "switchover", 100, 2100);
        step(unpaused, "switch_connections", 2100, 2500);
        unpaused.finish(OperationState.SUCCEEDED, "ok", List.of(), T0.plusMillis(2600));
        assertEquals(2.4, PAUSE_OR_SWITCHOVER.seconds(unpaused.view()));
    }

    @Test
    void anAbortedCutoverIsUnavailableUntilItsEndAndAFailedOneHasNoKnownWindow() {
        Operation aborted = op("a", OperationKind.CUTOVER, 0);
        step(aborted, "fence_blue", 1000, 1200);
        aborted.stepStarted("catch_up", T0.plusMillis(1200));
        aborted.stepEnded("catch_up", StepState.FAILED, T0.plusMillis(5000), "timeout");
        aborted.finish(OperationState.ABORTED, "undone", List.of(), T0.plusMillis(5500));
        assertEquals(4.5, FENCE_TO_SWITCH.seconds(aborted.view()));

        Operation failed = op("f", OperationKind.CUTOVER, 0);
        step(failed, "fence_blue", 1000, 1200);
        failed.finish(OperationState.FAILED, "past the point", List.of(), T0.plusMillis(5500));
        assertEquals(null, FENCE_TO_SWITCH.seconds(failed.view()));
        assertEquals("", render(List.of(failed), FENCE_TO_SWITCH).lines()
                .filter(l -> l.startsWith("pgbg_last_operation_write")).findFirst().orElse(""));

        Operation lockRefused = op("l", OperationKind.CUTOVER, 0);
        lockRefused.finish(OperationState.ABORTED, "lock held", List.of(), T0.plusMillis(10));
        assertEquals(null, FENCE_TO_SWITCH.seconds(lockRefused.view()), "writes never stopped: no window, not 0");
    }

    @Test
    void aSafetyNetRollbackAndAnInterruptedOperationCountLikeTheOthers() {
        Operation net = op("n", OperationKind.SAFETY_NET_ROLLBACK, 0);
        step(net, "stop_member_patroni", 0, 10);
        net.finish(OperationState.SUCCEEDED, "ok", List.of(), T0.plusMillis(20));
        Operation cut = op("i", OperationKind.CUTOVER, 100);
        cut.finish(OperationState.INTERRUPTED, "daemon stopped", List.of(), T0.plusMillis(200));
        List<String> text = render(List.of(net, cut), PAUSE_OR_SWITCHOVER).lines().toList();

        assertTrue(text.containsAll(List.of(
                "pgbg_operations_started_total{deployment=\"app\",kind=\"safety_net_rollback\"} 1",
                "pgbg_operations_started_total{deployment=\"app\",kind=\"cutover\"} 1")), String.join("\n", text));
        String all = String.join("\n", text) + "\n";
        assertTrue(all.contains(ended("cutover", 0, 0, 0, 1) + ended("rollback", 0, 0, 0, 0) + ended("attach", 0, 0, 0, 0)
                + ended("safety_net_rollback", 1, 0, 0, 0)), all);
    }

    @Test
    void theSameStepRunTwiceIsOneSeriesWithTheSum() {
        Operation op = op("t", OperationKind.ROLLBACK, 0);
        step(op, "unfence_blue", 0, 300);
        step(op, "unfence_blue", 500, 600);
        assertEquals(0.4, OperationSeries.stepDurations(op.view()).get("unfence_blue"), 1e-9);
    }

    private static Operation op(String id, OperationKind kind, long atMillis) {
        return new Operation(id, "app", kind, T0.plusMillis(atMillis));
    }

    private static void step(Operation op, String name, long fromMillis, long toMillis) {
        op.stepStarted(name, T0.plusMillis(fromMillis));
        op.stepEnded(name, StepState.SUCCEEDED, T0.plusMillis(toMillis), "done");
    }

    private static String render(List<Operation> ops, WriteWindow window) {
        SeriesList out = new SeriesList();
        OperationSeries.add(out, "app", ops.stream().map(Operation::view).toList(), window);
        SeriesBoard board = new SeriesBoard(null);
        board.publish("operations:app", out.series());
        StringBuilder text = new StringBuilder();
        board.renderPublished(text);
        return text.toString();
    }

    /** The ended-counter lines of one kind, one per final state. */
    private static String ended(String kind, int succeeded, int aborted, int failed, int interrupted) {
        String ended = "pgbg_operations_ended_total{deployment=\"app\",kind=\"" + kind + "\",state=\"";
        return ended + "succeeded\"} " + succeeded + "\n" + ended + "aborted\"} " + aborted + "\n"
                + ended + "failed\"} " + failed + "\n" + ended + "interrupted\"} " + interrupted + "\n";
    }
}
