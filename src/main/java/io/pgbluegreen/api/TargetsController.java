package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.pgbluegreen.sampling.SnapshotStore;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;

/** Read-only view of every target as last sampled; answers from memory, never from a database. */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller("/targets")
public class TargetsController {
    private final SnapshotStore store;

    public TargetsController(SnapshotStore store) {
        this.store = store;
    }

    @Get
    public List<TargetView> list() {
        Instant now = Instant.now();
        return store.all().values().stream().sorted(Comparator.comparing(s -> s.target()))
                .map(s -> TargetView.of(s, now)).toList();
    }

    @Get("/{name}")
    public HttpResponse<?> one(@PathVariable String name) {
        return store.get(name).<HttpResponse<?>>map(s -> HttpResponse.ok(TargetView.of(s, Instant.now())))
                .orElseGet(() -> Problem.response(HttpStatus.NOT_FOUND, "no target named '" + name + "'"));
    }
}
