package io.pgbluegreen.api;

/**
 * Input a call cannot act on (a query parameter or body field it does not take, or a value of the wrong kind),
 * found before the call does anything. Answered 400 problem+json with the message, which names the parameter or
 * field; it carries no stack trace because it is the operator's mistake, not ours.
 */
public class BadRequest extends RuntimeException {
    public BadRequest(String detail) {
        super(detail, null, false, false);
    }

    /** Input echoed back in a message is clipped: a one-line detail, whatever was sent. */
    static String clip(String input) {
        String oneLine = input.replaceAll("\\p{Cntrl}", "?");
        return oneLine.length() <= 60 ? oneLine : oneLine.substring(0, 60) + "...";
    }
}
