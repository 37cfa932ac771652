package io.pgbluegreen.cutover;

/** Identifier quoting for the few statements (DDL) that cannot take parameters. */
public final class Sql {
    private Sql() {
    }

    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }
}
