package io.pgbluegreen.api;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.pgbluegreen.patroni.PatroniClusterState;
import io.pgbluegreen.patroni.PatroniStore;

import java.util.Collection;

/** Read-only view of the Patroni clusters as last sampled. */
@Requires(property = "pg-bluegreen.agent.enabled", notEquals = "true")
@Controller("/patroni")
public class PatroniController {
    private final PatroniStore store;

    public PatroniController(PatroniStore store) {
        this.store = store;
    }

    @Get
    public Collection<PatroniClusterState> list() {
        return store.all().values();
    }

    @Get("/{name}")
    public HttpResponse<?> one(@PathVariable String name) {
        return store.get(name).<HttpResponse<?>>map(HttpResponse::ok)
                .orElseGet(() -> Problem.response(HttpStatus.NOT_FOUND, "no Patroni cluster named '" + name + "' (or not sampled yet)"));
    }
}
