package io.pgbluegreen.agent;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.pgbluegreen.api.Problem;
import jakarta.inject.Singleton;

/** 409 or 500 application/problem+json with the refusal's or the failed command's message. */
@Produces
@Singleton
@Requires(property = AgentConfig.ENABLED, value = "true")
public class AgentProblemHandler implements ExceptionHandler<AgentProblem, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, AgentProblem exception) {
        return Problem.response(exception.status(), exception.getMessage());
    }
}
