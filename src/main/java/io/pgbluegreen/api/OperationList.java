package io.pgbluegreen.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.pgbluegreen.operation.OperationSeries;
import io.pgbluegreen.operation.OperationView;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/**
 * GET /operations, a page at a time: newest first (by start, then id), at most {@code limit} a page, the next page
 * being the operations after the last one shown ({@code before=<its id>}). A cursor rather than a page number, so
 * that operations started between two calls do not shift the pages an operator is walking through.
 */
final class OperationList {
    static final String LIMIT = "limit";
    static final String BEFORE = "before";
    static final String DEPLOYMENT = "deployment";
    static final int DEFAULT_LIMIT = 20;
    static final int MAX_LIMIT = 100;
    static final String PATH = "/operations";

    private OperationList() {
    }

    /** One page, and the URL of the next one (null: this is the last). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS) // an empty list and a null next are answers too
    record Page(List<OperationView> operations, @Nullable String next) {
    }

    /** The query, read strictly: the parameters this call takes, each once, a limit from 1 to {@value #MAX_LIMIT}. */
    record Query(@Nullable String deployment, int limit, @Nullable String before) {
        static Query of(Map<String, String> params) {
            return new Query(params.get(DEPLOYMENT), OperationList.limit(params.get(LIMIT)), params.get(BEFORE));
        }
    }

    static int limit(@Nullable String text) {
        if (text == null) {
            return DEFAULT_LIMIT;
        }
        if (text.matches("[0-9]{1,3}")) {
            int limit = Integer.parseInt(text);
            if (limit >= 1 && limit <= MAX_LIMIT) {
                return limit;
            }
        }
        throw new BadRequest(LIMIT + ": '" + BadRequest.clip(text) + "' is not a whole number from 1 to " + MAX_LIMIT);
    }

    /** {@code all}: every operation, in any order. Throws {@link BadRequest} when {@code before} names none of them. */
    static Page page(List<OperationView> all, Query query) {
        List<OperationView> newestFirst = all.stream().sorted(OperationSeries.BY_START.reversed()).toList();
        int from = 0;
        if (query.before() != null) {
            from = indexOf(newestFirst, query.before()) + 1;
        }
        List<OperationView> rest = newestFirst.subList(from, newestFirst.size()).stream()
                .filter(op -> query.deployment() == null || op.deployment().equals(query.deployment())).toList();
        List<OperationView> page = rest.subList(0, Math.min(query.limit(), rest.size()));
        String next = rest.size() > page.size() ? next(query, page.get(page.size() - 1).id()) : null;
        return new Page(page, next);
    }

    private static int indexOf(List<OperationView> newestFirst, String id) {
        for (int i = 0; i < newestFirst.size(); i++) {
            if (newestFirst.get(i).id().equals(id)) {
                return i;
            }
        }
        throw new BadRequest(BEFORE + ": no operation '" + BadRequest.clip(id)
                + "' (give the id of the last operation of the page before, as its next link does)");
    }

    private static String next(Query query, String lastId) {
        StringBuilder url = new StringBuilder(PATH).append('?').append(LIMIT).append('=').append(query.limit())
                .append('&').append(BEFORE).append('=').append(encode(lastId));
        if (query.deployment() != null) {
            url.append('&').append(DEPLOYMENT).append('=').append(encode(query.deployment()));
        }
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
