package io.pgbluegreen.api;

import io.pgbluegreen.operation.OperationView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** GET /operations' paging, on hand-built operations (no server). */
class OperationListTest {
    private static final Instant T0 = Instant.parse("2026-11-30T02:00:00Z");
    /** o1..o5, one a minute, alternating deployments a and b; o5 and o4b started at the same instant. */
    private static final List<OperationView> ALL = List.of(op("o3", "a", 2), op("o1", "a", 0), op("o5", "a", 4),
            op("o2", "b", 1), op("o4b", "b", 4), op("o4a", "a", 3));

    @Test
    void newestFirstAPageAtATimeFollowingNext() {
        OperationList.Page first = OperationList.page(ALL, new OperationList.Query(null, 2, null));
        assertEquals(List.of("o5", "o4b"), ids(first), "same start: the greater id first, the same on every call");
        assertEquals("/operations?limit=2&before=o4b", first.next());

        List<String> walked = new ArrayList<>(ids(first));
        OperationList.Page page = first;
        while (page.next() != null) {
            page = OperationList.page(ALL, query(page.next()));
            walked.addAll(ids(page));
        }
        assertEquals(List.of("o5", "o4b", "o4a", "o3", "o2", "o1"), walked);
        assertNull(page.next(), "the last page says so");
    }

    @Test
    void aFullLastPageHasNoNext() {
        OperationList.Page page = OperationList.page(ALL, new OperationList.Query(null, 3, "o4b"));
        assertEquals(List.of("o4a", "o3", "o2"), ids(page));
        assertEquals("/operations?limit=3&before=o2", page.next());
        assertNull(OperationList.page(ALL, new OperationList.Query(null, 6, null)).next());
    }

    @Test
    void aDeploymentFilterKeepsItselfInNext() {
        OperationList.Page page = OperationList.page(ALL, new OperationList.Query("a", 2, null));
        assertEquals(List.of("o5", "o4a"), ids(page));
        assertEquals("/operations?limit=2&before=o4a&deployment=a", page.next());
        OperationList.Page rest = OperationList.page(ALL, query(page.next()));
        assertEquals(List.of("o3", "o1"), ids(rest));
        assertNull(rest.next());
        assertEquals(List.of(), ids(OperationList.page(List.of(), new OperationList.Query("a", 20, null))));
    }

    @Test
    void aCursorFromAnotherDeploymentIsStillAPosition() {
        assertEquals(List.of("o4a", "o3", "o1"), ids(OperationList.page(ALL, new OperationList.Query("a", 20, "o4b"))));
    }

    @Test
    void badLimitsAndUnknownCursorsAreRefusedNamingTheParameter() {
        assertEquals(20, OperationList.limit(null));
        assertEquals(100, OperationList.limit("100"));
        for (String bad : List.of("0", "101", "-1", "1.5", "ten", "", "0001", " 5", "99999999999")) {
            BadRequest refused = assertThrows(BadRequest.class, () -> OperationList.limit(bad), bad);
            assertEquals("limit: '" + bad + "' is not a whole number from 1 to 100", refused.getMessage());
        }
        BadRequest unknown = assertThrows(BadRequest.class,
                () -> OperationList.page(ALL, new OperationList.Query(null, 5, "nope")));
        assertEquals("before: no operation 'nope' (give the id of the last operation of the page before, as its next link"
                + " does)", unknown.getMessage());
    }

    private static OperationList.Query query(String next) {
        Map<String, String> params = new java.util.HashMap<>();
        for (String pair : next.substring(next.indexOf('?') + 1).split("&")) {
            String[] kv = pair.split("=", 2);
            params.put(kv[0], java.net.URLDecoder.decode(kv[1], java.nio.charset.StandardCharsets.UTF_8));
        }
        return OperationList.Query.of(params);
    }

    private static List<String> ids(OperationList.Page page) {
        return page.operations().stream().map(OperationView::id).toList();
    }

    private static OperationView op(String id, String deployment, int minute) {
        return new OperationView(id, deployment, "cutover", "succeeded", T0.plusSeconds(60L * minute), null, List.of(), null,
                List.of());
    }
}
