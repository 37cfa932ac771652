package io.pgbluegreen.postgres;

/** Identifier and literal quoting for the few statements (DDL) that cannot take parameters. */
public final class Sql {
    private Sql() {
    }

    public static String ident(String name) {
        return "\"" + name.replace("\"", "\"\"") + "\"";
    }

    /** A string literal; standard_conforming_strings is on in every supported major, so only quotes are doubled. */
    public static String literal(String value) {
        return "'" + value.replace("'", "''") + "'";
    }
}
