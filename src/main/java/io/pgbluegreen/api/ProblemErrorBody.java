package io.pgbluegreen.api;

import io.micronaut.context.annotation.Primary;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.JsonErrorResponseBodyProvider;
import jakarta.inject.Singleton;

import java.util.stream.Collectors;

/**
 * Every error Micronaut itself produces (malformed JSON, unknown route, wrong method, an unexpected exception)
 * leaves as application/problem+json with the first line of each message, never a stack trace.
 */
@Singleton
@Primary
public class ProblemErrorBody implements JsonErrorResponseBodyProvider<Problem> {
    @Override
    public Problem body(ErrorContext context, HttpResponse<?> response) {
        HttpStatus status = response.getStatus();
        String detail = context.getErrors().stream()
                .map(e -> e.getMessage() == null ? "" : e.getMessage().lines().findFirst().orElse(""))
                .filter(m -> !m.isBlank())
                .collect(Collectors.joining("; "));
        if (status.getCode() >= 500) {
            detail = "internal error (see the daemon's log)";
        }
        return new Problem("about:blank", status.getReason(), status.getCode(), detail.isEmpty() ? status.getReason() : detail);
    }

    @Override
    public String contentType() {
        return Problem.MEDIA_TYPE;
    }
}
