package io.pgbluegreen.mode.logical;

import io.pgbluegreen.postgres.Sql;

/** The ALTER SUBSCRIPTION statements several logical steps send (names quoted; DDL takes no parameters). */
final class SubscriptionStatements {
    private SubscriptionStatements() {
    }

    static String enable(String subscription) {
        return "ALTER SUBSCRIPTION " + Sql.ident(subscription) + " ENABLE";
    }

    static String disable(String subscription) {
        return "ALTER SUBSCRIPTION " + Sql.ident(subscription) + " DISABLE";
    }
}
