package io.pgbluegreen.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 400 application/problem+json with the one-line reason of a {@link BadRequest}. */
@Produces
@Singleton
public class BadRequestHandler implements ExceptionHandler<BadRequest, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BadRequest exception) {
        return Problem.response(HttpStatus.BAD_REQUEST, exception.getMessage());
    }
}
