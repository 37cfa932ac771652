package io.pgbluegreen.api;

import io.micronaut.http.HttpRequest;

import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The query string of a call: only the parameters the call declares, each given once; a flag exactly {@code true} or
 * {@code false}. Anything else is refused before the call acts, because a lenient reading turns a
 * typo into the opposite of what was meant ({@code ?dryrun=true} or {@code ?dryRun=maybe} would run a real cutover).
 */
final class StrictQuery {
    private StrictQuery() {
    }

    /** The flags given, by name (absent ones are missing from the map); throws {@link BadRequest} otherwise. */
    static Map<String, Boolean> flags(HttpRequest<?> request, String... known) {
        Map<String, Boolean> flags = new HashMap<>();
        values(request, known).forEach((name, value) -> {
            if (!value.equals("true") && !value.equals("false")) {
                throw new BadRequest(name + ": '" + BadRequest.clip(value) + "' is not true or false");
            }
            flags.put(name, Boolean.parseBoolean(value));
        });
        return flags;
    }

    /**
     * The parameters given, by name, each given once and only among {@code known} (absent ones are missing from the
     * map); throws {@link BadRequest} otherwise. Their values are the caller's to check.
     */
    static Map<String, String> values(HttpRequest<?> request, String... known) {
        List<String> knownNames = Arrays.asList(known);
        Map<String, String> values = new TreeMap<>();
        // sorted, so that the message names the same parameter whichever order they were sent in
        for (String name : new TreeSet<>(request.getParameters().names())) {
            if (!knownNames.contains(name)) {
                throw new BadRequest(BadRequest.clip(name) + ": unknown query parameter ("
                        + (known.length == 0 ? "this call takes none" : "known: " + String.join(", ", known)) + ")");
            }
            List<String> given = request.getParameters().getAll(name);
            if (given.size() != 1) {
                throw new BadRequest(name + ": given " + given.size() + " times (give it once)");
            }
            values.put(name, given.get(0));
        }
        return values;
    }
}
