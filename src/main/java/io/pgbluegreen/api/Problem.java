package io.pgbluegreen.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.serde.annotation.Serdeable;

/** An RFC 9457 problem document: what operators and scripts get instead of a stack trace. */
@Serdeable
public record Problem(String type, String title, int status, String detail) {
    public static final String MEDIA_TYPE = "application/problem+json";

    public static MutableHttpResponse<Problem> noDeployment(String name) {
        return response(HttpStatus.NOT_FOUND, "no deployment named '" + name + "'");
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return HttpResponse.<Problem>status(status)
                .body(new Problem("about:blank", status.getReason(), status.getCode(), detail))
                .contentType(MEDIA_TYPE);
    }
}
